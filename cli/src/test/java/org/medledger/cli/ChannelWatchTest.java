package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.Keystore;
import org.medledger.sdk.channel.ChannelClient;
import org.medledger.sdk.channel.ChannelParty;

/**
 * {@code medledger channel watch} end to end (docs/cli.md §4 channel watch): the hospital's
 * {@code channel serve} in a forked JVM, the insurer's commands in this one; a stale close by the
 * hospital is submitted through the SDK from an old copy of its state log, as a cheating peer would.
 */
class ChannelWatchTest {
  @TempDir
  Path dir;
  private Process server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private static CliRunner.Run fails(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("medledger: error: " + code + ": "), r.toString());
    return r;
  }

  /** A configured ledger: regulator, records set up, insurer 'ins' holding 100,000, hospital 'hosp'. */
  private CliRunner ledger() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    ok(cli.run("configure"));
    ok(cli.run("accounts", "register", "--account", "reg"));
    Path params = dir.resolve("rp-params.bin");
    Path proof = dir.resolve("rp-proof.bin");
    Files.write(params, TestRingPedersen.paramsBytes(2048));
    Files.write(proof, TestRingPedersen.proofBytes(2048));
    ok(cli.run("records", "setup", "--account", "reg", "--params-file", params.toString(), "--proof-file", proof.toString()));
    ok(cli.run("accounts", "register", "--account", "ins"));
    ok(cli.run("accounts", "register", "--account", "hosp"));
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "100000"));
    return cli;
  }

  /** {@code medledger channel serve --as hosp} in its own JVM, as from a second shell; waits for its port file. */
  private Process serve(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--home", dir.toString(), "channel", "serve", "--as", name);
    pb.environment().put(Passwords.PASSWORD_VARIABLE, CliRunner.PASSWORD);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.out").toFile()));
    Process p = pb.start();
    Path portFile = dir.resolve("channels").resolve(name + ".serve.json");
    for (int i = 0; i < 1200 && !(Files.exists(portFile) && Files.exists(dir.resolve("channels").resolve(name + ".serve.pid"))); i++) {
      assertTrue(p.isAlive(), () -> "serve exited: " + serveOutput());
      Thread.sleep(100);
    }
    assertTrue(Files.exists(portFile), () -> "no port file: " + serveOutput());
    assertEquals(p.pid(), CanonicalJson.parseObject(Files.readString(portFile)).get("pid").getAsLong());
    return p;
  }

  private String serveOutput() {
    try {
      return Files.readString(dir.resolve("serve.out"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static long balance(CliRunner cli, String name) {
    return ok(cli.run("--json", "balance", "--account", name)).json().get("balance").getAsLong();
  }

  private static List<JsonObject> events(CliRunner.Run r) {
    return r.out().lines().map(CanonicalJson::parseObject).toList();
  }

  private static List<JsonObject> lines(CliRunner.Run r) {
    return r.out().lines().map(CanonicalJson::parseObject).toList();
  }

  @Test
  void watchShowsOpenThenClosedAndRefusesAnUnknownChannel() throws Exception {
    CliRunner cli = ledger();
    server = serve("hosp");
    String id = ok(cli.run("--json", "channel", "open", "--as", "ins", "--with", "hosp", "--deposit", "1000")).json()
        .get("channelId").getAsString();
    ok(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "300"));

    JsonObject open = ok(cli.run("--json", "channel", "watch", "--as", "ins", id)).json();
    assertEquals("OPEN", open.get("status").getAsString());
    assertTrue(open.get("chainSeq").isJsonNull(), open.toString());
    assertEquals(1, open.get("localSeq").getAsLong());
    assertFalse(open.get("stale").getAsBoolean());
    CliRunner.Run text = ok(cli.run("channel", "watch", "--as", "hosp", id));
    assertTrue(text.out().startsWith(id + "  OPEN  on chain: no state (opened)  latest in the log of 'hosp': state 1"),
        text.toString());
    // The watch does not hold the embedded ledger after it printed.
    ok(cli.run("--lock-wait", "0", "balance", "--account", "hosp"));

    ok(cli.run("channel", "close", "--as", "ins", "--channel", id));
    JsonObject closed = ok(cli.run("--json", "channel", "watch", "--as", "ins", id)).json();
    assertEquals("CLOSED", closed.get("status").getAsString());
    assertEquals(1, closed.get("chainSeq").getAsLong());
    assertEquals(1, closed.get("localSeq").getAsLong());
    assertEquals("CHANNEL_SETTLE", closed.get("outcome").getAsString(), closed.toString());
    // --follow on a closed channel prints it once and exits.
    List<JsonObject> followed = lines(ok(cli.run("--json", "channel", "watch", "--as", "ins", id, "--follow", "--poll", "50")));
    assertEquals(1, followed.size(), followed.toString());
    assertEquals("CLOSED", followed.get(0).get("status").getAsString());

    String unknown = "pc-" + "0".repeat(32);
    CliRunner.Run none = fails(cli.run("channel", "watch", "--as", "ins", unknown), 6, "UNKNOWN_CHANNEL");
    assertTrue(none.errLines().get(0).contains(unknown), none.toString());
    fails(cli.run("channel", "watch", "--as", "ins", "pc-1"), 2, "USAGE");
    fails(cli.run("channel", "watch", "--as", "ins", id, "--poll", "10"), 2, "USAGE");
  }

  @Test
  void followDisputesAStaleCloseByThePeerWithTheLatestState() throws Exception {
    CliRunner cli = ledger();
    server = serve("hosp");
    String id = ok(cli.run("--json", "channel", "open", "--as", "ins", "--with", "hosp", "--deposit", "1000")).json()
        .get("channelId").getAsString();
    ok(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "300"));
    // The hospital keeps a copy of its log at state 1, then takes a second payment (state 2).
    Path old = dir.resolve("old-hosp").resolve(id + ".log");
    Files.createDirectories(old.getParent());
    Files.copy(dir.resolve("channels").resolve("hosp").resolve(id + ".log"), old);
    ok(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "200"));
    ok(cli.run("channel", "stop", "--as", "hosp"));
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    assertEquals(99_000, balance(cli, "ins"));

    // The hospital closes on state 1, which pays it 300 where state 2 pays it 500... a stale close.
    AccountSecrets hosp = Keystore.read(dir.resolve("accounts").resolve("hosp.keystore"), CliRunner.PASSWORD.toCharArray());
    try (EmbeddedBackend b = new EmbeddedBackend(dir.resolve("ledger"), Clock.systemUTC(), false,
        new PrintWriter(new StringWriter()), Duration.ofSeconds(60));
        ChannelParty party = ChannelParty.restore(old, hosp, ChannelParty.Options.DEFAULT, new SecureRandom())) {
      new ChannelClient(hosp, b.connect(Organisations.defaultFor(Role.HOSPITAL)), new SecureRandom()).close(party);
    }

    // Without --follow the watch shows the stale close and says how to answer it, and sends nothing.
    JsonObject seen = ok(cli.run("--json", "channel", "watch", "--as", "ins", id)).json();
    assertEquals("CLOSING", seen.get("status").getAsString());
    assertEquals(1, seen.get("chainSeq").getAsLong());
    assertEquals(2, seen.get("localSeq").getAsLong());
    assertEquals("peer", seen.get("submittedBy").getAsString());
    assertTrue(seen.get("stale").getAsBoolean());
    CliRunner.Run hint = ok(cli.run("channel", "watch", "--as", "ins", id));
    assertTrue(hint.out().contains("The peer closed on an older state: run 'medledger channel watch --as ins " + id
        + " --follow'"), hint.toString());
    assertEquals(99_000, balance(cli, "ins"), "nothing was sent");

    // With --follow it disputes with state 2 through the SDK's watcher; B's provably stale close
    // gives the insurer both deposits at once, and the watch ends on CLOSED.
    CliRunner.Run follow = ok(cli.run("--json", "channel", "watch", "--as", "ins", id, "--follow", "--poll", "50"));
    List<JsonObject> steps = lines(follow);
    assertEquals("CLOSING", steps.get(0).get("status").getAsString(), follow.toString());
    assertTrue(steps.stream().anyMatch(s -> s.has("action") && s.get("action").getAsString().equals("DISPUTE")
        && s.get("detail").getAsString().equals("state 2 over state 1")), follow.toString());
    JsonObject end = steps.get(steps.size() - 1);
    assertEquals("CLOSED", end.get("status").getAsString(), follow.toString());
    assertEquals("CHANNEL_PENALTY", end.get("outcome").getAsString(), follow.toString());
    assertEquals(100_000, balance(cli, "ins"), "both deposits to the insurer");
    assertEquals(0, balance(cli, "hosp"));
  }
}
