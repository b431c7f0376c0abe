package org.medledger.crypto.internal;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Small number-theoretic helpers shared by the Paillier code and the proofs. */
public final class NumberTheory {
  private NumberTheory() {}

  /** The Jacobi symbol (a | n) for odd positive n. */
  public static int jacobi(BigInteger a, BigInteger n) {
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new IllegalArgumentException("Jacobi symbol needs an odd positive modulus");
    }
    BigInteger x = a.mod(n);
    BigInteger m = n;
    int result = 1;
    while (x.signum() != 0) {
      int twos = x.getLowestSetBit();
      x = x.shiftRight(twos);
      int mMod8 = m.intValue() & 7;
      if ((twos & 1) == 1 && (mMod8 == 3 || mMod8 == 5)) {
        result = -result;
      }
      if ((x.intValue() & 3) == 3 && (m.intValue() & 3) == 3) {
        result = -result;
      }
      BigInteger t = x;
      x = m.mod(t);
      m = t;
    }
    return m.equals(BigInteger.ONE) ? result : 0;
  }

  /**
   * x⁻¹ mod n² for x coprime to the odd modulus n, by one inversion modulo n and one Newton (Hensel)
   * step: if x·v = 1 + k·n then x·v·(2 − x·v) = 1 − k²·n² ≡ 1 (mod n²). The same result as
   * {@code x.modInverse(n²)} at about 40 % of its cost at 2048 bits (docs/protocol.md §3.2).
   *
   * @throws ArithmeticException if x is not coprime to n (as {@link BigInteger#modInverse} does)
   */
  public static BigInteger inverseModSquare(BigInteger x, BigInteger n, BigInteger nSquared) {
    BigInteger v = x.mod(n).modInverse(n);
    BigInteger xv = x.mod(nSquared).multiply(v).mod(nSquared);
    return v.multiply(BigInteger.TWO.subtract(xv)).mod(nSquared);
  }

  /**
   * True iff every x_i is coprime to n: gcd(Π x_i mod n, n) = 1 exactly when no prime factor of n
   * divides any x_i, so one gcd on the product modulo n replaces one gcd per value
   * (docs/protocol.md §3.2). A zero value makes the product zero and the answer false.
   */
  public static boolean allCoprime(BigInteger n, BigInteger... xs) {
    BigInteger acc = BigInteger.ONE;
    for (BigInteger x : xs) {
      acc = acc.multiply(x.mod(n)).mod(n);
    }
    return acc.gcd(n).equals(BigInteger.ONE);
  }

  /** Uniform integer in [0, bound). */
  public static BigInteger randomBelow(SecureRandom rnd, BigInteger bound) {
    int bits = bound.bitLength();
    while (true) {
      BigInteger r = new BigInteger(bits, rnd);
      if (r.compareTo(bound) < 0) {
        return r;
      }
    }
  }

  /** Uniform element of Z*_n. */
  public static BigInteger randomUnit(SecureRandom rnd, BigInteger n) {
    while (true) {
      BigInteger r = randomBelow(rnd, n);
      if (r.signum() > 0 && r.gcd(n).equals(BigInteger.ONE)) {
        return r;
      }
    }
  }

  /** The primes below {@code bound}, ascending (sieve of Eratosthenes). */
  public static int[] primesBelow(int bound) {
    boolean[] composite = new boolean[Math.max(bound, 2)];
    int count = 0;
    for (int i = 2; i < bound; i++) {
      if (!composite[i]) {
        count++;
        for (long j = (long) i * i; j < bound; j += i) {
          composite[(int) j] = true;
        }
      }
    }
    int[] out = new int[count];
    int k = 0;
    for (int i = 2; i < bound; i++) {
      if (!composite[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** x with x ≡ a (mod p), x ≡ b (mod q), given qInvP = q^{-1} mod p; result in [0, pq). */
  public static BigInteger crt(BigInteger a, BigInteger p, BigInteger b, BigInteger q, BigInteger qInvP) {
    BigInteger h = a.subtract(b).multiply(qInvP).mod(p);
    return b.add(q.multiply(h));
  }
}
