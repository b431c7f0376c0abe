package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;

/**
 * Member i's partial decryption c_i = c^{2Δ·s_i} mod n² of one ciphertext, with the proof (e, z)
 * that log_{c⁴}(c_i²) = log_v(v_i) (docs/protocol.md §10.2), and, when made by
 * {@link PartialDecryption#create} or decoded from the version-2 encoding, the proof's commitments
 * (a, b) that let several shares be verified in one batch. Public. Made and checked by
 * {@link PartialDecryption}; an instance says nothing about validity until verified.
 */
public final class DecryptionShare {
  static final byte TYPE = 0x32;
  static final byte VERSION = 1;
  /** The encoding that also carries the proof's commitments (a, b), for batch verification. */
  static final byte VERSION_WITH_COMMITMENTS = 2;
  static final String MALFORMED = "MALFORMED_DECRYPTION_SHARE";
  static final int CHALLENGE_BYTES = ThresholdPublicKey.CHALLENGE_BITS / 8;

  private final int member;
  private final BigInteger value;
  private final BigInteger challenge;
  private final BigInteger response;
  private final BigInteger commitmentA;
  private final BigInteger commitmentB;

  DecryptionShare(int member, BigInteger value, BigInteger challenge, BigInteger response) {
    this(member, value, challenge, response, null, null);
  }

  /** With the proof's commitments a = (c⁴)^r and b = v^r (both or neither). */
  DecryptionShare(int member, BigInteger value, BigInteger challenge, BigInteger response, BigInteger commitmentA,
      BigInteger commitmentB) {
    if ((commitmentA == null) != (commitmentB == null)) {
      throw new IllegalArgumentException("both commitments or neither");
    }
    this.member = member;
    this.value = value;
    this.challenge = challenge;
    this.response = response;
    this.commitmentA = commitmentA;
    this.commitmentB = commitmentB;
  }

  public int member() {
    return member;
  }

  /** c_i. */
  public BigInteger value() {
    return value;
  }

  BigInteger challenge() {
    return challenge;
  }

  BigInteger response() {
    return response;
  }

  /**
   * True iff this share carries its proof's commitments (a, b): made by
   * {@link PartialDecryption#create} or decoded from {@link #toBytesWithCommitments}. Such shares
   * are checked by the batch rule of docs/protocol.md §10.2 (several shares of one ciphertext in
   * one long exponentiation); a share without them by the original rule, one at a time.
   */
  public boolean hasCommitments() {
    return commitmentA != null;
  }

  BigInteger commitmentA() {
    return commitmentA;
  }

  BigInteger commitmentB() {
    return commitmentB;
  }

  /**
   * type 0x32, version 1, u16 k ‖ u16 i ‖ c_i (k/4) ‖ e (16) ‖ z as a sign byte and
   * ⌈responseBits/8⌉ magnitude bytes. Throws if a field does not fit (only a forged share can).
   */
  public byte[] toBytes(ThresholdPublicKey pk) {
    int k = pk.paillierKey().bits();
    byte[] out = new byte[encodedLength(pk)];
    int at = ThresholdPublicKey.put(out, 0, EncodingHeader.of(TYPE, VERSION, k));
    at = ThresholdPublicKey.putU16(out, at, member);
    at = ThresholdPublicKey.put(out, at, Bytes.fixed(value, k / 4));
    at = ThresholdPublicKey.put(out, at, Bytes.fixed(challenge, CHALLENGE_BYTES));
    ThresholdPublicKey.put(out, at, SignedInt.encode(response, pk.responseBits()));
    return out;
  }

  /**
   * type 0x32, version 2: the version-1 body followed by a (k/4) ‖ b (k/4), the proof's
   * commitments, so a combiner can verify several shares of one ciphertext together
   * (docs/protocol.md §10.2, batch verification).
   *
   * @throws IllegalStateException if this share has no commitments ({@link #hasCommitments()})
   */
  public byte[] toBytesWithCommitments(ThresholdPublicKey pk) {
    if (!hasCommitments()) {
      throw new IllegalStateException("this share carries no commitments");
    }
    byte[] v1 = toBytes(pk);
    int full = pk.paillierKey().bits() / 4;
    byte[] out = Arrays.copyOf(v1, v1.length + 2 * full);
    out[1] = VERSION_WITH_COMMITMENTS;
    int at = ThresholdPublicKey.put(out, v1.length, Bytes.fixed(commitmentA, full));
    ThresholdPublicKey.put(out, at, Bytes.fixed(commitmentB, full));
    return out;
  }

  static int encodedLength(ThresholdPublicKey pk) {
    return EncodingHeader.LENGTH + 2 + pk.paillierKey().bits() / 4 + CHALLENGE_BYTES
        + SignedInt.length(pk.responseBits());
  }

  /**
   * Strict decoding for {@code pk} of either version: exact length, c_i &lt; n², |z| &lt;
   * 2^responseBits, and for version 2 a, b &lt; n². Membership of c_i (and a, b) in Z*_{n²} and the
   * proof are checked by {@link PartialDecryption#verify}.
   */
  public static DecryptionShare fromBytes(byte[] encoded, ThresholdPublicKey pk) {
    boolean withCommitments = encoded != null && encoded.length >= 2 && encoded[0] == TYPE
        && encoded[1] == VERSION_WITH_COMMITMENTS;
    int k = EncodingHeader.read(encoded, TYPE, withCommitments ? VERSION_WITH_COMMITMENTS : VERSION, MALFORMED,
        "decryption share");
    int full = k / 4;
    if (k != pk.paillierKey().bits()
        || encoded.length != encodedLength(pk) + (withCommitments ? 2 * full : 0)) {
      throw new MalformedInputException(MALFORMED, "decryption share has the wrong size for this committee");
    }
    int at = EncodingHeader.LENGTH;
    int member = ThresholdPublicKey.u16(encoded, at);
    at += 2;
    BigInteger value = new BigInteger(1, Arrays.copyOfRange(encoded, at, at + k / 4));
    at += k / 4;
    if (value.compareTo(pk.paillierKey().nSquared()) >= 0) {
      throw new MalformedInputException(MALFORMED, "partial decryption is not below n²");
    }
    BigInteger e = new BigInteger(1, Arrays.copyOfRange(encoded, at, at + CHALLENGE_BYTES));
    at += CHALLENGE_BYTES;
    BigInteger z = SignedInt.decode(encoded, at, pk.responseBits(), MALFORMED, "share proof response");
    if (!withCommitments) {
      return new DecryptionShare(member, value, e, z);
    }
    at += SignedInt.length(pk.responseBits());
    BigInteger a = new BigInteger(1, Arrays.copyOfRange(encoded, at, at + full));
    BigInteger b = new BigInteger(1, Arrays.copyOfRange(encoded, at + full, at + 2 * full));
    if (a.compareTo(pk.paillierKey().nSquared()) >= 0 || b.compareTo(pk.paillierKey().nSquared()) >= 0) {
      throw new MalformedInputException(MALFORMED, "proof commitment is not below n²");
    }
    return new DecryptionShare(member, value, e, z, a, b);
  }

  @Override
  public String toString() {
    return "DecryptionShare[member " + member + "]";
  }
}
