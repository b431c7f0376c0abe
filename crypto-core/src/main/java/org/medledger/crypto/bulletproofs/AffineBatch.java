package org.medledger.crypto.bulletproofs;

import java.util.Arrays;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Nat256;

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
 */
final class AffineBatch {
  /** A fixed number of affine points, each possibly empty. */
  static final class Slots {
    final int[][] x;
    final int[][] y;
    final boolean[] empty;

    Slots(int count) {
      x = new int[count][8];
      y = new int[count][8];
      empty = new boolean[count];
      Arrays.fill(empty, true);
    }

    /** Copies the affine point at {@code src[off..off+16)} (x then y) into slot i. */
    void set(int i, int[] src, int off, boolean negate) {
      System.arraycopy(src, off, x[i], 0, 8);
      System.arraycopy(src, off + 8, y[i], 0, 8);
      if (negate) {
        SecP256K1Field.negate(y[i], y[i]);
      }
      empty[i] = false;
    }
  }

  private final int capacity;
  private int size;
  private final Slots[] target;
  private final int[] slot;
  private final int[][] x2; // the second operand's x (for x3 = λ² − x1 − x2)
  private final int[][] num; // λ numerator
  private final int[][] den; // λ denominator
  private final int[][] prefix; // prefix[k] = den_0 ·…· den_(k−1)

  private final int[] yb = new int[8];
  private final int[] t0 = new int[8];
  private final int[] t1 = new int[8];
  private final int[] inv = new int[8];
  private final int[] tt = new int[16];

  AffineBatch(int capacity) {
    this.capacity = capacity;
    target = new Slots[capacity];
    slot = new int[capacity];
    x2 = new int[capacity][8];
    num = new int[capacity][8];
    den = new int[capacity][8];
    prefix = new int[capacity + 1][8];
    Nat256.copy(FieldOps.ONE, prefix[0]);
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
    int[] xb = x2[size];
    System.arraycopy(src, off, xb, 0, 8);
    System.arraycopy(src, off + 8, yb, 0, 8);
    if (negate) {
      SecP256K1Field.negate(yb, yb);
    }
    return queue(s, i, xb, yb);
  }

  /** Second operand in x2[size] (== xb) and yb. */
  private boolean queue(Slots s, int i, int[] xb, int[] ybv) {
    int[] x1 = s.x[i];
    int[] y1 = s.y[i];
    int[] dn = den[size];
    SecP256K1Field.subtract(xb, x1, dn); // x2 − x1
    if (Nat256.isZero(dn)) {
      if (Nat256.eq(y1, ybv)) {
        return queueDouble(s, i); // same point
      }
      s.empty[i] = true; // opposite points
      return size == capacity;
    }
    SecP256K1Field.subtract(ybv, y1, num[size]); // y2 − y1
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
    int[] x1 = s.x[i];
    // y1 ≠ 0 on secp256k1 (no point of order two), so the denominator is invertible.
    SecP256K1Field.twice(s.y[i], den[size]);
    SecP256K1Field.square(x1, t0, tt);
    int[] nm = num[size];
    SecP256K1Field.twice(t0, nm);
    SecP256K1Field.add(nm, t0, nm);
    Nat256.copy(x1, x2[size]);
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
      SecP256K1Field.multiply(prefix[k], den[k], prefix[k + 1], tt);
    }
    SecP256K1Field.inv(prefix[n], inv); // (den_0 · … · den_{n−1})⁻¹
    for (int k = n - 1; k >= 0; k--) {
      SecP256K1Field.multiply(inv, prefix[k], t0, tt); // den_k⁻¹
      SecP256K1Field.multiply(inv, den[k], inv, tt);
      SecP256K1Field.multiply(num[k], t0, t0, tt); // λ
      Slots s = target[k];
      int i = slot[k];
      int[] x1 = s.x[i];
      int[] y1 = s.y[i];
      SecP256K1Field.square(t0, t1, tt);
      SecP256K1Field.subtract(t1, x1, t1);
      SecP256K1Field.subtract(t1, x2[k], t1); // x3 = λ² − x1 − x2
      SecP256K1Field.subtract(x1, t1, x1);
      SecP256K1Field.multiply(x1, t0, x1, tt);
      SecP256K1Field.subtract(x1, y1, y1); // y3 = λ·(x1 − x3) − y1
      Nat256.copy(t1, x1);
      target[k] = null;
    }
    size = 0;
  }
}
