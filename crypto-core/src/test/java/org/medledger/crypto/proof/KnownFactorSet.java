package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.internal.NumberTheory;

/**
 * A 512-bit ring-Pedersen set whose factors and λ the test keeps, so that tests can build
 * statements the honest set-up never would (s outside ⟨t⟩, non-units, t of small order).
 */
record KnownFactorSet(BigInteger p, BigInteger q, BigInteger nHat, BigInteger t, BigInteger lambda, BigInteger s) {
  static KnownFactorSet create(SecureRandom rnd) {
    BigInteger p = SafePrimes.generate(256, rnd);
    BigInteger q;
    do {
      q = SafePrimes.generate(256, rnd);
    } while (q.equals(p));
    BigInteger n = p.multiply(q);
    BigInteger t;
    do {
      BigInteger r = NumberTheory.randomUnit(rnd, n);
      t = r.multiply(r).mod(n);
    } while (t.modPow(p.shiftRight(1), n).equals(BigInteger.ONE) || t.modPow(q.shiftRight(1), n).equals(BigInteger.ONE));
    BigInteger lambda = NumberTheory.randomBelow(rnd, p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE)));
    return new KnownFactorSet(p, q, n, t, lambda, t.modPow(lambda, n));
  }

  /** The honest Π^prm proof for (N̂, s, t). */
  RingPedersenProof proof(SecureRandom rnd) {
    return RingPedersenProof.prove(nHat, s, t, lambda, p, q, rnd);
  }

  /** The honest prover's algorithm run on another statement with a claimed exponent. */
  RingPedersenProof proofFor(BigInteger s2, BigInteger t2, BigInteger claimedLambda, SecureRandom rnd) {
    return RingPedersenProof.prove(nHat, s2, t2, claimedLambda, p, q, rnd);
  }
}
