package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;

/**
 * The points 2^(8t)·P for t = 0…32 of one long-lived base P, in affine coordinates: with them a
 * scalar written in signed radix 2^8, k = Σ d_t·2^(8t) with |d_t| ≤ 128, turns Σ k_i·P_i into a
 * single pass of the bucket method with no doublings ({@link BucketMultiExp}). Immutable.
 */
final class ShiftTable {
  static final int RADIX_BITS = 8;
  static final int DIGITS = 33;

  private final int[] data;
  /** The same points as {@link Fe} limbs, ten longs each (x then y), for the bucket method. */
  private final long[] limbs;

  private ShiftTable(int[] data) {
    this.data = data;
    this.limbs = Fe.pointsFromWords(data);
  }

  int[] data() {
    return data;
  }

  /** The points as limbs; callers must not modify them. */
  long[] limbs() {
    return limbs;
  }

  /** Offset of 2^(8t)·P in {@link #limbs()}. */
  int limbOffset(int t) {
    return 10 * t;
  }

  /** Writes the affine coordinates of P itself. */
  void loadBase(int[] x, int[] y) {
    System.arraycopy(data, 0, x, 0, 8);
    System.arraycopy(data, 8, y, 0, 8);
  }

  /** Affine coordinates of 2^(8t)·P, flat at {@code 16·t}. */
  int offset(int t) {
    return 16 * t;
  }

  /** Builds the tables of {@code count} affine points given flat at {@code 16·i}. */
  static ShiftTable[] build(int[] points, int count) {
    ShiftTable[] out = new ShiftTable[count];
    int rest = DIGITS - 1;
    int[] jac = new int[24 * Math.max(1, count * rest)];
    JacobianPoint acc = new JacobianPoint();
    int[] x = new int[8];
    int[] y = new int[8];
    for (int i = 0; i < count; i++) {
      System.arraycopy(points, 16 * i, x, 0, 8);
      System.arraycopy(points, 16 * i + 8, y, 0, 8);
      acc.setAffine(x, y);
      for (int t = 0; t < rest; t++) {
        for (int d = 0; d < RADIX_BITS; d++) {
          acc.twice();
        }
        FieldOps.store(acc, jac, i * rest + t);
      }
    }
    int[] flat = new int[16 * Math.max(1, count * rest)];
    FieldOps.batchToAffine(jac, count * rest, flat, 0);
    for (int i = 0; i < count; i++) {
      int[] data = new int[16 * DIGITS];
      System.arraycopy(points, 16 * i, data, 0, 16);
      System.arraycopy(flat, 16 * i * rest, data, 16, 16 * rest);
      out[i] = new ShiftTable(data);
    }
    return out;
  }

  /**
   * Signed radix-2^8 digits of k ∈ [0, 2^256): k = Σ d_t·2^(8t), d_t ∈ [−127, 128], the last digit
   * in {0, 1}.
   */
  static int[] digits(BigInteger k) {
    if (k.signum() < 0 || k.bitLength() > 256) {
      throw new IllegalArgumentException("scalar out of range");
    }
    byte[] be = k.toByteArray();
    int[] out = new int[DIGITS];
    int carry = 0;
    for (int t = 0; t < DIGITS - 1; t++) {
      int idx = be.length - 1 - t;
      int v = (idx >= 0 ? be[idx] & 0xFF : 0) + carry;
      if (v > 128) {
        out[t] = v - 256;
        carry = 1;
      } else {
        out[t] = v;
        carry = 0;
      }
    }
    out[DIGITS - 1] = carry;
    return out;
  }
}
