package org.medledger.cli;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medledger.protocol.Role;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.synthetic.SyntheticRecords;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medledger records write} and {@code correct}: a hospital writes a record, or a new version of its record. */
final class RecordsWriting {
  private RecordsWriting() {
  }

  /** What a hospital writes: a file or a synthetic Table 1 record. */
  static final class Content {
    @Option(names = "--file", paramLabel = "<file>", required = true,
        description = "The document: a Table 1 record in JSON (docs/records.md §6) for claims; any bytes otherwise.")
    Path file;

    @Option(names = "--synthetic", required = true, description = "A fictional Table 1 record from the synthetic generator.")
    boolean synthetic;

    byte[] bytes(Long seed, boolean opaque) throws CliException {
      if (opaque && synthetic) {
        throw CliException.usage("--opaque goes with --file");
      }
      if (seed != null && !synthetic) {
        throw CliException.usage("--seed goes with --synthetic");
      }
      if (synthetic) {
        return new SyntheticRecords(seed != null ? seed : new java.security.SecureRandom().nextLong()).next().toJson();
      }
      try {
        byte[] b = Files.readAllBytes(file);
        if (b.length > RecordClient.MAX_DOCUMENT_BYTES) {
          throw CliException.local("RECORD_TOO_LARGE", file + " has " + b.length + " bytes; a record holds at most "
              + RecordClient.MAX_DOCUMENT_BYTES);
        }
        if (!opaque) {
          Table1Check.check(file, b);
        }
        return b;
      } catch (IOException e) {
        throw CliException.usage("cannot read --file " + file + ": " + Errors.cause(e));
      }
    }
  }

  /** Hospital: writes a record about a patient, encrypted under the patient's key. */
  @Command(name = "write", mixinStandardHelpOptions = true,
      description = "Hospital: write a record about a patient, encrypted under the patient's key, with a proof.")
  static final class Write extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<hospital>", description = "The local hospital account (the author).")
    String name;

    @Option(names = "--patient", required = true, paramLabel = "<account>", description = "The patient: a local name or an account id.")
    String patient;

    @Option(names = "--type", required = true, paramLabel = "<type>",
        description = "The record type (category), 1-32 of a-z, 0-9, '-': e.g. visit, prescription, lab, imaging, discharge.")
    String type;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Content content;

    @Option(names = "--seed", paramLabel = "<n>", description = "With --synthetic: the generator's seed (default: random).")
    Long seed;

    @Option(names = "--opaque", description = "With --file: store a JSON file that is not a valid Table 1 record as an opaque document (no claim can be settled on it).")
    boolean opaque;

    @Mixin
    StatsVisitOptions stats;

    @Override
    void execute() throws Exception {
      recordType("--type", type);
      String patientId = home().resolve(patient);
      byte[] document = content.bytes(seed, opaque);
      stats.check(stats.asked() ? RecordViews.table1(document) : null);
      Acting a = acting(name, null, Role.HOSPITAL, "records write");
      RecordClient.Written w = refusingLocally("encrypting and proving the record",
          () -> stats.write(a.records(), home(), patientId, type, document));
      JsonObject o = written(w, patientId, type);
      MedicalRecord m = RecordViews.table1(document);
      if (m != null) {
        o.addProperty("fee", m.fee()); // the author's own knowledge, for 'claims file'
      } else {
        o.add("fee", JsonNull.INSTANCE);
      }
      stats.describe(o);
      emit(o, "Wrote " + type + " record " + w.recordId() + " (version " + w.version() + ") about "
          + label(localNames(), patientId) + " (tx " + w.txId() + ")" + (m == null ? "" : "; its fee is " + amount(m.fee())) + "\n"
          + "  On the ledger: ciphertext segments under the patient's key, a proof and the author's commitment." + stats.note());
    }
  }

  /** Hospital: corrects its record (a new version). */
  @Command(name = "correct", mixinStandardHelpOptions = true,
      description = "Hospital, author of the record: write a corrected version; the old one stays, marked superseded.")
  static final class Correct extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<hospital>", description = "The local hospital account (the author).")
    String name;

    @Option(names = "--record", required = true, paramLabel = "<recordId>", description = "The latest version of the record.")
    String recordId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Content content;

    @Option(names = "--seed", paramLabel = "<n>", description = "With --synthetic: the generator's seed (default: random).")
    Long seed;

    @Option(names = "--opaque", description = "With --file: store a JSON file that is not a valid Table 1 record as an opaque document (no claim can be settled on it).")
    boolean opaque;

    @Override
    void execute() throws Exception {
      recordId("--record", recordId);
      byte[] document = content.bytes(seed, opaque);
      Acting a = acting(name, null);
      RecordClient.Written w = refusingLocally(() -> a.records().correctDocument(recordId, document));
      RecordClient.RecordInfo info = a.records().record(w.recordId());
      emit(written(w, info.patient(), info.recordType()), "Wrote version " + w.version() + " of the record: "
          + w.recordId() + ", replacing " + recordId + " (tx " + w.txId() + ")");
    }
  }

  static JsonObject written(RecordClient.Written w, String patient, String type) {
    JsonObject o = new JsonObject();
    o.addProperty("recordId", w.recordId());
    o.addProperty("txId", w.txId());
    o.addProperty("version", w.version());
    o.addProperty("patient", patient);
    o.addProperty("recordType", type);
    return o;
  }
}
