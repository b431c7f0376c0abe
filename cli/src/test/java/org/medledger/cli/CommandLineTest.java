package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.sdk.ClientError;
import org.medledger.sdk.ClientRefusalException;

/** Parsing, exit codes, error lines and JSON shapes that need no ledger traffic. */
class CommandLineTest {
  @TempDir
  Path dir;

  private CliRunner cli() {
    return new CliRunner(dir);
  }

  private static void assertOneErrorLine(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), r.toString());
    assertTrue(lines.get(0).startsWith("medledger: error: " + code + ": "), r.toString());
  }

  @Test
  void helpAndVersionSucceed() {
    CliRunner.Run help = cli().run("--help");
    assertEquals(0, help.exit());
    for (String c : List.of("keys", "accounts", "configure", "issue", "fund", "pay", "settle", "fold", "balance", "history",
        "audit", "committee", "disclose", "stats", "demo")) {
      assertTrue(help.out().contains("\n  " + c + " "), c + " missing from\n" + help.out());
    }
    for (String sub : List.of("committee deal", "committee show", "committee issue", "committee reshare", "disclose request",
        "disclose share", "disclose status", "disclose open", "stats buckets", "stats open", "stats publish", "stats show")) {
      CliRunner.Run h = cli().run((sub + " --help").split(" "));
      assertEquals(0, h.exit(), h.toString());
      assertTrue(h.out().startsWith("Usage: medledger " + sub), h.out());
    }
    CliRunner.Run version = cli().run("--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().startsWith("medledger "), version.out());
    assertEquals(0, cli().run("pay", "--help").exit());
  }

  @Test
  void helpNamesEveryRoleAndListsGlobalOptionsOnce() {
    CliRunner.Run keys = cli().run("keys", "generate", "--help");
    assertEquals(0, keys.exit());
    for (org.medledger.protocol.Role r : org.medledger.protocol.Role.values()) {
      assertTrue(keys.out().contains(r.name()), r + " missing from\n" + keys.out());
    }
    CliRunner.Run root = cli().run("--help");
    assertTrue(root.out().contains("--ledger-dir=<dir>"), root.out());
    CliRunner.Run pay = cli().run("pay", "--help");
    assertEquals(0, pay.exit());
    assertTrue(pay.out().contains("--amount=<n>"), pay.out());
    assertTrue(!pay.out().contains("--ledger-dir=<dir>") && !pay.out().contains("Read the keystore password"),
        "the global options are described once, by 'medledger --help':\n" + pay.out());
    assertTrue(pay.out().contains("Global options (see 'medledger --help'): --home, --ledger-dir"), pay.out());
    CliRunner.Run demo = cli().run("demo", "--help");
    assertTrue(!demo.out().contains("--password-file") && !demo.out().contains("--gateway") && !demo.out().contains("--ledger-dir"),
        "demo reads none of these:\n" + demo.out());
    assertTrue(demo.out().contains("Global options (see 'medledger --help'): --home"),
        "demo reads the home (its chart's default place):\n" + demo.out());
  }

  @Test
  void usageErrorsAreOneLineWithExitCode2() {
    assertOneErrorLine(cli().run(), 2, "USAGE");
    assertOneErrorLine(cli().run("frobnicate"), 2, "USAGE");
    assertOneErrorLine(cli().run("pay", "--from", "alice", "--to", "bob"), 2, "USAGE"); // --amount missing
    assertOneErrorLine(cli().run("pay", "--from", "alice", "--to", "bob", "--amount", "ten"), 2, "USAGE");
    assertOneErrorLine(cli().run("pay", "--from", "alice", "--to", "bob", "--amount", "0"), 2, "USAGE");
    assertOneErrorLine(cli().run("keys", "generate", "--name", "x", "--role", "surgeon"), 2, "USAGE");
    assertOneErrorLine(cli().run("keys", "generate", "--name", "Bad Name", "--role", "patient"), 2, "USAGE");
  }

  @Test
  void insecureKeySizesAreRefusedAndNothingIsWritten() {
    CliRunner.Run r = cli().run("keys", "generate", "--name", "alice", "--role", "patient", "--bits", "1024");
    assertOneErrorLine(r, 2, "USAGE");
    assertTrue(r.err().contains("2048, 3072 or 4096"), r.toString());
    assertFalse(Files.exists(dir.resolve("accounts/alice.keystore")));
  }

  @Test
  void jsonErrorsHaveAStableShapeOnStdout() {
    CliRunner.Run r = cli().run("--json", "balance", "--account", "nobody");
    assertOneErrorLine(r, 6, "UNKNOWN_ACCOUNT_NAME");
    JsonObject e = r.json().getAsJsonObject("error");
    assertEquals("UNKNOWN_ACCOUNT_NAME", e.get("code").getAsString());
    assertEquals(6, e.get("exitCode").getAsInt());
    assertFalse(e.get("message").getAsString().isEmpty());
    // The global option works after the subcommand too.
    assertEquals(r.out(), cli().run("balance", "--account", "nobody", "--json").out());
  }

  @Test
  void failuresAreClassifiedByKind() {
    Errors.Report crypto = Errors.classify(new org.medledger.crypto.MalformedInputException("GRANTEE_KEY_TOO_SMALL", "2048 < 3072"));
    assertEquals(ExitCode.LOCAL, crypto.exit());
    assertEquals("GRANTEE_KEY_TOO_SMALL", crypto.code());
    assertEquals("2048 < 3072", crypto.message());
    Errors.Report denied = Errors.classify(new org.medledger.sdk.RecordAccessDeniedException("GRANT_REVOKED", "tx1", "g", "r"));
    assertEquals(ExitCode.REFUSED, denied.exit());
    assertEquals("GRANT_REVOKED", denied.code());
    assertTrue(denied.message().contains("tx1"), denied.message());
    Errors.Report unavailable = Errors.classify(new org.medledger.sdk.LedgerCallException(
        org.medledger.sdk.LedgerCallException.Kind.UNAVAILABLE, "", "tx2", "deadline exceeded"));
    assertEquals(ExitCode.UNAVAILABLE, unavailable.exit());
    assertTrue(unavailable.message().contains("unknown"), unavailable.message());
    Errors.Report bug = Errors.classify(new NullPointerException("x"));
    assertEquals(ExitCode.INTERNAL, bug.exit());
    ClientRefusalException feeMismatch = new ClientRefusalException(ClientError.FEE_MISMATCH, "1 vs 2");
    assertEquals(ExitCode.LOCAL, Base.refusedLocally(feeMismatch).exit());
    assertEquals("FEE_MISMATCH", Base.refusedLocally(feeMismatch).code());
    assertEquals("1 vs 2", Base.refusedLocally(feeMismatch).getMessage());
    assertEquals("NOT_CLAIM_PARTY", Base.refusedLocally(new ClientRefusalException(ClientError.NOT_CLAIM_PARTY, "c")).code());
    // Uncaught, a client refusal is still a local refusal with its code, never an internal error.
    Errors.Report refused = Errors.classify(new ClientRefusalException(ClientError.RECORD_TOO_LARGE, "too big"));
    assertEquals(ExitCode.LOCAL, refused.exit());
    assertEquals("RECORD_TOO_LARGE", refused.code());
    assertEquals("too big", refused.message());
  }

  @Test
  void theStackTraceAppearsOnlyUnderVerbose() {
    CliRunner.Run quiet = cli().run("balance", "--account", "nobody");
    assertOneErrorLine(quiet, 6, "UNKNOWN_ACCOUNT_NAME");
    CliRunner.Run verbose = cli().run("balance", "--account", "nobody", "--verbose");
    assertEquals(6, verbose.exit());
    assertTrue(verbose.errLines().size() > 2, verbose.toString());
    assertTrue(verbose.err().contains("\tat org.medledger.cli."), verbose.toString());
  }

  @Test
  void generatesAKeystoreAndListsItWithoutThePassword() throws Exception {
    CliRunner cli = cli();
    cli.variables.remove("MEDLEDGER_PASSWORD");
    cli.type(CliRunner.PASSWORD, CliRunner.PASSWORD); // at a terminal: asked twice, and a progress line
    CliRunner.Run r = cli.run("--json", "keys", "generate", "--name", "alice", "--role", "patient", "--bits", "2048");
    assertEquals(0, r.exit(), r.toString());
    JsonObject o = r.json();
    assertEquals("alice", o.get("name").getAsString());
    assertEquals("PATIENT", o.get("role").getAsString());
    assertEquals(2048, o.get("bits").getAsInt());
    assertTrue(o.get("account").getAsString().matches("acct-[0-9a-f]{32}"), o.toString());
    Path ks = dir.resolve("accounts/alice.keystore");
    assertEquals(ks.toString(), o.get("keystore").getAsString());
    assertTrue(r.err().contains("generating a 2048-bit Paillier key"), r.err());
    assertTrue(r.err().contains("done in"), r.err());

    cli.typed = null;
    JsonObject listed = cli.run("--json", "accounts", "list").json();
    JsonObject first = listed.getAsJsonArray("accounts").get(0).getAsJsonObject();
    assertEquals(o.get("account"), first.get("account"));
    assertEquals("PATIENT", first.get("role").getAsString());
    assertEquals(2048, first.get("paillierBits").getAsInt());

    // A key is never overwritten.
    cli.variables.put("MEDLEDGER_PASSWORD", CliRunner.PASSWORD);
    byte[] before = Files.readAllBytes(ks);
    assertOneErrorLine(cli.run("keys", "generate", "--name", "alice", "--role", "hospital", "--bits", "2048"), 6,
        "ACCOUNT_NAME_EXISTS");
    assertEquals(new String(before), new String(Files.readAllBytes(ks)));
  }

  @Test
  void passwordsComeFromTheFileTheEnvironmentOrTheTerminalAndAreChecked() throws Exception {
    CliRunner cli = cli();
    cli.keystore("alice", Role.PATIENT, TestKeys.key2048a());

    cli.variables.put("MEDLEDGER_PASSWORD", "wrong-password");
    assertOneErrorLine(cli.run("balance", "--account", "alice"), 5, "WRONG_PASSWORD_OR_DAMAGED");

    // --password-file wins over the environment; the right password gets past the keystore to the
    // ledger, of which this home has none (a reading command creates none).
    Path pw = dir.resolve("pw.txt");
    Files.writeString(pw, CliRunner.PASSWORD + "\n");
    assertOneErrorLine(cli.run("balance", "--account", "alice", "--password-file", pw.toString()), 4, "NO_LEDGER");

    cli.variables.remove("MEDLEDGER_PASSWORD");
    assertOneErrorLine(cli.run("balance", "--account", "alice"), 5, "NO_PASSWORD");
    cli.type(CliRunner.PASSWORD);
    assertOneErrorLine(cli.run("balance", "--account", "alice"), 4, "NO_LEDGER");

    // New keystores: typed twice, at least 8 characters.
    cli.type("long-enough-1", "long-enough-2");
    assertOneErrorLine(cli.run("keys", "generate", "--name", "bob", "--role", "patient", "--bits", "2048"), 5, "PASSWORD_MISMATCH");
    cli.type("short", "short");
    assertOneErrorLine(cli.run("keys", "generate", "--name", "bob", "--role", "patient", "--bits", "2048"), 5, "WEAK_PASSWORD");
    assertFalse(Files.exists(dir.resolve("accounts/bob.keystore")));
  }

  @Test
  void gatewayModeReadsTheConnectionFileAndReportsAnUnreachablePeer() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"mspId\":\"HospitalOrgMSP\"}");
    assertOneErrorLine(cli().run("--gateway", bad.toString(), "configure"), 2, "BAD_GATEWAY_PROFILE");

    // Real identity material (the embedded ledger's simulated CA writes PEM files), a peer port nobody listens on.
    Path msp = dir.resolve("pki");
    try (var ledger = org.medledger.embedded.EmbeddedLedger.open(msp, Organisations.CHANNEL,
        org.medledger.embedded.MedLedgerContracts.dispatcher())) {
      ledger.identity("HospitalOrgMSP", "client");
    }
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path good = dir.resolve("hospital.json");
    Files.writeString(good, "{\"mspId\":\"HospitalOrgMSP\",\"peerEndpoint\":\"127.0.0.1:" + port + "\","
        + "\"hostOverride\":\"peer0.hospital.test\",\"tlsCaCert\":\"pki/msp/HospitalOrgMSP/ca-cert.pem\","
        + "\"certificate\":\"pki/msp/HospitalOrgMSP/users/client-cert.pem\","
        + "\"privateKey\":\"pki/msp/HospitalOrgMSP/users/client-key.pem\",\"channel\":\"medchannel\",\"chaincode\":\"medledger\"}");
    CliRunner.Run r = cli().run("--gateway", good.toString(), "accounts", "show", "acct-00000000000000000000000000000000");
    assertOneErrorLine(r, 4, "UNAVAILABLE");

    assertOneErrorLine(cli().run("demo", "--network", dir.resolve("nowhere").toString()), 4, "NO_NETWORK");
    CliRunner noNetwork = cli();
    noNetwork.variables.put("MEDLEDGER_NETWORK_DIR", dir.resolve("no-run-dir").toString());
    r = noNetwork.run("demo", "--network");
    assertOneErrorLine(r, 4, "NO_NETWORK");
    assertTrue(r.err().contains(dir.resolve("no-run-dir").resolve("gateway").toString()), r.err());
  }
}
