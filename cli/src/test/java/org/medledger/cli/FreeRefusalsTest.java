package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.Role;

/**
 * Refusals that cost nothing come before anything that costs seconds (issue 16, items 3, 4 and 7):
 * a wrong role or a bad argument is refused before the keystore is unlocked (the tests take the
 * password away: a command that unlocked would fail for want of it instead), and what the ledger
 * would refuse for free (an account registered already, a grantee that cannot be granted) is
 * asked before the key is unlocked and a proof built. Nothing is written in any of these cases.
 */
class FreeRefusalsTest {
  private static final String RECORD = "rec-00000000000000000000000000000000";
  private static final String GRANT = "grant-00000000000000000000000000000000";
  private static final String CLAIM = "claim-00000000000000000000000000000000";

  @TempDir
  Path dir;

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  /** A runner with no password anywhere: any command that unlocks a keystore fails with KEYSTORE (5). */
  private static CliRunner withoutPassword(CliRunner cli) {
    cli.variables.remove("MEDLEDGER_PASSWORD");
    return cli;
  }

  private void noLedger() {
    assertFalse(Files.exists(dir.resolve("ledger")), "no ledger was created");
  }

  /** Every file of the ledger directory (but its lock) with its bytes' hash: "nothing was written" if unchanged. */
  private Map<String, Integer> ledgerFiles() throws IOException {
    Map<String, Integer> m = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir.resolve("ledger"))) {
      for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("ledger.lock")).toList()) {
        m.put(dir.resolve("ledger").relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return m;
  }

  @Test
  void aWrongRoleIsRefusedBeforeTheKeystoreIsUnlocked() throws Exception {
    CliRunner cli = withoutPassword(new CliRunner(dir));
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    assertEquals("medledger: error: WRONG_ROLE: audit is done by a regulator account; 'alice' is a patient account",
        ErrorMessagesTest.fails(cli.run("audit", "--account", "alice"), 6, "WRONG_ROLE"));
    ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "hosp", "--claim", CLAIM, "--grant", GRANT), 6,
        "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("claims", "file", "--account", "alice", "--record", RECORD, "--insurer", "hosp",
        "--fee", "5"), 6, "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("records", "grant", "--account", "hosp", "--to", "alice", "--type", "visit"), 6,
        "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("records", "write", "--account", "alice", "--patient", "alice", "--type", "visit",
        "--synthetic"), 6, "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("records", "trail", "--account", "hosp"), 6, "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("records", "trail", "--account", "alice", "--patient", "hosp"), 2, "USAGE");
    noLedger();
  }

  @Test
  void aBadRecordTypeIsAUsageErrorAtOnce() throws Exception {
    CliRunner cli = withoutPassword(new CliRunner(dir));
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    String line = ErrorMessagesTest.fails(cli.run("records", "write", "--account", "hosp", "--patient", "alice",
        "--type", "Visit!", "--synthetic"), 2, "USAGE");
    assertTrue(line.contains("--type must be 1-32 of a-z, 0-9 and '-'") && line.contains("'Visit!'"), line);
    noLedger();
  }

  @Test
  void aMalformedIdIsAUsageErrorAtOnce() throws Exception {
    CliRunner cli = withoutPassword(new CliRunner(dir));
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    String line = ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "ins", "--claim", "claim-1", "--grant", GRANT),
        2, "USAGE");
    assertEquals("medledger: error: USAGE: --claim takes a claim id (claim- and 32 lower-case hex digits), got 'claim-1'", line);
    ErrorMessagesTest.fails(cli.run("claims", "settle", "--account", "ins", "--claim", CLAIM, "--grant", "rec-" + "0".repeat(32)),
        2, "USAGE");
    ErrorMessagesTest.fails(cli.run("records", "open", "--account", "alice", "--record", "rec-XYZ"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("records", "revoke", "--account", "alice", "--grant", "grant-1"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("records", "grant", "--account", "alice", "--to", "ins", "--type", "Lab"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("records", "read", "--account", "ins", "--grant", GRANT, "--record", "rec-1"), 2, "USAGE");
    ErrorMessagesTest.fails(cli.run("claims", "show", "--account", "ins", "--claim", "c1"), 2, "USAGE");
    noLedger();
  }

  @Test
  void aJsonFileThatLooksLikeATable1RecordButIsNotOneIsRefused() throws Exception {
    CliRunner cli = withoutPassword(new CliRunner(dir));
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"name\":\"x\",\"fee\":-5}");
    String line = ErrorMessagesTest.fails(cli.run("records", "write", "--account", "hosp", "--patient", "alice",
        "--type", "visit", "--file", bad.toString()), 6, "NOT_TABLE1");
    assertTrue(line.contains("looks like a Table 1 record (it has name, fee) but is not one") && line.contains("--opaque"),
        line);
    Files.writeString(bad, "{\n  \"name\": \"x\", \"idNumber\": \"1\", \"phone\": \"2\", \"email\": \"e\", \"address\": \"a\",\n"
        + "  \"fee\": -5, \"prescription\": \"p\"\n}\n");
    line = ErrorMessagesTest.fails(cli.run("records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit",
        "--file", bad.toString()), 6, "NOT_TABLE1");
    assertTrue(line.contains("a fee is not negative"), line);
    ErrorMessagesTest.fails(cli.run("records", "write", "--account", "hosp", "--patient", "alice", "--type", "visit",
        "--synthetic", "--opaque"), 2, "USAGE");
    noLedger();
  }

  @Test
  void theLedgerIsAskedBeforeAKeyIsProvedOrARecordReEncrypted() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("bob", Role.PATIENT, TestKeys.key2048a());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048b());
    cli.configureChannel("reg");
    ok(cli.run("accounts", "register", "--account", "alice"));
    ok(cli.run("accounts", "register", "--account", "bob"));
    ok(cli.run("accounts", "register", "--account", "hosp"));
    // An opaque document is still stored when asked for explicitly.
    Path odd = dir.resolve("odd.json");
    Files.writeString(odd, "{\"name\":\"x\",\"fee\":-5}");
    CliRunner.Run w = ok(cli.run("--json", "records", "write", "--account", "hosp", "--patient", "alice", "--type", "note",
        "--file", odd.toString(), "--opaque"));
    assertTrue(w.json().get("fee").isJsonNull(), w.toString());

    Map<String, Integer> before = ledgerFiles();
    withoutPassword(cli);
    String line = ErrorMessagesTest.fails(cli.run("accounts", "register", "--account", "alice"), 3, "ACCOUNT_EXISTS");
    assertTrue(line.contains("is registered already, as a patient account") && line.contains("nothing was proved or sent"),
        line);
    line = ErrorMessagesTest.fails(cli.run("records", "grant", "--account", "alice", "--to", "bob", "--type", "visit"), 6,
        "WRONG_ROLE");
    assertEquals("medledger: error: WRONG_ROLE: 'bob' is a patient account, which cannot be granted access (a hospital,"
        + " insurer, doctor or regulator account can); nothing was re-encrypted or sent", line);
    ErrorMessagesTest.fails(cli.run("records", "grant", "--account", "alice", "--to", "alice", "--type", "visit"), 6,
        "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("records", "grant", "--account", "alice", "--to", "acct-00000000000000000000000000000000",
        "--type", "visit"), 3, "UNKNOWN_ACCOUNT");
    ErrorMessagesTest.fails(cli.run("fund", "--from", "hosp", "--to", "alice", "--amount", "5"), 6, "WRONG_ROLE");
    ErrorMessagesTest.fails(cli.run("pay", "--from", "alice", "--to", "bob", "--amount", "5"), 6, "WRONG_ROLE");
    assertEquals(before, ledgerFiles(), "nothing was written");
  }
}
