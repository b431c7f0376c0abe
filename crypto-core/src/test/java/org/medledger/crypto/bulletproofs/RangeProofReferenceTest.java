package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;

/**
 * Checks proofs with a textbook verifier written independently of the optimised one: the
 * polynomial check and the inner-product argument with explicit folding of the generators
 * (Bünz et al. 2018, §3 Protocol 1 and §4.2, equations (65)–(67) in the aggregated form), using
 * BouncyCastle's point arithmetic only. This pins the protocol, not just prover–verifier
 * consistency.
 */
class RangeProofReferenceTest {
  private static final BigInteger Q = Secp256k1.ORDER;
  private static final SecureRandom RND = new SecureRandom();

  private static BigInteger md(BigInteger v) {
    return v.mod(Q);
  }

  /** Returns {polynomial check holds, inner-product check holds}. */
  static boolean[] referenceVerify(RangeProof proof, Transcript t, ECPoint[] vs, int n) {
    int m = vs.length;
    int total = n * m;
    ECPoint[] pts = proof.commitmentsOfProof();
    BigInteger[] sc = proof.scalarsOfProof();
    ECPoint a = pts[0];
    ECPoint s = pts[1];
    ECPoint t1 = pts[2];
    ECPoint t2 = pts[3];
    BigInteger tauX = sc[0];
    BigInteger mu = sc[1];
    BigInteger tHat = sc[2];
    ECPoint[] ls = proof.ls();
    ECPoint[] rs = proof.rs();

    t.appendString("bp/domain", "medledger/bulletproofs/range-proof/v1");
    t.appendLong("bp/n", n);
    t.appendLong("bp/m", m);
    for (ECPoint v : vs) {
      t.appendBytes("bp/V", v.getEncoded(true));
    }
    t.appendBytes("bp/A", a.getEncoded(true));
    t.appendBytes("bp/S", s.getEncoded(true));
    BigInteger y = t.challengeBelow("bp/y", Q);
    BigInteger z = t.challengeBelow("bp/z", Q);
    t.appendBytes("bp/T1", t1.getEncoded(true));
    t.appendBytes("bp/T2", t2.getEncoded(true));
    BigInteger x = t.challengeBelow("bp/x", Q);
    t.appendBytes("bp/tau_x", Secp256k1.encodeScalar(tauX));
    t.appendBytes("bp/mu", Secp256k1.encodeScalar(mu));
    t.appendBytes("bp/t_hat", Secp256k1.encodeScalar(tHat));
    BigInteger w = t.challengeBelow("bp/w", Q);
    BigInteger[] u = new BigInteger[ls.length];
    for (int k = 0; k < ls.length; k++) {
      t.appendBytes("bp/L", ls[k].getEncoded(true));
      t.appendBytes("bp/R", rs[k].getEncoded(true));
      u[k] = t.challengeBelow("bp/u", Q);
    }

    // Polynomial check: t̂·G + τ_x·H = Σ_j z^(2+j)·V_j + δ(y,z)·G + x·T1 + x²·T2.
    BigInteger sumY = BigInteger.ZERO;
    for (int i = 0; i < total; i++) {
      sumY = sumY.add(y.modPow(BigInteger.valueOf(i), Q));
    }
    BigInteger sum2 = BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE);
    BigInteger delta = md(z.subtract(z.pow(2)).multiply(sumY));
    for (int j = 0; j < m; j++) {
      delta = md(delta.subtract(z.modPow(BigInteger.valueOf(3 + j), Q).multiply(sum2)));
    }
    ECPoint lhs = Secp256k1.G.multiply(tHat).add(Secp256k1.H.multiply(tauX));
    ECPoint rhs = Secp256k1.G.multiply(delta).add(t1.multiply(x)).add(t2.multiply(md(x.multiply(x))));
    for (int j = 0; j < m; j++) {
      rhs = rhs.add(vs[j].multiply(z.modPow(BigInteger.valueOf(2 + j), Q)));
    }
    boolean poly = lhs.normalize().equals(rhs.normalize());

    // Inner-product argument with explicit folding.
    BulletproofGenerators gens = BulletproofGenerators.standard();
    BigInteger yInv = y.modInverse(Q);
    ECPoint[] g = new ECPoint[total];
    ECPoint[] h = new ECPoint[total];
    ECPoint p = a.add(s.multiply(x)).add(Secp256k1.H.multiply(md(mu.negate())));
    ECPoint qBase = Secp256k1.G.multiply(w);
    p = p.add(qBase.multiply(tHat));
    for (int i = 0; i < total; i++) {
      int j = i / n;
      g[i] = gens.g(i);
      h[i] = gens.h(i).multiply(yInv.modPow(BigInteger.valueOf(i), Q)); // H'_i
      BigInteger zeta = z.modPow(BigInteger.valueOf(2 + j), Q).shiftLeft(i % n);
      BigInteger hCoef = md(z.multiply(y.modPow(BigInteger.valueOf(i), Q)).add(zeta));
      p = p.add(g[i].multiply(md(z.negate()))).add(h[i].multiply(hCoef));
    }
    int size = total;
    for (int k = 0; k < u.length; k++) {
      BigInteger ui = u[k].modInverse(Q);
      p = p.add(ls[k].multiply(md(u[k].multiply(u[k])))).add(rs[k].multiply(md(ui.multiply(ui))));
      int half = size / 2;
      ECPoint[] ng = new ECPoint[half];
      ECPoint[] nh = new ECPoint[half];
      for (int i = 0; i < half; i++) {
        ng[i] = g[i].multiply(ui).add(g[half + i].multiply(u[k]));
        nh[i] = h[i].multiply(u[k]).add(h[half + i].multiply(ui));
      }
      g = ng;
      h = nh;
      size = half;
    }
    BigInteger af = sc[3];
    BigInteger bf = sc[4];
    ECPoint expected = g[0].multiply(af).add(h[0].multiply(bf)).add(qBase.multiply(md(af.multiply(bf))));
    boolean ipa = p.normalize().equals(expected.normalize());
    return new boolean[] {poly, ipa};
  }

  private static Transcript ctx() {
    return new Transcript("medledger/test/reference").appendString("context", "ref");
  }

  @Test
  void honestProofsPassTheTextbookChecks() {
    for (int[] nm : new int[][] {{8, 2}, {16, 1}, {8, 4}}) {
      int n = nm[0];
      int m = nm[1];
      BigInteger[] v = RangeProofTest.values(n, m);
      BigInteger[] gamma = RangeProofTest.blindings(m);
      RangeProof proof = RangeProof.prove(ctx(), v, gamma, n, RND);
      boolean[] ok = referenceVerify(proof, ctx(), RangeProofTest.commit(v, gamma), n);
      assertTrue(ok[0], "polynomial check, n=" + n + " m=" + m);
      assertTrue(ok[1], "inner-product check, n=" + n + " m=" + m);
    }
  }

  @Test
  void outOfRangeProofFailsOnlyThePolynomialCheck() {
    BigInteger[] v = {BigInteger.valueOf(3), BigInteger.ONE.shiftLeft(8)};
    BigInteger[] gamma = RangeProofTest.blindings(2);
    RangeProof proof = RangeProof.proveUnchecked(ctx(), v, gamma, 8, RND);
    boolean[] ok = referenceVerify(proof, ctx(), RangeProofTest.commit(v, gamma), 8);
    assertFalse(ok[0]);
    assertTrue(ok[1]);
    assertEquals(2, ok.length);
  }
}
