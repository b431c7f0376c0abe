package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * The commands against a persisted embedded ledger, each invocation a fresh run that reopens the
 * ledger directory: configure, register, issue, fund, pay, settle, fold, balance, history, audit,
 * the refusals, and lock contention with another process.
 */
class LedgerCommandsTest {
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

  /** Four local accounts with distinct fixed keys; returns the runner. */
  private CliRunner fourAccounts() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    return cli;
  }

  /**
   * The regulator registers and publishes the fixed 2048-bit ring-Pedersen parameters from files;
   * every other registration needs them for its Π^fac proof.
   */
  private void regulatorAndSetup(CliRunner cli) throws Exception {
    ok(cli.run("accounts", "register", "--account", "reg"));
    ok(cli.setupRecords("reg"));
  }

  @Test
  void theMoneyStoryPersistsAcrossInvocations() throws Exception {
    CliRunner cli = fourAccounts();
    fails(cli.run("accounts", "register", "--account", "reg"), 3, "NOT_CONFIGURED");
    JsonObject cfg = ok(cli.run("--json", "configure")).json().getAsJsonObject("config");
    assertEquals("medchannel", cfg.get("channel").getAsString());
    fails(cli.run("configure"), 3, "ALREADY_CONFIGURED");

    JsonObject r0 = ok(cli.run("--json", "accounts", "register", "--account", "reg")).json();
    assertEquals("reg", r0.get("name").getAsString());
    // Everyone but the regulator registers after records:setup (Π^fac needs the parameters).
    fails(cli.run("accounts", "register", "--account", "ins"), 3, "RECORDS_NOT_SET_UP");
    Path params = dir.resolve("rp-params.bin");
    Path proof = dir.resolve("rp-proof.bin");
    Files.write(params, TestRingPedersen.paramsBytes(2048));
    byte[] badProof = TestRingPedersen.proofBytes(2048);
    badProof[badProof.length - 1] ^= 1;
    Files.write(proof, badProof);
    fails(cli.run("records", "setup", "--account", "reg", "--params-file", params.toString(), "--proof-file", proof.toString()),
        6, "RING_PEDERSEN_PROOF_INVALID");
    Files.write(proof, TestRingPedersen.proofBytes(2048));
    assertEquals(2048, ok(cli.run("--json", "records", "setup", "--account", "reg", "--params-file", params.toString(),
        "--proof-file", proof.toString())).json().get("bits").getAsInt());
    for (String n : List.of("ins", "hosp", "alice")) {
      JsonObject r = ok(cli.run("--json", "accounts", "register", "--account", n)).json();
      assertEquals(n, r.get("name").getAsString());
    }
    fails(cli.run("accounts", "register", "--account", "alice"), 3, "ACCOUNT_EXISTS");

    JsonObject issue = ok(cli.run("--json", "issue", "--from", "reg", "--to", "ins", "--amount", "100000")).json();
    assertEquals("ISSUE", issue.get("kind").getAsString(), "the chaincode's kind, as history and audit print it");
    assertEquals("issue", issue.get("command").getAsString());
    assertEquals(100_000, issue.get("amount").getAsLong());
    JsonObject fund = ok(cli.run("--json", "fund", "--from", "ins", "--to", "alice", "--amount", "5000")).json();
    assertEquals(Set.of("kind", "command", "txId", "timestamp", "from", "to", "amount"), fund.keySet());
    String aliceId = fund.get("to").getAsString();
    // The payee can be named by account id as well as by local name.
    JsonObject pay = ok(cli.run("--json", "pay", "--from", "alice", "--to",
        cli.run("--json", "accounts", "show", "hosp").json().get("account").getAsString(), "--amount", "1200")).json();
    assertEquals("pay", pay.get("command").getAsString());
    ok(cli.run("settle", "--from", "ins", "--to", "hosp", "--amount", "300"));

    assertEquals(3_800, ok(cli.run("--json", "balance", "--account", "alice")).json().get("balance").getAsLong());
    assertEquals(94_700, ok(cli.run("--json", "balance", "--account", "ins")).json().get("balance").getAsLong());
    JsonObject fold = ok(cli.run("--json", "fold", "--account", "hosp")).json();
    assertEquals(2, fold.get("folded").getAsInt());
    assertEquals(1_500, fold.get("balance").getAsLong());
    assertEquals(0, ok(cli.run("--json", "fold", "--account", "hosp")).json().get("folded").getAsInt());

    JsonArray history = ok(cli.run("--json", "history", "--account", "alice")).json().getAsJsonArray("transactions");
    assertEquals(List.of(5_000L, 1_200L), amounts(history));
    assertEquals(aliceId, history.get(0).getAsJsonObject().get("to").getAsString());
    JsonObject paid = history.get(1).getAsJsonObject();
    assertEquals(pay.get("txId").getAsString(), paid.get("txId").getAsString());
    assertEquals("TRANSFER", paid.get("kind").getAsString());
    assertEquals(paid.get("kind").getAsString(), pay.get("kind").getAsString(), "pay and history name the same kind");

    JsonObject audit = ok(cli.run("--json", "audit", "--account", "reg")).json();
    assertEquals(100_000, audit.get("issued").getAsLong());
    assertEquals(5_000 + 1_200 + 300, audit.get("transferred").getAsLong());
    assertEquals(List.of(100_000L, 5_000L, 1_200L, 300L), amounts(audit.getAsJsonArray("transactions")));

    JsonObject shown = ok(cli.run("--json", "accounts", "show", "alice")).json();
    assertEquals("PATIENT", shown.get("role").getAsString());
    assertEquals("HospitalOrgMSP", shown.get("organisation").getAsString());
    assertEquals(3072, shown.get("paillierBits").getAsInt());
    assertTrue(shown.get("balanceCiphertext").getAsString().length() > 1000);

    String text = ok(cli.run("history", "--account", "alice")).out();
    assertTrue(text.contains("5,000") && text.contains("ins -> alice"), text);
  }

  @Test
  void localRefusalsSendNothing() throws Exception {
    CliRunner cli = fourAccounts();
    ok(cli.run("configure"));
    regulatorAndSetup(cli);
    for (String n : List.of("ins", "hosp", "alice")) {
      ok(cli.run("accounts", "register", "--account", n));
    }
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "1000"));
    fails(cli.run("fund", "--from", "ins", "--to", "alice", "--amount", "1001"), 6, "INSUFFICIENT_FUNDS");
    fails(cli.run("fund", "--from", "ins", "--to", "hosp", "--amount", "10"), 6, "WRONG_ROLE");
    fails(cli.run("pay", "--from", "ins", "--to", "hosp", "--amount", "10"), 6, "WRONG_ROLE");
    fails(cli.run("audit", "--account", "ins"), 6, "WRONG_ROLE");
    fails(cli.run("pay", "--from", "alice", "--to", "nobody", "--amount", "10"), 6, "UNKNOWN_ACCOUNT_NAME");
    fails(cli.run("settle", "--from", "ins", "--to", "acct-00000000000000000000000000000000", "--amount", "10"), 3,
        "UNKNOWN_ACCOUNT");
    // Nothing moved: the audit shows the issue only.
    assertEquals(1, ok(cli.run("--json", "audit", "--account", "reg")).json().getAsJsonArray("transactions").size());
    // Only RegulatorOrg may register a regulator: a registration through another gateway is refused.
    cli.keystore("reg2", Role.REGULATOR, TestKeys.key1024());
    fails(cli.run("accounts", "register", "--account", "reg2", "--org", "HospitalOrgMSP"), 3, "FORBIDDEN_ORGANISATION");
  }

  @Test
  void aLedgerInUseByAnotherProcessGivesAClearError() throws Exception {
    CliRunner cli = fourAccounts();
    ok(cli.run("configure"));
    Path ledgerDir = dir.resolve("ledger");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldLedgerLock.class.getName(),
        ledgerDir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("open 1", r.readLine(), "the other process opened the ledger");
      CliRunner.Run busy = cli.run("--lock-wait", "1", "accounts", "register", "--account", "reg");
      fails(busy, 4, "LEDGER_BUSY");
      assertTrue(busy.err().contains(ledgerDir.toString()), busy.err());
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    // Released: the same command now works, and the ledger is intact.
    ok(cli.run("accounts", "register", "--account", "reg"));
    assertTrue(Files.size(ledgerDir.resolve("blocks.jsonl")) > 0);
  }

  @Test
  void aLedgerOpenInThisProcessIsBusyToo() throws Exception {
    CliRunner cli = fourAccounts();
    try (EmbeddedLedger held = EmbeddedLedger.open(dir.resolve("ledger"), Organisations.CHANNEL, MedLedgerContracts.dispatcher())) {
      fails(cli.run("--lock-wait", "0", "configure"), 4, "LEDGER_BUSY");
      assertEquals(0, held.height());
    }
    ok(cli.run("configure"));
  }

  /**
   * A pay and a balance started while the ledger is held (by a third command) both wait for it and
   * both succeed, one after the other, instead of one losing the lock to the other.
   */
  @Test
  void aPayAndABalanceRunTogetherBothWaitForTheLedger() throws Exception {
    CliRunner cli = fourAccounts();
    ok(cli.run("configure"));
    regulatorAndSetup(cli);
    for (String n : List.of("ins", "alice")) {
      ok(cli.run("accounts", "register", "--account", n));
    }
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "1000"));
    CliRunner.Run[] runs = new CliRunner.Run[2];
    Thread pay;
    Thread balance;
    try (EmbeddedLedger held = EmbeddedLedger.open(dir.resolve("ledger"), Organisations.CHANNEL, MedLedgerContracts.dispatcher())) {
      long height = held.height();
      pay = new Thread(() -> runs[0] = cli.run("--json", "fund", "--from", "ins", "--to", "alice", "--amount", "400"));
      balance = new Thread(() -> runs[1] = cli.run("--json", "balance", "--account", "ins"));
      pay.start();
      balance.start();
      Thread.sleep(1_500); // both are now waiting for the lock (a keystore unlock takes well under that)
      assertTrue(pay.isAlive() && balance.isAlive(), "both wait while the ledger is held");
      assertEquals(height, held.height(), "nothing was committed while another command held the ledger");
    }
    pay.join(60_000);
    balance.join(60_000);
    ok(runs[0]);
    long seen = ok(runs[1]).json().get("balance").getAsLong();
    assertTrue(seen == 1_000 || seen == 600, "the balance before or after the payment, nothing between: " + seen);
    assertEquals(600, ok(cli.run("--json", "balance", "--account", "ins")).json().get("balance").getAsLong());
    assertEquals(400, ok(cli.run("--json", "balance", "--account", "alice")).json().get("balance").getAsLong());
  }

  private static List<Long> amounts(JsonArray entries) {
    List<Long> out = new ArrayList<>();
    for (JsonElement e : entries) {
      out.add(e.getAsJsonObject().get("amount").getAsLong());
    }
    return out;
  }
}
