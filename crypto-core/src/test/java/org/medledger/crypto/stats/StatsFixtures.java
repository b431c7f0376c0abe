package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/** Shared keys, contexts and one honest contribution for the statistics tests. */
final class StatsFixtures {
  static final SecureRandom RND = new SecureRandom();
  static final PaillierSecretKey COMMITTEE_SK = TestKeys.key2048a();
  /** The committee key with its fixed-base table (as the chaincode's cache holds it). */
  static final PaillierPublicKey COMMITTEE = COMMITTEE_SK.publicKey().precompute();
  static final StatsContext CTX = new StatsContext("medchannel", "medledger", "rec-0001", "hospital-A", "2026-11");
  static final long FEE = 123_456L;
  static final IcdChapter CHAPTER = IcdChapter.IX;
  static final AgeBand BAND = AgeBand.Y45_54;

  private static StatsContribution honest;

  private StatsFixtures() {}

  /** One honest contribution (chapter IX, 45–54, fee 123,456 under {@link #CTX}), made once. */
  static synchronized StatsContribution honest() {
    if (honest == null) {
      honest = StatsContribution.prove(COMMITTEE, CTX, CHAPTER, BAND, FEE, RND);
    }
    return honest;
  }

  /** The same key without a table: a verifier that computes h_s^x with modPow. */
  static PaillierPublicKey plainCommittee() {
    return PaillierPublicKey.of(COMMITTEE.n(), COMMITTEE.h());
  }

  static BigInteger[] oneHot(int length, int... ones) {
    BigInteger[] v = new BigInteger[length];
    java.util.Arrays.fill(v, BigInteger.ZERO);
    for (int i : ones) {
      v[i] = v[i].add(BigInteger.ONE);
    }
    return v;
  }
}
