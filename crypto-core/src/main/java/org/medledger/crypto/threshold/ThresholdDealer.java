package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.KeyProof;
import org.medledger.crypto.proof.SafePrimes;

/**
 * The trusted dealer of a threshold committee (docs/protocol.md §10.1), after Shoup (EUROCRYPT
 * 2000) and Damgård–Jurik (PKC 2001, §4.1): safe primes p = 2p'+1, q = 2q'+1, n = pq, m' = p'q',
 * d ≡ 0 (mod m') and d ≡ 1 (mod n), Shamir-shared modulo n·m' with a random polynomial of degree
 * t − 1; a verification base v = r² mod n² of order n·m'; v_i = v^{Δ·s_i}; and the DJN generator
 * h = −x² mod n of an ordinary {@link PaillierPublicKey}, with the key proof of §3.4.
 *
 * <p><b>Trust assumption.</b> The dealer knows p, q, d and the polynomial, so it can decrypt
 * everything until it forgets them. This code drops every reference before returning, but nothing
 * in the output can show that the machine that ran it forgot them (§10.5).
 */
public final class ThresholdDealer {
  private ThresholdDealer() {}

  /** What the dealer hands out: the public key and proof to publish, one share per member. */
  public record Dealing(ThresholdPublicKey publicKey, KeyProof keyProof, List<KeyShare> shares) {
    public Dealing {
      shares = List.copyOf(shares);
    }
  }

  /**
   * Deals a fresh t-of-m committee key of {@code size}: two safe primes of k/2 bits from the
   * {@link SafePrimes} sieve (seconds at 2048 bits, tens of seconds at 3072), then
   * {@link #dealFromSafePrimes}.
   */
  public static Dealing deal(KeySize size, int threshold, int members, byte[] keyProofContext, SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    checkShape(threshold, members);
    int half = size.bits() / 2;
    while (true) {
      BigInteger p = SafePrimes.generate(half, rnd);
      BigInteger q = SafePrimes.generate(half, rnd);
      if (p.subtract(q).abs().bitLength() < half - 100 || p.multiply(q).bitLength() != size.bits()) {
        continue;
      }
      return dealFromSafePrimes(p, q, threshold, members, keyProofContext, rnd);
    }
  }

  /**
   * Deals from given safe primes (tests use fixed ones; a ceremony may use primes it searched for
   * itself). Checks that p, q, (p−1)/2 and (q−1)/2 are prime, p ≠ q, and n has a supported size.
   */
  public static Dealing dealFromSafePrimes(BigInteger p, BigInteger q, int threshold, int members,
      byte[] keyProofContext, SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    Objects.requireNonNull(keyProofContext, "keyProofContext");
    checkShape(threshold, members);
    BigInteger pp = p.shiftRight(1);
    BigInteger qq = q.shiftRight(1);
    if (p.equals(q) || p.bitLength() != q.bitLength() || !p.testBit(0) || !q.testBit(0)
        || !pp.isProbablePrime(128) || !qq.isProbablePrime(128) || !p.isProbablePrime(128)
        || !q.isProbablePrime(128)) {
      throw new IllegalArgumentException("p and q must be distinct safe primes of equal length");
    }
    BigInteger n = p.multiply(q);
    KeySize.ofBits(n.bitLength());
    BigInteger nSq = n.multiply(n);
    BigInteger mPrime = pp.multiply(qq);
    BigInteger order = n.multiply(mPrime); // of the group of squares of Z*_{n²}

    // d ≡ 0 (mod m'), d ≡ 1 (mod n); gcd(n, m') = 1 since p, q, p', q' are distinct primes.
    BigInteger d = mPrime.multiply(mPrime.modInverse(n));
    BigInteger[] coeff = new BigInteger[threshold];
    coeff[0] = d;
    for (int k = 1; k < threshold; k++) {
      coeff[k] = NumberTheory.randomBelow(rnd, order);
    }
    BigInteger[] s = new BigInteger[members];
    for (int i = 1; i <= members; i++) {
      BigInteger x = BigInteger.valueOf(i);
      BigInteger acc = BigInteger.ZERO;
      for (int k = threshold - 1; k >= 0; k--) {
        acc = acc.multiply(x).add(coeff[k]);
      }
      s[i - 1] = acc.mod(order);
    }

    BigInteger v = generatorOfSquares(n, nSq, order, new BigInteger[] {p, q, pp, qq}, rnd);
    BigInteger x = NumberTheory.randomUnit(rnd, n);
    BigInteger h = n.subtract(x.multiply(x).mod(n));
    PaillierPublicKey paillier = PaillierPublicKey.of(n, h);

    BigInteger delta = Lagrange.delta(members);
    BigInteger[] vks = new BigInteger[members];
    for (int i = 0; i < members; i++) {
      vks[i] = v.modPow(delta.multiply(s[i]), nSq);
    }
    ThresholdPublicKey pk = ThresholdPublicKey.of(paillier, v, threshold, members, order.bitLength(),
        BigInteger.ONE, vks);

    PaillierSecretKey sk = PaillierSecretKey.of(paillier, p.max(q), p.min(q));
    KeyProof proof = KeyProof.prove(sk, keyProofContext, rnd);
    sk.destroy();

    List<KeyShare> shares = new ArrayList<>(members);
    for (int i = 1; i <= members; i++) {
      shares.add(new KeyShare(pk, i, s[i - 1]));
    }
    java.util.Arrays.fill(coeff, null);
    java.util.Arrays.fill(s, null);
    return new Dealing(pk, proof, shares);
  }

  /** v = r² mod n² for uniform r ∈ Z*_{n²}, redrawn until v^{order/ℓ} ≠ 1 for every prime ℓ | order. */
  private static BigInteger generatorOfSquares(BigInteger n, BigInteger nSq, BigInteger order, BigInteger[] primes,
      SecureRandom rnd) {
    while (true) {
      BigInteger r = NumberTheory.randomUnit(rnd, nSq);
      BigInteger v = r.multiply(r).mod(nSq);
      boolean full = true;
      for (BigInteger l : primes) {
        if (v.modPow(order.divide(l), nSq).equals(BigInteger.ONE)) {
          full = false;
          break;
        }
      }
      if (full) {
        return v;
      }
    }
  }

  static void checkShape(int threshold, int members) {
    if (members < 1 || members > ThresholdPublicKey.MAX_MEMBERS || threshold < 1 || threshold > members) {
      throw new IllegalArgumentException("need 1 ≤ t ≤ m ≤ " + ThresholdPublicKey.MAX_MEMBERS);
    }
  }
}
