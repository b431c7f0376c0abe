package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.Role;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * {@code claims settle} refuses what it can tell before the logged read of the record (which
 * cannot be undone), with the real cause, and then nothing is read or paid (issue 16, items 1 and 5).
 */
class ClaimChecksTest {
  @TempDir
  Path dir;

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private static String field(CliRunner.Run r, String name) {
    return ok(r).json().get(name).getAsString();
  }

  /** A channel with records set up: reg, ins (holding {@code issued}), hosp, alice; alice has one record. */
  private CliRunner channel(long issued) throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    cli.keystore("ins", Role.INSURER, TestKeys.key3072());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048b());
    ok(cli.run("configure"));
    ok(cli.run("accounts", "register", "--account", "reg"));
    ok(cli.run("records", "setup", "--account", "reg", "--bits", "2048"));
    for (String n : List.of("ins", "hosp", "alice")) {
      ok(cli.run("accounts", "register", "--account", n));
    }
    if (issued > 0) {
      ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", Long.toString(issued)));
    }
    return cli;
  }

  /** The patient's trail: one entry per logged read or denial of her records. */
  private static int trailSize(CliRunner cli) {
    return ok(cli.run("--json", "records", "trail", "--account", "alice")).json().getAsJsonArray("trail").size();
  }

  @Test
  void settlingASettledClaimSaysItIsClosed() throws Exception {
    CliRunner cli = channel(1_000_000);
    long fee = new SyntheticRecords(5).next().fee();
    String record = field(cli.run("--json", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit",
        "--synthetic", "--seed", "5"), "recordId");
    String claim = field(cli.run("--json", "claims", "file", "--account", "hosp", "--record", record, "--insurer", "ins",
        "--fee", Long.toString(fee)), "claimId");
    String grant = field(cli.run("--json", "records", "grant", "--account", "alice", "--to", "ins", "--record", record), "grantId");
    ok(cli.run("claims", "settle", "--account", "ins", "--claim", claim, "--grant", grant));
    assertEquals(1, trailSize(cli));

    String line = ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "ins", "--claim", claim, "--grant", grant),
        6, "CLAIM_CLOSED");
    assertEquals(true, line.contains("claim " + claim + " is SETTLED already"), line);
    assertEquals(true, line.endsWith("; nothing was read or paid"), line);
    assertEquals(1, trailSize(cli), "no second read was logged");
    assertEquals(fee, ok(cli.run("--json", "balance", "--account", "hosp")).json().get("balance").getAsLong(), "paid once");
  }

  @Test
  void whatCanBeCheckedIsCheckedBeforeTheLoggedRead() throws Exception {
    CliRunner cli = channel(1);
    long fee = new SyntheticRecords(5).next().fee();
    String record = field(cli.run("--json", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit",
        "--synthetic", "--seed", "5"), "recordId");
    String other = field(cli.run("--json", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "lab",
        "--synthetic", "--seed", "6"), "recordId");
    String claim = field(cli.run("--json", "claims", "file", "--account", "hosp", "--record", record, "--insurer", "ins",
        "--fee", Long.toString(fee)), "claimId");
    String grant = field(cli.run("--json", "records", "grant", "--account", "alice", "--to", "ins", "--record", record), "grantId");
    String wrongGrant = field(cli.run("--json", "records", "grant", "--account", "alice", "--to", "ins", "--record", other),
        "grantId");

    // The insurer holds 1, less than the fee: refused before the read.
    String line = ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "ins", "--claim", claim, "--grant", grant),
        6, "INSUFFICIENT_FUNDS");
    assertEquals(true, line.endsWith("; nothing was read or paid"), line);
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "1000000"));
    // A grant for another record.
    line = ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "ins", "--claim", claim, "--grant", wrongGrant),
        6, "OUT_OF_SCOPE");
    assertEquals(true, line.contains("grant " + wrongGrant + " covers record " + other + ", not " + record), line);
    // A revoked grant.
    ok(cli.run("records", "revoke", "--account", "alice", "--grant", grant));
    ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "ins", "--claim", claim, "--grant", grant), 6,
        "GRANT_REVOKED");
    assertEquals(0, trailSize(cli), "nothing was read");
    assertEquals("FILED", field(cli.run("--json", "claims", "show", "--account", "ins", "--claim", claim), "status"));
    assertEquals(0, ok(cli.run("--json", "balance", "--account", "hosp")).json().get("balance").getAsLong());

    String again = field(cli.run("--json", "records", "grant", "--account", "alice", "--to", "ins", "--record", record), "grantId");
    assertEquals("SETTLED", field(cli.run("--json", "claims", "settle", "--account", "ins", "--claim", claim, "--grant", again),
        "status"));
    assertEquals(1, trailSize(cli));
  }
}
