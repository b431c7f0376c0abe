package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.time.Instant;

/**
 * A patient's consent, stored under {@code grant/<id>} (docs/records.md §3): the grantee may read
 * one record ({@link Scope#RECORD}) or every record of one type ({@link Scope#CATEGORY}) of the
 * patient, until {@code expiresAt} (epoch seconds; 0 = no expiry). Immutable; revocation is a
 * separate key, {@code grantrevoked/<id>}.
 */
record Grant(String grantId, String patient, String grantee, Scope scope, String target, long expiresAt,
    String timestamp, String txId) {

  /** What a grant covers. */
  enum Scope {
    /** One record version, named by its id. */
    RECORD,
    /** Every record of the patient whose type is the target, including later ones and corrections. */
    CATEGORY
  }

  boolean covers(RecordEntry r) {
    if (!r.patient().equals(patient)) {
      return false;
    }
    return scope == Scope.RECORD ? r.recordId().equals(target) : r.recordType().equals(target);
  }

  /** True iff the grant has an expiry and {@code now} is at or after it. */
  boolean expiredAt(Instant now) {
    return expiresAt != 0 && !now.isBefore(Instant.ofEpochSecond(expiresAt));
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("grantId", grantId);
    o.addProperty("patient", patient);
    o.addProperty("grantee", grantee);
    o.addProperty("scope", scope.name());
    o.addProperty("target", target);
    o.addProperty("expiresAt", expiresAt);
    o.addProperty("timestamp", timestamp);
    o.addProperty("txId", txId);
    return o;
  }

  static Grant fromJson(JsonObject o) {
    return new Grant(o.get("grantId").getAsString(), o.get("patient").getAsString(), o.get("grantee").getAsString(),
        Scope.valueOf(o.get("scope").getAsString()), o.get("target").getAsString(), o.get("expiresAt").getAsLong(),
        o.get("timestamp").getAsString(), o.get("txId").getAsString());
  }
}
