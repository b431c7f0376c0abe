package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.Role;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * Records, consent and claims through the command line, each invocation a fresh run on the
 * persisted embedded ledger: set-up, write, list, open, claim, grant, settle, a fee mismatch,
 * reject, revoke, a denied read, the trails.
 */
class RecordCommandsTest {
  @TempDir
  Path dir;

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private static void fails(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("medledger: error: " + code + ": "), r.toString());
  }

  private static String field(CliRunner.Run r, String name) {
    return ok(r).json().get(name).getAsString();
  }

  @Test
  void writeGrantSettleRevokeAndTheTrail() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    // A grantee's key must be at least as long as the patient's (GRANTEE_KEY_TOO_SMALL otherwise).
    cli.keystore("ins", Role.INSURER, TestKeys.key3072());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048b());
    ok(cli.run("configure"));
    ok(cli.run("accounts", "register", "--account", "reg"));
    fails(cli.run("records", "setup", "--account", "ins", "--bits", "2048"), 6, "WRONG_ROLE");
    assertEquals(2048, ok(cli.run("--json", "records", "setup", "--account", "reg", "--bits", "2048")).json().get("bits").getAsInt());
    for (String n : List.of("ins", "hosp", "alice")) {
      ok(cli.run("accounts", "register", "--account", n));
    }
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "1000000"));

    long fee1 = new SyntheticRecords(5).next().fee();
    JsonObject w1 = ok(cli.run("--json", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit",
        "--synthetic", "--seed", "5")).json();
    String r1 = w1.get("recordId").getAsString();
    assertEquals(fee1, w1.get("fee").getAsLong(), "the author is told the fee it wrote");
    String r2 = field(cli.run("--json", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "lab",
        "--synthetic", "--seed", "6"), "recordId");
    JsonArray listed = ok(cli.run("--json", "records", "list", "--account", "alice")).json().getAsJsonArray("records");
    assertEquals(List.of(r1, r2), ids(listed, "recordId"));
    JsonObject opened = ok(cli.run("--json", "records", "open", "--account", "alice", "--record", r1)).json();
    assertEquals(fee1, opened.getAsJsonObject("record").get("fee").getAsLong());
    assertEquals("", opened.get("readTx").getAsString(), "a patient's own read is not logged");
    fails(cli.run("records", "open", "--account", "hosp", "--record", r1), 6, "NOT_RECORD_PATIENT");

    // A claim for the record's fee, settled under alice's grant.
    String c1 = field(cli.run("--json", "claims", "file", "--account", "hosp", "--record", r1, "--insurer", "ins",
        "--fee", Long.toString(fee1)), "claimId");
    String g1 = field(cli.run("--json", "records", "grant", "--account", "alice", "--to", "ins", "--record", r1), "grantId");
    JsonObject settled = ok(cli.run("--json", "claims", "settle", "--account", "ins", "--claim", c1, "--grant", g1)).json();
    assertEquals("SETTLED", settled.get("status").getAsString());
    assertEquals(fee1, settled.get("fee").getAsLong());
    assertEquals(fee1, ok(cli.run("--json", "balance", "--account", "hosp")).json().get("balance").getAsLong());
    assertTrue(ok(cli.run("--json", "claims", "show", "--account", "alice", "--claim", c1)).json().get("fee").isJsonNull(),
        "the patient holds no copy of the fee");
    assertEquals(fee1, ok(cli.run("--json", "claims", "show", "--account", "reg", "--claim", c1)).json().get("fee").getAsLong());

    // A claim whose fee is not the record's: nothing is paid, the insurer rejects it.
    String c2 = field(cli.run("--json", "claims", "file", "--account", "hosp", "--record", r2, "--insurer", "ins", "--fee", "1"),
        "claimId");
    String g2 = field(cli.run("--json", "records", "grant", "--account", "alice", "--to", "ins", "--record", r2), "grantId");
    fails(cli.run("claims", "settle", "--account", "ins", "--claim", c2, "--grant", g2), 6, "FEE_MISMATCH");
    assertEquals(fee1, ok(cli.run("--json", "balance", "--account", "hosp")).json().get("balance").getAsLong());
    assertEquals("REJECTED", field(cli.run("--json", "claims", "reject", "--account", "ins", "--claim", c2, "--reason",
        "fee differs from the record"), "status"));
    assertEquals(List.of(c1, c2), ids(ok(cli.run("--json", "claims", "list", "--account", "hosp")).json().getAsJsonArray("claims"),
        "claimId"));

    // Revocation: the next read is denied and logged.
    ok(cli.run("records", "revoke", "--account", "alice", "--grant", g1));
    fails(cli.run("records", "read", "--account", "ins", "--grant", g1, "--record", r1), 3, "GRANT_REVOKED");
    JsonObject read2 = ok(cli.run("--json", "records", "read", "--account", "ins", "--grant", g2, "--record", r2)).json();
    assertTrue(!read2.get("readTx").getAsString().isEmpty());

    List<String> trail = trail(ok(cli.run("--json", "records", "trail", "--account", "alice")).json());
    assertEquals(List.of("true:", "true:", "false:GRANT_REVOKED", "true:"), trail, "two settlement reads, the denial, a read");
    assertEquals(trail, trail(ok(cli.run("--json", "records", "trail", "--account", "reg", "--patient", "alice")).json()));
    fails(cli.run("records", "trail", "--account", "ins"), 6, "WRONG_ROLE");
    JsonArray grants = ok(cli.run("--json", "records", "grants", "--account", "alice")).json().getAsJsonArray("grants");
    assertEquals(java.util.Set.of(g1, g2), java.util.Set.copyOf(ids(grants, "grantId")));
    for (JsonElement g : grants) {
      JsonObject x = g.getAsJsonObject();
      assertEquals(x.get("grantId").getAsString().equals(g1), x.get("revoked").getAsBoolean(), x.toString());
    }

    fails(cli.run("records", "grant", "--account", "alice", "--to", "ins", "--record", r1, "--expires", "tomorrow"), 2, "USAGE");
    fails(cli.run("records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit"), 2, "USAGE");
  }

  private static List<String> ids(JsonArray a, String member) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : a) {
      out.add(e.getAsJsonObject().get(member).getAsString());
    }
    return out;
  }

  private static List<String> trail(JsonObject o) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray("trail")) {
      out.add(e.getAsJsonObject().get("granted").getAsBoolean() + ":" + e.getAsJsonObject().get("code").getAsString());
    }
    return out;
  }
}
