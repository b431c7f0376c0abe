package org.medledger.protocol;

import java.nio.charset.StandardCharsets;

/** The Fiat–Shamir contexts that bind a proof to its channel and account (docs/protocol.md). */
public final class Contexts {
  private Contexts() {}

  /**
   * The context of an account's Paillier key proof and no-small-factor proof: the channel and the
   * account id, so a proof made for one registration is refused for any other.
   */
  public static byte[] keyProofContext(String channel, String accountId) {
    return ("medledger/register/v1|" + channel + "|" + accountId).getBytes(StandardCharsets.UTF_8);
  }
}
