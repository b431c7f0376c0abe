package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A point prepared for Straus multi-exponentiation: wNAF tables for several "pieces" of the
 * point so that a 256-bit scalar becomes several short scalars sharing one short doubling chain.
 *
 * <ul>
 *   <li>Fixed bases (the Bulletproof generators, G and H) are long-lived: they keep width-7
 *       tables of 2^(32t)·P for t = 0…7 (taken from their {@link ShiftTable}), and a scalar is
 *       split by bits into eight 32-bit pieces, which costs nothing per use. A multi-exponentiation
 *       over them needs only 32 doublings, which matters when the inner-product prover forms
 *       dozens of small combinations of generators.
 *   <li>Per-proof bases (S, T₁, T₂, V_j, L_k, R_k, folded generators) get width-5 or width-6
 *       tables of P and φ(P) = λ·P, and a scalar is split with the GLV decomposition into two
 *       halves of about 128 bits.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class Base {
  static final int FIXED_PIECES = 8;
  static final int FIXED_PIECE_BITS = 256 / FIXED_PIECES;
  static final int FIXED_WIDTH = 7;
  /** Window for per-proof bases used once (the verifier's). */
  static final int DYNAMIC_WIDTH = 5;
  /** Window for per-proof bases used in several rounds (the inner-product prover's). */
  static final int REUSED_WIDTH = 6;
  private static final BigInteger PIECE_MASK =
      BigInteger.ONE.shiftLeft(FIXED_PIECE_BITS).subtract(BigInteger.ONE);

  private final PointTable[] tables;
  private final boolean glv;
  private final int width;

  private Base(PointTable[] tables, boolean glv) {
    this.tables = tables;
    this.glv = glv;
    this.width = tables[0].width();
  }

  /** Writes the affine coordinates of the point. */
  void loadAffine(int[] x, int[] y) {
    tables[0].loadBase(x, y);
  }

  ECPoint toEcPoint() {
    int[] x = new int[8];
    int[] y = new int[8];
    loadAffine(x, y);
    return FieldOps.toEcPoint(x, y);
  }

  /** A scalar recoded for one kind of base: one wNAF digit string and sign per piece. */
  static final class Recoded {
    final boolean glv;
    final int width;
    final byte[][] digits;
    final boolean[] negative;

    private Recoded(boolean glv, int width, byte[][] digits, boolean[] negative) {
      this.glv = glv;
      this.width = width;
      this.digits = digits;
      this.negative = negative;
    }
  }

  /** Recodes k ∈ [0, q) for long-lived bases: k = Σ_t k_t·2^(32t). */
  static Recoded recodeFixed(BigInteger k) {
    byte[][] d = new byte[FIXED_PIECES][];
    for (int t = 0; t < FIXED_PIECES; t++) {
      BigInteger piece = k.shiftRight(FIXED_PIECE_BITS * t).and(PIECE_MASK);
      d[t] = piece.signum() == 0 ? null : Wnaf.of(piece, FIXED_WIDTH);
    }
    return new Recoded(false, FIXED_WIDTH, d, new boolean[FIXED_PIECES]);
  }

  /** Recodes k ∈ [0, q) for per-proof bases of window {@code width}: k ≡ k₁ + k₂·λ (mod q). */
  static Recoded recodeDynamic(BigInteger k, int width) {
    BigInteger[] ab = Glv.split(k);
    byte[][] d = new byte[2][];
    boolean[] neg = new boolean[2];
    for (int t = 0; t < 2; t++) {
      d[t] = ab[t].signum() == 0 ? null : Wnaf.of(ab[t].abs(), width);
      neg[t] = ab[t].signum() < 0;
    }
    return new Recoded(true, width, d, neg);
  }

  /** Recodes k for this kind of base. */
  Recoded recode(BigInteger k) {
    return glv ? recodeDynamic(k, width) : recodeFixed(k);
  }

  /** Adds k·P to a multi-exponentiation, k given recoded for this kind of base. */
  void addTo(TermSink me, Recoded k) {
    if (k.glv != glv || k.width != width) {
      throw new IllegalArgumentException("scalar recoded for another kind of base");
    }
    for (int t = 0; t < tables.length; t++) {
      if (k.digits[t] != null) {
        me.add(tables[t], k.digits[t], k.negative[t]);
      }
    }
  }

  /** Adds k·P (k in [0, q)) to a multi-exponentiation. */
  void addTo(TermSink me, BigInteger k) {
    if (k.signum() != 0) {
      addTo(me, recode(k));
    }
  }

  /** Long-lived bases for points with the given shift tables (which hold 2^(8s)·P). */
  static Base[] fixed(ShiftTable[] shifts, int count) {
    int step = FIXED_PIECE_BITS / ShiftTable.RADIX_BITS;
    int[] pieces = new int[16 * Math.max(1, count * FIXED_PIECES)];
    for (int i = 0; i < count; i++) {
      for (int t = 0; t < FIXED_PIECES; t++) {
        System.arraycopy(shifts[i].data(), shifts[i].offset(step * t), pieces, 16 * (i * FIXED_PIECES + t), 16);
      }
    }
    PointTable[] all = PointTable.build(pieces, count * FIXED_PIECES, FIXED_WIDTH);
    Base[] out = new Base[count];
    for (int i = 0; i < count; i++) {
      PointTable[] t = new PointTable[FIXED_PIECES];
      System.arraycopy(all, i * FIXED_PIECES, t, 0, FIXED_PIECES);
      out[i] = new Base(t, false);
    }
    return out;
  }

  /** Per-proof bases for {@code count} affine points given flat at {@code 16·i}. */
  static Base[] dynamic(int[] points, int count) {
    return dynamic(points, count, DYNAMIC_WIDTH);
  }

  /** Per-proof bases with wNAF window {@code width}. */
  static Base[] dynamic(int[] points, int count, int width) {
    PointTable[] t = PointTable.build(points, count, width);
    Base[] out = new Base[count];
    for (int i = 0; i < count; i++) {
      out[i] = new Base(new PointTable[] {t[i], t[i].endomorphism()}, true);
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
