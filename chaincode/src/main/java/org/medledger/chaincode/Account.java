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
 */
record Account(String id, Role role, byte[] paillierKey, byte[] signingKey, String mspId,
    String registeredAt, String registrationTx) {

  PaillierPublicKey publicKey() {
    try {
      return PaillierPublicKey.fromBytes(paillierKey);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_KEY, "stored key of " + id + " is invalid");
    }
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("id", id);
    o.addProperty("role", role.name());
    o.addProperty("paillierKey", Base64.getEncoder().encodeToString(paillierKey));
    o.addProperty("signingKey", Base64.getEncoder().encodeToString(signingKey));
    o.addProperty("mspId", mspId);
    o.addProperty("registeredAt", registeredAt);
    o.addProperty("registrationTx", registrationTx);
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
        Json.string(o, "registrationTx", 128));
  }
}
