package org.medledger.chaincode;

import static org.medledger.chaincode.Contracts.emit;
import static org.medledger.chaincode.Contracts.requireRole;
import static org.medledger.chaincode.Records.decodeRecord;
import static org.medledger.chaincode.Records.id;
import static org.medledger.chaincode.Records.recordType;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.contract.Context;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;

/**
 * Consent in the {@code records} contract (docs/chaincode.md §8.2): the patient grants access to
 * one record or a type of records with re-encrypted copies whose proofs are verified here, shares
 * more copies under a grant, and revokes it; grants and their copies are listed.
 * {@link RecordContract} is the contract; this class holds the logic.
 */
final class Consent {
  /** Largest re-encryption proof accepted (4096-bit keys and a 3072-bit N̂ give about 5 KB). */
  static final int MAX_REENCRYPTION_PROOF_BYTES = 8 * 1024;
  private static final Set<Role> GRANTEES = EnumSet.of(Role.HOSPITAL, Role.INSURER, Role.DOCTOR, Role.REGULATOR);

  private Consent() {}

  /**
   * The patient grants a hospital, insurer, doctor or the regulator access to one record or to a
   * type of records, optionally until an expiry; the grant carries re-encrypted copies (at most
   * {@link RecordProtocol#MAX_COPIES_PER_TX}) whose re-encryption proofs are verified here.
   */
  static String grant(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "record.grant", "grantId", "grantee",
        "scope", "target", "expiresAt", "copies");
    Account patient = req.account();
    requireRole(patient, Role.PATIENT);
    JsonObject b = req.body();
    String grantId = id(b, "grantId", RecordProtocol.GRANT_ID);
    if (!grantId.equals(RecordProtocol.grantId(cfg.channel(), cfg.chaincode(), patient.id(), req.nonce()))) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "grantId is not the one derived from patient and nonce");
    }
    Account grantee = ledger.account(Json.string(b, "grantee", 64));
    if (!GRANTEES.contains(grantee.role()) || grantee.id().equals(patient.id())) {
      throw LedgerException.of(ErrorCode.WRONG_ROLE, "a " + grantee.role() + " account cannot be granted access");
    }
    Grant.Scope scope = scope(b);
    String target = scope == Grant.Scope.RECORD ? id(b, "target", RecordProtocol.RECORD_ID) : recordType(b, "target");
    long expiresAt = Json.integer(b, "expiresAt", 0, RecordProtocol.MAX_EXPIRY);
    if (expiresAt != 0 && !ledger.timestamp().isBefore(Instant.ofEpochSecond(expiresAt))) {
      throw LedgerException.of(ErrorCode.GRANT_EXPIRED, "expiry " + Instant.ofEpochSecond(expiresAt)
          + " is not after the transaction time " + ledger.timestamp());
    }
    if (scope == Grant.Scope.RECORD && !store.record(target).patient().equals(patient.id())) {
      throw LedgerException.of(ErrorCode.NOT_RECORD_PATIENT, target + " is another patient's record");
    }
    RingPedersenParams rp = store.ringPedersen();
    JsonArray copies = copies(b, scope == Grant.Scope.RECORD ? 1 : 0);
    if (scope == Grant.Scope.RECORD && copies.size() != 1) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a record grant carries exactly one copy");
    }
    Grant g = new Grant(grantId, patient.id(), grantee.id(), scope, target, expiresAt, ledger.timestamp().toString(),
        ledger.txId());
    List<JsonObject> verified = verifyCopies(store, cfg, g, patient, grantee, copies, rp);
    store.put(g.toJson(), RecordStore.GRANT, grantId);
    store.put(RecordStore.ref("grantId", grantId), RecordStore.ACCOUNT_GRANT, patient.id(), grantId);
    store.put(RecordStore.ref("grantId", grantId), RecordStore.ACCOUNT_GRANT, grantee.id(), grantId);
    writeCopies(store, verified);
    ledger.consumeNonce(patient.id(), req.nonce());
    emit(ledger, "medledger.AccessGranted", "grantId", grantId, "patient", patient.id(), "grantee", grantee.id(),
        "copies", Integer.toString(verified.size()));
    return CanonicalJson.toString(g.toJson());
  }

  /**
   * The patient adds copies under an active category grant: records of that type written or
   * corrected after the grant, or more than one transaction could carry.
   */
  static String share(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "record.share", "grantId", "copies");
    Account patient = req.account();
    requireRole(patient, Role.PATIENT);
    Grant g = ownGrant(store, patient, id(req.body(), "grantId", RecordProtocol.GRANT_ID));
    if (store.revoked(g.grantId())) {
      throw LedgerException.of(ErrorCode.GRANT_REVOKED, g.grantId());
    }
    if (g.expiredAt(ledger.timestamp())) {
      throw LedgerException.of(ErrorCode.GRANT_EXPIRED, g.grantId() + " expired at " + Instant.ofEpochSecond(g.expiresAt()));
    }
    RingPedersenParams rp = store.ringPedersen();
    JsonArray copies = copies(req.body(), 1);
    List<JsonObject> verified = verifyCopies(store, cfg, g, patient, ledger.account(g.grantee()), copies, rp);
    writeCopies(store, verified);
    ledger.consumeNonce(patient.id(), req.nonce());
    emit(ledger, "medledger.CopiesShared", "grantId", g.grantId(), "patient", patient.id(), "grantee", g.grantee(),
        "copies", Integer.toString(verified.size()));
    return CanonicalJson.toString(grantView(store, g));
  }

  /**
   * The patient revokes a grant: every later read under it is denied. What the grantee already
   * decrypted, and the copies already on the ledger, cannot be taken back (docs/records.md §3).
   */
  static String revoke(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "record.revoke", "grantId");
    Account patient = req.account();
    requireRole(patient, Role.PATIENT);
    Grant g = ownGrant(store, patient, id(req.body(), "grantId", RecordProtocol.GRANT_ID));
    if (store.revoked(g.grantId())) {
      throw LedgerException.of(ErrorCode.GRANT_REVOKED, g.grantId() + " is already revoked");
    }
    JsonObject r = new JsonObject();
    r.addProperty("grantId", g.grantId());
    r.addProperty("timestamp", ledger.timestamp().toString());
    r.addProperty("txId", ledger.txId());
    store.put(r, RecordStore.GRANT_REVOKED, g.grantId());
    ledger.consumeNonce(patient.id(), req.nonce());
    emit(ledger, "medledger.AccessRevoked", "grantId", g.grantId(), "patient", patient.id(), "grantee", g.grantee());
    JsonObject view = g.toJson();
    view.add("revoked", r);
    return CanonicalJson.toString(view);
  }

  /** A grant, with its revocation if revoked. */
  static String getGrant(Context ctx, String grantId) {
    RecordStore store = new RecordStore(new Ledger(ctx));
    return CanonicalJson.toString(grantView(store, store.grant(grantId)));
  }

  /** One page of the grants an account made (patient) or received (grantee). */
  static String listGrants(Context ctx, String account, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    RecordStore store = new RecordStore(ledger);
    ledger.account(account);
    return Contracts.page(ledger, RecordStore.ACCOUNT_GRANT, account, pageSize, bookmark,
        ref -> grantView(store, store.grant(ref.get("grantId").getAsString())));
  }

  /** One page of the record ids a grant has copies of (no ciphertexts). */
  static String listCopies(Context ctx, String grantId, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    new RecordStore(ledger).grant(grantId);
    return Contracts.page(ledger, RecordStore.COPY, grantId, pageSize, bookmark, c -> {
      JsonObject o = new JsonObject();
      for (String k : new String[] {"recordId", "timestamp", "txId"}) {
        o.add(k, c.get(k));
      }
      return o;
    });
  }

  // ------------------------------------------------------------------------------- helpers

  /** The copies array of a grant or share request: {@code min}..8 objects, each {recordId, copy, proof}. */
  private static JsonArray copies(JsonObject b, int min) {
    JsonElement e = b.get("copies");
    if (e == null || !e.isJsonArray()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "copies must be an array");
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() > RecordProtocol.MAX_COPIES_PER_TX) {
      throw LedgerException.of(ErrorCode.TOO_MANY_COPIES, a.size() + " copies; at most "
          + RecordProtocol.MAX_COPIES_PER_TX + " per transaction");
    }
    if (a.size() < min) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "at least " + min + " copy needed");
    }
    for (JsonElement x : a) {
      if (!x.isJsonObject()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "each copy must be an object");
      }
      Json.onlyMembers(x.getAsJsonObject(), "recordId", "copy", "proof");
    }
    return a;
  }

  /**
   * Checks every copy against the grant and verifies its re-encryption proof (docs/protocol.md
   * §5.3); returns the copies as they will be stored.
   */
  private static List<JsonObject> verifyCopies(RecordStore store, ChannelConfig cfg, Grant g, Account patient,
      Account grantee, JsonArray copies, RingPedersenParams rp) {
    Ledger ledger = store.ledger();
    PaillierPublicKey pkP = patient.publicKey();
    PaillierPublicKey pkG = grantee.publicKey();
    Set<String> seen = new HashSet<>();
    List<JsonObject> out = new ArrayList<>();
    for (JsonElement x : copies) {
      JsonObject c = x.getAsJsonObject();
      String recordId = id(c, "recordId", RecordProtocol.RECORD_ID);
      if (!seen.add(recordId)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "two copies of " + recordId);
      }
      RecordEntry r = store.record(recordId);
      if (!r.patient().equals(patient.id())) {
        throw LedgerException.of(ErrorCode.NOT_RECORD_PATIENT, recordId + " is another patient's record");
      }
      if (!g.covers(r)) {
        throw LedgerException.of(ErrorCode.OUT_OF_SCOPE, recordId + " is outside " + g.scope() + " " + g.target());
      }
      if (store.copy(g.grantId(), recordId) != null) {
        throw LedgerException.of(ErrorCode.COPY_EXISTS, recordId + " is already shared under " + g.grantId());
      }
      EncryptedRecord original = storedRecord(store, r, pkP);
      if (pkG.bits() < original.layoutBits()) {
        throw LedgerException.of(ErrorCode.GRANTEE_KEY_TOO_SMALL, "grantee key of " + pkG.bits()
            + " bits, record cut for " + original.layoutBits());
      }
      EncryptedRecord copy = decodeRecord(c, "copy", pkG, original.segments().size(), recordId, false);
      if (copy.segments().size() != original.segments().size() || copy.layoutBits() != original.layoutBits()) {
        throw LedgerException.of(ErrorCode.MALFORMED_RECORD, "copy of " + recordId + " does not have the record's "
            + original.segments().size() + " segments of layout " + original.layoutBits());
      }
      ReencryptionProof proof;
      try {
        proof = ReencryptionProof.fromBytes(Json.base64(c, "proof", MAX_REENCRYPTION_PROOF_BYTES));
      } catch (CryptoException e) {
        throw LedgerException.of(ErrorCode.MALFORMED_PROOF, e.getMessage());
      }
      try {
        proof.verify(pkP, pkG, original, copy, rp,
            RecordProtocol.reencryptionContext(cfg.channel(), cfg.chaincode(), g.grantId(), grantee.id(), recordId));
      } catch (CryptoException e) {
        throw LedgerException.of(ErrorCode.REENCRYPTION_PROOF_INVALID, recordId + ": " + e.getMessage());
      }
      JsonObject stored = new JsonObject();
      stored.addProperty("grantId", g.grantId());
      stored.addProperty("recordId", recordId);
      stored.addProperty("grantee", grantee.id());
      stored.add("copy", c.get("copy"));
      stored.add("proof", c.get("proof"));
      stored.addProperty("timestamp", ledger.timestamp().toString());
      stored.addProperty("txId", ledger.txId());
      out.add(stored);
    }
    return out;
  }

  private static void writeCopies(RecordStore store, List<JsonObject> copies) {
    for (JsonObject c : copies) {
      store.put(c, RecordStore.COPY, c.get("grantId").getAsString(), c.get("recordId").getAsString());
    }
  }

  private static EncryptedRecord storedRecord(RecordStore store, RecordEntry r, PaillierPublicKey pk) {
    JsonObject body = store.recordRequest(r.recordId()).getAsJsonObject("body");
    try {
      return EncryptedRecord.fromBytes(Base64.getDecoder().decode(body.get("record").getAsString()), pk, r.segments());
    } catch (CryptoException | IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_RECORD, "stored record " + r.recordId() + " does not decode");
    }
  }

  private static Grant ownGrant(RecordStore store, Account patient, String grantId) {
    Grant g = store.grant(grantId);
    if (!g.patient().equals(patient.id())) {
      throw LedgerException.of(ErrorCode.NOT_RECORD_PATIENT, grantId + " is another patient's grant");
    }
    return g;
  }

  private static JsonObject grantView(RecordStore store, Grant g) {
    JsonObject o = g.toJson();
    JsonObject revoked = store.get(RecordStore.GRANT_REVOKED, g.grantId());
    if (revoked != null) {
      o.add("revoked", revoked);
    }
    o.addProperty("deniedReads", AccessLog.denials(store, g.grantId()));
    return o;
  }

  private static Grant.Scope scope(JsonObject b) {
    String s = Json.string(b, "scope", 16);
    try {
      return Grant.Scope.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "scope must be RECORD or CATEGORY");
    }
  }
}
