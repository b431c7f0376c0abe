package org.medledger.sdk.channel;

/**
 * An off-chain state: sequence number and the two balances. Balances always sum to the two
 * deposits; state 0 is the opening state (balances equal to the deposits).
 */
public record ChannelState(long seq, long balanceA, long balanceB) {
  public ChannelState {
    if (seq < 0 || balanceA < 0 || balanceB < 0) {
      throw new IllegalArgumentException("sequence number and balances are non-negative");
    }
  }

  public long balance(Side side) {
    return side == Side.A ? balanceA : balanceB;
  }
}
