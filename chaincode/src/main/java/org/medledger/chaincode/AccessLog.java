package org.medledger.chaincode;

import static org.medledger.chaincode.Contracts.emit;
import static org.medledger.chaincode.Contracts.requireOrganisation;
import static org.medledger.chaincode.Contracts.requireRole;
import static org.medledger.chaincode.Records.describe;
import static org.medledger.chaincode.Records.id;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;

/**
 * The access log of the {@code records} contract (docs/chaincode.md §8.2, docs/records.md §4): a
 * grantee's read, which commits an entry whether granted or denied, and the trail queries over the
 * entries (the patient's own, signed; the regulator's). {@link RecordContract} is the contract;
 * this class holds the logic.
 *
 * <p>Where an entry is indexed (docs/records.md §4.1). Every authenticated read attempt
 * is stored under {@code access/<txId>} and indexed in the regulator's full trail. It enters a
 * patient's own trail only when the reader is the grantee of a grant that patient made: a
 * patient's trail lists what the accounts it chose did with that patient's records (an attempt on
 * another patient's record under the grant goes to the regulator's trail only), and no stranger can
 * fill it. Denials under
 * one grant enter the patient's trail at most {@link #MAX_DENIALS_PER_GRANT} times; the grant's
 * denial counter keeps counting, so the patient still learns how many there were.
 */
final class AccessLog {
  /** Denied reads under one grant that are listed in the patient's trail. */
  static final int MAX_DENIALS_PER_GRANT = 16;
  /** Per grant: {"count": denied reads by its grantee so far}. */
  static final String DENIALS = "grantdenials";
  private static final Pattern ACCOUNT = Pattern.compile("acct-[0-9a-f]{32}");

  private AccessLog() {}

  // ------------------------------------------------------------------------------- reading

  /**
   * A grantee reads a record: a submitted transaction that always commits an access-log entry.
   * An authorised read returns the record's description and the grantee's copy; an unauthorised one (unknown, foreign, revoked
   * or expired grant, record out of scope or not yet shared) returns outcome DENIED with a stable
   * code instead of throwing, because a refused Fabric transaction writes nothing and the denial
   * must be logged. Requests that do not authenticate (bad envelope, signature or nonce) are
   * refused and not logged: they cannot be attributed to an account.
   */
  static String read(Context ctx, String requestJson) {
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
  static String trail(Context ctx, String signedQuery, String pageSize, String bookmark) {
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
  static String auditTrail(Context ctx, String patient, String pageSize, String bookmark) {
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

  // ------------------------------------------------------------------------------- the log

  /**
   * Stores the entry and its index references.
   *
   * @param grant the grant named by the read, or null if there is none
   * @param record the record named by the read, or null if there is none
   */
  static void record(RecordStore store, AccessEntry entry, Grant grant, RecordEntry record, String order) {
    String tx = entry.txId();
    store.put(entry.toJson(), RecordStore.ACCESS, tx);
    store.put(RecordStore.ref("txId", tx), RecordStore.ALL_TRAIL, order, tx);
    if (grant == null || !grant.grantee().equals(entry.reader())) {
      return; // a stranger's attempt: the regulator's trail only, attributed to the signed reader
    }
    if (record != null && !record.patient().equals(grant.patient())) {
      return; // the grantee tried another patient's record: that patient never chose this reader
    }
    if (!entry.granted()) {
      JsonObject counter = store.get(DENIALS, grant.grantId());
      long denials = counter == null ? 0 : counter.get("count").getAsLong();
      JsonObject next = new JsonObject();
      next.addProperty("count", denials + 1);
      store.put(next, DENIALS, grant.grantId());
      if (denials >= MAX_DENIALS_PER_GRANT) {
        return;
      }
    }
    store.put(RecordStore.ref("txId", tx), RecordStore.PATIENT_TRAIL, grant.patient(), order, tx);
  }

  /** How many reads the grant's grantee was denied so far (listed or not). */
  static long denials(RecordStore store, String grantId) {
    JsonObject counter = store.get(DENIALS, grantId);
    return counter == null ? 0 : counter.get("count").getAsLong();
  }
}
