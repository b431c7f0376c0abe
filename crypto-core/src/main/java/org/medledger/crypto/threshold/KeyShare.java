package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;

/**
 * One committee member's share s_i of the decryption exponent (docs/protocol.md §10.1), bound to
 * the committee (and epoch) by its fingerprint. Secret: kept at rest only inside the client
 * keystore's encrypted envelope, never printed ({@link #toString()} redacts it);
 * {@link #destroy()} drops the reference (the JVM cannot wipe an immutable BigInteger).
 */
public final class KeyShare implements Destroyable {
  static final byte TYPE = 0x31;
  static final byte VERSION = 1;
  static final String MALFORMED = "MALFORMED_KEY_SHARE";
  private static final int FINGERPRINT = 32;

  private final byte[] committee;
  private final int member;
  private final int keyBits;
  private final int shareBits;
  private BigInteger share;
  private boolean destroyed;

  KeyShare(ThresholdPublicKey pk, int member, BigInteger share) {
    pk.checkMember(member);
    if (share.abs().bitLength() > pk.shareBits()) {
      throw new IllegalStateException("share exceeds the committee's bound");
    }
    this.committee = pk.fingerprint();
    this.member = member;
    this.keyBits = pk.paillierKey().bits();
    this.shareBits = pk.shareBits();
    this.share = share;
  }

  /** The 1-based member index i. */
  public int member() {
    return member;
  }

  /** Fingerprint of the committee this share belongs to. */
  public byte[] committee() {
    return committee.clone();
  }

  /** True iff this share belongs to {@code pk}. */
  public boolean belongsTo(ThresholdPublicKey pk) {
    return pk.hasFingerprint(committee);
  }

  BigInteger secret(SecretAccess access) {
    SecretAccess.require(access);
    if (destroyed) {
      throw new IllegalStateException("key share has been destroyed");
    }
    return share;
  }

  /**
   * Canonical encoding (type 0x31, version 1): header with k ‖ committee fingerprint (32) ‖ u16 i ‖
   * u16 shareBits ‖ s_i as a sign byte and ⌈shareBits/8⌉ magnitude bytes. Secret: for the keystore.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return a fresh array the caller should zero after use
   */
  public byte[] toBytes(SecretAccess access) {
    BigInteger s = secret(access);
    byte[] out = new byte[EncodingHeader.LENGTH + FINGERPRINT + 4 + SignedInt.length(shareBits)];
    int at = ThresholdPublicKey.put(out, 0, EncodingHeader.of(TYPE, VERSION, keyBits));
    at = ThresholdPublicKey.put(out, at, committee);
    at = ThresholdPublicKey.putU16(out, at, member);
    at = ThresholdPublicKey.putU16(out, at, shareBits);
    ThresholdPublicKey.put(out, at, SignedInt.encode(s, shareBits));
    return out;
  }

  /**
   * Decodes a share of {@code pk} and checks it against the member's verification key
   * (v^{Δ·s_i} = v_i), so a keystore never yields a share that would only produce refused proofs.
   *
   * @throws MalformedInputException MALFORMED_KEY_SHARE, WRONG_COMMITTEE or KEY_SHARE_MISMATCH
   */
  public static KeyShare fromBytes(byte[] encoded, ThresholdPublicKey pk) {
    int k = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED, "key share");
    if (k != pk.paillierKey().bits()) {
      throw new MalformedInputException("WRONG_COMMITTEE", "key share is for another key size");
    }
    int fixed = EncodingHeader.LENGTH + FINGERPRINT + 4;
    if (encoded.length < fixed) {
      throw new MalformedInputException(MALFORMED, "key share too short");
    }
    byte[] fp = Arrays.copyOfRange(encoded, EncodingHeader.LENGTH, EncodingHeader.LENGTH + FINGERPRINT);
    if (!pk.hasFingerprint(fp)) {
      throw new MalformedInputException("WRONG_COMMITTEE", "key share belongs to another committee or epoch");
    }
    int member = ThresholdPublicKey.u16(encoded, fixed - 4);
    int bits = ThresholdPublicKey.u16(encoded, fixed - 2);
    if (bits != pk.shareBits()) {
      throw new MalformedInputException(MALFORMED, "key share bound differs from the committee's");
    }
    if (encoded.length != fixed + SignedInt.length(bits)) {
      throw new MalformedInputException(MALFORMED, "key share has the wrong length");
    }
    pk.checkMember(member);
    BigInteger s = SignedInt.decode(encoded, fixed, bits, MALFORMED, "key share");
    BigInteger nSq = pk.paillierKey().nSquared();
    if (!pk.vPow(pk.delta().multiply(s)).equals(pk.verificationKey(member))) {
      throw new MalformedInputException("KEY_SHARE_MISMATCH", "key share does not match member " + member
          + "'s verification key");
    }
    return new KeyShare(pk, member, s);
  }

  @Override
  public void destroy() {
    share = null;
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "KeyShare[member " + member + ", " + keyBits + " bits, secret material redacted]";
  }
}
