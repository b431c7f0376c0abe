package org.medledger.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The byte strings of the payment-channel protocol (docs/protocol.md §9.1) that the two
 * parties sign off chain and the chaincode checks on chain: the salted digest of a state's
 * settlement, the state signature and the cooperative-close signature. Every string is framed as
 * u16 length ‖ UTF-8 and every integer as u64 big-endian, after a domain label, so no two
 * different messages share bytes.
 */
public final class ChannelMessages {
  public static final String DIGEST_DOMAIN = "medledger/paychan/digest/v1";
  public static final String STATE_DOMAIN = "medledger/paychan/state/v1";
  public static final String CLOSE_DOMAIN = "medledger/paychan/close/v1";
  public static final int DIGEST_BYTES = 32;
  public static final int SALT_BYTES = 32;

  private ChannelMessages() {}

  /** Where a message is valid: the Fabric channel, the chaincode and the payment channel's id. */
  public record Scope(String fabricChannel, String chaincode, String channelId) {}

  /**
   * The commitment to what settling a state moves: SHA-256 of the domain, the scope, the sequence
   * number, the net payer ("" when nobody pays) and the amount it pays, and the state's 32-byte
   * salt. The salt is known to the two parties only, so the digest hides the amount.
   */
  public static byte[] stateDigest(Scope scope, long seq, String payer, long amount, byte[] salt) {
    if (salt.length != SALT_BYTES) {
      throw new IllegalArgumentException("a state salt has " + SALT_BYTES + " bytes");
    }
    Frame f = new Frame(DIGEST_DOMAIN, scope).u64(seq).str(payer).u64(amount).raw(salt);
    return sha256(f.bytes());
  }

  /** What both parties sign for state {@code seq}: scope, sequence number, net payer and digest. */
  public static byte[] stateSigningBytes(Scope scope, long seq, String payer, byte[] digest) {
    return new Frame(STATE_DOMAIN, scope).u64(seq).str(payer).var(digest).bytes();
  }

  /**
   * What both parties sign to close cooperatively on state {@code seq}: the state's fields and the
   * SHA-256 of the settlement bundle (empty when nobody pays).
   */
  public static byte[] closeSigningBytes(Scope scope, long seq, String payer, byte[] digest, byte[] bundleDigest) {
    return new Frame(CLOSE_DOMAIN, scope).u64(seq).str(payer).var(digest).var(bundleDigest).bytes();
  }

  /** The payee label of a deposit's transfer context: a deposit pays into the channel. */
  public static String depositPayee(String channelId) {
    return "paychan/" + channelId + "/deposit";
  }

  /** The payee label of a settlement's transfer context. */
  public static String settlementPayee(String channelId) {
    return "paychan/" + channelId + "/settle";
  }

  /** Ed25519 signature of {@code message} with an account key (client side). */
  public static byte[] sign(byte[] message, Ed25519PrivateKeyParameters key) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }

  public static byte[] sha256(byte[] b) {
    SHA256Digest d = new SHA256Digest();
    d.update(b, 0, b.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  private static final class Frame {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(192);

    Frame(String domain, Scope scope) {
      str(domain).str(scope.fabricChannel()).str(scope.chaincode()).str(scope.channelId());
    }

    Frame str(String s) {
      return var(s.getBytes(StandardCharsets.UTF_8));
    }

    Frame var(byte[] b) {
      if (b.length > 0xFFFF) {
        throw new IllegalArgumentException("field too long");
      }
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
      return this;
    }

    Frame u64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
      return this;
    }

    Frame raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
