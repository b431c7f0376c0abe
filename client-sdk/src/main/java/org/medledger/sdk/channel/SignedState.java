package org.medledger.sdk.channel;

import java.util.Arrays;

/** A state with both parties' signatures over its on-chain form (docs/payment-channels.md §3.2). */
public record SignedState(ChannelState state, byte[] sigA, byte[] sigB) {
  public SignedState {
    sigA = sigA.clone();
    sigB = sigB.clone();
  }

  /** The opening state: it needs no signatures, the open transaction carries both parties' consent. */
  public static SignedState opening(ChannelParams p) {
    return new SignedState(new ChannelState(0, p.depositA(), p.depositB()), new byte[0], new byte[0]);
  }

  public long seq() {
    return state.seq();
  }

  @Override
  public byte[] sigA() {
    return sigA.clone();
  }

  @Override
  public byte[] sigB() {
    return sigB.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedState s && state.equals(s.state) && Arrays.equals(sigA, s.sigA) && Arrays.equals(sigB, s.sigB);
  }

  @Override
  public int hashCode() {
    return state.hashCode() * 31 + Arrays.hashCode(sigA);
  }

  @Override
  public String toString() {
    return "SignedState[" + state + "]";
  }
}
