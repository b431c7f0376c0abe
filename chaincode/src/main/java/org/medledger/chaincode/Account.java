package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.util.Base64;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * An account as stored under key {@code account/<id>}: pseudonymous id, role, Paillier public
 * key, Ed25519 signing key and where and when it was registered. Immutable after registration, so
 * that payments to an account never conflict with that account's own activity; its nonce lives
 * under its own key ({@code nonce/<id>}).
 *
 * <p>{@code paillierHs} is h_s = h^n mod n², computed by the chaincode when the key is registered
 * (never taken from a request) and read back with the checks of
 * {@link PaillierPublicKey#withStoredHs}; accounts registered before it existed have none, and
 * their h_s is computed when the key is first decoded. Keys are decoded through {@link KeyCache}.
 */
record Account(String id, Role role, byte[] paillierKey, byte[] signingKey, String mspId,
    String registeredAt, String registrationTx, byte[] paillierHs) {

  /** The account's key with its h_s, from the shared cache (no table unless one was built). */
  PaillierPublicKey publicKey() {
    return KeyCache.SHARED.key(paillierKey, paillierHs, this::decodeKey);
  }

  /**
   * The key as the transfer verification uses a payee's or the regulator's: from the second such
   * use in this JVM on, with the fixed-base table of h_s (docs/chaincode.md §1).
   */
  PaillierPublicKey publicKeyForVerification() {
    return KeyCache.SHARED.keyForVerification(paillierKey, paillierHs, this::decodeKey);
  }

  private PaillierPublicKey decodeKey() {
    try {
      PaillierPublicKey k = PaillierPublicKey.fromBytes(paillierKey);
      return paillierHs == null ? k : k.withStoredHs(paillierHs);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_KEY, "stored key of " + id + " is invalid");
    }
  }

  /** 2·k/8 bytes for the largest supported key (4096 bits). */
  static final int MAX_HS_BYTES = 1024;

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("role", role.name());
    o.addProperty("paillierKey", Base64.getEncoder().encodeToString(paillierKey));
    o.addProperty("signingKey", Base64.getEncoder().encodeToString(signingKey));
    o.addProperty("mspId", mspId);
    o.addProperty("registeredAt", registeredAt);
    o.addProperty("registrationTx", registrationTx);
    if (paillierHs != null) {
      o.addProperty("paillierHs", Base64.getEncoder().encodeToString(paillierHs));
    }
    return o;
  }

  byte[] toBytes() {
    return CanonicalJson.toBytes(toJson());
  }

  static Account fromJson(JsonObject o) {
    return new Account(
        Json.string(o, "id", 64),
        Json.role(o.get("role")),
        Json.base64(o, "paillierKey", 1100),
        Json.base64(o, "signingKey", 32),
        Json.string(o, "mspId", 128),
        Json.string(o, "registeredAt", 64),
        Json.string(o, "registrationTx", 128),
        o.has("paillierHs") ? Json.base64(o, "paillierHs", MAX_HS_BYTES) : null);
  }
}
