package org.medledger.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Account signing keys (Ed25519) and the pseudonymous account id derived from them:
 * {@code acct-} + hex of the first 16 bytes of SHA-256("medledger/account-id/v1" ‖ public key).
 */
public final class AccountKeys {
  public static final int PUBLIC_KEY_BYTES = Ed25519PublicKeyParameters.KEY_SIZE;
  public static final int SIGNATURE_BYTES = 64;

  private AccountKeys() {}

  public static String accountId(byte[] signingPublicKey) {
    if (signingPublicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    }
    SHA256Digest d = new SHA256Digest();
    byte[] dom = "medledger/account-id/v1".getBytes(StandardCharsets.UTF_8);
    d.update(dom, 0, dom.length);
    d.update(signingPublicKey, 0, signingPublicKey.length);
    byte[] h = new byte[32];
    d.doFinal(h, 0);
    return "acct-" + HexFormat.of().formatHex(h, 0, 16);
  }

  /** True iff {@code signature} is a valid Ed25519 signature of {@code message} by {@code publicKey}. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    Ed25519PublicKeyParameters pk;
    try {
      pk = new Ed25519PublicKeyParameters(publicKey, 0);
    } catch (IllegalArgumentException e) {
      return false;
    }
    Ed25519Signer s = new Ed25519Signer();
    s.init(false, pk);
    s.update(message, 0, message.length);
    return s.verifySignature(signature);
  }
}
