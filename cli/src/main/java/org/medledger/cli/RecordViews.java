package org.medledger.cli;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.RecordClient;

/** What the records commands print of a record: its description, and its content once decrypted. */
final class RecordViews {
  private RecordViews() {
  }

  static JsonObject info(RecordClient.RecordInfo r) {
    JsonObject x = new JsonObject();
    x.addProperty("recordId", r.recordId());
    x.addProperty("patient", r.patient());
    x.addProperty("author", r.author());
    x.addProperty("recordType", r.recordType());
    x.addProperty("version", r.version());
    x.addProperty("replaces", r.replaces());
    x.addProperty("supersededBy", r.supersededBy());
    x.addProperty("timestamp", r.timestamp().toString());
    x.addProperty("txId", r.txId());
    return x;
  }

  /** Prints a decrypted record: a Table 1 record field by field, any other document as text or base64. */
  static void show(Base cmd, RecordClient.Opened r) {
    JsonObject o = info(r.info());
    o.addProperty("readTx", r.readTx());
    StringBuilder t = new StringBuilder("Record " + r.info().recordId() + " (" + r.info().recordType() + ", version "
        + r.info().version() + ")" + (r.readTx().isEmpty() ? "" : ", read in logged transaction " + r.readTx()) + "\n");
    MedicalRecord m = table1(r.document());
    if (m != null) {
      o.add("record", CanonicalJson.parseObject(new String(m.toJson(), StandardCharsets.UTF_8)));
      o.add("document", JsonNull.INSTANCE);
      t.append("  name:         ").append(m.name()).append('\n')
          .append("  id number:    ").append(m.idNumber()).append('\n')
          .append("  phone:        ").append(m.phone()).append('\n')
          .append("  email:        ").append(m.email()).append('\n')
          .append("  address:      ").append(m.address()).append('\n')
          .append("  fee:          ").append(Base.amount(m.fee())).append('\n')
          .append("  prescription: ").append(m.prescription()).append('\n');
    } else {
      o.add("record", JsonNull.INSTANCE);
      o.addProperty("document", Base64.getEncoder().encodeToString(r.document()));
      t.append("  a document of ").append(r.document().length).append(" bytes (not a Table 1 record); --json gives it in base64\n");
    }
    cmd.emit(o, t.toString());
  }

  /** The document as a Table 1 record, or null if it is not one (an opaque document). */
  static MedicalRecord table1(byte[] document) {
    try {
      return MedicalRecord.fromJson(document);
    } catch (IllegalArgumentException notTable1) {
      return null;
    }
  }
}
