package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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
class ChannelWatchTest extends ChannelCliTest {
  private static List<JsonObject> lines(CliRunner.Run r) {
    return r.out().lines().map(CanonicalJson::parseObject).toList();
  }

  /**
   * The insurer opens a channel with the served hospital and pays 300 (state 1); {@code keeper}'s
   * log is copied to {@code old-<keeper>/<channelId>.log}; then the insurer pays 200 (state 2).
   */
  private String channelWithAnOldLogCopy(CliRunner cli, String keeper) throws Exception {
    String id = ok(cli.run("--json", "channel", "open", "--as", "ins", "--with", "hosp", "--deposit", "1000")).json()
        .get("channelId").getAsString();
    ok(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "300"));
    Path old = dir.resolve("old-" + keeper).resolve(id + ".log");
    Files.createDirectories(old.getParent());
    Files.copy(dir.resolve("channels").resolve(keeper).resolve(id + ".log"), old);
    ok(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "200"));
    return id;
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
    // The hospital keeps a copy of its log at state 1, then takes a second payment (state 2).
    String id = channelWithAnOldLogCopy(cli, "hosp");
    Path old = dir.resolve("old-hosp").resolve(id + ".log");
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

  @Test
  void serveWithWatchDisputesAStaleCloseByThePayerOnItsOwn() throws Exception {
    CliRunner cli = ledger();
    fails(cli.run("channel", "serve", "--as", "hosp", "--poll", "100"), 2, "USAGE"); // --poll goes with --watch
    server = serve("hosp", "--watch", "--poll", "50");
    // The insurer keeps a copy of its log at state 1 (300 to the hospital), then pays 200 more (state 2).
    String id = channelWithAnOldLogCopy(cli, "ins");
    Path old = dir.resolve("old-ins").resolve(id + ".log");
    // The server touched the open channel on its first look at it (docs/protocol.md §9.5).
    awaitServeLog("watcher: TOUCH " + id);

    // The insurer closes on state 1 while the hospital serves: a stale close that would pay the
    // hospital 300 where state 2 pays it 500.
    AccountSecrets ins = Keystore.read(dir.resolve("accounts").resolve("ins.keystore"), CliRunner.PASSWORD.toCharArray());
    try (EmbeddedBackend b = new EmbeddedBackend(dir.resolve("ledger"), Clock.systemUTC(), false,
        new PrintWriter(new StringWriter()), Duration.ofSeconds(60));
        ChannelParty party = ChannelParty.restore(old, ins, ChannelParty.Options.DEFAULT, new SecureRandom())) {
      new ChannelClient(ins, b.connect(Organisations.defaultFor(Role.INSURER)), new SecureRandom()).close(party);
    }

    // The server sees it on a look and disputes with state 2 through the SDK's watcher, without
    // anyone running 'channel watch --follow': the channel now closes on state 2, submitted by the
    // hospital, and a new window runs.
    awaitServeLog("watcher: DISPUTE " + id + " state 2 over state 1");
    JsonObject disputed = ok(cli.run("--json", "channel", "watch", "--as", "hosp", id)).json();
    assertEquals("CLOSING", disputed.get("status").getAsString(), () -> disputed + "\n" + serveOutput());
    assertEquals(2, disputed.get("chainSeq").getAsLong(), () -> disputed + "\n" + serveOutput());
    assertEquals("self", disputed.get("submittedBy").getAsString(), disputed.toString());
    assertFalse(disputed.get("stale").getAsBoolean(), disputed.toString());
    JsonObject forIns = ok(cli.run("--json", "channel", "watch", "--as", "ins", id)).json();
    assertTrue(forIns.get("mustAnswer").getAsBoolean(), "the insurer pays on state 2 and must answer: " + forIns);
    // Once the record it disputed is seen as it is now, the server stops handing the channel over:
    // over twenty more looks, no handover and no failed look.
    Thread.sleep(1_000);
    long handovers = serveOutput().lines().filter(l -> l.contains("handing " + id)).count();
    Thread.sleep(1_000);
    String log = serveOutput();
    assertEquals(handovers, log.lines().filter(l -> l.contains("handing " + id)).count(), log);
    assertEquals(1, log.lines().filter(l -> l.contains("watcher: DISPUTE " + id)).count(), log);
    assertTrue(log.lines().noneMatch(l -> l.contains("watch: ")), "no failed look: " + log);
    assertEquals(99_000, balance(cli, "ins"), "the deposit stays in the channel");
    assertEquals(0, balance(cli, "hosp"));

    // Restarted within the window, the server signs no state on the closing channel: a payment the
    // insurer proposes now would be a newer state "submitted by" the hospital (a penalty for it).
    ok(cli.run("channel", "stop", "--as", "hosp"));
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    server = serve("hosp", "--watch", "--poll", "50");
    awaitServeLog(id + " is CLOSING on the ledger: restored, signing no state");
    CliRunner.Run refused = cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "1");
    fails(refused, 6, "CHANNEL_REFUSED");
    assertTrue(refused.errLines().get(0).contains("B is closing the channel"), refused.toString());
    assertEquals(2, ok(cli.run("--json", "channel", "watch", "--as", "hosp", id)).json().get("localSeq").getAsLong());
    ok(cli.run("channel", "stop", "--as", "hosp"));
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
  }

  /** Waits up to 60 s for a line of the server's output that contains {@code text}. */
  private void awaitServeLog(String text) throws InterruptedException {
    for (int i = 0; i < 600 && !serveOutput().contains(text); i++) {
      assertTrue(server.isAlive(), this::serveOutput);
      Thread.sleep(100);
    }
    assertTrue(serveOutput().contains(text), () -> "no '" + text + "' in:\n" + serveOutput());
  }
}
