package org.medledger.crypto.bulletproofs;

/**
 * A mutable secp256k1 point in Jacobian coordinates (x = X/Z², y = Y/Z³), with allocation-free
 * doubling and addition on the five-limb field arithmetic of {@link Fe} (coordinates in weak
 * form). Affine operands come as eight 32-bit words (the layout of the precomputed tables) or as
 * {@link Fe} limbs.
 *
 * <p>Only the multi-exponentiation engine uses this class; it exists because the generic {@code
 * ECPoint} API allocates several objects per group operation, which dominated the cost of a
 * Bulletproof. All exceptional cases of the addition law (equal points, opposite points,
 * infinity) are handled, so adversarially chosen inputs cannot steer the result. Operations are
 * variable-time. Not thread-safe: every instance owns its scratch space.
 */
final class JacobianPoint {
  final long[] x = new long[5];
  final long[] y = new long[5];
  final long[] z = new long[5];
  boolean infinity = true;

  private final long[] t1 = new long[5];
  private final long[] t2 = new long[5];
  private final long[] t3 = new long[5];
  private final long[] t4 = new long[5];
  private final long[] t5 = new long[5];
  private final long[] ax = new long[5];
  private final long[] ay = new long[5];

  JacobianPoint setInfinity() {
    infinity = true;
    return this;
  }

  /** Sets this to the affine point given as eight-word coordinates. */
  JacobianPoint setAffine(int[] wx, int[] wy) {
    Fe.fromWords(wx, 0, x);
    Fe.fromWords(wy, 0, y);
    Fe.setOne(z);
    infinity = false;
    return this;
  }

  JacobianPoint set(JacobianPoint p) {
    if (p.infinity) {
      infinity = true;
      return this;
    }
    Fe.copy(p.x, x);
    Fe.copy(p.y, y);
    Fe.copy(p.z, z);
    infinity = false;
    return this;
  }

  /** this ← 2·this (dbl-2009-l for a = 0: 2M + 5S). */
  JacobianPoint twice() {
    if (infinity) {
      return this;
    }
    // secp256k1 has prime order, so no point other than infinity has y = 0.
    Fe.mul(y, z, z);
    Fe.twice(z, z); // Z3 = 2·Y1·Z1
    Fe.sqr(x, t1); // A = X1²
    Fe.sqr(y, t2); // B = Y1²
    Fe.sqr(t2, t3); // C = B²
    Fe.add(x, t2, t4);
    Fe.sqr(t4, t4);
    Fe.sub(t4, t1, t4);
    Fe.sub(t4, t3, t4);
    Fe.twice(t4, t4); // D = 2·((X1 + B)² − A − C)
    Fe.twice(t1, t5);
    Fe.add(t5, t1, t5); // E = 3·A
    Fe.sqr(t5, t1); // F = E²
    Fe.twice(t4, x);
    Fe.sub(t1, x, x); // X3 = F − 2·D
    Fe.sub(t4, x, y);
    Fe.mul(t5, y, y);
    Fe.twice(t3, t3);
    Fe.twice(t3, t3);
    Fe.twice(t3, t3);
    Fe.sub(y, t3, y); // Y3 = E·(D − X3) − 8·C
    return this;
  }

  /**
   * this ← this + (ax, ±ay) for an affine point given as eight-word coordinates, negated when
   * {@code negate}. The arrays are only read.
   */
  JacobianPoint addAffine(int[] wx, int[] wy, boolean negate) {
    Fe.fromWords(wx, 0, ax);
    Fe.fromWords(wy, 0, ay);
    return addAffine(ax, ay, negate);
  }

  /** As {@link #addAffine(int[], int[], boolean)}, the point at {@code src[off…off+16)} (x then y). */
  JacobianPoint addAffineAt(int[] src, int off, boolean negate) {
    Fe.fromWords(src, off, ax);
    Fe.fromWords(src, off + 8, ay);
    return addAffine(ax, ay, negate);
  }

  /** As {@link #addAffine(int[], int[], boolean)}, the point at {@code src[off…off+10)} in limbs. */
  JacobianPoint addAffineAt(long[] src, int off, boolean negate) {
    System.arraycopy(src, off, ax, 0, 5);
    System.arraycopy(src, off + 5, ay, 0, 5);
    return addAffine(ax, ay, negate);
  }

  /**
   * this ← this + (px, ±py) for an affine point in limbs (madd-2004-hmv: 8M + 3S). The operands
   * are only read and must not be this point's own scratch arrays.
   */
  JacobianPoint addAffine(long[] px, long[] py, boolean negate) {
    if (infinity) {
      Fe.copy(px, x);
      if (negate) {
        Fe.negate(py, y);
      } else {
        Fe.copy(py, y);
      }
      Fe.setOne(z);
      infinity = false;
      return this;
    }
    Fe.sqr(z, t1); // Z1²
    Fe.mul(t1, z, t2); // Z1³
    Fe.mul(t1, px, t1); // U2 = X2·Z1²
    Fe.mul(t2, py, t2); // S2 = Y2·Z1³
    if (negate) {
      Fe.negate(t2, t2);
    }
    Fe.sub(t1, x, t1); // H = U2 − X1
    Fe.sub(t2, y, t2); // r = S2 − Y1
    if (Fe.isZero(t1)) {
      if (Fe.isZero(t2)) {
        // The points are equal: double the affine operand (this holds the same point).
        return twice();
      }
      infinity = true; // the points are opposite
      return this;
    }
    Fe.mul(z, t1, z); // Z3 = Z1·H
    Fe.sqr(t1, t3); // H²
    Fe.mul(t3, t1, t4); // H³
    Fe.mul(t3, x, t3); // X1·H²
    Fe.sqr(t2, x);
    Fe.sub(x, t4, x);
    Fe.sub(x, t3, x);
    Fe.sub(x, t3, x); // X3 = r² − H³ − 2·X1·H²
    Fe.sub(t3, x, t3);
    Fe.mul(t3, t2, t3);
    Fe.mul(y, t4, t4);
    Fe.sub(t3, t4, y); // Y3 = r·(X1·H² − X3) − Y1·H³
    return this;
  }

  /** this ← this + p for a Jacobian point (add-1998-cmo-2: 12M + 4S). p is only read. */
  JacobianPoint add(JacobianPoint p) {
    if (p.infinity) {
      return this;
    }
    if (infinity) {
      return set(p);
    }
    Fe.sqr(p.z, t1); // Z2²
    Fe.mul(t1, p.z, t2); // Z2³
    Fe.mul(x, t1, t1); // U1 = X1·Z2²
    Fe.mul(y, t2, t2); // S1 = Y1·Z2³
    Fe.sqr(z, t3); // Z1²
    Fe.mul(t3, z, t4); // Z1³
    Fe.mul(p.x, t3, t3); // U2 = X2·Z1²
    Fe.mul(p.y, t4, t4); // S2 = Y2·Z1³
    Fe.sub(t3, t1, t3); // H = U2 − U1
    Fe.sub(t4, t2, t4); // r = S2 − S1
    if (Fe.isZero(t3)) {
      if (Fe.isZero(t4)) {
        return twice();
      }
      infinity = true;
      return this;
    }
    Fe.mul(z, p.z, z);
    Fe.mul(z, t3, z); // Z3 = Z1·Z2·H
    Fe.sqr(t3, t5); // H²
    Fe.mul(t5, t3, t3); // H³
    Fe.mul(t1, t5, t1); // U1·H²
    Fe.sqr(t4, x);
    Fe.sub(x, t3, x);
    Fe.sub(x, t1, x);
    Fe.sub(x, t1, x); // X3 = r² − H³ − 2·U1·H²
    Fe.sub(t1, x, t1);
    Fe.mul(t1, t4, t1);
    Fe.mul(t2, t3, t2);
    Fe.sub(t1, t2, y); // Y3 = r·(U1·H² − X3) − S1·H³
    return this;
  }
}
