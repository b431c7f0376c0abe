package org.medledger.chaincode;

import static org.medledger.chaincode.Contracts.b64;
import static org.medledger.chaincode.Contracts.emit;
import static org.medledger.chaincode.Contracts.requireOrganisation;
import static org.medledger.chaincode.Contracts.requireRole;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;

/**
 * The set-up and the records of the {@code records} contract (docs/chaincode.md §8.2): the
 * regulator publishes the ring-Pedersen parameters once; a hospital writes a record encrypted under
 * the patient's key with its record proof, and corrects it with a new version. Also the field rules
 * the other parts of the contract share: ids, record types, encrypted records, a record's view.
 * {@link RecordContract} is the contract; this class holds the logic.
 */
final class Records {
  /** Largest record proof accepted (a 4096-bit one is about 1.6 KB). */
  static final int MAX_RECORD_PROOF_BYTES = 4 * 1024;
  /** Largest published parameters and Π^prm proof (98,308 bytes at 3072 bits). */
  static final int MAX_RP_PARAMS_BYTES = 2 * 1024;
  static final int MAX_RP_PROOF_BYTES = 100 * 1024;
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private Records() {}

  /**
   * The regulator publishes the channel's ring-Pedersen parameters (N̂, s, t) and their Π^prm
   * proof, once; the proof is verified here (docs/protocol.md §5.4, with its trust assumption).
   */
  static String setup(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "record.setup", "params", "proof");
    requireRole(req.account(), Role.REGULATOR);
    requireOrganisation(ledger, cfg, Role.REGULATOR);
    RecordStore store = new RecordStore(ledger);
    if (store.get(RecordStore.SETUP) != null) {
      throw LedgerException.of(ErrorCode.RECORDS_ALREADY_SET_UP, "ring-Pedersen parameters are already published");
    }
    byte[] params = Json.base64(req.body(), "params", MAX_RP_PARAMS_BYTES);
    byte[] proof = Json.base64(req.body(), "proof", MAX_RP_PROOF_BYTES);
    RingPedersenParams rp;
    try {
      rp = RingPedersenParams.fromBytes(params, proof);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.RING_PEDERSEN_INVALID, e.getMessage());
    }
    JsonObject s = new JsonObject();
    s.addProperty("params", b64(params));
    s.addProperty("proof", b64(proof));
    s.addProperty("bits", rp.bits());
    s.addProperty("publishedBy", req.account().id());
    s.addProperty("timestamp", ledger.timestamp().toString());
    s.addProperty("txId", ledger.txId());
    store.put(s, RecordStore.SETUP);
    ledger.consumeNonce(req.account().id(), req.nonce());
    emit(ledger, "medledger.RecordsSetUp", "bits", Integer.toString(rp.bits()));
    JsonObject out = s.deepCopy();
    out.remove("params");
    out.remove("proof");
    return CanonicalJson.toString(out);
  }

  /** The published ring-Pedersen parameters and proof (clients validate them once). */
  static String getSetup(Context ctx) {
    return CanonicalJson.toString(new RecordStore(new Ledger(ctx)).setup());
  }

  // ------------------------------------------------------------------------------- records

  /** A hospital writes a new record for a patient: segments under the patient's key, record proof, signature. */
  static String write(Context ctx, String requestJson) {
    return writeRecord(ctx, requestJson, false);
  }

  /**
   * The author of a record writes a corrected version: a new record that names the one it
   * replaces. Only the latest version can be corrected, so versions form one chain.
   */
  static String correct(Context ctx, String requestJson) {
    return writeRecord(ctx, requestJson, true);
  }

  private static String writeRecord(Context ctx, String requestJson, boolean correction) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = correction
        ? Requests.authenticate(ledger, cfg, requestJson, "record.correct", "recordId", "patient", "recordType",
            "record", "proof", "commitment", "replaces")
        : RecordStats.present(requestJson)
            ? Requests.authenticate(ledger, cfg, requestJson, "record.write", "recordId", "patient", "recordType",
                "record", "proof", "commitment", "stats")
            : Requests.authenticate(ledger, cfg, requestJson, "record.write", "recordId", "patient", "recordType",
                "record", "proof", "commitment");
    Account author = req.account();
    requireRole(author, Role.HOSPITAL);
    JsonObject b = req.body();
    String recordId = id(b, "recordId", RecordProtocol.RECORD_ID);
    if (!recordId.equals(RecordProtocol.recordId(cfg.channel(), cfg.chaincode(), author.id(), req.nonce()))) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "recordId is not the one derived from author and nonce");
    }
    Account patient = ledger.account(Json.string(b, "patient", 64));
    requireRole(patient, Role.PATIENT);
    String recordType = recordType(b, "recordType");
    String replaces = "";
    String root = recordId;
    long version = 1;
    if (correction) {
      replaces = id(b, "replaces", RecordProtocol.RECORD_ID);
      RecordEntry original = store.record(replaces);
      if (!original.author().equals(author.id())) {
        throw LedgerException.of(ErrorCode.NOT_RECORD_AUTHOR, replaces + " was written by another account");
      }
      if (!original.patient().equals(patient.id())) {
        throw LedgerException.of(ErrorCode.NOT_RECORD_PATIENT, replaces + " is about another patient");
      }
      if (!original.recordType().equals(recordType)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a correction keeps the record type " + original.recordType());
      }
      if (store.successor(replaces) != null) {
        throw LedgerException.of(ErrorCode.RECORD_SUPERSEDED, replaces + " was corrected by " + store.successor(replaces));
      }
      version = original.version() + 1;
      root = original.root();
    }
    String commitment = Json.string(b, "commitment", 64);
    if (!HEX64.matcher(commitment).matches()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "commitment must be 64 lower-case hex digits");
    }
    PaillierPublicKey pk = patient.publicKey();
    EncryptedRecord record = decodeRecord(b, "record", pk, RecordProtocol.maxSegments(pk.bits()), recordId, true);
    if (!record.recordId().equals(recordId) || record.layoutBits() != pk.bits()) {
      throw LedgerException.of(ErrorCode.MALFORMED_RECORD, "segments are not cut for this record id and key");
    }
    RecordProof proof;
    try {
      proof = RecordProof.fromBytes(Json.base64(b, "proof", MAX_RECORD_PROOF_BYTES), pk);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_PROOF, e.getMessage());
    }
    try {
      proof.verify(pk, record, RecordProtocol.recordProofContext(cfg.channel(), cfg.chaincode(), author.id(),
          patient.id(), recordType, replaces));
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.RECORD_PROOF_INVALID, e.getMessage());
    }
    RecordEntry entry = new RecordEntry(recordId, patient.id(), author.id(), recordType, version, replaces, root,
        ledger.timestamp().toString(), ledger.txId(), pk.bits(), record.segments().size(), commitment);
    store.put(entry.toJson(), RecordStore.RECORD, recordId);
    store.put(Json.object(requestJson), RecordStore.RECORD_REQUEST, recordId);
    store.put(RecordStore.ref("recordId", recordId), RecordStore.PATIENT_RECORD, patient.id(),
        MoneyContract.order(ledger.timestamp()), recordId);
    if (correction) {
      store.put(RecordStore.ref("recordId", recordId), RecordStore.RECORD_NEXT, replaces);
    }
    RecordStats.attach(ledger, cfg, b, recordId, author);
    ledger.consumeNonce(author.id(), req.nonce());
    emit(ledger, "medledger.RecordWritten", "recordId", recordId, "patient", patient.id(), "author", author.id(),
        "recordType", recordType, "version", Long.toString(version));
    return CanonicalJson.toString(entry.toJson());
  }

  /** A record's description, the record that replaced it (if any) and its signed write request. */
  static String getRecord(Context ctx, String recordId) {
    RecordStore store = new RecordStore(new Ledger(ctx));
    JsonObject o = describe(store, store.record(recordId));
    o.add("request", store.recordRequest(recordId));
    return CanonicalJson.toString(o);
  }

  /** One page of a patient's records (descriptions only, no ciphertexts), oldest first. */
  static String listRecords(Context ctx, String patient, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    RecordStore store = new RecordStore(ledger);
    ledger.account(patient);
    return Contracts.page(ledger, RecordStore.PATIENT_RECORD, patient, pageSize, bookmark,
        ref -> describe(store, store.record(ref.get("recordId").getAsString())));
  }

  // ------------------------------------------------------- shared with consent, access log, claims

  /**
   * Decodes an encrypted record field under {@code key} with at most {@code maxSegments} segments.
   * The length is checked before anything is decoded: for an original record, more than
   * {@code maxSegments} segments is RECORD_TOO_LARGE; a copy must have exactly the original's.
   */
  static EncryptedRecord decodeRecord(JsonObject o, String name, PaillierPublicKey key, int maxSegments,
      String recordId, boolean original) {
    int maxBytes = 1 + 1 + 2 + 2 + 2 + recordId.getBytes(StandardCharsets.UTF_8).length + 4
        + maxSegments * (4 + 2 * key.bits() / 8);
    int maxChars = 4 * ((maxBytes + 2) / 3);
    JsonElement raw = o.get(name);
    if (raw instanceof JsonPrimitive p && p.isString() && p.getAsString().length() > maxChars) {
      throw original
          ? LedgerException.of(ErrorCode.RECORD_TOO_LARGE, "a record has at most " + maxSegments + " segments ("
              + RecordProtocol.MAX_RECORD_BYTES + " bytes) under a " + key.bits() + "-bit key")
          : LedgerException.of(ErrorCode.MALFORMED_RECORD, "copy has more segments than the record");
    }
    byte[] bytes = Json.base64(o, name, maxBytes);
    EncryptedRecord r;
    try {
      r = EncryptedRecord.fromBytes(bytes, key, maxSegments);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_RECORD, name + ": " + e.getMessage());
    }
    if (!r.recordId().equals(recordId)) {
      throw LedgerException.of(ErrorCode.MALFORMED_RECORD, name + " is bound to record id " + r.recordId());
    }
    return r;
  }

  /** A record's description, with the id of the correction that replaced it if there is one. */
  static JsonObject describe(RecordStore store, RecordEntry r) {
    JsonObject o = r.toJson();
    String next = store.successor(r.recordId());
    if (next != null) {
      o.addProperty("supersededBy", next);
    }
    return o;
  }

  /** A member that is an id of the given form ({@link RecordProtocol}); MALFORMED_REQUEST otherwise. */
  static String id(JsonObject b, String name, Pattern pattern) {
    String s = Json.string(b, name, 64);
    if (!pattern.matcher(s).matches()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " is not a well-formed id");
    }
    return s;
  }

  /** A member that is a record type (category); MALFORMED_REQUEST otherwise. */
  static String recordType(JsonObject b, String name) {
    String s = Json.string(b, name, 32);
    if (!RecordProtocol.RECORD_TYPE.matcher(s).matches()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be 1..32 of a-z, 0-9 and '-'");
    }
    return s;
  }
}
