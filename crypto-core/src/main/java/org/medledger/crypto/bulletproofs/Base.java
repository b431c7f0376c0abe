package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A point prepared for multi-exponentiation: wNAF tables for two "halves" of the point so that
 * every 256-bit scalar becomes two scalars of about 128 bits and the multi-exponentiation needs
 * only about 128 doublings.
 *
 * <ul>
 *   <li>Fixed bases (the Bulletproof generators, G and H) are long-lived: they keep wide (w = 8)
 *       tables of P and of 2^128·P, and a scalar k is split by bits, k = k_lo + 2^128·k_hi, which
 *       costs nothing per use.
 *   <li>Per-proof bases (A, S, T₁, T₂, V_j, L_k, R_k, folded generators) get narrow (w = 5)
 *       tables of P and φ(P) = λ·P, and a scalar is split with the GLV decomposition.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class Base {
  static final int FIXED_WIDTH = 8;
  static final int DYNAMIC_WIDTH = 5;
  private static final BigInteger LOW_MASK = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private final PointTable first;
  private final PointTable second;
  private final boolean glv;

  private Base(PointTable first, PointTable second, boolean glv) {
    this.first = first;
    this.second = second;
    this.glv = glv;
  }

  /** Affine x-coordinate of the point (a copy). */
  int[] x() {
    int[] x = new int[8];
    first.loadBase(x, new int[8]);
    return x;
  }

  /** Affine y-coordinate of the point (a copy). */
  int[] y() {
    int[] y = new int[8];
    first.loadBase(new int[8], y);
    return y;
  }

  /** Writes the affine coordinates of the point. */
  void loadAffine(int[] x, int[] y) {
    first.loadBase(x, y);
  }

  ECPoint toEcPoint() {
    int[] x = new int[8];
    int[] y = new int[8];
    first.loadBase(x, y);
    return FieldOps.toEcPoint(x, y);
  }

  /** A scalar recoded for one kind of base: two wNAF digit strings and their signs. */
  static final class Recoded {
    final boolean glv;
    final byte[] first;
    final boolean firstNegative;
    final byte[] second;
    final boolean secondNegative;

    private Recoded(boolean glv, byte[] first, boolean firstNeg, byte[] second, boolean secondNeg) {
      this.glv = glv;
      this.first = first;
      this.firstNegative = firstNeg;
      this.second = second;
      this.secondNegative = secondNeg;
    }
  }

  /** Recodes k ∈ [0, q) for long-lived bases: k = k_lo + 2^128·k_hi. */
  static Recoded recodeFixed(BigInteger k) {
    BigInteger lo = k.and(LOW_MASK);
    BigInteger hi = k.shiftRight(128);
    return new Recoded(
        false,
        lo.signum() == 0 ? null : Wnaf.of(lo, FIXED_WIDTH),
        false,
        hi.signum() == 0 ? null : Wnaf.of(hi, FIXED_WIDTH),
        false);
  }

  /** Recodes k ∈ [0, q) for per-proof bases: k ≡ k₁ + k₂·λ (mod q). */
  static Recoded recodeDynamic(BigInteger k) {
    BigInteger[] ab = Glv.split(k);
    return new Recoded(
        true,
        ab[0].signum() == 0 ? null : Wnaf.of(ab[0].abs(), DYNAMIC_WIDTH),
        ab[0].signum() < 0,
        ab[1].signum() == 0 ? null : Wnaf.of(ab[1].abs(), DYNAMIC_WIDTH),
        ab[1].signum() < 0);
  }

  boolean isFixed() {
    return !glv;
  }

  /** Recodes k for this kind of base. */
  Recoded recode(BigInteger k) {
    return glv ? recodeDynamic(k) : recodeFixed(k);
  }

  /** Adds k·P to a multi-exponentiation, k given recoded for this kind of base. */
  void addTo(TermSink me, Recoded k) {
    if (k.glv != glv) {
      throw new IllegalArgumentException("scalar recoded for the other kind of base");
    }
    if (k.first != null) {
      me.add(first, k.first, k.firstNegative);
    }
    if (k.second != null) {
      me.add(second, k.second, k.secondNegative);
    }
  }

  /** Adds k·P (k in [0, q)) to a multi-exponentiation. */
  void addTo(TermSink me, BigInteger k) {
    if (k.signum() != 0) {
      addTo(me, recode(k));
    }
  }

  /**
   * Long-lived bases for {@code count} affine points given flat at {@code 16·i}; 2^128·P is taken
   * from the points' shift tables.
   */
  static Base[] fixed(int[] points, ShiftTable[] shifts, int count) {
    int[] shifted = new int[16 * Math.max(1, count)];
    int t = 128 / ShiftTable.RADIX_BITS;
    for (int i = 0; i < count; i++) {
      System.arraycopy(shifts[i].data(), shifts[i].offset(t), shifted, 16 * i, 16);
    }
    PointTable[] lo = PointTable.build(points, count, FIXED_WIDTH);
    PointTable[] hi = PointTable.build(shifted, count, FIXED_WIDTH);
    Base[] out = new Base[count];
    for (int i = 0; i < count; i++) {
      out[i] = new Base(lo[i], hi[i], false);
    }
    return out;
  }

  /** Per-proof bases for {@code count} affine points given flat at {@code 16·i}. */
  static Base[] dynamic(int[] points, int count) {
    PointTable[] t = PointTable.build(points, count, DYNAMIC_WIDTH);
    Base[] out = new Base[count];
    for (int i = 0; i < count; i++) {
      out[i] = new Base(t[i], t[i].endomorphism(), true);
    }
    return out;
  }

  /** Flat affine coordinates of BouncyCastle points (which must be finite). */
  static int[] flatten(ECPoint... points) {
    int[] flat = new int[16 * points.length];
    for (int i = 0; i < points.length; i++) {
      int[][] xy = FieldOps.affine(points[i]);
      System.arraycopy(xy[0], 0, flat, 16 * i, 8);
      System.arraycopy(xy[1], 0, flat, 16 * i + 8, 8);
    }
    return flat;
  }
}
