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

  /** The BouncyCastle point for affine coordinates in {@link Fe} limbs. */
  static ECPoint toEcPoint(long[] x, long[] y) {
    int[] wx = new int[8];
    int[] wy = new int[8];
    Fe.toWords(x, wx, 0);
    Fe.toWords(y, wy, 0);
    return toEcPoint(wx, wy);
  }

  /** Writes the affine coordinates of a finite Jacobian point (canonical words). */
  static void toAffine(JacobianPoint p, int[] ax, int[] ay) {
    if (p.infinity) {
      throw new IllegalArgumentException("the point at infinity has no affine coordinates");
    }
    long[] zi = new long[5];
    long[] zi2 = new long[5];
    long[] v = new long[5];
    Fe.invVar(p.z, zi);
    Fe.sqr(zi, zi2);
    Fe.mul(p.x, zi2, v);
    Fe.toWords(v, ax, 0);
    Fe.mul(zi2, zi, zi2);
    Fe.mul(p.y, zi2, v);
    Fe.toWords(v, ay, 0);
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
    long[][] z = new long[count][5];
    long[][] prefix = new long[count][5];
    long[] acc = new long[5];
    Fe.setOne(acc);
    for (int i = 0; i < count; i++) {
      Fe.copy(acc, prefix[i]);
      Fe.fromWords(jac, 24 * i + 16, z[i]);
      if (Fe.isZero(z[i])) {
        throw new IllegalStateException("unexpected point at infinity in a precomputation");
      }
      Fe.mul(acc, z[i], acc);
    }
    long[] inv = new long[5];
    Fe.invVar(acc, inv); // (z_0 · … · z_{count−1})⁻¹
    long[] zi = new long[5];
    long[] zi2 = new long[5];
    long[] c = new long[5];
    for (int i = count - 1; i >= 0; i--) {
      Fe.mul(inv, prefix[i], zi); // z_i⁻¹
      Fe.mul(inv, z[i], inv); // (z_0 · … · z_{i−1})⁻¹
      Fe.sqr(zi, zi2);
      int off = outOffset + 16 * i;
      Fe.fromWords(jac, 24 * i, c);
      Fe.mul(c, zi2, c);
      Fe.toWords(c, out, off);
      Fe.mul(zi2, zi, zi2);
      Fe.fromWords(jac, 24 * i + 8, c);
      Fe.mul(c, zi2, c);
      Fe.toWords(c, out, off + 8);
    }
  }

  /** Stores a finite Jacobian point flat at {@code 24·i}. */
  static void store(JacobianPoint p, int[] jac, int i) {
    if (p.infinity) {
      throw new IllegalStateException("unexpected point at infinity in a precomputation");
    }
    Fe.toWords(p.x, jac, 24 * i);
    Fe.toWords(p.y, jac, 24 * i + 8);
    Fe.toWords(p.z, jac, 24 * i + 16);
  }
}
