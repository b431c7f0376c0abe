package org.medledger.chaincode;

import com.google.gson.JsonObject;

/**
 * Where an access-trail entry is indexed (docs/records.md §4.1). Every authenticated read attempt
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

  private AccessLog() {}

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
