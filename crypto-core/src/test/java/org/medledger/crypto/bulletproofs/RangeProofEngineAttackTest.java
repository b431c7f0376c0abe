package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.bulletproofs.RangeProofTest.blindings;
import static org.medledger.crypto.bulletproofs.RangeProofTest.commit;
import static org.medledger.crypto.bulletproofs.RangeProofTest.context;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.ec.Secp256k1;

/**
 * Adversarial review of the verifier's engine: the verification equation of real proofs is
 * evaluated by the engine ({@link VerificationEquation#holds}) and by BouncyCastle's reference
 * multi-exponentiation, before and after perturbations that either break it (the engine must
 * refuse) or keep it exact through zero, duplicated or opposite terms (the engine must accept,
 * else it computes a different point). Then proofs whose statements put equal or opposite points
 * into the verifier's multi-exponentiation.
 */
class RangeProofEngineAttackTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final BigInteger Q = Secp256k1.ORDER;
  private final Random rnd = new Random(0xA77ACCL);

  private static VerificationEquation copy(
      VerificationEquation e, BigInteger[] g, BigInteger[] h, BigInteger bg, BigInteger bh,
      ECPoint[] pts, BigInteger[] ks, ECPoint a) {
    return new VerificationEquation(g, h, bg, bh, pts, ks, a, null);
  }

  /** A + Σ k_j·P_j + Σ (g_i·G_i + h_i·H_i) + g·G + h·H = O, by BouncyCastle alone. */
  private static boolean reference(VerificationEquation e) {
    BulletproofGenerators gens = BulletproofGenerators.standard();
    int n = e.size();
    int k = 2 * n + 2 + e.points.length;
    ECPoint[] p = new ECPoint[k];
    BigInteger[] s = new BigInteger[k];
    int d = 0;
    for (int i = 0; i < n; i++) {
      p[d] = gens.g(i);
      s[d++] = e.gCoef[i];
      p[d] = gens.h(i);
      s[d++] = e.hCoef[i];
    }
    p[d] = Secp256k1.G;
    s[d++] = e.baseG;
    p[d] = Secp256k1.H;
    s[d++] = e.baseH;
    for (int j = 0; j < e.points.length; j++) {
      p[d] = e.points[j];
      s[d++] = e.scalars[j];
    }
    return ECAlgorithms.sumOfMultiplies(p, s).add(e.a).isInfinity();
  }

  private static void agree(VerificationEquation e, boolean expected, String what) {
    assertEquals(expected, reference(e), "reference: " + what);
    assertEquals(expected, e.holds(), "engine: " + what);
  }

  private static BigInteger add(BigInteger a, BigInteger b) {
    return a.add(b).mod(Q);
  }

  @Test
  void engineAgreesWithReferenceOnPerturbedEquations() {
    BigInteger[] v = {BigInteger.valueOf(200), BigInteger.ZERO};
    BigInteger[] g = blindings(2);
    RangeProof proof = RangeProof.prove(context("engine"), v, g, 8, RND);
    VerificationEquation e = proof.equation(context("engine"), commit(v, g), 8);
    agree(e, true, "honest");
    BulletproofGenerators gens = BulletproofGenerators.standard();
    int n = e.size();
    BigInteger d = new BigInteger(256, rnd).mod(Q);

    for (int i = 0; i < n; i += 3) {
      BigInteger[] gc = e.gCoef.clone();
      gc[i] = add(gc[i], BigInteger.ONE);
      agree(copy(e, gc, e.hCoef, e.baseG, e.baseH, e.points, e.scalars, e.a), false, "g_" + i + " + 1");
      // g_i ← 0 and A absorbs the term: still exact, with an all-zero scalar in the buckets.
      gc = e.gCoef.clone();
      ECPoint a = e.a.add(gens.g(i).multiply(gc[i]));
      gc[i] = BigInteger.ZERO;
      agree(copy(e, gc, e.hCoef, e.baseG, e.baseH, e.points, e.scalars, a), true, "g_" + i + " absorbed");
      BigInteger[] hc = e.hCoef.clone();
      hc[i] = Q.subtract(hc[i]).mod(Q); // h_i → −h_i, compensated
      a = e.a.add(gens.h(i).multiply(e.hCoef[i].shiftLeft(1)));
      agree(copy(e, e.gCoef, hc, e.baseG, e.baseH, e.points, e.scalars, a), true, "h_" + i + " negated");
      agree(copy(e, e.gCoef, hc, e.baseG, e.baseH, e.points, e.scalars, e.a), false, "h_" + i + " negated alone");
    }
    // Every coefficient of G_i and H_i zero, everything absorbed into A.
    ECPoint a0 = e.a;
    BigInteger[] zero = new BigInteger[n];
    java.util.Arrays.fill(zero, BigInteger.ZERO);
    for (int i = 0; i < n; i++) {
      a0 = a0.add(gens.g(i).multiply(e.gCoef[i])).add(gens.h(i).multiply(e.hCoef[i]));
    }
    agree(copy(e, zero, zero, e.baseG, e.baseH, e.points, e.scalars, a0), true, "all generators absorbed");
    ECPoint a1 = a0.add(Secp256k1.G.multiply(e.baseG)).add(Secp256k1.H.multiply(e.baseH));
    agree(copy(e, zero, zero, BigInteger.ZERO, BigInteger.ZERO, e.points, e.scalars, a1), true,
        "fixed part empty");
    agree(copy(e, zero, zero, BigInteger.ONE, BigInteger.ZERO, e.points, e.scalars, a1), false,
        "fixed part G only");

    agree(copy(e, e.gCoef, e.hCoef, add(e.baseG, d), e.baseH, e.points, e.scalars, e.a), false, "g + d");
    agree(copy(e, e.gCoef, e.hCoef, add(e.baseG, d), e.baseH, e.points, e.scalars,
        e.a.subtract(Secp256k1.G.multiply(d))), true, "g + d, A − d·G");

    int m = e.points.length;
    for (int j = 0; j < m; j++) {
      BigInteger[] ks = e.scalars.clone();
      ks[j] = add(ks[j], BigInteger.ONE);
      agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, e.points, ks, e.a), false, "k_" + j + " + 1");
      agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, e.points, ks, e.a.subtract(e.points[j])), true,
          "k_" + j + " + 1, A − P_j");
      // P_j replaced by its neighbour (a duplicated base) with A compensating exactly.
      ECPoint[] pts = e.points.clone();
      int other = (j + 1) % m;
      pts[j] = e.points[other];
      ECPoint a = e.a.add(e.points[j].multiply(e.scalars[j])).subtract(pts[j].multiply(e.scalars[j]));
      agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, pts, e.scalars, a), true, "P_" + j + " := P_" + other);
      agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, pts, e.scalars, e.a), false, "P_" + j + " := P_" + other + " alone");
      // P_j negated with its scalar negated: the same term.
      pts = e.points.clone();
      ks = e.scalars.clone();
      pts[j] = e.points[j].negate();
      ks[j] = Q.subtract(ks[j]).mod(Q);
      agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, pts, ks, e.a), true, "(−k_j)·(−P_j)");
      // The term moved into A: P_j := A and k_j := 0 (zero scalar on a duplicate of A).
      pts = e.points.clone();
      ks = e.scalars.clone();
      pts[j] = e.a;
      ks[j] = BigInteger.ZERO;
      agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, pts, ks, e.a.add(e.points[j].multiply(e.scalars[j]))),
          true, "k_" + j + " := 0, absorbed");
    }
    // A itself among the points with coefficient q − 1: A − A = O plus the rest.
    ECPoint[] pts = java.util.Arrays.copyOf(e.points, m + 1);
    BigInteger[] ks = java.util.Arrays.copyOf(e.scalars, m + 1);
    pts[m] = e.a;
    ks[m] = Q.subtract(BigInteger.ONE);
    agree(copy(e, e.gCoef, e.hCoef, e.baseG, e.baseH, pts, ks, e.a), false, "A − A, rest non-zero");
  }

  @Test
  void equalCommitmentsInOneStatementAreAccepted() {
    // V_0 = V_1 = V_2 = V_3: the verifier's Straus engine meets the same base four times.
    BigInteger r = Scalars.random(RND);
    BigInteger[] v = {BigInteger.valueOf(42), BigInteger.valueOf(42), BigInteger.valueOf(42), BigInteger.valueOf(42)};
    BigInteger[] g = {r, r, r, r};
    RangeProof p = RangeProof.prove(context("dup"), v, g, 16, RND);
    RangeProof decoded = RangeProof.fromBytes(p.toBytes(), 16, 4);
    decoded.verify(context("dup"), commit(v, g), 16);
    // Out of range with the same duplication: still refused.
    BigInteger[] bad = {BigInteger.ONE.shiftLeft(16), BigInteger.ONE.shiftLeft(16)};
    BigInteger[] gb = {r, r};
    RangeProof forged = RangeProof.proveUnchecked(context("dup2"), bad, gb, 16, RND);
    ProofException e = assertThrows(ProofException.class,
        () -> RangeProof.fromBytes(forged.toBytes(), 16, 2).verify(context("dup2"), commit(bad, gb), 16));
    assertEquals(RangeProof.INVALID, e.code());
  }

  @Test
  void batchWithTheSameProofTwiceAndOneForgery() {
    BigInteger[] v = {BigInteger.valueOf(7)};
    BigInteger[] g = blindings(1);
    RangeProof p = RangeProof.prove(context("twice"), v, g, 8, RND);
    ECPoint[] c = commit(v, g);
    RangeProof.verifyBatch(List.of(
        new RangeProof.BatchEntry(p, context("twice"), c, 8),
        new RangeProof.BatchEntry(p, context("twice"), c, 8),
        new RangeProof.BatchEntry(p, context("twice"), c, 8)), RND);
    BigInteger[] bad = {BigInteger.valueOf(256)};
    RangeProof forged = RangeProof.proveUnchecked(context("twice"), bad, g, 8, RND);
    ProofException e = assertThrows(ProofException.class, () -> RangeProof.verifyBatch(List.of(
        new RangeProof.BatchEntry(p, context("twice"), c, 8),
        new RangeProof.BatchEntry(forged, context("twice"), commit(bad, g), 8),
        new RangeProof.BatchEntry(p, context("twice"), c, 8)), RND));
    assertEquals(RangeProof.INVALID, e.code());
    assertTrue(e.getMessage().contains("[1]"), e.getMessage());
  }

  @Test
  void equalAndOppositeLAndRAreRejected() {
    BigInteger[] v = {BigInteger.valueOf(5), BigInteger.valueOf(77)};
    BigInteger[] g = blindings(2);
    RangeProof p = RangeProof.prove(context("lr-dup"), v, g, 8, RND);
    ECPoint[] c = commit(v, g);
    for (int k = 0; k < p.ls().length; k++) {
      ECPoint[] ls = p.ls();
      ECPoint[] rs = p.rs();
      ls[k] = rs[k]; // L_k = R_k
      RangeProof dup = RangeProof.fromBytes(p.withLR(ls, rs).toBytes(), 8, 2);
      assertEquals(RangeProof.INVALID,
          assertThrows(ProofException.class, () -> dup.verify(context("lr-dup"), c, 8)).code());
      ls = p.ls();
      ls[k] = rs[k].negate(); // L_k = −R_k
      RangeProof opp = RangeProof.fromBytes(p.withLR(ls, rs).toBytes(), 8, 2);
      assertEquals(RangeProof.INVALID,
          assertThrows(ProofException.class, () -> opp.verify(context("lr-dup"), c, 8)).code());
    }
    // Every L and R the same point.
    ECPoint[] all = p.ls();
    java.util.Arrays.fill(all, all[0]);
    RangeProof same = RangeProof.fromBytes(p.withLR(all, all.clone()).toBytes(), 8, 2);
    assertFalse(sameVerifies(same, c));
  }

  private static boolean sameVerifies(RangeProof p, ECPoint[] c) {
    try {
      p.verify(context("lr-dup"), c, 8);
      return true;
    } catch (ProofException e) {
      assertEquals(RangeProof.INVALID, e.code());
      return false;
    }
  }
}
