package org.medledger.chaincode;

import static org.medledger.chaincode.Contracts.b64;
import static org.medledger.chaincode.Contracts.emit;
import static org.medledger.chaincode.Contracts.regulator;
import static org.medledger.chaincode.Contracts.requireRole;
import static org.medledger.chaincode.Records.id;

import com.google.gson.JsonObject;
import java.time.Instant;
import org.hyperledger.fabric.contract.Context;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;

/**
 * Claims in the {@code records} contract (docs/chaincode.md §8.2, docs/records.md §5): the author
 * of a record files a claim on an insurer with the fee encrypted under three keys; the insurer
 * settles it by linking its confidential transfer and its consented read, or rejects it.
 * {@link RecordContract} is the contract; this class holds the logic.
 */
final class Claims {
  /** Longest rejection reason, in characters. */
  static final int MAX_REASON_CHARS = 200;

  private Claims() {}

  /**
   * The author of a record files a claim on an insurer for it. The fee is encrypted under the
   * hospital's, the insurer's and the regulator's keys (docs/records.md §5). One claim per record:
   * the claim is keyed by the first version of the record's correction chain, so a claim on one
   * version refuses claims on every later version ({@code CLAIM_EXISTS}).
   */
  static String fileClaim(Context ctx, String requestJson) {
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
  static String settleClaim(Context ctx, String requestJson) {
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
  static String rejectClaim(Context ctx, String requestJson) {
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
  static String getClaim(Context ctx, String claimId) {
    RecordStore store = new RecordStore(new Ledger(ctx));
    return CanonicalJson.toString(claimView(store, store.claim(claimId)));
  }

  /** One page of the claims an account is party to (hospital, insurer or patient), oldest first. */
  static String listClaims(Context ctx, String account, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    RecordStore store = new RecordStore(ledger);
    ledger.account(account);
    return Contracts.page(ledger, RecordStore.ACCOUNT_CLAIM, account, pageSize, bookmark,
        ref -> claimView(store, store.claim(ref.get("claimId").getAsString())));
  }

  // ------------------------------------------------------------------------------- helpers

  private static String fee(JsonObject b, String name, PaillierPublicKey key) {
    byte[] c = Json.base64(b, name, 4 + 2 * 4096 / 8);
    try {
      PaillierCiphertext.fromBytes(c, key);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_CIPHERTEXT, name + ": " + e.getMessage());
    }
    return b64(c);
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
}
