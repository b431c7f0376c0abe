package org.medledger.crypto.bulletproofs;

import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;

/**
 * The odd multiples P, 3P, 5P, …, (2^(w−1) − 1)·P of one point in affine coordinates, the
 * precomputation a width-w NAF needs. Entries are stored flat, sixteen words each (x then y).
 * Immutable after construction, hence safe to share between threads.
 */
final class PointTable {
  private final int[] data;
  /** The same entries as {@link Fe} limbs, ten longs each (x then y). */
  private final long[] limbs;
  private final int width;

  private PointTable(int[] data, int width) {
    this.data = data;
    this.limbs = Fe.pointsFromWords(data);
    this.width = width;
  }

  /** The entries as limbs, (2·index + 1)·P at {@code 10·index}; callers must not modify them. */
  long[] limbs() {
    return limbs;
  }

  int width() {
    return width;
  }

  /** The flat entries; callers must not modify them. */
  int[] data() {
    return data;
  }

  /** Copies the coordinates of (2·index + 1)·P into x and y. */
  void load(int index, int[] x, int[] y) {
    System.arraycopy(data, 16 * index, x, 0, 8);
    System.arraycopy(data, 16 * index + 8, y, 0, 8);
  }

  /** The coordinates of P itself into x and y. */
  void loadBase(int[] x, int[] y) {
    load(0, x, y);
  }

  /** The table of φ(P) = (β·x, y) = λ·P, the secp256k1 endomorphism, at the cost of one product per entry. */
  PointTable endomorphism() {
    int[] out = data.clone();
    int[] tt = new int[16];
    int[] x = new int[8];
    for (int off = 0; off < out.length; off += 16) {
      System.arraycopy(data, off, x, 0, 8);
      SecP256K1Field.multiply(x, Glv.BETA, x, tt);
      System.arraycopy(x, 0, out, off, 8);
    }
    return new PointTable(out, width);
  }

  /**
   * Builds the width-w tables of {@code count} finite affine points given flat at {@code 16·i},
   * sharing two field inversions across the whole batch.
   */
  static PointTable[] build(int[] points, int count, int width) {
    if (width < 2 || width > 8) {
      throw new IllegalArgumentException("window width must be in [2, 8]");
    }
    int entries = 1 << (width - 2);
    PointTable[] out = new PointTable[count];
    if (count == 0) {
      return out;
    }
    int[] x = new int[8];
    int[] y = new int[8];
    JacobianPoint acc = new JacobianPoint();
    // 2·P for every point, normalised together.
    int[] doubled = new int[16 * count];
    if (entries > 1) {
      int[] jac = new int[24 * count];
      for (int i = 0; i < count; i++) {
        System.arraycopy(points, 16 * i, x, 0, 8);
        System.arraycopy(points, 16 * i + 8, y, 0, 8);
        FieldOps.store(acc.setAffine(x, y).twice(), jac, i);
      }
      FieldOps.batchToAffine(jac, count, doubled, 0);
    }
    // (2k + 1)·P = (2k − 1)·P + 2·P for k ≥ 1, normalised together.
    int rest = entries - 1;
    int[] jac = new int[24 * Math.max(1, count * rest)];
    int[] dx = new int[8];
    int[] dy = new int[8];
    for (int i = 0; i < count; i++) {
      System.arraycopy(points, 16 * i, x, 0, 8);
      System.arraycopy(points, 16 * i + 8, y, 0, 8);
      System.arraycopy(doubled, 16 * i, dx, 0, 8);
      System.arraycopy(doubled, 16 * i + 8, dy, 0, 8);
      acc.setAffine(x, y);
      for (int k = 0; k < rest; k++) {
        FieldOps.store(acc.addAffine(dx, dy, false), jac, i * rest + k);
      }
    }
    int[] flat = new int[16 * count * rest];
    FieldOps.batchToAffine(jac, count * rest, flat, 0);
    for (int i = 0; i < count; i++) {
      int[] data = new int[16 * entries];
      System.arraycopy(points, 16 * i, data, 0, 16);
      System.arraycopy(flat, 16 * i * rest, data, 16, 16 * rest);
      out[i] = new PointTable(data, width);
    }
    return out;
  }
}
