package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * That the fee ciphertext C_f = (1+n)^f·h_s^ρ and the Pedersen commitment V = f·G + γ·H hold the same
 * integer f (docs/protocol.md §11.3), as the transfer bundle links its amounts (§4.3): one integer
 * response z = α + e·f shared by a Paillier and a curve equation, with rejection sampling to keep z
 * uniform on [2^168, 2^208). The range proof on V bounds f below 2^40, and |z| &lt; 2^208 &lt; q/2 then
 * pins f as an integer, so C_f cannot hold a fraction such as 2⁻¹ mod n.
 */
final class FeeLink {
  static final int CHALLENGE_BITS = 128;
  /** Rejection window of z: accepted iff 2^Z_LOW_BITS ≤ z &lt; 2^Z_BITS. */
  static final int Z_LOW_BITS = SlotLayout.FEE_BITS + CHALLENGE_BITS;
  static final int Z_BITS = Z_LOW_BITS + 40;
  static final int Z_BYTES = Wire.bytesFor(Z_BITS);
  static final int MAX_REJECTION_ROUNDS = 64;

  final BigInteger a;
  final ECPoint ec;
  final BigInteger z;
  final BigInteger zBeta;
  final BigInteger zKappa;

  FeeLink(BigInteger a, ECPoint ec, BigInteger z, BigInteger zBeta, BigInteger zKappa) {
    this.a = a;
    this.ec = ec;
    this.z = z;
    this.zBeta = zBeta;
    this.zKappa = zKappa;
  }

  static int betaBits(PaillierPublicKey key) {
    return OneHotProof.betaBits(key);
  }

  /**
   * The prover. An honest one ({@code honest}) fails rather than send a response outside the window
   * (probability about 2^-2500); a malicious one gives up sampling after a few rounds.
   */
  static FeeLink prove(Transcript t, PaillierPublicKey key, BigInteger fee, BigInteger rho, BigInteger gamma,
      SecureRandom rnd, boolean honest) {
    BigInteger zLow = BigInteger.ONE.shiftLeft(Z_LOW_BITS);
    BigInteger zHigh = BigInteger.ONE.shiftLeft(Z_BITS);
    for (int round = 0; ; round++) {
      BigInteger alpha = new BigInteger(Z_BITS, rnd);
      BigInteger beta = new BigInteger(betaBits(key), rnd);
      BigInteger kappa = randomScalar(rnd);
      BigInteger a = key.gPow(alpha).multiply(key.hsPow(beta)).mod(key.nSquared());
      ECPoint ec = Secp256k1.commit(alpha, kappa);
      BigInteger e = challenge(t.fork(), a, ec);
      BigInteger z = alpha.add(e.multiply(fee));
      boolean outside = z.compareTo(zLow) < 0 || z.compareTo(zHigh) >= 0;
      if (outside && honest && round >= MAX_REJECTION_ROUNDS) {
        throw new IllegalStateException("rejection sampling did not converge");
      }
      if (outside && round < MAX_REJECTION_ROUNDS) {
        continue;
      }
      BigInteger zBeta = beta.add(e.multiply(rho));
      BigInteger zKappa = kappa.add(e.multiply(gamma)).mod(Secp256k1.ORDER);
      return new FeeLink(a, ec, z, zBeta, zKappa);
    }
  }

  static BigInteger randomScalar(SecureRandom rnd) {
    while (true) {
      BigInteger s = new BigInteger(256, rnd);
      if (s.signum() > 0 && s.compareTo(Secp256k1.ORDER) < 0) {
        return s;
      }
    }
  }

  static BigInteger challenge(Transcript t, BigInteger a, ECPoint ec) {
    t.appendInteger("a", a);
    t.appendBytes("ec", Secp256k1.encodePoint(ec));
    return t.challengeBits("e", CHALLENGE_BITS);
  }

  /** Ranges and group membership, no exponentiation: a ∈ Z*_{n²}, z &lt; 2^208, zβ &lt; 2^(betaBits+1), zκ &lt; q. */
  void checkBounds(PaillierPublicKey key) {
    if (a == null || !key.inUnitGroupOfNSquared(a)) {
      throw fail("a is not in Z*_{n²}");
    }
    if (z.signum() < 0 || z.bitLength() > Z_BITS) {
      throw fail("integer response outside [0, 2^" + Z_BITS + ")");
    }
    if (zBeta.signum() < 0 || zBeta.bitLength() > betaBits(key) + 1) {
      throw fail("randomness response out of range");
    }
    if (zKappa.signum() < 0 || zKappa.compareTo(Secp256k1.ORDER) >= 0) {
      throw fail("blinding response not reduced");
    }
  }

  /** The curve equation z·G + zκ·H = E + e·V (cheap; run first). Returns e. */
  BigInteger verifyCurve(Transcript t, ECPoint v) {
    BigInteger e = challenge(t, a, ec);
    BigInteger q = Secp256k1.ORDER;
    ECPoint chk = ECAlgorithms.sumOfMultiplies(new ECPoint[] {Secp256k1.G, Secp256k1.H, v},
        new BigInteger[] {z.mod(q), zKappa, e.negate().mod(q)}).subtract(ec);
    if (!chk.isInfinity()) {
      throw fail("fee commitment link does not hold");
    }
    return e;
  }

  /** The Paillier equation (1+n)^z · h_s^zβ = a · C_f^e (mod n²). */
  void verifyPaillier(PaillierPublicKey key, PaillierCiphertext fee, BigInteger e) {
    BigInteger n2 = key.nSquared();
    BigInteger lhs = key.gPow(z).multiply(key.hsPow(zBeta)).mod(n2);
    BigInteger rhs = a.multiply(fee.value().modPow(e, n2)).mod(n2);
    if (!lhs.equals(rhs)) {
      throw fail("fee ciphertext does not hold the committed fee");
    }
  }

  static ProofException fail(String why) {
    return new ProofException(StatsContribution.INVALID, "fee: " + why);
  }

  static int encodedLength(PaillierPublicKey key) {
    return 2 * key.bits() / 8 + Secp256k1.POINT_BYTES + Z_BYTES + Wire.bytesFor(betaBits(key) + 1)
        + Secp256k1.SCALAR_BYTES;
  }

  void write(Wire.Writer w, int keyBits) {
    w.fixed(a, 2 * keyBits / 8).point(ec).fixed(z, Z_BYTES)
        .fixed(zBeta, Wire.bytesFor(OneHotProof.betaBits(keyBits) + 1))
        .raw(Secp256k1.encodeScalar(zKappa));
  }

  static FeeLink read(Wire.Reader r, PaillierPublicKey key) {
    BigInteger a = r.modN2(key, "fee a");
    ECPoint ec = r.point();
    BigInteger z = r.bounded(Z_BYTES, Z_BITS, "fee z");
    int zbBits = betaBits(key) + 1;
    BigInteger zBeta = r.bounded(Wire.bytesFor(zbBits), zbBits, "fee zβ");
    BigInteger zKappa = r.scalar();
    return new FeeLink(a, ec, z, zBeta, zKappa);
  }
}
