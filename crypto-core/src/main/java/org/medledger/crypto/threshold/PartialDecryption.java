package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Partial decryption and its proof (docs/protocol.md §10.2), after Shoup (EUROCRYPT 2000) and
 * Damgård–Jurik (PKC 2001, §4): member i publishes c_i = c^{2x} with x = Δ·s_i and proves
 * log_{c⁴}(c_i²) = log_v(v_i) = x with a Fiat–Shamir Σ-protocol over the integers:
 * r ← [0, 2^(xBits+κ+σ)), a = c^{4r}, b = v^r, e = H(…) ∈ [0, 2^κ), z = r + e·x.
 * The verifier accepts iff |z| &lt; 2^(xBits+κ+σ+1), a = c^{4z}·c_i^{−2e} and b = v^z·v_i^{−e}
 * reproduce e; for a share that carries (a, b), iff they reproduce e and the squared equations
 * hold, checked for many shares of one ciphertext in one long exponentiation
 * ({@link #verifyBatch}, {@link ShareBatch}). The transcript binds the committee's whole public
 * key, i, v_i, c, the context (e.g. a disclosure-request id), c_i, a and b.
 */
public final class PartialDecryption {
  static final String INVALID = "DECRYPTION_SHARE_INVALID";
  static final String EQUATION_FAILS =
      "proof does not verify (log_{c⁴}(c_i²) = log_v(v_i) fails for this committee, ciphertext and context)";
  private static final BigInteger FOUR = BigInteger.valueOf(4);

  private PartialDecryption() {}

  /** Member {@code share.member()}'s share of the decryption of {@code c} for {@code context}. */
  public static DecryptionShare create(KeyShare share, ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    Objects.requireNonNull(context, "context");
    if (!share.belongsTo(pk)) {
      throw new MalformedInputException("WRONG_COMMITTEE", "key share belongs to another committee or epoch");
    }
    PaillierPublicKey paillier = pk.paillierKey();
    BigInteger cv = paillier.ciphertext(c.value()).value();
    BigInteger nSq = paillier.nSquared();
    BigInteger x = pk.delta().multiply(share.secret(SecretAccess.explicit()));
    BigInteger c4 = cv.modPow(FOUR, nSq);
    BigInteger ci = cv.modPow(x.shiftLeft(1), nSq);
    BigInteger r = new BigInteger(pk.nonceBits(), rnd);
    BigInteger a = c4.modPow(r, nSq);
    BigInteger b = pk.vPow(r);
    BigInteger e = challenge(pk, share.member(), cv, context, ci, a, b);
    return new DecryptionShare(share.member(), ci, e, r.add(e.multiply(x)), a, b);
  }

  /**
   * Checks {@code s} for ciphertext {@code c} and {@code context}, in this order: member of the
   * committee, c ∈ Z*_{n²}, c_i ∈ Z*_{n²}, e &lt; 2^κ, |z| &lt; 2^responseBits, then the proof: for
   * a share with its commitments ({@link DecryptionShare#hasCommitments()}) a, b ∈ Z*_{n²}, e
   * reproduced from them, and the squared equations merged by a transcript-derived weight
   * (deterministic; docs/protocol.md §10.2, batch verification); for a share without them, a and
   * b recomputed from (e, z) reproduce e.
   *
   * @throws InvalidShareException (UNKNOWN_MEMBER or DECRYPTION_SHARE_INVALID) naming the member
   * @throws MalformedInputException (MALFORMED_CIPHERTEXT) if c itself is not a ciphertext
   */
  public static void verify(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context, DecryptionShare s) {
    Objects.requireNonNull(context, "context");
    pk.checkMember(s.member());
    BigInteger cv = pk.paillierKey().ciphertext(c.value()).value();
    verifyAll(pk, cv, context, List.of(s), null);
  }

  /**
   * Checks several shares of one ciphertext together (docs/protocol.md §10.2, batch
   * verification): every share's range and challenge checks first, then one long exponentiation
   * for all shares that carry commitments, with weights drawn from {@code rnd}; shares without
   * commitments are checked one by one. Accepts exactly what {@link #verify} accepts share by
   * share, except with probability ≤ 2^-127 per call. Like the combiner, it first refuses a
   * non-member (UNKNOWN_MEMBER) and two shares from one member (DUPLICATE_SHARE), before any
   * exponentiation.
   *
   * @throws InvalidShareException naming a member whose share is invalid (the lowest such index
   *     among the shares that fail the first check that fails), or a non-member or repeated member
   * @throws MalformedInputException (MALFORMED_CIPHERTEXT) if c itself is not a ciphertext
   */
  public static void verifyBatch(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares, SecureRandom rnd) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(rnd, "rnd");
    List<DecryptionShare> sorted = new ArrayList<>(shares);
    sorted.sort(Comparator.comparingInt(DecryptionShare::member));
    for (int k = 0; k < sorted.size(); k++) {
      int member = sorted.get(k).member();
      pk.checkMember(member);
      if (k > 0 && sorted.get(k - 1).member() == member) {
        throw new InvalidShareException("DUPLICATE_SHARE", member, "offered two shares");
      }
    }
    BigInteger cv = pk.paillierKey().ciphertext(c.value()).value();
    verifyAll(pk, cv, context, sorted, rnd);
  }

  /**
   * Shares ascending by member: all cheap checks first, then the shares without commitments one
   * by one, then the batch of those with commitments (weights from {@code rnd}, or derived from a
   * transcript when it is null).
   */
  static void verifyAll(ThresholdPublicKey pk, BigInteger cv, byte[] context, List<DecryptionShare> shares,
      SecureRandom rnd) {
    List<DecryptionShare> batch = new ArrayList<>();
    for (DecryptionShare s : shares) {
      checkRanges(pk, s);
      if (s.hasCommitments()) {
        BigInteger e = challenge(pk, s.member(), cv, context, s.value(), s.commitmentA(), s.commitmentB());
        if (!e.equals(s.challenge())) {
          throw new InvalidShareException(INVALID, s.member(), EQUATION_FAILS);
        }
        batch.add(s);
      }
    }
    for (DecryptionShare s : shares) {
      if (!s.hasCommitments()) {
        verifyRecomputing(pk, cv, context, s);
      }
    }
    ShareBatch.verify(pk, cv, batch, rnd == null ? ShareBatch.derived(pk, cv, context, batch) : ShareBatch.random(rnd));
  }

  /** Checks 1, 3, 4 and 5 of docs/protocol.md §10.2, and a, b ∈ Z*_{n²} when present: no exponentiation. */
  private static void checkRanges(ThresholdPublicKey pk, DecryptionShare s) {
    int i = s.member();
    pk.checkMember(i);
    PaillierPublicKey paillier = pk.paillierKey();
    BigInteger ci = s.value();
    if (ci == null || !paillier.inUnitGroupOfNSquared(ci)) {
      throw new InvalidShareException(INVALID, i, "partial decryption is not in Z*_{n²}");
    }
    BigInteger e = s.challenge();
    BigInteger z = s.response();
    if (e == null || e.signum() < 0 || e.bitLength() > ThresholdPublicKey.CHALLENGE_BITS) {
      throw new InvalidShareException(INVALID, i, "challenge out of range");
    }
    if (z == null || z.abs().bitLength() > pk.responseBits()) {
      throw new InvalidShareException(INVALID, i, "proof response out of bounds (|z| ≥ 2^" + pk.responseBits() + ")");
    }
    if (s.hasCommitments()
        && (!paillier.inUnitGroupOfNSquared(s.commitmentA()) || !paillier.inUnitGroupOfNSquared(s.commitmentB()))) {
      throw new InvalidShareException(INVALID, i, "proof commitment is not in Z*_{n²}");
    }
  }

  /**
   * The original rule for a share without commitments: a = (c⁴)^z·(c_i²)^{−e} and
   * b = v^z·v_i^{−e} reproduce e. The two inverses share one inversion (Montgomery's trick).
   */
  private static void verifyRecomputing(ThresholdPublicKey pk, BigInteger cv, byte[] context, DecryptionShare s) {
    int i = s.member();
    BigInteger nSq = pk.paillierKey().nSquared();
    BigInteger e = s.challenge();
    BigInteger z = s.response();
    BigInteger ci = s.value();
    BigInteger c4 = ShareBatch.square(ShareBatch.square(cv, nSq), nSq);
    BigInteger ci2e = ShareBatch.square(ci, nSq).modPow(e, nSq);
    BigInteger vie = pk.verificationKey(i).modPow(e, nSq);
    BigInteger inverse = ci2e.multiply(vie).mod(nSq).modInverse(nSq);
    BigInteger a = c4.modPow(z, nSq).multiply(vie).mod(nSq).multiply(inverse).mod(nSq);
    BigInteger b = pk.vPow(z).multiply(ci2e).mod(nSq).multiply(inverse).mod(nSq);
    if (!challenge(pk, i, cv, context, ci, a, b).equals(e)) {
      throw new InvalidShareException(INVALID, i, EQUATION_FAILS);
    }
  }

  static BigInteger challenge(ThresholdPublicKey pk, int member, BigInteger c, byte[] context, BigInteger ci,
      BigInteger a, BigInteger b) {
    int full = pk.paillierKey().bits() / 4;
    Transcript t = pk.transcript()
        .appendString("protocol", "decryption-share")
        .appendLong("member", member)
        .appendBytes("vk", Bytes.fixed(pk.verificationKey(member), full))
        .appendBytes("ciphertext", Bytes.fixed(c, full))
        .appendBytes("context", context)
        .appendBytes("share", Bytes.fixed(ci, full))
        .appendBytes("a", Bytes.fixed(a, full))
        .appendBytes("b", Bytes.fixed(b, full));
    return t.challengeBits("e", ThresholdPublicKey.CHALLENGE_BITS);
  }
}
