package org.medledger.sdk.channel;

import java.util.HexFormat;

/**
 * A cooperative close both parties signed (docs/payment-channels.md §3.4): the final state, the
 * net payer's settlement bundle (empty when nobody pays) and both close signatures. Either party
 * submits it with {@link ChannelClient#coopClose}.
 */
public record CooperativeClose(String channelId, ChannelState state, String payer, byte[] digest, byte[] bundle,
    byte[] sigA, byte[] sigB) {
  public CooperativeClose {
    digest = digest.clone();
    bundle = bundle.clone();
    sigA = sigA.clone();
    sigB = sigB.clone();
  }

  public String digestHex() {
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public byte[] bundle() {
    return bundle.clone();
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
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CooperativeClose c && channelId.equals(c.channelId) && state.equals(c.state)
        && java.util.Arrays.equals(sigA, c.sigA) && java.util.Arrays.equals(sigB, c.sigB);
  }

  @Override
  public int hashCode() {
    return state.hashCode();
  }

  @Override
  public String toString() {
    return "CooperativeClose[" + channelId + ", " + state + ", payer " + (payer.isEmpty() ? "none" : payer) + "]";
  }
}
