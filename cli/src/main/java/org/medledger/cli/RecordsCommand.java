package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.synthetic.SyntheticRecords;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code medledger records}: medical records, consent and the access trail (docs/records.md). */
@Command(name = "records", mixinStandardHelpOptions = true,
    description = "Medical records: write, open, grant, share, revoke, read with consent, and the access trail.",
    subcommands = {RecordsCommand.Setup.class, RecordsCommand.Write.class, RecordsCommand.Correct.class,
        RecordsCommand.ListRecords.class, RecordsCommand.Open.class, RecordsCommand.Grant.class,
        RecordsCommand.Share.class, RecordsCommand.Revoke.class, RecordsCommand.Grants.class, RecordsCommand.Read.class,
        RecordsCommand.Trail.class})
final class RecordsCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand; 'medledger records --help' lists them");
  }

  /** Regulator: generates and publishes the channel's ring-Pedersen parameters, once. */
  @Command(name = "setup", mixinStandardHelpOptions = true,
      description = "Regulator: generate the channel's ring-Pedersen parameters (two safe primes) and publish them, once per channel.")
  static final class Setup extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<regulator>", description = "The local regulator account.")
    String name;

    @Option(names = "--bits", paramLabel = "<bits>", defaultValue = "3072",
        description = "Size of N̂: 3072 (default; seconds, now and then a minute) or 2048.")
    int bits;

    @Option(names = "--params-file", paramLabel = "<file>",
        description = "Publish parameters generated elsewhere instead: their encoding (docs/protocol.md §5.4); needs --proof-file.")
    Path paramsFile;

    @Option(names = "--proof-file", paramLabel = "<file>", description = "The Π^prm proof of --params-file.")
    Path proofFile;

    @Override
    void execute() throws Exception {
      if ((paramsFile == null) != (proofFile == null)) {
        throw CliException.usage("--params-file and --proof-file go together");
      }
      if (paramsFile != null) {
        publishFromFiles();
        return;
      }
      RingPedersenParams.Size size = switch (bits) {
        case 2048 -> RingPedersenParams.Size.BITS_2048;
        case 3072 -> RingPedersenParams.Size.BITS_3072;
        default -> throw CliException.usage("--bits must be 2048 or 3072, got " + bits);
      };
      Acting a = acting(name, null, Role.REGULATOR, "records setup");
      RingPedersenParams.Generated g;
      long millis;
      try (Progress p = Progress.start(env(), "generating " + bits + "-bit ring-Pedersen parameters (two safe primes)")) {
        g = RingPedersenParams.generate(size, root().random);
        millis = p.succeeded();
      }
      a.records().publishRingPedersen(g.params().toBytes(), g.proof().toBytes());
      JsonObject o = new JsonObject();
      o.addProperty("bits", bits);
      o.addProperty("generationMillis", millis);
      emit(o, "Published " + bits + "-bit ring-Pedersen parameters for the channel (generated in "
          + String.format("%.1f s", millis / 1000.0) + "); accounts can now register and grants can be made.\n"
          + "  The factors of N̂ were never stored; see docs/protocol.md §5.4 for what that trust means.");
    }

    private void publishFromFiles() throws Exception {
      Acting a = acting(name, null, Role.REGULATOR, "records setup");
      byte[] params;
      byte[] proof;
      try {
        params = Files.readAllBytes(paramsFile);
        proof = Files.readAllBytes(proofFile);
      } catch (IOException e) {
        throw CliException.usage("cannot read the parameter files: " + Errors.cause(e));
      }
      RingPedersenParams rp;
      try {
        rp = RingPedersenParams.fromBytes(params, proof); // the chaincode checks the same again
      } catch (org.medledger.crypto.CryptoException e) {
        throw CliException.local(e.code(), e.getMessage());
      }
      a.records().publishRingPedersen(params, proof);
      JsonObject o = new JsonObject();
      o.addProperty("bits", rp.bits());
      emit(o, "Published " + rp.bits() + "-bit ring-Pedersen parameters for the channel from " + paramsFile
          + "; accounts can now register and grants can be made.");
    }
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
      stats.check(stats.asked() ? table1(document) : null);
      Acting a = acting(name, null, Role.HOSPITAL, "records write");
      RecordClient.Written w;
      try (Progress p = Progress.start(env(), "encrypting and proving the record")) {
        w = stats.write(a.records(), home(), patientId, type, document);
        p.succeeded();
      } catch (ClientRefusalException e) {
        throw refusedLocally(e);
      }
      JsonObject o = written(w, patientId, type);
      MedicalRecord m = table1(document);
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
      RecordClient.Written w;
      try {
        w = a.records().correctDocument(recordId, document);
      } catch (ClientRefusalException e) {
        throw refusedLocally(e);
      }
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

  /** Lists the records about a patient (descriptions, no content). */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the records about a patient: ids, types, versions, authors (what anyone on the channel sees; no content).")
  static final class ListRecords extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account asking.")
    String name;

    @Option(names = "--patient", paramLabel = "<account>", description = "The patient (default: the asking account).")
    String patient;

    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      Acting a = acting(name, null);
      String patientId = patient == null ? a.account() : home().resolve(patient);
      List<RecordClient.RecordInfo> all = a.records().records(patientId);
      Map<String, String> names = localNames();
      JsonArray arr = new JsonArray();
      StringBuilder t = new StringBuilder("Records about " + label(names, patientId) + ": " + all.size() + "\n");
      for (RecordClient.RecordInfo r : all) {
        arr.add(info(r));
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
      RecordClient.Opened r;
      try {
        r = a.records().open(recordId);
      } catch (ClientRefusalException e) {
        throw refusedLocally(e);
      }
      show(this, r);
    }
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
          .append("  fee:          ").append(amount(m.fee())).append('\n')
          .append("  prescription: ").append(m.prescription()).append('\n');
    } else {
      o.add("record", JsonNull.INSTANCE);
      o.addProperty("document", Base64.getEncoder().encodeToString(r.document()));
      t.append("  a document of ").append(r.document().length).append(" bytes (not a Table 1 record); --json gives it in base64\n");
    }
    cmd.emit(o, t.toString());
  }

  private static MedicalRecord table1(byte[] document) {
    try {
      return MedicalRecord.fromJson(document);
    } catch (IllegalArgumentException notTable1) {
      return null;
    }
  }

  /** Patient: grants an account access to one record or a category. */
  @Command(name = "grant", mixinStandardHelpOptions = true,
      description = "Patient: grant an account access to one record (--record) or to every record of a type (--type), re-encrypted for it with a proof.")
  static final class Grant extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<patient>", description = "The local patient account.")
    String name;

    @Option(names = "--to", required = true, paramLabel = "<account>", description = "The grantee: a hospital, insurer, doctor or the regulator.")
    String to;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    static final class Scope {
      @Option(names = "--record", required = true, paramLabel = "<recordId>", description = "One record version.")
      String recordId;

      @Option(names = "--type", required = true, paramLabel = "<type>", description = "Every record of this type, now and later (later ones with 'share').")
      String type;
    }

    @Option(names = "--expires", paramLabel = "<instant>", description = "Expiry, ISO-8601 UTC, e.g. 2027-01-31T00:00:00Z (default: none).")
    String expires;

    @Override
    void execute() throws Exception {
      if (scope.recordId != null) {
        recordId("--record", scope.recordId);
      } else {
        recordType("--type", scope.type);
      }
      Instant expiresAt = null;
      if (expires != null) {
        try {
          expiresAt = Instant.parse(expires);
        } catch (DateTimeParseException e) {
          throw CliException.usage("--expires must be an ISO-8601 instant such as 2027-01-31T00:00:00Z, got " + expires);
        }
      }
      String grantee = home().resolve(to);
      Home.Local local = home().local(name);
      if (local.info().role() == Role.PATIENT) { // the grantee's role is public: asked before the unlock and the proof
        GranteeCheck.require(publicLedger(local, null), grantee, to, local.info().account());
      }
      Acting a = acting(name, null, Role.PATIENT, "records grant");
      RecordClient.Shared shared;
      try (Progress p = Progress.start(env(), "re-encrypting for the grantee and proving it")) {
        if (scope.recordId != null) {
          String id = a.records().grantRecord(grantee, scope.recordId, expiresAt);
          shared = new RecordClient.Shared(id, List.of(scope.recordId), List.of());
        } else {
          shared = a.records().grantCategory(grantee, scope.type, expiresAt);
        }
        p.succeeded();
      } catch (ClientRefusalException e) {
        throw refusedLocally(e);
      }
      JsonObject o = shared(shared);
      o.addProperty("grantee", grantee);
      o.addProperty("scope", scope.recordId != null ? "RECORD" : "CATEGORY");
      o.addProperty("target", scope.recordId != null ? scope.recordId : scope.type);
      o.add("expiresAt", expiresAt == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(expiresAt.toString()));
      emit(o, "Granted " + label(localNames(), grantee) + " access to " + (scope.recordId != null ? "record " + scope.recordId
          : "every '" + scope.type + "' record") + (expiresAt == null ? "" : " until " + expiresAt) + ": grant "
          + shared.grantId() + "\n  shared now: " + shared.shared().size() + " record(s)"
          + (shared.unreadable().isEmpty() ? "" : "; not shared (they do not decode): " + shared.unreadable()));
    }
  }

  static JsonObject shared(RecordClient.Shared s) {
    JsonObject o = new JsonObject();
    o.addProperty("grantId", s.grantId());
    JsonArray sh = new JsonArray();
    s.shared().forEach(sh::add);
    JsonArray un = new JsonArray();
    s.unreadable().forEach(un::add);
    o.add("shared", sh);
    o.add("unreadable", un);
    return o;
  }

  /** Patient: shares the records that came into a category grant's scope later. */
  @Command(name = "share", mixinStandardHelpOptions = true,
      description = "Patient: share with a category grant's grantee the records of that type written since.")
  static final class Share extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<patient>", description = "The local patient account.")
    String name;

    @Option(names = "--grant", required = true, paramLabel = "<grantId>", description = "The category grant.")
    String grantId;

    @Override
    void execute() throws Exception {
      grantId("--grant", grantId);
      Acting a = acting(name, null);
      RecordClient.Shared s;
      try {
        s = a.records().share(grantId);
      } catch (ClientRefusalException e) {
        throw refusedLocally(e);
      }
      emit(shared(s), "Shared " + s.shared().size() + " record(s) under grant " + grantId
          + (s.unreadable().isEmpty() ? "" : "; not shared (they do not decode): " + s.unreadable()));
    }
  }

  /** Patient: revokes a grant. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Patient: revoke a grant; every later read under it is denied and logged (what was read stays read).")
  static final class Revoke extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<patient>", description = "The local patient account.")
    String name;

    @Option(names = "--grant", required = true, paramLabel = "<grantId>", description = "The grant.")
    String grantId;

    @Override
    void execute() throws Exception {
      grantId("--grant", grantId);
      Acting a = acting(name, null);
      a.records().revoke(grantId);
      JsonObject o = new JsonObject();
      o.addProperty("grantId", grantId);
      o.addProperty("revoked", true);
      emit(o, "Revoked grant " + grantId + ": later reads under it are denied and logged");
    }
  }

  /** Lists an account's grants. */
  @Command(name = "grants", mixinStandardHelpOptions = true, description = "List the grants this account made or received.")
  static final class Grants extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account.")
    String name;

    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      Acting a = acting(name, null);
      Map<String, String> names = localNames();
      JsonArray arr = new JsonArray();
      StringBuilder t = new StringBuilder();
      List<RecordClient.GrantInfo> all = a.records().grants();
      t.append("Grants of '").append(name).append("': ").append(all.size()).append('\n');
      for (RecordClient.GrantInfo g : all) {
        JsonObject x = new JsonObject();
        x.addProperty("grantId", g.grantId());
        x.addProperty("patient", g.patient());
        x.addProperty("grantee", g.grantee());
        x.addProperty("scope", g.scope());
        x.addProperty("target", g.target());
        x.add("expiresAt", g.expiresAt() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(g.expiresAt().toString()));
        x.addProperty("timestamp", g.timestamp().toString());
        x.addProperty("revoked", g.revoked());
        arr.add(x);
        t.append(String.format("  %s  %s -> %s  %s %s%s%s%n", g.grantId(), names.getOrDefault(g.patient(), g.patient()),
            names.getOrDefault(g.grantee(), g.grantee()), g.scope(), g.target(),
            g.expiresAt() == null ? "" : " until " + g.expiresAt(), g.revoked() ? "  REVOKED" : ""));
      }
      JsonObject o = new JsonObject();
      o.add("grants", arr);
      emit(o, t.toString());
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
      show(this, a.records().read(grantId, recordId));
    }
  }

  /** The access trail: the patient's own, or the regulator's view of everyone's. */
  @Command(name = "trail", mixinStandardHelpOptions = true,
      description = "The access trail: a patient's own; for the regulator, every patient's (or one with --patient).")
  static final class Trail extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local patient or regulator account.")
    String name;

    @Option(names = "--patient", paramLabel = "<account>", description = "Regulator: only this patient's trail.")
    String patient;

    @Override
    boolean readOnly() {
      return true;
    }

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
