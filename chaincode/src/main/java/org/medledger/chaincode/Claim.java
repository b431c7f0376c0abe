package org.medledger.chaincode;

import com.google.gson.JsonObject;

/**
 * A hospital's claim on an insurer for the fee of one record, stored under {@code claim/<id>}
 * (docs/records.md §5). The fee is encrypted three times, under the hospital's, the insurer's
 * and the regulator's keys; the copies are not proven equal, each reader checks its own against
 * the record. Immutable; settlement or rejection is a separate key, {@code claimstatus/<id>}.
 */
record Claim(String claimId, String hospital, String insurer, String patient, String recordId,
    String feeHospital, String feeInsurer, String feeRegulator, String timestamp, String txId) {

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("claimId", claimId);
    o.addProperty("hospital", hospital);
    o.addProperty("insurer", insurer);
    o.addProperty("patient", patient);
    o.addProperty("recordId", recordId);
    o.addProperty("feeHospital", feeHospital);
    o.addProperty("feeInsurer", feeInsurer);
    o.addProperty("feeRegulator", feeRegulator);
    o.addProperty("timestamp", timestamp);
    o.addProperty("txId", txId);
    return o;
  }

  static Claim fromJson(JsonObject o) {
    return new Claim(o.get("claimId").getAsString(), o.get("hospital").getAsString(), o.get("insurer").getAsString(),
        o.get("patient").getAsString(), o.get("recordId").getAsString(), o.get("feeHospital").getAsString(),
        o.get("feeInsurer").getAsString(), o.get("feeRegulator").getAsString(), o.get("timestamp").getAsString(),
        o.get("txId").getAsString());
  }
}
