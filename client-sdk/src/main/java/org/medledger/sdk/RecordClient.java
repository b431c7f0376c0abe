package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.protocol.SignedRequest;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.RecordCipher;
import org.medledger.crypto.record.SegmentLayout;

/**
 * One account's client for medical records (docs/client-sdk.md §4, docs/records.md). A hospital
 * writes and corrects records under the patient's public key and files claims; a patient opens
 * its records, grants, shares and revokes access and lists who read what; a grantee reads with a
 * logged transaction and decrypts its copy; an insurer settles claims by a confidential transfer;
 * the regulator publishes the ring-Pedersen parameters and audits the trail. The account's
 * secrets never leave this object. Works over any {@link LedgerConnection}.
 *
 * <p>Requests that lose an MVCC race or find their nonce moved are rebuilt and resubmitted, at
 * most {@link #MAX_ATTEMPTS} times; any other refusal is returned at once.
 */
public final class RecordClient {
  /** Attempts per request (first try plus retries after a conflict or a moved nonce). */
  public static final int MAX_ATTEMPTS = 4;
  /** Random bytes at the front of every plaintext, so the author's commitment hides the record. */
  public static final int SALT_BYTES = 16;
  /** Largest document the client encrypts: the chaincode's limit less the salt. */
  public static final int MAX_DOCUMENT_BYTES = RecordProtocol.MAX_RECORD_BYTES - SALT_BYTES;
  /** Copies per grant or share request are packed below this many base64 characters. */
  static final int MAX_COPY_CHARS_PER_TX = 384 * 1024;
  private static final int KEY_CACHE = 64;
  /**
   * How long a signed trail query stays valid: half the chaincode's bound
   * ({@link RecordProtocol#MAX_QUERY_VALIDITY_SECONDS}), leaving room for clock skew.
   */
  public static final Duration TRAIL_QUERY_VALIDITY = Duration.ofSeconds(RecordProtocol.MAX_QUERY_VALIDITY_SECONDS / 2);

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Map<String, PaillierPublicKey> keys = new LinkedHashMap<>(16, 0.75f, true);
  private RingPedersenParams ringPedersen;
  private AccountClient payments;

  public RecordClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.secrets = secrets;
    this.ledger = ledger;
    this.rnd = rnd;
  }

  public String accountId() {
    return secrets.accountId();
  }

  // ------------------------------------------------------------------------------- results

  /** A record's public description; {@code replaces} and {@code supersededBy} are "" when absent. */
  public record RecordInfo(String recordId, String patient, String author, String recordType, long version,
      String replaces, String supersededBy, Instant timestamp, String txId, String commitment) {}

  /** A written record: its id, the transaction and its version. */
  public record Written(String recordId, String txId, long version) {}

  /**
   * A decrypted record. {@code readTx} is the logged read transaction for a grantee, "" for the
   * patient opening its own record. The document is the author's bytes, usually a Table 1 record.
   */
  public record Opened(RecordInfo info, byte[] document, String readTx) {
    public MedicalRecord medicalRecord() {
      return MedicalRecord.fromJson(document);
    }

    @Override
    public byte[] document() {
      return document.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Opened x && x.info.equals(info) && Arrays.equals(x.document, document) && x.readTx.equals(readTx);
    }

    @Override
    public int hashCode() {
      return info.hashCode() * 31 + Arrays.hashCode(document);
    }

    @Override
    public String toString() {
      return "Opened[" + info.recordId() + ", " + document.length + " bytes, content redacted]";
    }
  }

  /** A grant as stored; {@code expiresAt} is null for a grant without expiry. */
  public record GrantInfo(String grantId, String patient, String grantee, String scope, String target,
      Instant expiresAt, Instant timestamp, boolean revoked) {}

  /** What a grant or share transaction put on the ledger, and which records could not be shared. */
  public record Shared(String grantId, List<String> shared, List<String> unreadable) {}

  /** One access-trail entry; {@code code} is "" for a granted read. */
  public record Access(String txId, Instant timestamp, String reader, String grantId, String recordId,
      String patient, boolean granted, String code) {}

  /**
   * A claim. {@code fee} is decrypted from this account's copy (hospital, insurer or regulator);
   * it is -1 for anyone else, and when the copy does not hold an amount. {@code status} is FILED, SETTLED or REJECTED; the settlement's transfer
   * and read, or the rejection's reason, are "" until then.
   */
  public record ClaimInfo(String claimId, String hospital, String insurer, String patient, String recordId, long fee,
      String status, String transferTx, String readTx, String reason, Instant timestamp, String txId) {}

  // ------------------------------------------------------------------------------- set-up

  /** Regulator: publishes the channel's ring-Pedersen parameters and their Π^prm proof, once. */
  public void publishRingPedersen(byte[] params, byte[] proof) throws LedgerCallException {
    submit("records:setup", nonce -> {
      JsonObject b = body("record.setup", nonce);
      b.addProperty("params", b64(params));
      b.addProperty("proof", b64(proof));
      return b;
    });
  }

  /** The channel's parameters, validated (Π^prm) once per client. */
  RingPedersenParams ringPedersen() throws LedgerCallException {
    if (ringPedersen == null) {
      ringPedersen = RingPedersenSetup.fetch(ledger);
    }
    return ringPedersen;
  }

  // ------------------------------------------------------------------------------- author

  /** Hospital: writes a Table 1 record about {@code patient}. */
  public Written write(String patient, String recordType, MedicalRecord record) throws LedgerCallException {
    return writeDocument(patient, recordType, record.toJson());
  }

  /** Hospital: writes any document (at most {@link #MAX_DOCUMENT_BYTES}) about {@code patient}. */
  public Written writeDocument(String patient, String recordType, byte[] document) throws LedgerCallException {
    if (!RecordProtocol.RECORD_TYPE.matcher(recordType).matches()) {
      throw new IllegalArgumentException("record type must be 1..32 of a-z, 0-9 and '-'");
    }
    byte[] plaintext = plaintext(document);
    PaillierPublicKey pk = key(patient);
    return written(submit("records:write", nonce -> recordBody("record.write", nonce, patient, pk, recordType, plaintext, "")));
  }

  /** Hospital, author of {@code recordId} (its latest version): writes the corrected record. */
  public Written correct(String recordId, MedicalRecord record) throws LedgerCallException {
    return correctDocument(recordId, record.toJson());
  }

  public Written correctDocument(String recordId, byte[] document) throws LedgerCallException {
    byte[] plaintext = plaintext(document);
    RecordInfo original = record(recordId);
    PaillierPublicKey pk = key(original.patient());
    return written(submit("records:correct", nonce -> recordBody("record.correct", nonce, original.patient(), pk,
        original.recordType(), plaintext, recordId)));
  }

  private byte[] plaintext(byte[] document) {
    if (document.length > MAX_DOCUMENT_BYTES) {
      throw new IllegalArgumentException("RECORD_TOO_LARGE: a document has at most " + MAX_DOCUMENT_BYTES + " bytes");
    }
    byte[] p = new byte[SALT_BYTES + document.length];
    byte[] salt = new byte[SALT_BYTES];
    rnd.nextBytes(salt);
    System.arraycopy(salt, 0, p, 0, SALT_BYTES);
    System.arraycopy(document, 0, p, SALT_BYTES, document.length);
    return p;
  }

  private JsonObject recordBody(String type, long nonce, String patient, PaillierPublicKey pk, String recordType,
      byte[] plaintext, String replaces) {
    String id = RecordProtocol.recordId(ledger.channel(), ledger.chaincode(), accountId(), nonce);
    RecordCipher.Sealed sealed = RecordCipher.encrypt(plaintext, id, pk, rnd);
    byte[] ctx = RecordProtocol.recordProofContext(ledger.channel(), ledger.chaincode(), accountId(), patient,
        recordType, replaces);
    RecordProof proof = RecordProof.prove(pk, sealed.record(), sealed.opening(), ctx, rnd);
    JsonObject b = body(type, nonce);
    b.addProperty("recordId", id);
    b.addProperty("patient", patient);
    b.addProperty("recordType", recordType);
    b.addProperty("record", b64(sealed.record().toBytes()));
    b.addProperty("proof", b64(proof.toBytes(pk)));
    b.addProperty("commitment", RecordProtocol.commitment(plaintext));
    if (!replaces.isEmpty()) {
      b.addProperty("replaces", replaces);
    }
    return b;
  }

  private static Written written(String response) {
    JsonObject o = CanonicalJson.parseObject(response);
    return new Written(o.get("recordId").getAsString(), o.get("txId").getAsString(), o.get("version").getAsLong());
  }

  // ------------------------------------------------------------------------------- records

  /** A record's description. */
  public RecordInfo record(String recordId) throws LedgerCallException {
    return recordInfo(CanonicalJson.parseObject(ledger.evaluate("records:getRecord", recordId)));
  }

  /** Every record about {@code patient}, oldest first (descriptions only). */
  public List<RecordInfo> records(String patient) throws LedgerCallException {
    List<RecordInfo> out = new ArrayList<>();
    for (JsonObject o : pages("records:listRecords", patient)) {
      out.add(recordInfo(o));
    }
    return out;
  }

  /** Patient: decrypts one of its own records and checks it against the author's commitment. */
  public Opened open(String recordId) throws LedgerCallException, RecordIntegrityException {
    JsonObject r = CanonicalJson.parseObject(ledger.evaluate("records:getRecord", recordId));
    RecordInfo info = recordInfo(r);
    if (!info.patient().equals(accountId())) {
      throw new IllegalArgumentException("NOT_RECORD_PATIENT: " + recordId + " is about another patient");
    }
    EncryptedRecord enc = storedRecord(r);
    return new Opened(info, document(info, enc), "");
  }

  // ------------------------------------------------------------------------------- consent

  /**
   * Patient: grants {@code grantee} access to one record, until {@code expiresAt} (null: no
   * expiry). The patient decrypts its record, re-encrypts it for the grantee and proves it.
   * Returns the grant id.
   */
  public String grantRecord(String grantee, String recordId, Instant expiresAt)
      throws LedgerCallException, RecordIntegrityException {
    JsonObject r = CanonicalJson.parseObject(ledger.evaluate("records:getRecord", recordId));
    RecordInfo info = recordInfo(r);
    if (!info.patient().equals(accountId())) {
      throw new IllegalArgumentException("NOT_RECORD_PATIENT: " + recordId + " is about another patient");
    }
    EncryptedRecord original = storedRecord(r);
    document(info, original); // never share a record that does not decode
    PaillierPublicKey gpk = key(grantee);
    RingPedersenParams rp = ringPedersen();
    String response = submit("records:grant", nonce -> {
      String grantId = RecordProtocol.grantId(ledger.channel(), ledger.chaincode(), accountId(), nonce);
      JsonArray copies = new JsonArray();
      copies.add(copy(original, gpk, rp, grantId, grantee));
      return grantBody(nonce, grantId, grantee, "RECORD", recordId, expiresAt, copies);
    });
    return CanonicalJson.parseObject(response).get("grantId").getAsString();
  }

  /**
   * Patient: grants {@code grantee} access to every record of type {@code recordType}, present and
   * future, until {@code expiresAt} (null: no expiry), and shares copies of every record of that
   * type that decodes (in as many transactions as needed). Later records need {@link #share}.
   */
  public Shared grantCategory(String grantee, String recordType, Instant expiresAt) throws LedgerCallException {
    List<String> unreadable = new ArrayList<>();
    List<EncryptedRecord> toShare = shareable(recordType, Set.of(), unreadable);
    PaillierPublicKey gpk = key(grantee);
    RingPedersenParams rp = ringPedersen();
    List<List<EncryptedRecord>> batches = batches(toShare, gpk);
    List<EncryptedRecord> first = batches.isEmpty() ? List.of() : batches.get(0);
    String response = submit("records:grant", nonce -> {
      String grantId = RecordProtocol.grantId(ledger.channel(), ledger.chaincode(), accountId(), nonce);
      JsonArray copies = new JsonArray();
      for (EncryptedRecord r : first) {
        copies.add(copy(r, gpk, rp, grantId, grantee));
      }
      return grantBody(nonce, grantId, grantee, "CATEGORY", recordType, expiresAt, copies);
    });
    String grantId = CanonicalJson.parseObject(response).get("grantId").getAsString();
    List<String> shared = new ArrayList<>();
    first.forEach(r -> shared.add(r.recordId()));
    for (List<EncryptedRecord> batch : batches.subList(Math.min(1, batches.size()), batches.size())) {
      shareBatch(grantId, grantee, gpk, rp, batch);
      batch.forEach(r -> shared.add(r.recordId()));
    }
    return new Shared(grantId, shared, unreadable);
  }

  /**
   * Patient: shares copies of the records a category grant covers but has no copy of yet (records
   * written or corrected after the grant). Returns what was shared.
   */
  public Shared share(String grantId) throws LedgerCallException {
    GrantInfo g = grant(grantId);
    if (!g.patient().equals(accountId())) {
      throw new IllegalArgumentException("NOT_RECORD_PATIENT: " + grantId + " is another patient's grant");
    }
    if (!g.scope().equals("CATEGORY")) {
      return new Shared(grantId, List.of(), List.of()); // a record grant carries its only copy
    }
    Set<String> copied = new HashSet<>();
    for (JsonObject c : pages("records:listCopies", grantId)) {
      copied.add(c.get("recordId").getAsString());
    }
    List<String> unreadable = new ArrayList<>();
    List<EncryptedRecord> toShare = shareable(g.target(), copied, unreadable);
    PaillierPublicKey gpk = key(g.grantee());
    RingPedersenParams rp = ringPedersen();
    List<String> shared = new ArrayList<>();
    for (List<EncryptedRecord> batch : batches(toShare, gpk)) {
      shareBatch(grantId, g.grantee(), gpk, rp, batch);
      batch.forEach(r -> shared.add(r.recordId()));
    }
    return new Shared(grantId, shared, unreadable);
  }

  /** Patient: revokes a grant. What the grantee already decrypted cannot be taken back. */
  public void revoke(String grantId) throws LedgerCallException {
    submit("records:revoke", nonce -> {
      JsonObject b = body("record.revoke", nonce);
      b.addProperty("grantId", grantId);
      return b;
    });
  }

  public GrantInfo grant(String grantId) throws LedgerCallException {
    return grantInfo(CanonicalJson.parseObject(ledger.evaluate("records:getGrant", grantId)));
  }

  /** The grants this account made (patient) or received (grantee). */
  public List<GrantInfo> grants() throws LedgerCallException {
    List<GrantInfo> out = new ArrayList<>();
    for (JsonObject o : pages("records:listGrants", accountId())) {
      out.add(grantInfo(o));
    }
    return out;
  }

  private void shareBatch(String grantId, String grantee, PaillierPublicKey gpk, RingPedersenParams rp,
      List<EncryptedRecord> batch) throws LedgerCallException {
    JsonArray copies = new JsonArray();
    for (EncryptedRecord r : batch) {
      copies.add(copy(r, gpk, rp, grantId, grantee)); // the proof's context does not depend on the nonce
    }
    submit("records:share", nonce -> {
      JsonObject b = body("record.share", nonce);
      b.addProperty("grantId", grantId);
      b.add("copies", copies);
      return b;
    });
  }

  /** This patient's records of {@code recordType} not in {@code except} that decode; the others go to {@code unreadable}. */
  private List<EncryptedRecord> shareable(String recordType, Set<String> except, List<String> unreadable)
      throws LedgerCallException {
    List<EncryptedRecord> out = new ArrayList<>();
    for (RecordInfo info : records(accountId())) {
      if (!info.recordType().equals(recordType) || except.contains(info.recordId())) {
        continue;
      }
      EncryptedRecord enc = storedRecord(CanonicalJson.parseObject(ledger.evaluate("records:getRecord", info.recordId())));
      try {
        document(info, enc);
        out.add(enc);
      } catch (RecordIntegrityException e) {
        unreadable.add(info.recordId());
      }
    }
    return out;
  }

  /** Packs copies into requests of at most 8 copies and {@link #MAX_COPY_CHARS_PER_TX} characters. */
  private static List<List<EncryptedRecord>> batches(List<EncryptedRecord> records, PaillierPublicKey grantee) {
    List<List<EncryptedRecord>> out = new ArrayList<>();
    List<EncryptedRecord> current = new ArrayList<>();
    long chars = 0;
    for (EncryptedRecord r : records) {
      long size = 4L * (r.segments().size() * (4L + 2L * grantee.bits() / 8) + 200) / 3 + 12 * 1024;
      if (!current.isEmpty() && (current.size() == RecordProtocol.MAX_COPIES_PER_TX || chars + size > MAX_COPY_CHARS_PER_TX)) {
        out.add(current);
        current = new ArrayList<>();
        chars = 0;
      }
      current.add(r);
      chars += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private JsonObject copy(EncryptedRecord original, PaillierPublicKey gpk, RingPedersenParams rp, String grantId,
      String grantee) {
    byte[] ctx = RecordProtocol.reencryptionContext(ledger.channel(), ledger.chaincode(), grantId, grantee,
        original.recordId());
    ReencryptionProof.Reencrypted re = ReencryptionProof.reencrypt(secrets.paillier(), gpk, original, rp, ctx, rnd);
    JsonObject c = new JsonObject();
    c.addProperty("recordId", original.recordId());
    c.addProperty("copy", b64(re.record().toBytes()));
    c.addProperty("proof", b64(re.proof().toBytes()));
    return c;
  }

  private JsonObject grantBody(long nonce, String grantId, String grantee, String scope, String target, Instant expiresAt,
      JsonArray copies) {
    JsonObject b = body("record.grant", nonce);
    b.addProperty("grantId", grantId);
    b.addProperty("grantee", grantee);
    b.addProperty("scope", scope);
    b.addProperty("target", target);
    b.addProperty("expiresAt", expiresAt == null ? 0 : expiresAt.getEpochSecond());
    b.add("copies", copies);
    return b;
  }

  // ------------------------------------------------------------------------------- reading

  /**
   * Grantee: reads a record under a grant. The read is a submitted transaction that the chaincode
   * logs whether it is granted or denied; a denial throws {@link RecordAccessDeniedException}
   * with its code. The copy is decrypted here and checked against the author's commitment.
   */
  public Opened read(String grantId, String recordId)
      throws LedgerCallException, RecordAccessDeniedException, RecordIntegrityException {
    JsonObject r = CanonicalJson.parseObject(submit("records:read", nonce -> {
      JsonObject b = body("record.read", nonce);
      b.addProperty("grantId", grantId);
      b.addProperty("recordId", recordId);
      return b;
    }));
    String tx = r.get("txId").getAsString();
    if (!r.get("outcome").getAsString().equals("GRANTED")) {
      throw new RecordAccessDeniedException(r.get("code").getAsString(), tx, grantId, recordId);
    }
    RecordInfo info = recordInfo(r.getAsJsonObject("record"));
    EncryptedRecord copy;
    try {
      copy = EncryptedRecord.fromBytes(unb64(r.get("copy").getAsString()), secrets.paillier().publicKey(),
          SegmentLayout.MAX_SEGMENTS);
    } catch (CryptoException e) {
      throw new RecordIntegrityException("RECORD_CORRUPT", recordId, e.getMessage());
    }
    return new Opened(info, document(info, copy), tx);
  }

  /**
   * Patient: its access trail (who read or tried to read which of its records, when), oldest
   * first. The signed query is valid until {@link #TRAIL_QUERY_VALIDITY} after the connection's
   * query time ({@code notAfter}), so a leaked query soon stops working.
   */
  public List<Access> trail() throws LedgerCallException {
    JsonObject q = new JsonObject();
    q.addProperty("type", "record.trail");
    q.addProperty("account", accountId());
    q.addProperty("notAfter", ledger.queryTime().plus(TRAIL_QUERY_VALIDITY).getEpochSecond());
    String query = sign(q);
    List<Access> out = new ArrayList<>();
    for (JsonObject o : pages("records:trail", query)) {
      out.add(access(o));
    }
    return out;
  }

  /** Regulator: the access trail of every patient ({@code patient} = "") or of one patient. */
  public List<Access> auditTrail(String patient) throws LedgerCallException {
    List<Access> out = new ArrayList<>();
    for (JsonObject o : pages("records:auditTrail", patient)) {
      out.add(access(o));
    }
    return out;
  }

  // ------------------------------------------------------------------------------- claims

  /**
   * Hospital, author of {@code recordId}: files a claim on {@code insurer} for {@code fee}, encrypted
   * under its own, the insurer's and the regulator's keys. Returns the claim id.
   */
  public String fileClaim(String recordId, String insurer, long fee) throws LedgerCallException {
    if (fee < 0) {
      throw new IllegalArgumentException("a fee is not negative");
    }
    PaillierPublicKey mine = secrets.paillier().publicKey();
    PaillierPublicKey ins = key(insurer);
    PaillierPublicKey reg = key(regulatorId());
    String response = submit("records:fileClaim", nonce -> {
      JsonObject b = body("claim.file", nonce);
      b.addProperty("claimId", RecordProtocol.claimId(ledger.channel(), ledger.chaincode(), accountId(), nonce));
      b.addProperty("recordId", recordId);
      b.addProperty("insurer", insurer);
      b.addProperty("feeHospital", b64(mine.encrypt(fee, rnd).toBytes()));
      b.addProperty("feeInsurer", b64(ins.encrypt(fee, rnd).toBytes()));
      b.addProperty("feeRegulator", b64(reg.encrypt(fee, rnd).toBytes()));
      return b;
    });
    return CanonicalJson.parseObject(response).get("claimId").getAsString();
  }

  /**
   * Insurer: settles a claim. Reads the claim's record under {@code grantId} (a logged read, so the
   * patient's consent is on the ledger), checks that the claimed fee is the record's fee, pays the
   * hospital by a confidential transfer and links claim, read and transfer. If the fees differ,
   * nothing is paid and IllegalStateException (FEE_MISMATCH) is thrown; the insurer may reject.
   */
  public ClaimInfo settleClaim(String claimId, String grantId)
      throws LedgerCallException, RecordAccessDeniedException, RecordIntegrityException {
    ClaimInfo c = claim(claimId);
    if (!c.insurer().equals(accountId()) || !c.status().equals("FILED")) {
      throw new IllegalArgumentException("NOT_CLAIM_PARTY or CLAIM_CLOSED: " + claimId + " is not open on this insurer");
    }
    Opened record = read(grantId, c.recordId());
    long recordFee = record.medicalRecord().fee();
    if (recordFee != c.fee()) {
      throw new IllegalStateException("FEE_MISMATCH: the claim asks " + c.fee() + ", the record says " + recordFee);
    }
    String transferTx = CanonicalJson.parseObject(payments().pay(c.hospital(), c.fee())).get("txId").getAsString();
    try {
      return linkSettlement(claimId, transferTx, record.readTx());
    } catch (LedgerCallException e) {
      throw new LedgerCallException(e.kind(), e.errorCode(), e.txId(), "payment " + transferTx
          + " committed but linking it failed; call linkSettlement(" + claimId + ", " + transferTx + ", "
          + record.readTx() + "): " + e.getMessage());
    }
  }

  /** Insurer: links an already committed transfer and granted read to a claim. */
  public ClaimInfo linkSettlement(String claimId, String transferTx, String readTx) throws LedgerCallException {
    return claimInfo(CanonicalJson.parseObject(submit("records:settleClaim", nonce -> {
      JsonObject b = body("claim.settle", nonce);
      b.addProperty("claimId", claimId);
      b.addProperty("transferTx", transferTx);
      b.addProperty("readTx", readTx);
      return b;
    })));
  }

  /** Insurer: rejects a claim with a reason, which is stored in clear. */
  public ClaimInfo rejectClaim(String claimId, String reason) throws LedgerCallException {
    return claimInfo(CanonicalJson.parseObject(submit("records:rejectClaim", nonce -> {
      JsonObject b = body("claim.reject", nonce);
      b.addProperty("claimId", claimId);
      b.addProperty("reason", reason);
      return b;
    })));
  }

  public ClaimInfo claim(String claimId) throws LedgerCallException {
    return claimInfo(CanonicalJson.parseObject(ledger.evaluate("records:getClaim", claimId)));
  }

  /** The claims this account is party to (hospital, insurer or patient), oldest first. */
  public List<ClaimInfo> claims() throws LedgerCallException {
    List<ClaimInfo> out = new ArrayList<>();
    for (JsonObject o : pages("records:listClaims", accountId())) {
      out.add(claimInfo(o));
    }
    return out;
  }

  private AccountClient payments() {
    if (payments == null) {
      payments = new AccountClient(secrets, ledger, rnd);
    }
    return payments;
  }

  // ------------------------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface BodyBuilder {
    JsonObject build(long nonce) throws LedgerCallException;
  }

  /** Builds, signs and submits with the account's next nonce, rebuilding after a conflict or a moved nonce. */
  private String submit(String function, BodyBuilder builder) throws LedgerCallException {
    LedgerCallException last = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      long nonce = CanonicalJson.parseObject(ledger.evaluate("accounts:getNonce", accountId())).get("next").getAsLong();
      try {
        return ledger.submit(function, sign(builder.build(nonce)));
      } catch (LedgerCallException e) {
        boolean stale = e.kind() == LedgerCallException.Kind.CONFLICT
            || (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("BAD_NONCE"));
        if (!stale) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  /** Every item of a paginated query {@code function(leading…, pageSize, bookmark)}. */
  private List<JsonObject> pages(String function, String... leading) throws LedgerCallException {
    List<JsonObject> out = new ArrayList<>();
    String bookmark = "";
    do {
      String[] args = Arrays.copyOf(leading, leading.length + 2);
      args[leading.length] = "100";
      args[leading.length + 1] = bookmark;
      JsonObject page = CanonicalJson.parseObject(ledger.evaluate(function, args));
      JsonArray items = page.getAsJsonArray("items");
      for (JsonElement e : items) {
        out.add(e.getAsJsonObject());
      }
      bookmark = items.size() == 0 ? "" : page.get("bookmark").getAsString();
    } while (!bookmark.isEmpty());
    return out;
  }

  private EncryptedRecord storedRecord(JsonObject getRecordResponse) {
    JsonObject body = getRecordResponse.getAsJsonObject("request").getAsJsonObject("body");
    return EncryptedRecord.fromBytes(unb64(body.get("record").getAsString()), secrets.paillier().publicKey(),
        SegmentLayout.MAX_SEGMENTS);
  }

  /** Decrypts, reassembles, checks the author's commitment and strips the salt. */
  private byte[] document(RecordInfo info, EncryptedRecord enc) throws RecordIntegrityException {
    PaillierSecretKey sk = secrets.paillier();
    byte[] plaintext;
    try {
      plaintext = RecordCipher.decrypt(enc, sk);
    } catch (CryptoException e) {
      throw new RecordIntegrityException("RECORD_CORRUPT", info.recordId(), e.getMessage());
    }
    if (!RecordProtocol.commitment(plaintext).equals(info.commitment()) || plaintext.length < SALT_BYTES) {
      throw new RecordIntegrityException("COMMITMENT_MISMATCH", info.recordId(),
          "the decrypted record is not the one its author committed to");
    }
    return Arrays.copyOfRange(plaintext, SALT_BYTES, plaintext.length);
  }

  /** Another account's Paillier key from the ledger, cached (bounded). */
  private PaillierPublicKey key(String account) throws LedgerCallException {
    PaillierPublicKey pk = keys.get(account);
    if (pk == null) {
      JsonObject a = CanonicalJson.parseObject(ledger.evaluate("accounts:getAccount", account));
      pk = PaillierPublicKey.fromBytes(unb64(a.get("paillierKey").getAsString()));
      keys.put(account, pk);
      if (keys.size() > KEY_CACHE) {
        keys.remove(keys.keySet().iterator().next());
      }
    }
    return pk;
  }

  private String regulatorId() throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.evaluate("accounts:getChannel")).get("regulator").getAsString();
  }

  private JsonObject body(String type, long nonce) {
    JsonObject b = new JsonObject();
    b.addProperty("type", type);
    b.addProperty("account", accountId());
    b.addProperty("nonce", nonce);
    return b;
  }

  private String sign(JsonObject body) {
    return SignedRequest.sign(ledger.channel(), ledger.chaincode(), body, secrets.signingKey(SecretAccess.explicit())).toJson();
  }

  private static RecordInfo recordInfo(JsonObject o) {
    return new RecordInfo(o.get("recordId").getAsString(), o.get("patient").getAsString(), o.get("author").getAsString(),
        o.get("recordType").getAsString(), o.get("version").getAsLong(), opt(o, "replaces"), opt(o, "supersededBy"),
        Instant.parse(o.get("timestamp").getAsString()), o.get("txId").getAsString(), o.get("commitment").getAsString());
  }

  private static GrantInfo grantInfo(JsonObject o) {
    long exp = o.get("expiresAt").getAsLong();
    return new GrantInfo(o.get("grantId").getAsString(), o.get("patient").getAsString(), o.get("grantee").getAsString(),
        o.get("scope").getAsString(), o.get("target").getAsString(), exp == 0 ? null : Instant.ofEpochSecond(exp),
        Instant.parse(o.get("timestamp").getAsString()), o.has("revoked"));
  }

  private static Access access(JsonObject o) {
    boolean granted = o.get("outcome").getAsString().equals("GRANTED");
    return new Access(o.get("txId").getAsString(), Instant.parse(o.get("timestamp").getAsString()),
        o.get("reader").getAsString(), o.get("grantId").getAsString(), o.get("recordId").getAsString(), opt(o, "patient"),
        granted, opt(o, "code"));
  }

  private ClaimInfo claimInfo(JsonObject o) {
    String field = accountId().equals(o.get("hospital").getAsString()) ? "feeHospital"
        : accountId().equals(o.get("insurer").getAsString()) ? "feeInsurer"
        : secrets.role() == Role.REGULATOR ? "feeRegulator" : null;
    long fee = -1;
    if (field != null) {
      PaillierSecretKey sk = secrets.paillier();
      try {
        fee = sk.decryptAmount(PaillierCiphertext.fromBytes(unb64(o.get(field).getAsString()), sk.publicKey()));
      } catch (CryptoException notAnAmount) {
        fee = -1; // the hospital's ciphertext does not hold an amount: unreadable, as for a non-party
      }
    }
    JsonObject closed = o.has("closed") ? o.getAsJsonObject("closed") : new JsonObject();
    return new ClaimInfo(o.get("claimId").getAsString(), o.get("hospital").getAsString(), o.get("insurer").getAsString(),
        o.get("patient").getAsString(), o.get("recordId").getAsString(), fee, o.get("status").getAsString(),
        opt(closed, "transferTx"), opt(closed, "readTx"), opt(closed, "reason"),
        Instant.parse(o.get("timestamp").getAsString()), o.get("txId").getAsString());
  }

  private static String opt(JsonObject o, String name) {
    return o.has(name) ? o.get(name).getAsString() : "";
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] unb64(String s) {
    return Base64.getDecoder().decode(s);
  }
}
