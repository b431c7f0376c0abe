package org.medledger.crypto.bulletproofs;

import java.util.Arrays;

/**
 * Many independent affine additions and doublings at once, sharing one field inversion
 * (Montgomery's trick): each operation then costs five multiplications and a squaring, against
 * eleven for a mixed Jacobian addition. Used by the bucket method and by the lock-step
 * multi-exponentiation.
 *
 * <p>Operands live in {@link Slots}: fixed arrays of affine points, each possibly empty (the point
 * at infinity). An operation on a slot is queued and takes effect at {@link #flush()}; a slot may
 * have at most one queued operation at a time, which callers guarantee. Exceptional cases
 * (adding a point to itself or to its negation, empty slots) are resolved exactly. Not
 * thread-safe.
 *
 * <p>Coordinates are {@link Fe} limbs in weak form; operands are read from the eight-word
 * layout of the precomputed tables.
 */
final class AffineBatch {
  /** A fixed number of affine points, each possibly empty. */
  static final class Slots {
    final long[][] x;
    final long[][] y;
    final boolean[] empty;

    Slots(int count) {
      x = new long[count][5];
      y = new long[count][5];
      empty = new boolean[count];
      Arrays.fill(empty, true);
    }

    /** Copies the affine point in limbs at {@code src[off..off+10)} into slot i. */
    void set(int i, long[] src, int off, boolean negate) {
      System.arraycopy(src, off, x[i], 0, 5);
      System.arraycopy(src, off + 5, y[i], 0, 5);
      if (negate) {
        Fe.negate(y[i], y[i]);
      }
      empty[i] = false;
    }

    /** Copies the affine point at {@code src[off..off+16)} (x then y) into slot i. */
    void set(int i, int[] src, int off, boolean negate) {
      Fe.fromWords(src, off, x[i]);
      Fe.fromWords(src, off + 8, y[i]);
      if (negate) {
        Fe.negate(y[i], y[i]);
      }
      empty[i] = false;
    }
  }

  private final int capacity;
  private int size;
  private final Slots[] target;
  private final int[] slot;
  private final long[][] x2; // the second operand's x (for x3 = λ² − x1 − x2)
  private final long[][] num; // λ numerator
  private final long[][] den; // λ denominator
  private final long[][] prefix; // prefix[k] = den_0 ·…· den_(k−1)

  private final long[] yb = new long[5];
  private final long[] t0 = new long[5];
  private final long[] t1 = new long[5];
  private final long[] inv = new long[5];

  AffineBatch(int capacity) {
    this.capacity = capacity;
    target = new Slots[capacity];
    slot = new int[capacity];
    x2 = new long[capacity][5];
    num = new long[capacity][5];
    den = new long[capacity][5];
    prefix = new long[capacity + 1][5];
    Fe.setOne(prefix[0]);
  }

  /**
   * Queues s[i] ← s[i] + (x, ±y) where (x, y) is the affine point at {@code src[off..off+16)}.
   * Returns true when the batch is full and must be flushed before queueing more.
   */
  boolean queueAdd(Slots s, int i, int[] src, int off, boolean negate) {
    if (s.empty[i]) {
      s.set(i, src, off, negate);
      return size == capacity;
    }
    long[] xb = x2[size];
    Fe.fromWords(src, off, xb);
    Fe.fromWords(src, off + 8, yb);
    if (negate) {
      Fe.negate(yb, yb);
    }
    return queue(s, i, xb, yb);
  }

  /** As {@link #queueAdd(Slots, int, int[], int, boolean)}, the point in limbs at {@code src[off..off+10)}. */
  boolean queueAdd(Slots s, int i, long[] src, int off, boolean negate) {
    if (s.empty[i]) {
      s.set(i, src, off, negate);
      return size == capacity;
    }
    long[] xb = x2[size];
    System.arraycopy(src, off, xb, 0, 5);
    System.arraycopy(src, off + 5, yb, 0, 5);
    if (negate) {
      Fe.negate(yb, yb);
    }
    return queue(s, i, xb, yb);
  }

  /** Second operand in x2[size] (== xb) and yb. */
  private boolean queue(Slots s, int i, long[] xb, long[] ybv) {
    long[] x1 = s.x[i];
    long[] y1 = s.y[i];
    long[] dn = den[size];
    Fe.sub(xb, x1, dn); // x2 − x1
    if (Fe.isZero(dn)) {
      if (Fe.equal(y1, ybv)) {
        return queueDouble(s, i); // same point
      }
      s.empty[i] = true; // opposite points
      return size == capacity;
    }
    Fe.sub(ybv, y1, num[size]); // y2 − y1
    target[size] = s;
    slot[size] = i;
    size++;
    return size == capacity;
  }

  /** Queues s[i] ← 2·s[i]: λ = 3·x1² / (2·y1). Returns true when the batch is full. */
  boolean queueDouble(Slots s, int i) {
    if (s.empty[i]) {
      return size == capacity;
    }
    long[] x1 = s.x[i];
    // y1 ≠ 0 on secp256k1 (no point of order two), so the denominator is invertible.
    Fe.twice(s.y[i], den[size]);
    Fe.sqr(x1, t0);
    long[] nm = num[size];
    Fe.twice(t0, nm);
    Fe.add(nm, t0, nm);
    Fe.copy(x1, x2[size]);
    target[size] = s;
    slot[size] = i;
    size++;
    return size == capacity;
  }

  /** Performs every queued operation. */
  void flush() {
    int n = size;
    if (n == 0) {
      return;
    }
    for (int k = 0; k < n; k++) {
      Fe.mul(prefix[k], den[k], prefix[k + 1]);
    }
    Fe.invVar(prefix[n], inv); // (den_0 · … · den_{n−1})⁻¹
    for (int k = n - 1; k >= 0; k--) {
      Fe.mul(inv, prefix[k], t0); // den_k⁻¹
      Fe.mul(inv, den[k], inv);
      Fe.mul(num[k], t0, t0); // λ
      Slots s = target[k];
      int i = slot[k];
      long[] x1 = s.x[i];
      long[] y1 = s.y[i];
      Fe.sqr(t0, t1);
      Fe.sub(t1, x1, t1);
      Fe.sub(t1, x2[k], t1); // x3 = λ² − x1 − x2
      Fe.sub(x1, t1, x1);
      Fe.mul(x1, t0, x1);
      Fe.sub(x1, y1, y1); // y3 = λ·(x1 − x3) − y1
      Fe.copy(t1, x1);
      target[k] = null;
    }
    size = 0;
  }
}
