package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Sieve-based search for safe primes P = 2Q + 1 (docs/protocol.md, "Ring-Pedersen parameters").
 *
 * <p>A window of candidates Q = Q₀ + 2j (Q₀ random and odd) is sieved in one pass against every
 * odd prime r &lt; 2^16, striking j whenever r | Q or r | 2Q + 1. Survivors get a base-2 Fermat test
 * on Q, then on P, and only then the full tests: {@link BigInteger#isProbablePrime} on Q (random
 * Miller–Rabin plus a Lucas test) and on P. Given Q prime, 2^(P−1) ≡ 1 (mod P) with 3 ∤ P already
 * certifies P prime (Pocklington, Q > √P); the last test is belt and braces. Randomised primality
 * tests are fine here: this runs once, at channel set-up, never in a verifier.
 */
public final class SafePrimes {
  private static final int[] SIEVE_PRIMES = ModulusChecks.oddPrimesBelowBound();
  private static final int WINDOW = 1 << 15;
  private static final int CERTAINTY = 128;

  private SafePrimes() {}

  /** A random safe prime of exactly {@code bits} bits whose two top bits are set. */
  public static BigInteger generate(int bits, SecureRandom rnd) {
    if (bits < 64) {
      throw new IllegalArgumentException("safe primes below 64 bits are not supported");
    }
    int qBits = bits - 1;
    boolean[] struck = new boolean[WINDOW];
    while (true) {
      BigInteger q0 = new BigInteger(qBits, rnd).setBit(qBits - 1).setBit(qBits - 2).setBit(0);
      sieve(q0, struck);
      for (int j = 0; j < WINDOW; j++) {
        if (struck[j]) {
          continue;
        }
        BigInteger q = q0.add(BigInteger.valueOf(2L * j));
        if (q.bitLength() != qBits) {
          break;
        }
        BigInteger p = q.shiftLeft(1).setBit(0);
        if (!fermat2(q) || !fermat2(p)) {
          continue;
        }
        if (q.isProbablePrime(CERTAINTY) && p.isProbablePrime(CERTAINTY)) {
          return p;
        }
      }
    }
  }

  /** struck[j] ⇔ some odd prime r &lt; 2^16 divides Q₀ + 2j or 2(Q₀ + 2j) + 1. */
  static void sieve(BigInteger q0, boolean[] struck) {
    Arrays.fill(struck, false);
    int w = struck.length;
    for (int r : SIEVE_PRIMES) {
      int rem = q0.mod(BigInteger.valueOf(r)).intValue();
      long inv2 = (r + 1) / 2;
      // Q₀ + 2j ≡ 0 (mod r)  ⇔  j ≡ −Q₀ / 2
      int j0 = (int) ((((long) r - rem) % r) * inv2 % r);
      // 2(Q₀ + 2j) + 1 ≡ 0 (mod r)  ⇔  Q₀ + 2j ≡ (r − 1)/2  ⇔  j ≡ ((r − 1)/2 − Q₀) / 2
      int j1 = (int) (((((long) (r - 1) / 2 - rem) % r + r) % r) * inv2 % r);
      for (int j = j0; j < w; j += r) {
        struck[j] = true;
      }
      for (int j = j1; j < w; j += r) {
        struck[j] = true;
      }
    }
  }

  private static boolean fermat2(BigInteger v) {
    return BigInteger.TWO.modPow(v.subtract(BigInteger.ONE), v).equals(BigInteger.ONE);
  }
}
