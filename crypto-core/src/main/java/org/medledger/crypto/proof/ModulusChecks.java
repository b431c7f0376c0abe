package org.medledger.crypto.proof;

import java.math.BigInteger;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.Transcript;

/**
 * Deterministic structural checks on an RSA-type modulus, shared by {@link KeyProof} and
 * {@link RingPedersenParams} (docs/protocol.md, "Paillier key proof"). Every check is a pure
 * function of the modulus: no randomness, so every endorsing peer reaches the same verdict.
 */
final class ModulusChecks {
  /** B: every prime below this bound is excluded as a factor by {@link #hasSmallFactor}. */
  static final int SMALL_PRIME_BOUND = 1 << 16;

  /** log2(B). */
  static final int SMALL_PRIME_BOUND_BITS = 16;

  /** The primes below B (6542 of them), ascending. */
  private static final int[] PRIMES_BELOW_BOUND = NumberTheory.primesBelow(SMALL_PRIME_BOUND);

  /** The product of all primes below B (about 94 000 bits). BigInteger is immutable. */
  static final BigInteger SMALL_PRIMES_PRODUCT = product(PRIMES_BELOW_BOUND, 0, PRIMES_BELOW_BOUND.length);

  /** Miller–Rabin rounds of {@link #isProbablePrime}; any single witness already proves compositeness. */
  static final int MILLER_RABIN_ROUNDS = 2;

  static final String MILLER_RABIN_DOMAIN = "medledger/modulus/miller-rabin/v1";

  private ModulusChecks() {}

  /** A copy of the odd primes in [3, B). */
  static int[] oddPrimesBelowBound() {
    int[] out = new int[PRIMES_BELOW_BOUND.length - 1];
    System.arraycopy(PRIMES_BELOW_BOUND, 1, out, 0, out.length);
    return out;
  }

  /** True iff n has a prime factor below B: gcd(n, ∏_{r&lt;B} r) ≠ 1. */
  static boolean hasSmallFactor(BigInteger n) {
    return !SMALL_PRIMES_PRODUCT.mod(n).gcd(n).equals(BigInteger.ONE);
  }

  /**
   * Miller–Rabin with {@code rounds} bases derived from a SHAKE256 transcript of n (label
   * {@value #MILLER_RABIN_DOMAIN}, frame "n", challenges "base[j]"), each base uniform in
   * [2, n−2]. Deterministic. Returns false only when a witness proves n composite; a prime always
   * returns true. Requires n odd and n ≥ 5.
   */
  static boolean isProbablePrime(BigInteger n, int rounds) {
    if (!n.testBit(0) || n.compareTo(BigInteger.valueOf(5)) < 0) {
      throw new IllegalArgumentException("Miller–Rabin needs an odd n ≥ 5");
    }
    BigInteger nMinus1 = n.subtract(BigInteger.ONE);
    int s = nMinus1.getLowestSetBit();
    BigInteger d = nMinus1.shiftRight(s);
    Transcript t = new Transcript(MILLER_RABIN_DOMAIN);
    t.appendInteger("n", n);
    BigInteger range = n.subtract(BigInteger.valueOf(3));
    for (int j = 0; j < rounds; j++) {
      BigInteger a = t.challengeBelow("base[" + j + "]", range).add(BigInteger.TWO);
      if (isWitness(a, d, s, n, nMinus1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWitness(BigInteger a, BigInteger d, int s, BigInteger n, BigInteger nMinus1) {
    BigInteger x = a.modPow(d, n);
    if (x.equals(BigInteger.ONE) || x.equals(nMinus1)) {
      return false;
    }
    for (int r = 1; r < s; r++) {
      x = x.multiply(x).mod(n);
      if (x.equals(nMinus1)) {
        return false;
      }
      if (x.equals(BigInteger.ONE)) {
        return true;
      }
    }
    return true;
  }

  /** True iff n = r² for an integer r. */
  static boolean isPerfectSquare(BigInteger n) {
    BigInteger r = n.sqrt();
    return r.multiply(r).equals(n);
  }

  private static BigInteger product(int[] values, int from, int to) {
    if (to - from <= 16) {
      BigInteger acc = BigInteger.ONE;
      for (int i = from; i < to; i++) {
        acc = acc.multiply(BigInteger.valueOf(values[i]));
      }
      return acc;
    }
    int mid = (from + to) >>> 1;
    return product(values, from, mid).multiply(product(values, mid, to));
  }
}
