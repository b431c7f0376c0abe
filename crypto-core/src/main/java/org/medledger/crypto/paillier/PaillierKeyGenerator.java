package org.medledger.crypto.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.internal.NumberTheory;

/**
 * Generates Paillier keys (docs/protocol.md §3.1): two distinct primes p ≡ q ≡ 3 (mod 4) of
 * exactly k/2 bits each with the top two bits set (so n has exactly k bits), |p − q| > 2^(k/2−100),
 * and h = −x² mod n for a uniform x ∈ Z*_n.
 */
public final class PaillierKeyGenerator {
  private static final int[] SMALL_PRIMES = NumberTheory.primesBelow(2000);
  private final SecureRandom random;

  public PaillierKeyGenerator(SecureRandom random) {
    this.random = random;
  }

  public PaillierSecretKey generate(KeySize size) {
    int half = size.bits() / 2;
    while (true) {
      BigInteger p = blumPrime(half);
      BigInteger q = blumPrime(half);
      if (p.subtract(q).abs().bitLength() < half - 100) {
        continue;
      }
      BigInteger n = p.multiply(q);
      if (n.bitLength() != size.bits()) {
        continue;
      }
      BigInteger x = NumberTheory.randomUnit(random, n);
      BigInteger h = n.subtract(x.multiply(x).mod(n));
      PaillierPublicKey pk = PaillierPublicKey.of(n, h);
      return PaillierSecretKey.of(pk, p.max(q), p.min(q));
    }
  }

  /** A random prime of exactly {@code bits} bits, top two bits set, ≡ 3 (mod 4). */
  BigInteger blumPrime(int bits) {
    while (true) {
      BigInteger start = new BigInteger(bits, random).setBit(bits - 1).setBit(bits - 2).setBit(1).setBit(0);
      BigInteger c = start;
      for (int step = 0; step < 20 * bits; step++, c = c.add(BigInteger.valueOf(4))) {
        if (c.bitLength() != bits) {
          break;
        }
        if (hasSmallFactor(c)) {
          continue;
        }
        if (c.isProbablePrime(128)) {
          return c;
        }
      }
    }
  }

  private static boolean hasSmallFactor(BigInteger c) {
    for (int sp : SMALL_PRIMES) {
      if (c.mod(BigInteger.valueOf(sp)).signum() == 0) {
        return true;
      }
    }
    return false;
  }
}
