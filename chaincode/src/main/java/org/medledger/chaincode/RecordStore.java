package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.protocol.ErrorCode;

/**
 * Typed world-state access for the records contract (docs/chaincode.md §8, "World state of
 * records"). Every object is written once under a key of its own; nothing here modifies a value
 * in place, so records, grants and claims are append-only and concurrent activity of different
 * accounts touches different keys.
 */
final class RecordStore {
  static final String SETUP = "rpparams";
  static final String RECORD = "record";
  static final String RECORD_REQUEST = "recordreq";
  static final String RECORD_NEXT = "recordnext";
  static final String PATIENT_RECORD = "precord";
  static final String GRANT = "grant";
  static final String GRANT_REVOKED = "grantrevoked";
  static final String COPY = "copy";
  static final String ACCOUNT_GRANT = "agrant";
  static final String ACCESS = "access";
  static final String PATIENT_TRAIL = "ptrail";
  static final String ALL_TRAIL = "alltrail";
  static final String CLAIM = "claim";
  static final String CLAIM_STATUS = "claimstatus";
  static final String ACCOUNT_CLAIM = "aclaim";
  static final String RECORD_CLAIM = "recordclaim";
  static final String TRANSFER_CLAIM = "claimtransfer";

  private final Ledger ledger;

  RecordStore(Ledger ledger) {
    this.ledger = ledger;
  }

  Ledger ledger() {
    return ledger;
  }

  JsonObject get(String type, String... attrs) {
    return ledger.get(ledger.key(type, attrs));
  }

  void put(JsonObject value, String type, String... attrs) {
    ledger.put(ledger.key(type, attrs), value);
  }

  /** The ring-Pedersen set-up, or a RECORDS_NOT_SET_UP refusal. */
  JsonObject setup() {
    JsonObject s = get(SETUP);
    if (s == null) {
      throw LedgerException.of(ErrorCode.RECORDS_NOT_SET_UP, "the regulator has not published ring-Pedersen parameters");
    }
    return s;
  }

  /**
   * The channel's ring-Pedersen parameters, decoded from the set-up; RECORDS_NOT_SET_UP before
   * records:setup. Π^prm was verified by records:setup before they were stored and only this
   * chaincode writes them, so {@link RingPedersenParams#fromStoredBytes} (cheap checks) suffices.
   */
  RingPedersenParams ringPedersen() {
    JsonObject s = setup();
    try {
      return RingPedersenParams.fromStoredBytes(Base64.getDecoder().decode(s.get("params").getAsString()));
    } catch (CryptoException | IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.RING_PEDERSEN_INVALID, "stored parameters: " + e.getMessage());
    }
  }

  RecordEntry record(String id) {
    RecordEntry r = findRecord(id);
    if (r == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_RECORD, id);
    }
    return r;
  }

  RecordEntry findRecord(String id) {
    JsonObject o = get(RECORD, id);
    return o == null ? null : RecordEntry.fromJson(o);
  }

  /** The signed write request of a record: {@code {"body":…,"signature":…}}. */
  JsonObject recordRequest(String id) {
    return get(RECORD_REQUEST, id);
  }

  /** The id of the correction that replaced {@code id}, or null if it is the latest version. */
  String successor(String id) {
    JsonObject o = get(RECORD_NEXT, id);
    return o == null ? null : o.get("recordId").getAsString();
  }

  Grant grant(String id) {
    Grant g = findGrant(id);
    if (g == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_GRANT, id);
    }
    return g;
  }

  Grant findGrant(String id) {
    JsonObject o = get(GRANT, id);
    return o == null ? null : Grant.fromJson(o);
  }

  boolean revoked(String grantId) {
    return get(GRANT_REVOKED, grantId) != null;
  }

  JsonObject copy(String grantId, String recordId) {
    return get(COPY, grantId, recordId);
  }

  Claim claim(String id) {
    JsonObject o = get(CLAIM, id);
    if (o == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_CLAIM, id);
    }
    return Claim.fromJson(o);
  }

  JsonObject claimStatus(String id) {
    return get(CLAIM_STATUS, id);
  }

  /** A reference {"name": value}, the value of every index entry. */
  static JsonObject ref(String name, String value) {
    JsonObject o = new JsonObject();
    o.addProperty(name, value);
    return o;
  }

  /** Resolves a page of index references {"name": id} to the objects under {@code type/<id>}. */
  Ledger.Page resolve(Ledger.Page refs, String name, String type) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject ref : refs.items()) {
      JsonObject o = get(type, ref.get(name).getAsString());
      if (o != null) {
        out.add(o);
      }
    }
    return new Ledger.Page(out, refs.bookmark());
  }
}
