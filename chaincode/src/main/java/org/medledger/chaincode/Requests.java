package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.util.Arrays;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.SignedRequest;

/**
 * Parses and authenticates signed requests (docs/chaincode.md §2): the envelope shape, the body's
 * type, the account's Ed25519 signature over the canonical body bound to channel and chaincode,
 * and the account's next nonce. Paper check 2e ("only A spends from A") is this signature.
 */
final class Requests {
  /**
   * Largest request accepted, in bytes of UTF-8 (a 4096-bit key proof is ~94 K of base64). The
   * entry check ({@link EntryCheck}) refuses a longer argument before it is decoded.
   */
  static final int MAX_REQUEST_BYTES = 512 * 1024;

  private Requests() {}

  record Envelope(JsonObject body, byte[] signature) {}

  /** An authenticated request: the signer's account, the body and the nonce it carried. */
  record Authenticated(Account account, JsonObject body, long nonce) {}

  static Envelope envelope(String json, String expectedType) {
    if (json == null || EntryCheck.utf8Length(json, MAX_REQUEST_BYTES) > MAX_REQUEST_BYTES) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, "request exceeds " + MAX_REQUEST_BYTES + " bytes");
    }
    JsonObject o = Json.object(json);
    // The text itself must be canonical: then the signed body fixes the request's bytes, and the
    // request text identifies the request (numbers were already checked by the parser).
    if (!CanonicalJson.toString(o).equals(json)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the request is not canonical JSON (members sorted,"
          + " no whitespace, strings escaped as CanonicalJson writes them)");
    }
    Json.onlyMembers(o, "body", "signature");
    JsonObject body = Json.obj(o, "body");
    byte[] sig = Json.base64(o, "signature", AccountKeys.SIGNATURE_BYTES);
    String type = Json.string(body, "type", 32);
    if (!type.equals(expectedType)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "expected a " + expectedType + " request, got " + type);
    }
    return new Envelope(body, sig);
  }

  static void checkSignature(ChannelConfig cfg, Envelope env, byte[] signingKey) {
    byte[] msg = SignedRequest.signingBytes(cfg.channel(), cfg.chaincode(), env.body());
    if (!AccountKeys.verify(signingKey, msg, env.signature())) {
      throw LedgerException.of(ErrorCode.BAD_SIGNATURE, "signature does not verify for this channel and chaincode");
    }
  }

  /**
   * Authenticates a request of an existing account: members exactly {@code members} (plus type,
   * account, nonce), signature by the account's key, nonce equal to the account's next nonce.
   */
  static Authenticated authenticate(Ledger ledger, ChannelConfig cfg, String json, String type, String... members) {
    Envelope env = envelope(json, type);
    String[] all = Arrays.copyOf(members, members.length + 3);
    all[members.length] = "type";
    all[members.length + 1] = "account";
    all[members.length + 2] = "nonce";
    Json.onlyMembers(env.body(), all);
    Account a = ledger.account(Json.string(env.body(), "account", 64));
    checkSignature(cfg, env, a.signingKey());
    long nonce = Json.integer(env.body(), "nonce", 0, Long.MAX_VALUE - 1);
    long expected = ledger.nonce(a.id());
    if (nonce != expected) {
      throw LedgerException.of(ErrorCode.BAD_NONCE, "expected nonce " + expected + ", got " + nonce);
    }
    return new Authenticated(a, env.body(), nonce);
  }
}
