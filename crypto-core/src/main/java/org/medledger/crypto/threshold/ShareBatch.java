package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.internal.Bytes;

/**
 * Batch verification of decryption shares that carry their proofs' commitments (docs/protocol.md
 * §10.2, "Batch verification"). For shares i of one ciphertext c, with c⁴, c_i², a_i, b_i, e_i,
 * z_i, the squared proof equations are X_i² = 1 and Y_i² = 1 for
 * X_i = (c⁴)^{z_i}·(a_i·(c_i²)^{e_i})⁻¹ and Y_i = v^{z_i}·(b_i·v_i^{e_i})⁻¹. With weights ρ_i and γ
 * of 128 bits the batch accepts iff
 * (c⁴·v^γ)^{2·Σρ_i z_i} = ∏_i ((a_i·(c_i²)^{e_i})·(b_i·v_i^{e_i})^γ)^{2ρ_i}: one long
 * exponentiation for the whole batch instead of two per share. On failure every share is checked
 * alone, exactly, and the first that fails (lowest member index) is named.
 */
final class ShareBatch {
  /** Bits of each weight ρ_i and of γ: a batch with a false equation passes with probability ≤ 2^-127. */
  static final int WEIGHT_BITS = 128;

  /** Where the weights come from. */
  interface Weights {
    BigInteger next();
  }

  private ShareBatch() {}

  /** Weights drawn independently and uniformly from [0, 2^128) with the caller's generator. */
  static Weights random(SecureRandom rnd) {
    return () -> new BigInteger(WEIGHT_BITS, rnd);
  }

  /**
   * Weights squeezed from a transcript of the committee key, c, the context and every share of
   * the batch (member, c_i, e, z, a, b), for callers that must be deterministic (the chaincode).
   * Sound in the random-oracle model: each choice of shares gives fresh uniform weights.
   */
  static Weights derived(ThresholdPublicKey pk, BigInteger c, byte[] context, List<DecryptionShare> shares) {
    int full = pk.paillierKey().bits() / 4;
    Transcript t = pk.transcript()
        .appendString("protocol", "decryption-share-batch")
        .appendBytes("ciphertext", Bytes.fixed(c, full))
        .appendBytes("context", context)
        .appendLong("count", shares.size());
    for (DecryptionShare s : shares) {
      t.appendLong("member", s.member())
          .appendBytes("share", Bytes.fixed(s.value(), full))
          .appendInteger("e", s.challenge())
          .appendInteger("z", s.response())
          .appendBytes("a", Bytes.fixed(s.commitmentA(), full))
          .appendBytes("b", Bytes.fixed(s.commitmentB(), full));
    }
    return () -> t.challengeBits("weight", WEIGHT_BITS);
  }

  /**
   * Checks the squared proof equations of {@code shares} (ascending by member, each already
   * through {@link PartialDecryption}'s range and challenge checks, each with commitments).
   *
   * @throws InvalidShareException (DECRYPTION_SHARE_INVALID) naming the lowest member whose
   *     share fails alone
   */
  static void verify(ThresholdPublicKey pk, BigInteger cv, List<DecryptionShare> shares, Weights weights) {
    if (shares.isEmpty()) {
      return;
    }
    BigInteger nSq = pk.paillierKey().nSquared();
    BigInteger c4 = square(square(cv, nSq), nSq);
    BigInteger gamma = weights.next();
    BigInteger exponent = BigInteger.ZERO;
    BigInteger rhs = BigInteger.ONE;
    boolean single = shares.size() == 1;
    for (DecryptionShare s : shares) {
      // One share needs no ρ: γ alone merges its two equations.
      BigInteger rho = single ? BigInteger.ONE : weights.next();
      BigInteger e = s.challenge();
      BigInteger ci2 = square(s.value(), nSq);
      BigInteger left = s.commitmentA().multiply(ci2.modPow(e, nSq)).mod(nSq);
      BigInteger right = s.commitmentB().multiply(pk.verificationKey(s.member()).modPow(e, nSq)).mod(nSq);
      BigInteger term = left.multiply(right.modPow(gamma, nSq)).mod(nSq);
      rhs = rhs.multiply(term.modPow(rho.shiftLeft(1), nSq)).mod(nSq);
      exponent = exponent.add(rho.multiply(s.response()));
    }
    BigInteger base = c4.multiply(pk.vPow(gamma)).mod(nSq);
    if (base.modPow(exponent.shiftLeft(1), nSq).equals(rhs)) {
      return;
    }
    for (DecryptionShare s : shares) {
      if (!holdsAlone(pk, c4, s)) {
        throw new InvalidShareException(PartialDecryption.INVALID, s.member(), PartialDecryption.EQUATION_FAILS);
      }
    }
    throw new IllegalStateException("batch equation failed although every share holds alone");
  }

  /** The two squared equations of one share, exactly: (c⁴)^{2z} = (a·(c_i²)^e)² and v^{2z} = (b·v_i^e)². */
  static boolean holdsAlone(ThresholdPublicKey pk, BigInteger c4, DecryptionShare s) {
    BigInteger nSq = pk.paillierKey().nSquared();
    BigInteger e = s.challenge();
    BigInteger z2 = s.response().shiftLeft(1);
    BigInteger ci2 = square(s.value(), nSq);
    BigInteger left = s.commitmentA().multiply(ci2.modPow(e, nSq)).mod(nSq);
    if (!c4.modPow(z2, nSq).equals(square(left, nSq))) {
      return false;
    }
    BigInteger right = s.commitmentB().multiply(pk.verificationKey(s.member()).modPow(e, nSq)).mod(nSq);
    return pk.vPow(z2).equals(square(right, nSq));
  }

  static BigInteger square(BigInteger x, BigInteger modulus) {
    return x.multiply(x).mod(modulus);
  }
}
