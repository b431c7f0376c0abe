package org.medledger.chaincode;

import com.google.gson.JsonObject;

/**
 * One entry of the access trail, stored under {@code access/<txId>} (docs/records.md §4): who
 * asked to read which record under which grant, when, and whether it was granted; a denial
 * carries its error code. The patients concerned and the regulator list it.
 */
record AccessEntry(String txId, String timestamp, String reader, String grantId, String recordId,
    String patient, boolean granted, String code) {

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("txId", txId);
    o.addProperty("timestamp", timestamp);
    o.addProperty("reader", reader);
    o.addProperty("grantId", grantId);
    o.addProperty("recordId", recordId);
    if (!patient.isEmpty()) {
      o.addProperty("patient", patient);
    }
    o.addProperty("outcome", granted ? "GRANTED" : "DENIED");
    if (!granted) {
      o.addProperty("code", code);
    }
    return o;
  }

  static AccessEntry fromJson(JsonObject o) {
    boolean granted = o.get("outcome").getAsString().equals("GRANTED");
    return new AccessEntry(o.get("txId").getAsString(), o.get("timestamp").getAsString(), o.get("reader").getAsString(),
        o.get("grantId").getAsString(), o.get("recordId").getAsString(),
        o.has("patient") ? o.get("patient").getAsString() : "", granted, granted ? "" : o.get("code").getAsString());
  }
}
