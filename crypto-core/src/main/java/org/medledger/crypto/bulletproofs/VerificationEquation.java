package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.ec.Secp256k1;

/**
 * One range proof's verification equation after the transcript replay (docs/protocol.md §4.2,
 * Verifier): the proof is valid exactly when A + Σ k_j·P_j + Σ_i (g_i·G_i + h_i·H_i) + g·G + h·H
 * is the point at infinity, where P_j are the per-proof points S, T₁, T₂, V_j, L_k, R_k. Holds
 * only public values. Immutable after construction by {@link RangeProof}.
 */
final class VerificationEquation {
  /** Coefficients of G_i and H_i, i &lt; N = n·m. */
  final BigInteger[] gCoef;
  final BigInteger[] hCoef;
  /** Coefficients of the value base G and the blinding base H. */
  final BigInteger baseG;
  final BigInteger baseH;
  /** The per-proof points and their coefficients. */
  final ECPoint[] points;
  final BigInteger[] scalars;
  /** The point A, with coefficient one. */
  final ECPoint a;
  private final Polynomial polynomial;

  /** The values of the polynomial check, kept to name the failed check on the failure path. */
  static final class Polynomial {
    private final ECPoint[] vs;
    private final BigInteger xc;
    private final BigInteger[] zPow;
    private final BigInteger delta;
    private final BigInteger tHat;
    private final BigInteger tauX;
    private final ECPoint t1;
    private final ECPoint t2;

    Polynomial(
        ECPoint[] vs, BigInteger xc, BigInteger[] zPow, BigInteger delta, BigInteger tHat,
        BigInteger tauX, ECPoint t1, ECPoint t2) {
      this.vs = vs;
      this.xc = xc;
      this.zPow = zPow;
      this.delta = delta;
      this.tHat = tHat;
      this.tauX = tauX;
      this.t1 = t1;
      this.t2 = t2;
    }
  }

  VerificationEquation(
      BigInteger[] gCoef, BigInteger[] hCoef, BigInteger baseG, BigInteger baseH,
      ECPoint[] points, BigInteger[] scalars, ECPoint a, Polynomial polynomial) {
    this.polynomial = polynomial;
    this.gCoef = gCoef;
    this.hCoef = hCoef;
    this.baseG = baseG;
    this.baseH = baseH;
    this.points = points;
    this.scalars = scalars;
    this.a = a;
  }

  int size() {
    return gCoef.length;
  }

  /** Whether the equation holds: the fixed generators by the bucket method, the rest by Straus. */
  boolean holds() {
    BulletproofGenerators gens = BulletproofGenerators.standard();
    ShiftTable[] gs = gens.shiftsG(size());
    ShiftTable[] hs = gens.shiftsH(size());
    BucketMultiExp fixed = new BucketMultiExp(1);
    for (int i = 0; i < size(); i++) {
      fixed.add(0, gs[i], gCoef[i]);
      fixed.add(0, hs[i], hCoef[i]);
    }
    fixed.add(0, gens.valueBase().shifts, baseG);
    fixed.add(0, gens.blindingBase().shifts, baseH);
    Base[] bases = Base.dynamic(Base.flatten(points), points.length);
    MultiExp me = new MultiExp(2 * points.length);
    for (int i = 0; i < points.length; i++) {
      bases[i].addTo(me, scalars[i]);
    }
    JacobianPoint sum = me.evaluate();
    sum.add(fixed.evaluate()[0]);
    int[][] axy = FieldOps.affine(a);
    sum.addAffine(axy[0], axy[1], false);
    return sum.infinity;
  }

  /**
   * Names the failed check once the equation has failed, by evaluating the polynomial check
   * t̂·G + τ_x·H = Σ z^(2+j)·V_j + δ·G + x·T1 + x²·T2 on its own (failure path only).
   */
  String diagnose() {
    Polynomial q = polynomial;
    int k = q.vs.length + 4;
    ECPoint[] p = new ECPoint[k];
    BigInteger[] e = new BigInteger[k];
    p[0] = Secp256k1.G;
    e[0] = Scalars.sub(q.tHat, q.delta);
    p[1] = Secp256k1.H;
    e[1] = q.tauX;
    p[2] = q.t1;
    e[2] = Scalars.neg(q.xc);
    p[3] = q.t2;
    e[3] = Scalars.neg(Scalars.mul(q.xc, q.xc));
    for (int j = 0; j < q.vs.length; j++) {
      p[4 + j] = q.vs[j];
      e[4 + j] = Scalars.neg(q.zPow[2 + j]);
    }
    boolean polynomialHolds = ECAlgorithms.sumOfMultiplies(p, e).isInfinity();
    return polynomialHolds
        ? "inner-product argument check failed (batched verification equation)"
        : "polynomial check t̂ = t(x) against the commitments failed (batched verification equation)";
  }
}
