package org.medledger.chaincode;

import com.google.gson.JsonObject;

/**
 * A record's public description, stored under {@code record/<id>} (docs/chaincode.md §8): who it
 * is about, who wrote it, its type, version, the version it replaces and the first version of its
 * correction chain ({@code root}, its own id for a first version), when and in which
 * transaction it was written, its size in segments and the author's content commitment. The
 * segments, the record proof and the author's signature are under {@code recordreq/<id>}.
 * Written once and never changed: a correction is a new record.
 */
record RecordEntry(String recordId, String patient, String author, String recordType, long version,
    String replaces, String root, String timestamp, String txId, int keyBits, int segments, String commitment) {

  boolean isCorrection() {
    return !replaces.isEmpty();
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("recordId", recordId);
    o.addProperty("patient", patient);
    o.addProperty("author", author);
    o.addProperty("recordType", recordType);
    o.addProperty("version", version);
    if (isCorrection()) {
      o.addProperty("replaces", replaces);
    }
    o.addProperty("root", root);
    o.addProperty("timestamp", timestamp);
    o.addProperty("txId", txId);
    o.addProperty("keyBits", keyBits);
    o.addProperty("segments", segments);
    o.addProperty("commitment", commitment);
    return o;
  }

  static RecordEntry fromJson(JsonObject o) {
    return new RecordEntry(o.get("recordId").getAsString(), o.get("patient").getAsString(),
        o.get("author").getAsString(), o.get("recordType").getAsString(), o.get("version").getAsLong(),
        o.has("replaces") ? o.get("replaces").getAsString() : "", o.get("root").getAsString(),
        o.get("timestamp").getAsString(),
        o.get("txId").getAsString(), o.get("keyBits").getAsInt(), o.get("segments").getAsInt(),
        o.get("commitment").getAsString());
  }
}
