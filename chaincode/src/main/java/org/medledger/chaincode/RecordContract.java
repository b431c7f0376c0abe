package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;

/**
 * Medical records on chain (docs/chaincode.md §8, docs/records.md): a hospital writes a record
 * encrypted under the patient's key with its record proof; corrections are new versions; the
 * patient grants, shares and revokes access with re-encrypted copies whose proofs are verified
 * here; a grantee reads through a submitted transaction that is logged, granted or denied; claims
 * link a record, the insurer's consented read and the confidential transfer that settles them.
 */
@Contract(name = "records", info = @Info(title = "MedLedger records", version = "0.1.0"))
public final class RecordContract implements ContractInterface {
  /** Largest record proof accepted (a 4096-bit one is about 1.6 KB). */
  static final int MAX_RECORD_PROOF_BYTES = 4 * 1024;
  /** Largest re-encryption proof accepted (4096-bit keys and a 3072-bit N̂ give about 5 KB). */
  static final int MAX_REENCRYPTION_PROOF_BYTES = 8 * 1024;
  /** Largest published parameters and Π^prm proof (98,308 bytes at 3072 bits). */
  static final int MAX_RP_PARAMS_BYTES = 2 * 1024;
  static final int MAX_RP_PROOF_BYTES = 100 * 1024;
  static final int MAX_REASON_CHARS = 200;
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ACCOUNT = Pattern.compile("acct-[0-9a-f]{32}");
  private static final Set<Role> GRANTEES = EnumSet.of(Role.HOSPITAL, Role.INSURER, Role.DOCTOR, Role.REGULATOR);


  // ------------------------------------------------------------------------------- set-up

  /**
   * The regulator publishes the channel's ring-Pedersen parameters (N̂, s, t) and their Π^prm
   * proof, once; the proof is verified here (docs/protocol.md §5.4, with its trust assumption).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String setup(Context ctx, String requestJson) {
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
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getSetup(Context ctx) {
    return CanonicalJson.toString(new RecordStore(new Ledger(ctx)).setup());
  }

  // ------------------------------------------------------------------------------- records

  /** A hospital writes a new record for a patient: segments under the patient's key, record proof, signature. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String write(Context ctx, String requestJson) {
    return writeRecord(ctx, requestJson, false);
  }

  /**
   * The author of a record writes a corrected version: a new record that names the one it
   * replaces. Only the latest version can be corrected, so versions form one chain.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String correct(Context ctx, String requestJson) {
    return writeRecord(ctx, requestJson, true);
  }

  private String writeRecord(Context ctx, String requestJson, boolean correction) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = correction
        ? Requests.authenticate(ledger, cfg, requestJson, "record.correct", "recordId", "patient", "recordType",
            "record", "proof", "commitment", "replaces")
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
    ledger.consumeNonce(author.id(), req.nonce());
    emit(ledger, "medledger.RecordWritten", "recordId", recordId, "patient", patient.id(), "author", author.id(),
        "recordType", recordType, "version", Long.toString(version));
    return CanonicalJson.toString(entry.toJson());
  }

  /** A record's description, the record that replaced it (if any) and its signed write request. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getRecord(Context ctx, String recordId) {
    RecordStore store = new RecordStore(new Ledger(ctx));
    JsonObject o = describe(store, store.record(recordId));
    o.add("request", store.recordRequest(recordId));
    return CanonicalJson.toString(o);
  }

  /** One page of a patient's records (descriptions only, no ciphertexts), oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listRecords(Context ctx, String patient, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    RecordStore store = new RecordStore(ledger);
    ledger.account(patient);
    Ledger.Page refs = ledger.page(RecordStore.PATIENT_RECORD, new String[] {patient}, Paging.pageSize(pageSize), bookmark);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject ref : refs.items()) {
      out.add(describe(store, store.record(ref.get("recordId").getAsString())));
    }
    return Paging.json(new Ledger.Page(out, refs.bookmark()));
  }

  // ------------------------------------------------------------------------------- consent

  /**
   * The patient grants a hospital, insurer, doctor or the regulator access to one record or to a
   * type of records, optionally until an expiry; the grant carries re-encrypted copies (at most
   * {@link RecordProtocol#MAX_COPIES_PER_TX}) whose re-encryption proofs are verified here.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String grant(Context ctx, String requestJson) {
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
    RingPedersenParams rp = ringPedersen(store);
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
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String share(Context ctx, String requestJson) {
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
    RingPedersenParams rp = ringPedersen(store);
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
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String revoke(Context ctx, String requestJson) {
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
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getGrant(Context ctx, String grantId) {
    RecordStore store = new RecordStore(new Ledger(ctx));
    return CanonicalJson.toString(grantView(store, store.grant(grantId)));
  }

  /** One page of the grants an account made (patient) or received (grantee). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listGrants(Context ctx, String account, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    RecordStore store = new RecordStore(ledger);
    ledger.account(account);
    Ledger.Page refs = ledger.page(RecordStore.ACCOUNT_GRANT, new String[] {account}, Paging.pageSize(pageSize), bookmark);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject ref : refs.items()) {
      out.add(grantView(store, store.grant(ref.get("grantId").getAsString())));
    }
    return Paging.json(new Ledger.Page(out, refs.bookmark()));
  }

  /** One page of the record ids a grant has copies of (no ciphertexts). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listCopies(Context ctx, String grantId, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    new RecordStore(ledger).grant(grantId);
    Ledger.Page p = ledger.page(RecordStore.COPY, new String[] {grantId}, Paging.pageSize(pageSize), bookmark);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject c : p.items()) {
      JsonObject o = new JsonObject();
      for (String k : new String[] {"recordId", "timestamp", "txId"}) {
        o.add(k, c.get(k));
      }
      out.add(o);
    }
    return Paging.json(new Ledger.Page(out, p.bookmark()));
  }

  // ------------------------------------------------------------------------------- reading

  /**
   * A grantee reads a record: a submitted transaction that always commits an access-log entry.
   * An authorised read returns the record's description and the grantee's copy; an unauthorised one (unknown, foreign, revoked
   * or expired grant, record out of scope or not yet shared) returns outcome DENIED with a stable
   * code instead of throwing, because a refused Fabric transaction writes nothing and the denial
   * must be logged. Requests that do not authenticate (bad envelope, signature or nonce) are
   * refused and not logged: they cannot be attributed to an account.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String read(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "record.read", "grantId", "recordId");
    String grantId = id(req.body(), "grantId", RecordProtocol.GRANT_ID);
    String recordId = id(req.body(), "recordId", RecordProtocol.RECORD_ID);
    Account reader = req.account();
    Instant now = ledger.timestamp();
    Grant g = store.findGrant(grantId);
    RecordEntry r = store.findRecord(recordId);
    JsonObject copy = g == null ? null : store.copy(grantId, recordId);
    ErrorCode denial = denial(store, reader, g, r, copy, now);

    String patient = g != null ? g.patient() : r != null ? r.patient() : "";
    AccessEntry entry = new AccessEntry(ledger.txId(), now.toString(), reader.id(), grantId, recordId, patient,
        denial == null, denial == null ? "" : denial.name());
    AccessLog.record(store, entry, g, r, MoneyContract.order(now));
    ledger.consumeNonce(reader.id(), req.nonce());
    emit(ledger, "medledger.RecordRead", "reader", reader.id(), "recordId", recordId, "outcome",
        denial == null ? "GRANTED" : "DENIED");

    JsonObject out = entry.toJson();
    if (denial != null) {
      out.addProperty("detail", denial.meaning());
      return CanonicalJson.toString(out);
    }
    out.add("record", describe(store, r));
    out.add("copy", copy.get("copy"));
    return CanonicalJson.toString(out);
  }

  /** Why a read is denied, or null if it is authorised; checked in this order. */
  private static ErrorCode denial(RecordStore store, Account reader, Grant g, RecordEntry r, JsonObject copy, Instant now) {
    if (g == null) {
      return ErrorCode.UNKNOWN_GRANT;
    }
    if (!g.grantee().equals(reader.id())) {
      return ErrorCode.NOT_GRANTEE;
    }
    if (store.revoked(g.grantId())) {
      return ErrorCode.GRANT_REVOKED;
    }
    if (g.expiredAt(now)) {
      return ErrorCode.GRANT_EXPIRED;
    }
    if (r == null) {
      return ErrorCode.UNKNOWN_RECORD;
    }
    if (!g.covers(r)) {
      return ErrorCode.OUT_OF_SCOPE;
    }
    if (copy == null) {
      return ErrorCode.NO_COPY;
    }
    return null;
  }

  /**
   * The patient's own access trail, oldest first. The query is signed by the patient and carries
   * no nonce (it writes nothing) but a {@code notAfter} (epoch seconds): it is refused
   * ({@code QUERY_EXPIRED}) when that is before the proposal's timestamp or more than
   * {@link RecordProtocol#MAX_QUERY_VALIDITY_SECONDS} after it, so a leaked query stops working.
   */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String trail(Context ctx, String signedQuery, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Envelope env = Requests.envelope(signedQuery, "record.trail");
    Json.onlyMembers(env.body(), "type", "account", "notAfter");
    Account patient = ledger.account(Json.string(env.body(), "account", 64));
    long notAfter = Json.integer(env.body(), "notAfter", 0, RecordProtocol.MAX_EXPIRY);
    Requests.checkSignature(cfg, env, patient.signingKey());
    requireRole(patient, Role.PATIENT);
    Instant now = ledger.timestamp();
    Instant until = Instant.ofEpochSecond(notAfter);
    if (until.isBefore(now) || until.isAfter(now.plusSeconds(RecordProtocol.MAX_QUERY_VALIDITY_SECONDS))) {
      throw LedgerException.of(ErrorCode.QUERY_EXPIRED, "notAfter " + until + " is not within "
          + RecordProtocol.MAX_QUERY_VALIDITY_SECONDS + " s from the proposal time " + now);
    }
    RecordStore store = new RecordStore(ledger);
    Ledger.Page refs = ledger.page(RecordStore.PATIENT_TRAIL, new String[] {patient.id()}, Paging.pageSize(pageSize), bookmark);
    return Paging.json(store.resolve(refs, "txId", RecordStore.ACCESS));
  }

  /** The regulator's view of the access trail: every patient's ({@code patient} = "") or one patient's. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String auditTrail(Context ctx, String patient, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    requireOrganisation(ledger, ledger.config(), Role.REGULATOR);
    RecordStore store = new RecordStore(ledger);
    Ledger.Page refs;
    if (patient.isEmpty()) {
      refs = ledger.page(RecordStore.ALL_TRAIL, new String[0], Paging.pageSize(pageSize), bookmark);
    } else {
      if (!ACCOUNT.matcher(patient).matches()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "patient must be an account id or empty");
      }
      refs = ledger.page(RecordStore.PATIENT_TRAIL, new String[] {patient}, Paging.pageSize(pageSize), bookmark);
    }
    return Paging.json(store.resolve(refs, "txId", RecordStore.ACCESS));
  }

  // ------------------------------------------------------------------------------- claims

  /**
   * The author of a record files a claim on an insurer for it. The fee is encrypted under the
   * hospital's, the insurer's and the regulator's keys (docs/records.md §5). One claim per record:
   * the claim is keyed by the first version of the record's correction chain, so a claim on one
   * version refuses claims on every later version ({@code CLAIM_EXISTS}).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String fileClaim(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "claim.file", "claimId", "recordId",
        "insurer", "feeHospital", "feeInsurer", "feeRegulator");
    Account hospital = req.account();
    requireRole(hospital, Role.HOSPITAL);
    JsonObject b = req.body();
    String claimId = id(b, "claimId", RecordProtocol.CLAIM_ID);
    if (!claimId.equals(RecordProtocol.claimId(cfg.channel(), cfg.chaincode(), hospital.id(), req.nonce()))) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "claimId is not the one derived from hospital and nonce");
    }
    RecordEntry r = store.record(id(b, "recordId", RecordProtocol.RECORD_ID));
    if (!r.author().equals(hospital.id())) {
      throw LedgerException.of(ErrorCode.NOT_RECORD_AUTHOR, "only the record's author files a claim for it");
    }
    if (store.successor(r.recordId()) != null) {
      throw LedgerException.of(ErrorCode.RECORD_SUPERSEDED, "claim the latest version, " + store.successor(r.recordId()));
    }
    Account insurer = ledger.account(Json.string(b, "insurer", 64));
    requireRole(insurer, Role.INSURER);
    JsonObject filed = store.get(RecordStore.RECORD_CLAIM, r.root());
    if (filed != null) {
      throw LedgerException.of(ErrorCode.CLAIM_EXISTS, r.recordId() + " (version chain of " + r.root() + ") has claim "
          + filed.get("claimId").getAsString());
    }
    Account regulator = regulator(ledger);
    String feeH = fee(b, "feeHospital", hospital.publicKey());
    String feeI = fee(b, "feeInsurer", insurer.publicKey());
    String feeR = fee(b, "feeRegulator", regulator.publicKey());
    Claim c = new Claim(claimId, hospital.id(), insurer.id(), r.patient(), r.recordId(), feeH, feeI, feeR,
        ledger.timestamp().toString(), ledger.txId());
    store.put(c.toJson(), RecordStore.CLAIM, claimId);
    store.put(RecordStore.ref("claimId", claimId), RecordStore.RECORD_CLAIM, r.root());
    String order = MoneyContract.order(ledger.timestamp());
    for (String party : new String[] {hospital.id(), insurer.id(), r.patient()}) {
      store.put(RecordStore.ref("claimId", claimId), RecordStore.ACCOUNT_CLAIM, party, order, claimId);
    }
    ledger.consumeNonce(hospital.id(), req.nonce());
    emit(ledger, "medledger.ClaimFiled", "claimId", claimId, "hospital", hospital.id(), "insurer", insurer.id(),
        "recordId", r.recordId());
    return CanonicalJson.toString(claimView(store, c));
  }

  /**
   * The claim's insurer links the confidential transfer that settles it and the read through
   * which it saw the record with the patient's consent. The transfer must be a money:transfer
   * from the insurer to the claim's hospital, made after the claim was filed and settling no other
   * claim; the read must be a GRANTED read of the claim's record by the insurer, made after the
   * claim was filed. "After" compares transaction timestamps, which the submitting clients choose
   * (docs/records.md §5).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String settleClaim(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "claim.settle", "claimId",
        "transferTx", "readTx");
    Account insurer = req.account();
    Claim c = openClaim(store, insurer, id(req.body(), "claimId", RecordProtocol.CLAIM_ID));
    String transferTx = Json.id(req.body(), "transferTx");
    String readTx = Json.id(req.body(), "readTx");
    JsonObject transfer = ledger.get(ledger.key(Ledger.TX, transferTx));
    if (transfer == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_TRANSFER, transferTx);
    }
    if (!transfer.get("kind").getAsString().equals("TRANSFER") || !transfer.get("from").getAsString().equals(insurer.id())
        || !transfer.get("to").getAsString().equals(c.hospital())) {
      throw LedgerException.of(ErrorCode.SETTLEMENT_MISMATCH, transferTx + " is not a transfer from the insurer to "
          + c.hospital());
    }
    JsonObject linked = store.get(RecordStore.TRANSFER_CLAIM, transferTx);
    if (linked != null) {
      throw LedgerException.of(ErrorCode.TRANSFER_ALREADY_LINKED, transferTx + " settles " + linked.get("claimId").getAsString());
    }
    if (Instant.parse(transfer.get("timestamp").getAsString()).isBefore(Instant.parse(c.timestamp()))) {
      throw LedgerException.of(ErrorCode.SETTLEMENT_MISMATCH, transferTx + " was made before the claim was filed");
    }
    JsonObject read = store.get(RecordStore.ACCESS, readTx);
    AccessEntry a = read == null ? null : AccessEntry.fromJson(read);
    if (a == null || !a.granted() || !a.reader().equals(insurer.id()) || !a.recordId().equals(c.recordId())) {
      throw LedgerException.of(ErrorCode.NO_CONSENTED_READ, readTx + " is not a granted read of " + c.recordId()
          + " by the insurer");
    }
    if (Instant.parse(a.timestamp()).isBefore(Instant.parse(c.timestamp()))) {
      throw LedgerException.of(ErrorCode.NO_CONSENTED_READ, readTx + " was made before the claim was filed");
    }
    JsonObject s = new JsonObject();
    s.addProperty("status", "SETTLED");
    s.addProperty("transferTx", transferTx);
    s.addProperty("readTx", readTx);
    s.addProperty("timestamp", ledger.timestamp().toString());
    s.addProperty("txId", ledger.txId());
    store.put(s, RecordStore.CLAIM_STATUS, c.claimId());
    store.put(RecordStore.ref("claimId", c.claimId()), RecordStore.TRANSFER_CLAIM, transferTx);
    ledger.consumeNonce(insurer.id(), req.nonce());
    emit(ledger, "medledger.ClaimSettled", "claimId", c.claimId(), "transferTx", transferTx, "readTx", readTx);
    return CanonicalJson.toString(claimView(c, s));
  }

  /** The claim's insurer rejects it, with a reason that is stored in clear. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String rejectClaim(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    RecordStore store = new RecordStore(ledger);
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "claim.reject", "claimId", "reason");
    Account insurer = req.account();
    Claim c = openClaim(store, insurer, id(req.body(), "claimId", RecordProtocol.CLAIM_ID));
    String reason = Json.string(req.body(), "reason", MAX_REASON_CHARS);
    JsonObject s = new JsonObject();
    s.addProperty("status", "REJECTED");
    s.addProperty("reason", reason);
    s.addProperty("timestamp", ledger.timestamp().toString());
    s.addProperty("txId", ledger.txId());
    store.put(s, RecordStore.CLAIM_STATUS, c.claimId());
    ledger.consumeNonce(insurer.id(), req.nonce());
    emit(ledger, "medledger.ClaimRejected", "claimId", c.claimId());
    return CanonicalJson.toString(claimView(c, s));
  }

  /** A claim with its status (FILED, SETTLED with its transfer and read, or REJECTED). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getClaim(Context ctx, String claimId) {
    RecordStore store = new RecordStore(new Ledger(ctx));
    return CanonicalJson.toString(claimView(store, store.claim(claimId)));
  }

  /** One page of the claims an account is party to (hospital, insurer or patient), oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listClaims(Context ctx, String account, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    RecordStore store = new RecordStore(ledger);
    ledger.account(account);
    Ledger.Page refs = ledger.page(RecordStore.ACCOUNT_CLAIM, new String[] {account}, Paging.pageSize(pageSize), bookmark);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject ref : refs.items()) {
      out.add(claimView(store, store.claim(ref.get("claimId").getAsString())));
    }
    return Paging.json(new Ledger.Page(out, refs.bookmark()));
  }

  /** Fabric's router calls this for a function the contract lacks; refuse it with a stable code. */
  @Override
  public void unknownTransaction(Context ctx) {
    throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function " + ctx.getStub().getFunction());
  }

  // ------------------------------------------------------------------------------- helpers

  private RingPedersenParams ringPedersen(RecordStore store) {
    return store.ringPedersen();
  }

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

  /**
   * Decodes an encrypted record field under {@code key} with at most {@code maxSegments} segments.
   * The length is checked before anything is decoded: for an original record, more than
   * {@code maxSegments} segments is RECORD_TOO_LARGE; a copy must have exactly the original's.
   */
  private static EncryptedRecord decodeRecord(JsonObject o, String name, PaillierPublicKey key, int maxSegments,
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

  private static String fee(JsonObject b, String name, PaillierPublicKey key) {
    byte[] c = Json.base64(b, name, 4 + 2 * 4096 / 8);
    try {
      PaillierCiphertext.fromBytes(c, key);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_CIPHERTEXT, name + ": " + e.getMessage());
    }
    return b64(c);
  }

  private static Grant ownGrant(RecordStore store, Account patient, String grantId) {
    Grant g = store.grant(grantId);
    if (!g.patient().equals(patient.id())) {
      throw LedgerException.of(ErrorCode.NOT_RECORD_PATIENT, grantId + " is another patient's grant");
    }
    return g;
  }

  private static Claim openClaim(RecordStore store, Account insurer, String claimId) {
    Claim c = store.claim(claimId);
    if (!c.insurer().equals(insurer.id())) {
      throw LedgerException.of(ErrorCode.NOT_CLAIM_PARTY, claimId + " is on another insurer");
    }
    JsonObject status = store.claimStatus(claimId);
    if (status != null) {
      throw LedgerException.of(ErrorCode.CLAIM_CLOSED, claimId + " is " + status.get("status").getAsString());
    }
    return c;
  }

  private static JsonObject describe(RecordStore store, RecordEntry r) {
    JsonObject o = r.toJson();
    String next = store.successor(r.recordId());
    if (next != null) {
      o.addProperty("supersededBy", next);
    }
    return o;
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

  private static JsonObject claimView(RecordStore store, Claim c) {
    return claimView(c, store.claimStatus(c.claimId()));
  }

  /** A claim with its status object (null while FILED); a transaction does not read its own writes. */
  private static JsonObject claimView(Claim c, JsonObject s) {
    JsonObject o = c.toJson();
    if (s == null) {
      o.addProperty("status", "FILED");
      return o;
    }
    JsonObject closed = s.deepCopy();
    o.add("status", closed.remove("status"));
    o.add("closed", closed);
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

  private static String id(JsonObject b, String name, Pattern pattern) {
    String s = Json.string(b, name, 64);
    if (!pattern.matcher(s).matches()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " is not a well-formed id");
    }
    return s;
  }

  private static String recordType(JsonObject b, String name) {
    String s = Json.string(b, name, 32);
    if (!RecordProtocol.RECORD_TYPE.matcher(s).matches()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be 1..32 of a-z, 0-9 and '-'");
    }
    return s;
  }

  private static void requireRole(Account a, Role role) {
    if (a.role() != role) {
      throw LedgerException.of(ErrorCode.WRONG_ROLE, a.id() + " is a " + a.role() + ", not a " + role);
    }
  }

  private static void requireOrganisation(Ledger ledger, ChannelConfig cfg, Role role) {
    if (!cfg.mayRegister(ledger.callerMsp(), role)) {
      throw LedgerException.of(ErrorCode.FORBIDDEN_ORGANISATION, ledger.callerMsp() + " does not act as " + role);
    }
  }

  private static Account regulator(Ledger ledger) {
    JsonObject r = ledger.get(ledger.key(Ledger.REGULATOR));
    if (r == null) {
      throw LedgerException.of(ErrorCode.NO_REGULATOR, "register the regulator first");
    }
    return ledger.account(r.get("account").getAsString());
  }



  /** One event per transaction: the tx id and the given name/value pairs, never any content. */
  private static void emit(Ledger ledger, String name, String... pairs) {
    JsonObject ev = new JsonObject();
    ev.addProperty("txId", ledger.txId());
    for (int i = 0; i < pairs.length; i += 2) {
      ev.addProperty(pairs[i], pairs[i + 1]);
    }
    ledger.stub().setEvent(name, CanonicalJson.toBytes(ev));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
