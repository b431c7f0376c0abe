package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;

/**
 * Member i's partial decryption c_i = c^{2Δ·s_i} mod n² of one ciphertext, with the proof (e, z)
 * that log_{c⁴}(c_i²) = log_v(v_i) (docs/protocol.md §10.2). Public. Made and checked by
 * {@link PartialDecryption}; an instance says nothing about validity until verified.
 */
public final class DecryptionShare {
  static final byte TYPE = 0x32;
  static final byte VERSION = 1;
  static final String MALFORMED = "MALFORMED_DECRYPTION_SHARE";
  static final int CHALLENGE_BYTES = ThresholdPublicKey.CHALLENGE_BITS / 8;

  private final int member;
  private final BigInteger value;
  private final BigInteger challenge;
  private final BigInteger response;

  DecryptionShare(int member, BigInteger value, BigInteger challenge, BigInteger response) {
    this.member = member;
    this.value = value;
    this.challenge = challenge;
    this.response = response;
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

  static int encodedLength(ThresholdPublicKey pk) {
    return EncodingHeader.LENGTH + 2 + pk.paillierKey().bits() / 4 + CHALLENGE_BYTES
        + SignedInt.length(pk.responseBits());
  }

  /**
   * Strict decoding for {@code pk}: exact length, c_i &lt; n², |z| &lt; 2^responseBits. Membership
   * of c_i in Z*_{n²} and the proof are checked by {@link PartialDecryption#verify}.
   */
  public static DecryptionShare fromBytes(byte[] encoded, ThresholdPublicKey pk) {
    int k = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED, "decryption share");
    if (k != pk.paillierKey().bits() || encoded.length != encodedLength(pk)) {
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
    return new DecryptionShare(member, value, e, z);
  }

  @Override
  public String toString() {
    return "DecryptionShare[member " + member + "]";
  }
}
