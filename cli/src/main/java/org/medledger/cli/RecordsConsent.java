package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.medledger.protocol.Role;
import org.medledger.sdk.RecordClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medledger records grant}, {@code share}, {@code revoke} and {@code grants}: a patient's
 * consent, and the grants an account made or received.
 */
final class RecordsConsent {
  private RecordsConsent() {
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
      Instant expiresAt = expiresAt();
      String grantee = home().resolve(to);
      Home.Local local = home().local(name);
      if (local.info().role() == Role.PATIENT) { // the grantee's role is public: asked before the unlock and the proof
        GranteeCheck.require(publicLedger(local, null), grantee, to, local.info().account());
      }
      Acting a = acting(name, null, Role.PATIENT, "records grant");
      RecordClient.Shared shared = refusingLocally("re-encrypting for the grantee and proving it", () -> scope.recordId != null
          ? new RecordClient.Shared(a.records().grantRecord(grantee, scope.recordId, expiresAt), List.of(scope.recordId), List.of())
          : a.records().grantCategory(grantee, scope.type, expiresAt));
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

    /** --expires as an instant; null without it. */
    private Instant expiresAt() throws CliException {
      if (expires == null) {
        return null;
      }
      try {
        return Instant.parse(expires);
      } catch (DateTimeParseException e) {
        throw CliException.usage("--expires must be an ISO-8601 instant such as 2027-01-31T00:00:00Z, got " + expires);
      }
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
      RecordClient.Shared s = refusingLocally(() -> a.records().share(grantId));
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
  static final class Grants extends AccountQuery {
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
}
