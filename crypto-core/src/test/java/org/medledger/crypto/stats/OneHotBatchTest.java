package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.CTX;
import static org.medledger.crypto.stats.StatsFixtures.RND;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.Transcript;

/**
 * The batched one-hot check agrees with the equations one by one (docs/protocol.md §11.3,
 * "Batched verification"), and the multi-exponentiation agrees with modPow.
 */
class OneHotBatchTest {

  @Test
  void multiPowAgreesWithModPow() {
    BigInteger m = COMMITTEE.nSquared();
    for (int trial = 0; trial < 5; trial++) {
      int k = 1 + RND.nextInt(7);
      BigInteger[] b = new BigInteger[k];
      BigInteger[] x = new BigInteger[k];
      BigInteger expected = BigInteger.ONE;
      for (int i = 0; i < k; i++) {
        b[i] = new BigInteger(m.bitLength() - 1, RND);
        x[i] = i == 0 ? BigInteger.ZERO : new BigInteger(1 + RND.nextInt(300), RND);
        expected = expected.multiply(b[i].modPow(x[i], m)).mod(m);
      }
      assertEquals(expected, MultiPow.of(b, x, m));
    }
    assertEquals(BigInteger.ONE, MultiPow.of(new BigInteger[] {BigInteger.TWO}, new BigInteger[] {BigInteger.ZERO}, m));
    assertEquals(BigInteger.valueOf(8), MultiPow.of(new BigInteger[] {BigInteger.TWO}, new BigInteger[] {BigInteger.valueOf(3)}, m));
  }

  @Test
  void honestVectorsPassTheBatchAndATamperedOneFailsBothWays() {
    StatsContribution h = StatsFixtures.honest();
    Transcript t0 = StatsContribution.statementTranscript(COMMITTEE, CTX, h.category, h.band, h.fee, h.feeCommitment);
    OneHotProof p = h.categoryProof;
    Transcript t = StatsContribution.sub(t0, "categories");
    BigInteger e = OneHotProof.challenge(t, p.a0, p.a1, p.s);
    BigInteger[] delta = p.batchWeights(t);
    assertTrue(p.batchHolds(COMMITTEE, h.category, e, delta));
    p.verifyEach(COMMITTEE, h.category, e, "categories");
    // Multiply one commitment by (1+n): its equation fails; the batch fails for these weights.
    BigInteger[] a1 = p.a1.clone();
    a1[3] = a1[3].multiply(COMMITTEE.gPow(BigInteger.ONE)).mod(COMMITTEE.nSquared());
    OneHotProof bad = new OneHotProof(p.a0, a1, p.s, p.e0, p.z0, p.z1, p.zs);
    assertFalse(bad.batchHolds(COMMITTEE, h.category, e, delta));
    // An n-th-residue factor (here −1 = (−1)^n) in one equation is what the soundness argument absorbs
    // (docs/protocol.md §11.3): the exact check refuses it, the batch only when its weight is odd.
    BigInteger[] a1neg = p.a1.clone();
    a1neg[3] = COMMITTEE.nSquared().subtract(a1neg[3]);
    OneHotProof flipped = new OneHotProof(p.a0, a1neg, p.s, p.e0, p.z0, p.z1, p.zs);
    assertEquals(!delta[2 * 3 + 1].testBit(0), flipped.batchHolds(COMMITTEE, h.category, e, delta));
    org.junit.jupiter.api.Assertions.assertThrows(org.medledger.crypto.ProofException.class,
        () -> flipped.verifyEach(COMMITTEE, h.category, e, "categories"));
  }
}
