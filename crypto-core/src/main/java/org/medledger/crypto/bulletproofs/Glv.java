package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.ec.endo.ECEndomorphism;
import org.bouncycastle.math.ec.endo.GLVEndomorphism;
import org.medledger.crypto.ec.Secp256k1;

/**
 * The secp256k1 GLV endomorphism φ(x, y) = (β·x, y) = λ·(x, y) and the matching scalar split k ≡
 * k₁ + k₂·λ (mod q) with |k₁|, |k₂| ≈ √q, both taken from BouncyCastle's curve configuration so
 * that β and the split always agree.
 */
final class Glv {
  private static final GLVEndomorphism ENDOMORPHISM;
  /** β as a field element: φ(P) has x-coordinate β·x(P). */
  static final int[] BETA;

  static {
    ECEndomorphism e = Secp256k1.CURVE.getEndomorphism();
    if (!(e instanceof GLVEndomorphism) || !e.hasEfficientPointMap()) {
      throw new ExceptionInInitializerError("secp256k1 is not configured with its GLV endomorphism");
    }
    ENDOMORPHISM = (GLVEndomorphism) e;
    BigInteger p = Secp256k1.CURVE.getField().getCharacteristic();
    ECPoint g = Secp256k1.G;
    ECPoint phi = ENDOMORPHISM.getPointMap().map(g).normalize();
    if (!phi.getAffineYCoord().equals(g.getAffineYCoord())) {
      throw new ExceptionInInitializerError("unexpected endomorphism map");
    }
    BigInteger beta =
        phi.getAffineXCoord().toBigInteger()
            .multiply(g.getAffineXCoord().toBigInteger().modInverse(p))
            .mod(p);
    BETA = SecP256K1Field.fromBigInteger(beta);
  }

  private Glv() {}

  /** {k₁, k₂}, signed, with k·P = k₁·P + k₂·φ(P) for every point P. */
  static BigInteger[] split(BigInteger k) {
    return ENDOMORPHISM.decomposeScalar(k);
  }
}
