package org.medledger.crypto.bulletproofs;

import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Nat256;

/**
 * A mutable secp256k1 point in Jacobian coordinates (x = X/Z², y = Y/Z³), with allocation-free
 * doubling and addition on top of BouncyCastle's fixed-size field arithmetic ({@link
 * SecP256K1Field}, elements as eight little-endian 32-bit words, always fully reduced modulo p).
 *
 * <p>Only the multi-exponentiation engine uses this class; it exists because the generic {@code
 * ECPoint} API allocates several objects per group operation, which dominated the cost of a
 * Bulletproof. All exceptional cases of the addition law (equal points, opposite points,
 * infinity) are handled, so adversarially chosen inputs cannot steer the result. Operations are
 * variable-time. Not thread-safe: every instance owns its scratch space.
 */
final class JacobianPoint {
  final int[] x = new int[8];
  final int[] y = new int[8];
  final int[] z = new int[8];
  boolean infinity = true;

  private final int[] t1 = new int[8];
  private final int[] t2 = new int[8];
  private final int[] t3 = new int[8];
  private final int[] t4 = new int[8];
  private final int[] t5 = new int[8];
  private final int[] tt = new int[16];

  JacobianPoint setInfinity() {
    infinity = true;
    return this;
  }

  JacobianPoint setAffine(int[] ax, int[] ay) {
    Nat256.copy(ax, x);
    Nat256.copy(ay, y);
    Nat256.copy(FieldOps.ONE, z);
    infinity = false;
    return this;
  }

  JacobianPoint set(JacobianPoint p) {
    if (p.infinity) {
      infinity = true;
      return this;
    }
    Nat256.copy(p.x, x);
    Nat256.copy(p.y, y);
    Nat256.copy(p.z, z);
    infinity = false;
    return this;
  }

  /** this ← 2·this (dbl-2009-l for a = 0: 2M + 5S). */
  JacobianPoint twice() {
    if (infinity) {
      return this;
    }
    // secp256k1 has prime order, so no point other than infinity has y = 0.
    SecP256K1Field.multiply(y, z, z, tt);
    SecP256K1Field.twice(z, z); // Z3 = 2·Y1·Z1
    SecP256K1Field.square(x, t1, tt); // A = X1²
    SecP256K1Field.square(y, t2, tt); // B = Y1²
    SecP256K1Field.square(t2, t3, tt); // C = B²
    SecP256K1Field.add(x, t2, t4);
    SecP256K1Field.square(t4, t4, tt);
    SecP256K1Field.subtract(t4, t1, t4);
    SecP256K1Field.subtract(t4, t3, t4);
    SecP256K1Field.twice(t4, t4); // D = 2·((X1 + B)² − A − C)
    SecP256K1Field.twice(t1, t5);
    SecP256K1Field.add(t5, t1, t5); // E = 3·A
    SecP256K1Field.square(t5, t1, tt); // F = E²
    SecP256K1Field.twice(t4, x);
    SecP256K1Field.subtract(t1, x, x); // X3 = F − 2·D
    SecP256K1Field.subtract(t4, x, y);
    SecP256K1Field.multiply(t5, y, y, tt);
    SecP256K1Field.twice(t3, t3);
    SecP256K1Field.twice(t3, t3);
    SecP256K1Field.twice(t3, t3);
    SecP256K1Field.subtract(y, t3, y); // Y3 = E·(D − X3) − 8·C
    return this;
  }

  /**
   * this ← this + (ax, ±ay) for an affine point, negated when {@code negate} (madd-2004-hmv: 8M +
   * 3S). The affine arrays are only read.
   */
  JacobianPoint addAffine(int[] ax, int[] ay, boolean negate) {
    if (infinity) {
      Nat256.copy(ax, x);
      if (negate) {
        SecP256K1Field.negate(ay, y);
      } else {
        Nat256.copy(ay, y);
      }
      Nat256.copy(FieldOps.ONE, z);
      infinity = false;
      return this;
    }
    SecP256K1Field.square(z, t1, tt); // Z1²
    SecP256K1Field.multiply(t1, z, t2, tt); // Z1³
    SecP256K1Field.multiply(t1, ax, t1, tt); // U2 = X2·Z1²
    SecP256K1Field.multiply(t2, ay, t2, tt); // S2 = Y2·Z1³
    if (negate) {
      SecP256K1Field.negate(t2, t2);
    }
    SecP256K1Field.subtract(t1, x, t1); // H = U2 − X1
    SecP256K1Field.subtract(t2, y, t2); // r = S2 − Y1
    if (Nat256.isZero(t1)) {
      if (Nat256.isZero(t2)) {
        // The points are equal: double the affine operand (this holds the same point).
        return twice();
      }
      infinity = true; // the points are opposite
      return this;
    }
    SecP256K1Field.multiply(z, t1, z, tt); // Z3 = Z1·H
    SecP256K1Field.square(t1, t3, tt); // H²
    SecP256K1Field.multiply(t3, t1, t4, tt); // H³
    SecP256K1Field.multiply(t3, x, t3, tt); // X1·H²
    SecP256K1Field.square(t2, x, tt);
    SecP256K1Field.subtract(x, t4, x);
    SecP256K1Field.subtract(x, t3, x);
    SecP256K1Field.subtract(x, t3, x); // X3 = r² − H³ − 2·X1·H²
    SecP256K1Field.subtract(t3, x, t3);
    SecP256K1Field.multiply(t3, t2, t3, tt);
    SecP256K1Field.multiply(y, t4, t4, tt);
    SecP256K1Field.subtract(t3, t4, y); // Y3 = r·(X1·H² − X3) − Y1·H³
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
    SecP256K1Field.square(p.z, t1, tt); // Z2²
    SecP256K1Field.multiply(t1, p.z, t2, tt); // Z2³
    SecP256K1Field.multiply(x, t1, t1, tt); // U1 = X1·Z2²
    SecP256K1Field.multiply(y, t2, t2, tt); // S1 = Y1·Z2³
    SecP256K1Field.square(z, t3, tt); // Z1²
    SecP256K1Field.multiply(t3, z, t4, tt); // Z1³
    SecP256K1Field.multiply(p.x, t3, t3, tt); // U2 = X2·Z1²
    SecP256K1Field.multiply(p.y, t4, t4, tt); // S2 = Y2·Z1³
    SecP256K1Field.subtract(t3, t1, t3); // H = U2 − U1
    SecP256K1Field.subtract(t4, t2, t4); // r = S2 − S1
    if (Nat256.isZero(t3)) {
      if (Nat256.isZero(t4)) {
        return twice();
      }
      infinity = true;
      return this;
    }
    SecP256K1Field.multiply(z, p.z, z, tt);
    SecP256K1Field.multiply(z, t3, z, tt); // Z3 = Z1·Z2·H
    SecP256K1Field.square(t3, t5, tt); // H²
    SecP256K1Field.multiply(t5, t3, t3, tt); // H³
    SecP256K1Field.multiply(t1, t5, t1, tt); // U1·H²
    SecP256K1Field.square(t4, x, tt);
    SecP256K1Field.subtract(x, t3, x);
    SecP256K1Field.subtract(x, t1, x);
    SecP256K1Field.subtract(x, t1, x); // X3 = r² − H³ − 2·U1·H²
    SecP256K1Field.subtract(t1, x, t1);
    SecP256K1Field.multiply(t1, t4, t1, tt);
    SecP256K1Field.multiply(t2, t3, t2, tt);
    SecP256K1Field.subtract(t1, t2, y); // Y3 = r·(U1·H² − X3) − S1·H³
    return this;
  }
}
