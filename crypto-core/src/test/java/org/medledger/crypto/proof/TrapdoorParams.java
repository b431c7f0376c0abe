package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.internal.NumberTheory;

/**
 * Test-side only: ring-Pedersen parameters whose set-up kept its trapdoor — the factors of N̂
 * (hence φ(N̂)) and λ with s = t^λ — as the regulator of a channel could. They pass the same
 * validation and Π^prm as honest parameters (docs/protocol.md §5.4, "Trust assumption").
 */
record TrapdoorParams(RingPedersenParams params, BigInteger lambda, BigInteger phi) {
  private static TrapdoorParams shared;

  /** One 2048-bit set per test JVM (finding the primes and proving Π^prm takes seconds). */
  static synchronized TrapdoorParams shared() {
    if (shared == null) {
      shared = generate(2048, new SecureRandom());
    }
    return shared;
  }

  static TrapdoorParams generate(int bits, SecureRandom rnd) {
    while (true) {
      BigInteger p = BigInteger.probablePrime(bits / 2, rnd);
      BigInteger q = BigInteger.probablePrime(bits / 2, rnd);
      BigInteger nHat = p.multiply(q);
      if (p.equals(q) || nHat.bitLength() != bits) {
        continue;
      }
      BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
      BigInteger r = NumberTheory.randomUnit(rnd, nHat);
      BigInteger t = r.multiply(r).mod(nHat);
      BigInteger lambda = NumberTheory.randomBelow(rnd, phi);
      BigInteger s = t.modPow(lambda, nHat);
      RingPedersenProof proof = RingPedersenProof.prove(nHat, s, t, lambda, p, q, rnd);
      RingPedersenParams params = RingPedersenParams.validate(nHat, s, t, proof, bits == RingPedersenParams.TEST_ONLY_BITS);
      return new TrapdoorParams(params, lambda, phi);
    }
  }

  /**
   * A Π^fac "proof" for any N0, made with the trapdoor: every commitment is a power of t, and the
   * responses are solved for modulo φ(N̂). {@code z1}, {@code z2} and {@code sigma} are free.
   */
  FactorProof forge(BigInteger n0, byte[] context, BigInteger z1, BigInteger z2, BigInteger sigma, SecureRandom rnd) {
    BigInteger nHat = params.nHat();
    BigInteger t = params.t();
    BigInteger aP = NumberTheory.randomBelow(rnd, phi);
    BigInteger aQ = NumberTheory.randomBelow(rnd, phi);
    BigInteger aA = NumberTheory.randomBelow(rnd, phi);
    BigInteger aB = NumberTheory.randomBelow(rnd, phi);
    BigInteger aT = NumberTheory.randomBelow(rnd, phi);
    BigInteger cp = t.modPow(aP, nHat);
    BigInteger cq = t.modPow(aQ, nHat);
    BigInteger ca = t.modPow(aA, nHat);
    BigInteger cb = t.modPow(aB, nHat);
    BigInteger ct = t.modPow(aT, nHat);
    BigInteger e = FactorProof.challenge(n0, params, context, cp, cq, ca, cb, ct, sigma);
    // s^z t^w = t^(λz + w) must equal t^(a_A + e·a_P).
    BigInteger w1 = aA.add(e.multiply(aP)).subtract(lambda.multiply(z1)).mod(phi);
    BigInteger w2 = aB.add(e.multiply(aQ)).subtract(lambda.multiply(z2)).mod(phi);
    // Q^z1 t^v = t^(a_Q·z1 + v) must equal T·R^e = t^(a_T + e·(λ·N0 + σ)).
    BigInteger v = aT.add(e.multiply(lambda.multiply(n0).add(sigma))).subtract(aQ.multiply(z1)).mod(phi);
    return new FactorProof(n0.bitLength(), nHat.bitLength(), cp, cq, ca, cb, ct, sigma, z1, z2, w1, w2, v);
  }
}
