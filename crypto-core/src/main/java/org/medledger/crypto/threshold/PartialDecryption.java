package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
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
 * reproduce e. The transcript binds the committee's whole public key, i, v_i, c, the context
 * (e.g. a disclosure-request id), c_i, a and b.
 */
public final class PartialDecryption {
  static final String INVALID = "DECRYPTION_SHARE_INVALID";
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
    BigInteger b = pk.v().modPow(r, nSq);
    BigInteger e = challenge(pk, share.member(), cv, context, ci, a, b);
    return new DecryptionShare(share.member(), ci, e, r.add(e.multiply(x)));
  }

  /**
   * Checks {@code s} for ciphertext {@code c} and {@code context}, in this order: member of the
   * committee, c ∈ Z*_{n²}, c_i ∈ Z*_{n²}, e &lt; 2^κ, |z| &lt; 2^responseBits, then the proof.
   *
   * @throws InvalidShareException (UNKNOWN_MEMBER or DECRYPTION_SHARE_INVALID) naming the member
   * @throws MalformedInputException (MALFORMED_CIPHERTEXT) if c itself is not a ciphertext
   */
  public static void verify(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context, DecryptionShare s) {
    Objects.requireNonNull(context, "context");
    int i = s.member();
    pk.checkMember(i);
    PaillierPublicKey paillier = pk.paillierKey();
    BigInteger cv = paillier.ciphertext(c.value()).value();
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
    BigInteger nSq = paillier.nSquared();
    BigInteger c4 = cv.modPow(FOUR, nSq);
    BigInteger ci2 = ci.multiply(ci).mod(nSq);
    BigInteger a = c4.modPow(z, nSq).multiply(ci2.modPow(e.negate(), nSq)).mod(nSq);
    BigInteger b = pk.v().modPow(z, nSq).multiply(pk.verificationKey(i).modPow(e.negate(), nSq)).mod(nSq);
    if (!challenge(pk, i, cv, context, ci, a, b).equals(e)) {
      throw new InvalidShareException(INVALID, i,
          "proof does not verify (log_{c⁴}(c_i²) = log_v(v_i) fails for this committee, ciphertext and context)");
    }
  }

  private static BigInteger challenge(ThresholdPublicKey pk, int member, BigInteger c, byte[] context, BigInteger ci,
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
