package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Nat256;
import org.medledger.crypto.ec.Secp256k1;

/**
 * Conversions between BouncyCastle points and the raw affine coordinates used by the
 * multi-exponentiation engine, and batched conversion of Jacobian points to affine form
 * (Montgomery's trick: one field inversion for the whole batch).
 */
final class FieldOps {
  static final int[] ONE = Nat256.fromBigInteger(BigInteger.ONE);

  private FieldOps() {}

  /** Affine coordinates of a finite point, as {x, y}. */
  static int[][] affine(ECPoint p) {
    ECPoint n = p.normalize();
    if (n.isInfinity()) {
      throw new IllegalArgumentException("the point at infinity has no affine coordinates");
    }
    return new int[][] {
      SecP256K1Field.fromBigInteger(n.getAffineXCoord().toBigInteger()),
      SecP256K1Field.fromBigInteger(n.getAffineYCoord().toBigInteger())
    };
  }

  /** The BouncyCastle point for affine coordinates produced by this engine. */
  static ECPoint toEcPoint(int[] x, int[] y) {
    return Secp256k1.CURVE.createPoint(Nat256.toBigInteger(x), Nat256.toBigInteger(y));
  }

  /** The BouncyCastle point for a Jacobian point; infinity maps to the curve's infinity. */
  static ECPoint toEcPoint(JacobianPoint p) {
    if (p.infinity) {
      return Secp256k1.CURVE.getInfinity();
    }
    int[] x = new int[8];
    int[] y = new int[8];
    toAffine(p, x, y);
    return toEcPoint(x, y);
  }

  /** Writes the affine coordinates of a finite Jacobian point. */
  static void toAffine(JacobianPoint p, int[] ax, int[] ay) {
    if (p.infinity) {
      throw new IllegalArgumentException("the point at infinity has no affine coordinates");
    }
    int[] tt = new int[16];
    int[] zi = new int[8];
    int[] zi2 = new int[8];
    SecP256K1Field.inv(p.z, zi);
    SecP256K1Field.square(zi, zi2, tt);
    SecP256K1Field.multiply(p.x, zi2, ax, tt);
    SecP256K1Field.multiply(zi2, zi, zi2, tt);
    SecP256K1Field.multiply(p.y, zi2, ay, tt);
  }

  /**
   * Converts {@code count} finite Jacobian points, stored flat at {@code 24·i} (X, Y, Z, eight
   * words each), to affine coordinates written at {@code outOffset + 16·i} (x then y), with a
   * single field inversion.
   *
   * @throws IllegalStateException if a Z coordinate is zero (callers only pass non-trivial
   *     multiples of points of prime order, which cannot be infinity)
   */
  static void batchToAffine(int[] jac, int count, int[] out, int outOffset) {
    if (count == 0) {
      return;
    }
    int[] tt = new int[16];
    int[] prefix = new int[8 * count];
    int[] acc = ONE.clone();
    int[] zi = new int[8];
    for (int i = 0; i < count; i++) {
      System.arraycopy(acc, 0, prefix, 8 * i, 8);
      System.arraycopy(jac, 24 * i + 16, zi, 0, 8);
      if (Nat256.isZero(zi)) {
        throw new IllegalStateException("unexpected point at infinity in a precomputation");
      }
      SecP256K1Field.multiply(acc, zi, acc, tt);
    }
    int[] inv = new int[8];
    SecP256K1Field.inv(acc, inv); // (z_0 · … · z_{count−1})⁻¹
    int[] zi2 = new int[8];
    int[] v = new int[8];
    int[] pre = new int[8];
    int[] c = new int[8];
    for (int i = count - 1; i >= 0; i--) {
      System.arraycopy(prefix, 8 * i, pre, 0, 8);
      System.arraycopy(jac, 24 * i + 16, c, 0, 8);
      SecP256K1Field.multiply(inv, pre, zi, tt); // z_i⁻¹
      SecP256K1Field.multiply(inv, c, inv, tt); // (z_0 · … · z_{i−1})⁻¹
      SecP256K1Field.square(zi, zi2, tt);
      int off = outOffset + 16 * i;
      System.arraycopy(jac, 24 * i, c, 0, 8);
      SecP256K1Field.multiply(c, zi2, v, tt);
      System.arraycopy(v, 0, out, off, 8);
      SecP256K1Field.multiply(zi2, zi, zi2, tt);
      System.arraycopy(jac, 24 * i + 8, c, 0, 8);
      SecP256K1Field.multiply(c, zi2, v, tt);
      System.arraycopy(v, 0, out, off + 8, 8);
    }
  }

  /** Stores a finite Jacobian point flat at {@code 24·i}. */
  static void store(JacobianPoint p, int[] jac, int i) {
    if (p.infinity) {
      throw new IllegalStateException("unexpected point at infinity in a precomputation");
    }
    System.arraycopy(p.x, 0, jac, 24 * i, 8);
    System.arraycopy(p.y, 0, jac, 24 * i + 8, 8);
    System.arraycopy(p.z, 0, jac, 24 * i + 16, 8);
  }
}
