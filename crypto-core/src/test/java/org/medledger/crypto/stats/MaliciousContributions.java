package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.bulletproofs.UncheckedRangeProver;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Test-only bridge: lets the ledger tests (module embedded-ledger) build contributions a malicious
 * hospital could send — any one-hot entries, any fee — with the prover that skips the honest checks.
 */
public final class MaliciousContributions {
  private MaliciousContributions() {}

  /** A contribution with the given entries and fee (encrypted and committed alike), proven without checks. */
  public static StatsContribution of(PaillierPublicKey committee, StatsContext ctx, BigInteger[] categories,
      BigInteger[] bands, BigInteger fee, SecureRandom rnd) {
    return StatsContribution.proveUnchecked(committee, ctx, categories, bands, fee, fee, rnd, UncheckedRangeProver::prove);
  }

  /** A one-hot vector of {@code length} with 1 added at each index given (an index twice gives a 2). */
  public static BigInteger[] vector(int length, int... ones) {
    return StatsFixtures.oneHot(length, ones);
  }
}
