package org.medledger.cli;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.MedicalRecord;

/**
 * Refuses a {@code --file} that is meant as a Table 1 record (a JSON object with two or more of its
 * seven members) but is not a valid one, e.g. {@code {"name":"x","fee":-5}}: stored as it is, it
 * would be an opaque document on which no claim can ever be settled. {@code --opaque} stores such
 * a file as an opaque document all the same; any other bytes are opaque documents anyway.
 */
final class Table1Check {
  static final List<String> MEMBERS = List.of("name", "idNumber", "phone", "email", "address", "fee", "prescription");

  private Table1Check() {}

  static void check(Path file, byte[] document) throws CliException {
    JsonObject o;
    try {
      o = CanonicalJson.parseObject(new String(document, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notJson) {
      return; // not a JSON object: an opaque document
    }
    List<String> shared = MEMBERS.stream().filter(o::has).toList();
    if (shared.size() < 2) {
      return;
    }
    try {
      MedicalRecord.fromJson(document);
    } catch (IllegalArgumentException e) {
      throw CliException.local("NOT_TABLE1", file + " looks like a Table 1 record (it has " + String.join(", ", shared)
          + ") but is not one: " + Errors.oneLine(e.getMessage()) + "; nothing was written (docs/records.md §6 gives"
          + " the format; --opaque stores the file as an opaque document, on which no claim can be settled)");
    }
  }
}
