package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.medledger.protocol.Role;
import org.medledger.sdk.RecordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medledger records list}, {@code open}, {@code read} and {@code trail}: the records about a
 * patient, a record decrypted by its patient or read by a grantee, and the access trail.
 */
final class RecordsReading {
  private RecordsReading() {
  }

  /** Lists the records about a patient (descriptions, no content). */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the records about a patient: ids, types, versions, authors (what anyone on the channel sees; no content).")
  static final class ListRecords extends Query {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account asking.")
    String name;

    @Option(names = "--patient", paramLabel = "<account>", description = "The patient (default: the asking account).")
    String patient;

    @Override
    void execute() throws Exception {
      Acting a = acting(name, null);
      String patientId = patient == null ? a.account() : home().resolve(patient);
      List<RecordClient.RecordInfo> all = a.records().records(patientId);
      Map<String, String> names = localNames();
      JsonArray arr = new JsonArray();
      StringBuilder t = new StringBuilder("Records about " + label(names, patientId) + ": " + all.size() + "\n");
      for (RecordClient.RecordInfo r : all) {
        arr.add(RecordViews.info(r));
        t.append(String.format("  %s  %-12s v%d  by %s  %s%s%n", r.recordId(), r.recordType(), r.version(),
            names.getOrDefault(r.author(), r.author()), r.timestamp(),
            r.supersededBy().isEmpty() ? "" : "  (superseded by " + r.supersededBy() + ")"));
      }
      JsonObject o = new JsonObject();
      o.addProperty("patient", patientId);
      o.add("records", arr);
      emit(o, t.toString());
    }
  }

  /** Patient: decrypts one of its own records. */
  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Patient: decrypt one of its own records and check it against the author's commitment (not logged).")
  static final class Open extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<patient>", description = "The local patient account.")
    String name;

    @Option(names = "--record", required = true, paramLabel = "<recordId>", description = "The record.")
    String recordId;

    @Override
    void execute() throws Exception {
      recordId("--record", recordId);
      Acting a = acting(name, null);
      RecordViews.show(this, refusingLocally(() -> a.records().open(recordId)));
    }
  }

  /** Grantee: reads a record under a grant; the read is logged, granted or denied. */
  @Command(name = "read", mixinStandardHelpOptions = true,
      description = "Grantee: read a record under a grant. The read is a transaction, logged in the patient's trail whether granted or denied.")
  static final class Read extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local grantee account.")
    String name;

    @Option(names = "--grant", required = true, paramLabel = "<grantId>", description = "The grant.")
    String grantId;

    @Option(names = "--record", required = true, paramLabel = "<recordId>", description = "The record.")
    String recordId;

    @Override
    void execute() throws Exception {
      grantId("--grant", grantId);
      recordId("--record", recordId);
      Acting a = acting(name, null);
      RecordViews.show(this, a.records().read(grantId, recordId));
    }
  }

  /** The access trail: the patient's own, or the regulator's view of everyone's. */
  @Command(name = "trail", mixinStandardHelpOptions = true,
      description = "The access trail: a patient's own; for the regulator, every patient's (or one with --patient).")
  static final class Trail extends Query {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local patient or regulator account.")
    String name;

    @Option(names = "--patient", paramLabel = "<account>", description = "Regulator: only this patient's trail.")
    String patient;

    @Override
    void execute() throws Exception {
      Role role = home().local(name).info().role();
      if (role != Role.REGULATOR && patient != null) {
        throw CliException.usage("--patient is for the regulator; a patient sees its own trail");
      }
      Acting a = role == Role.REGULATOR ? acting(name, null) : acting(name, null, Role.PATIENT, "records trail");
      List<RecordClient.Access> trail;
      if (a.role() == Role.REGULATOR) {
        trail = a.records().auditTrail(patient == null ? "" : home().resolve(patient));
      } else if (patient != null) {
        throw CliException.usage("--patient is for the regulator; a patient sees its own trail");
      } else {
        requireRole(a, Role.PATIENT, "records trail");
        trail = a.records().trail();
      }
      Map<String, String> names = localNames();
      JsonArray arr = new JsonArray();
      StringBuilder t = new StringBuilder("Access trail" + (a.role() == Role.REGULATOR ? " (regulator)" : " of '" + name + "'")
          + ": " + trail.size() + " read(s)\n");
      for (RecordClient.Access x : trail) {
        JsonObject e = new JsonObject();
        e.addProperty("txId", x.txId());
        e.addProperty("timestamp", x.timestamp().toString());
        e.addProperty("reader", x.reader());
        e.addProperty("grantId", x.grantId());
        e.addProperty("recordId", x.recordId());
        e.addProperty("patient", x.patient());
        e.addProperty("granted", x.granted());
        e.addProperty("code", x.code());
        arr.add(e);
        t.append(String.format("  %s  %-8s %s read %s under %s%n", x.timestamp(), x.granted() ? "GRANTED" : "DENIED",
            names.getOrDefault(x.reader(), x.reader()), x.recordId(), x.grantId() + (x.granted() ? "" : " (" + x.code() + ")")));
      }
      JsonObject o = new JsonObject();
      o.add("trail", arr);
      emit(o, t.toString());
    }
  }
}
