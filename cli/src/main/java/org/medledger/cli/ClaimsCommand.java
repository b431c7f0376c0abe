package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.medledger.protocol.Role;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.RecordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger claims}: a hospital claims a record's fee from an insurer (docs/records.md §5). */
@Command(name = "claims", mixinStandardHelpOptions = true,
    description = "Claims: a hospital files, the insurer settles (a logged read with consent and a confidential transfer) or rejects.",
    subcommands = {ClaimsCommand.File.class, ClaimsCommand.Settle.class, ClaimsCommand.Reject.class,
        ClaimsCommand.Show.class, ClaimsCommand.ListClaims.class})
final class ClaimsCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand; 'medledger claims --help' lists them");
  }

  /** Hospital: files a claim for one of its records. */
  @Command(name = "file", mixinStandardHelpOptions = true,
      description = "Hospital, author of the record: claim its fee from an insurer; the fee is encrypted for the hospital, the insurer and the regulator.")
  static final class File extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<hospital>", description = "The local hospital account.")
    String name;

    @Option(names = "--record", required = true, paramLabel = "<recordId>", description = "The record (its latest version).")
    String recordId;

    @Option(names = "--insurer", required = true, paramLabel = "<account>", description = "The insurer: a local name or an account id.")
    String insurer;

    @Option(names = "--fee", required = true, paramLabel = "<n>", description = "The fee: the record's Table 1 fee.")
    long fee;

    @Override
    void execute() throws Exception {
      checkPositive("--fee", fee);
      recordId("--record", recordId);
      String insurerId = home().resolve(insurer);
      Acting a = acting(name, null, Role.HOSPITAL, "claims file");
      String claimId = a.records().fileClaim(recordId, insurerId, fee);
      emit(claim(a.records().claim(claimId)), "Filed claim " + claimId + " on " + label(localNames(), insurerId)
          + " for record " + recordId + " (fee " + amount(fee) + ", encrypted on the ledger)");
    }
  }

  /** Insurer: settles a claim under the patient's grant. */
  @Command(name = "settle", mixinStandardHelpOptions = true,
      description = "Insurer: read the claim's record under the patient's grant (logged), check the fee, pay the hospital confidentially, link the three.")
  static final class Settle extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<insurer>", description = "The local insurer account.")
    String name;

    @Option(names = "--claim", required = true, paramLabel = "<claimId>", description = "The claim.")
    String claimId;

    @Option(names = "--grant", required = true, paramLabel = "<grantId>", description = "The patient's grant covering the record.")
    String grantId;

    @Override
    void execute() throws Exception {
      claimId("--claim", claimId);
      grantId("--grant", grantId);
      Acting a = acting(name, null, Role.INSURER, "claims settle");
      SettleChecks.before(a, claimId, grantId, root().clock);
      RecordClient.ClaimInfo c;
      try (Progress p = Progress.start(env(), "reading the record, proving the payment")) {
        c = a.records().settleClaim(claimId, grantId);
        p.succeeded();
      } catch (ClientRefusalException e) {
        CliException refused = refusedLocally(e);
        if (refused.code().equals("FEE_MISMATCH")) {
          throw CliException.local(refused.code(), refused.getMessage() + "; nothing was paid (the read is in the patient's"
              + " trail); 'claims reject' closes the claim");
        }
        throw refused;
      }
      emit(claim(c), "Settled claim " + claimId + ": paid " + amount(c.fee()) + " to " + label(localNames(), c.hospital())
          + " (transfer " + c.transferTx() + ", read " + c.readTx() + ")");
    }
  }

  /** Insurer: rejects a claim with a reason stored in clear. */
  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Insurer: reject a claim; the reason is stored in clear.")
  static final class Reject extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<insurer>", description = "The local insurer account.")
    String name;

    @Option(names = "--claim", required = true, paramLabel = "<claimId>", description = "The claim.")
    String claimId;

    @Option(names = "--reason", required = true, paramLabel = "<text>", description = "Why (stored in clear: no personal data).")
    String reason;

    @Override
    void execute() throws Exception {
      claimId("--claim", claimId);
      Acting a = acting(name, null, Role.INSURER, "claims reject");
      RecordClient.ClaimInfo c = a.records().rejectClaim(claimId, reason);
      emit(claim(c), "Rejected claim " + claimId + ": " + reason);
    }
  }

  /** Shows one claim; the fee is decrypted where the account holds a copy. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a claim; its fee is decrypted where this account holds a copy (hospital, insurer, regulator).")
  static final class Show extends Query {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account asking.")
    String name;

    @Option(names = "--claim", required = true, paramLabel = "<claimId>", description = "The claim.")
    String claimId;

    @Override
    void execute() throws Exception {
      claimId("--claim", claimId);
      Acting a = acting(name, null);
      RecordClient.ClaimInfo c = a.records().claim(claimId);
      emit(claim(c), describe(c, localNames()));
    }
  }

  /** Lists the claims the account is party to. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the claims this account is party to (hospital, insurer or patient).")
  static final class ListClaims extends AccountQuery {
    @Override
    void execute() throws Exception {
      Acting a = acting(name, null);
      List<RecordClient.ClaimInfo> all = a.records().claims();
      Map<String, String> names = localNames();
      JsonArray arr = new JsonArray();
      StringBuilder t = new StringBuilder("Claims of '" + name + "': " + all.size() + "\n");
      for (RecordClient.ClaimInfo c : all) {
        arr.add(claim(c));
        t.append(describe(c, names).indent(2));
      }
      JsonObject o = new JsonObject();
      o.add("claims", arr);
      emit(o, t.toString());
    }
  }

  static JsonObject claim(RecordClient.ClaimInfo c) {
    JsonObject o = new JsonObject();
    o.addProperty("claimId", c.claimId());
    o.addProperty("hospital", c.hospital());
    o.addProperty("insurer", c.insurer());
    o.addProperty("patient", c.patient());
    o.addProperty("recordId", c.recordId());
    if (c.fee() >= 0) {
      o.addProperty("fee", c.fee());
    } else {
      o.add("fee", JsonNull.INSTANCE);
    }
    o.addProperty("status", c.status());
    o.addProperty("transferTx", c.transferTx());
    o.addProperty("readTx", c.readTx());
    o.addProperty("reason", c.reason());
    o.addProperty("timestamp", c.timestamp().toString());
    o.addProperty("txId", c.txId());
    return o;
  }

  static String describe(RecordClient.ClaimInfo c, Map<String, String> names) {
    return "Claim " + c.claimId() + ": " + c.status() + "\n"
        + "  hospital " + names.getOrDefault(c.hospital(), c.hospital()) + ", insurer " + names.getOrDefault(c.insurer(), c.insurer())
        + ", patient " + names.getOrDefault(c.patient(), c.patient()) + "\n"
        + "  record " + c.recordId() + ", fee " + (c.fee() >= 0 ? amount(c.fee()) : "(encrypted: this account holds no copy)")
        + (c.transferTx().isEmpty() ? "" : "\n  transfer " + c.transferTx() + ", read " + c.readTx())
        + (c.reason().isEmpty() ? "" : "\n  reason: " + c.reason());
  }
}
