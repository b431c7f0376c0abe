package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.MaliciousKeyProver.Factor;

/**
 * Test-side only: a Paillier–Blum key n = r·m with a small prime r ≡ 3 (mod 4) and a large prime
 * m ≡ 3 (mod 4) (docs/threat-model.md, "The key-proof gap"). Such an n is a genuine Paillier–Blum
 * modulus, so Π^mod verifies; only Π^fac refuses it. Public so that the chaincode and SDK tests
 * can register such a key.
 */
public final class SmallFactorKeys {
  /** The key, its factors and its (valid) Π^mod proof for the given context. */
  public record Key(PaillierPublicKey publicKey, BigInteger small, BigInteger large, KeyProof keyProof) {
    /** The best a cheater can do for Π^fac: run the protocol on its real factors. */
    public FactorProof factorProof(RingPedersenParams rp, byte[] context, SecureRandom rnd) {
      return FactorProof.proveOnce(small, large, rp, context, rnd);
    }

    /**
     * As {@link #factorProof}, made encodable: a response too wide for its fixed-width field is
     * reduced modulo 2^(8·width) (the encoding cannot carry it otherwise). The verifier then
     * refuses it on the bound or on the equations.
     */
    public FactorProof encodableFactorProof(RingPedersenParams rp, byte[] context, SecureRandom rnd) {
      FactorProof f = factorProof(rp, context, rnd);
      BigInteger width = BigInteger.ONE.shiftLeft(8 * ((FactorProof.L + FactorProof.EPS + f.bits / 2 + 7) / 8));
      return new FactorProof(f.bits, f.nHatBits, f.commitP, f.commitQ, f.commitA, f.commitB, f.commitT, f.sigma,
          f.z1.mod(width), f.z2.mod(width), f.w1, f.w2, f.v);
    }

    /** Paillier decryption with the factors (g = 1 + n): L(c^λ mod n²) · λ⁻¹ mod n. */
    public BigInteger decrypt(BigInteger c) {
      BigInteger n = publicKey.n();
      BigInteger lambda = small.subtract(BigInteger.ONE).multiply(large.subtract(BigInteger.ONE));
      BigInteger u = c.modPow(lambda, n.multiply(n)).subtract(BigInteger.ONE).divide(n);
      return u.multiply(lambda.modInverse(n)).mod(n);
    }
  }

  private SmallFactorKeys() {}

  /**
   * A {@code bits}-bit key whose smaller factor is a prime of {@code smallBits} bits, with its
   * Π^mod proof for {@code keyProofContext}.
   */
  public static Key generate(int bits, int smallBits, byte[] keyProofContext, SecureRandom rnd) {
    MaliciousKeyProver mallory = new MaliciousKeyProver(rnd);
    while (true) {
      BigInteger r = mallory.prime(smallBits, 3);
      BigInteger lo = BigInteger.ONE.shiftLeft(bits - 1).divide(r).add(BigInteger.ONE);
      BigInteger m = new BigInteger(lo.bitLength() + 1, rnd).mod(lo).add(lo);
      m = m.setBit(0).setBit(1);
      while (!m.isProbablePrime(64)) {
        m = m.add(BigInteger.valueOf(4));
      }
      BigInteger n = r.multiply(m);
      if (n.bitLength() != bits || m.subtract(BigInteger.ONE).mod(r).signum() == 0) {
        continue;
      }
      PaillierPublicKey pk = mallory.publicKey(n);
      List<Factor> f = List.of(new Factor(r, 1), new Factor(m, 1));
      KeyProof proof = mallory.prove(pk, keyProofContext, f).proof();
      return new Key(pk, r, m, proof);
    }
  }
}
