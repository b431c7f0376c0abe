package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code medledger channel} and {@code medledger events} end to end on one home and one embedded
 * ledger, as from two shells: the hospital's {@code channel serve} in a forked JVM, the insurer's
 * one-shot commands in this one (docs/cli.md §4 channel, events).
 */
class ChannelCommandsTest extends ChannelCliTest {
  @Test
  void openPayStatusCloseAgainstAServerInAnotherProcess() throws Exception {
    CliRunner cli = ledger();
    Path channels = dir.resolve("channels");
    Path portFile = channels.resolve("hosp.serve.json");

    // No server yet: a clear one-line error naming the port file, and nothing written.
    CliRunner.Run none = fails(cli.run("channel", "open", "--as", "ins", "--with", "hosp", "--deposit", "1000"), 4,
        "PEER_NOT_RUNNING");
    assertTrue(none.err().contains(portFile.toString()), none.toString());
    assertFalse(Files.exists(channels.resolve("ins")), "nothing written");
    assertEquals(100_000, balance(cli, "ins"));

    server = serve("hosp");
    // The idle server does not hold the embedded ledger: a command that may not wait for it runs.
    ok(cli.run("--lock-wait", "0", "balance", "--account", "hosp"));

    JsonObject opened = ok(cli.run("--json", "channel", "open", "--as", "ins", "--with", "hosp", "--deposit", "1000")).json();
    String id = opened.get("channelId").getAsString();
    String openTx = opened.get("txId").getAsString();
    assertTrue(ChannelFiles.CHANNEL_ID.matcher(id).matches(), id);
    assertEquals(1000, opened.get("deposit").getAsLong());
    assertEquals(0, opened.get("peerDeposit").getAsLong());
    assertEquals(99_000, balance(cli, "ins"), "the deposit left the insurer's balance");

    JsonObject p1 = ok(cli.run("--json", "channel", "pay", "--as", "ins", "--channel", id, "--amount", "300")).json();
    assertEquals(1, p1.get("seq").getAsLong());
    assertEquals(700, p1.get("balance").getAsLong());
    assertEquals(300, p1.get("peerBalance").getAsLong());
    CliRunner.Run p2 = ok(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "200"));
    assertTrue(p2.out().contains("'ins' holds 500, 'hosp' 500"), p2.toString());

    // Refusals: more than the channel holds, an unknown channel, a malformed id; nothing written.
    Path log = channels.resolve("ins").resolve(id + ".log");
    byte[] before = Files.readAllBytes(log);
    CliRunner.Run tooMuch = fails(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "501"), 6,
        "INSUFFICIENT_FUNDS");
    assertTrue(tooMuch.err().contains("holds 500 in channel " + id + ", less than 501; nothing was sent"), tooMuch.toString());
    assertArrayEquals(before, Files.readAllBytes(log));
    String unknown = "pc-" + "0".repeat(32);
    fails(cli.run("channel", "pay", "--as", "ins", "--channel", unknown, "--amount", "1"), 6, "UNKNOWN_CHANNEL");
    assertFalse(Files.exists(channels.resolve("ins").resolve(unknown + ".log")));
    fails(cli.run("channel", "pay", "--as", "ins", "--channel", "pc-1", "--amount", "1"), 2, "USAGE");
    fails(cli.run("channel", "open", "--as", "reg", "--with", "hosp", "--deposit", "1"), 6, "WRONG_ROLE");

    // Status from the logs alone, on both sides (the server's log is in the same home).
    JsonObject mine = ok(cli.run("--json", "channel", "status", "--as", "ins")).json().getAsJsonArray("channels")
        .get(0).getAsJsonObject();
    assertEquals(id, mine.get("channelId").getAsString());
    assertEquals("A", mine.get("side").getAsString());
    assertEquals(2, mine.get("seq").getAsLong());
    assertEquals(500, mine.get("balance").getAsLong());
    assertEquals("OPEN", mine.get("status").getAsString());
    JsonObject theirs = ok(cli.run("--json", "channel", "status", "--as", "hosp", "--channel", id)).json()
        .getAsJsonArray("channels").get(0).getAsJsonObject();
    assertEquals("B", theirs.get("side").getAsString());
    assertEquals(2, theirs.get("seq").getAsLong(), "the server persisted the state it signed");
    assertEquals(500, theirs.get("balance").getAsLong());

    // A second channel, left open for the peer-not-running check below.
    String id2 = ok(cli.run("--json", "channel", "open", "--as", "ins", "--with", "hosp", "--deposit", "100")).json()
        .get("channelId").getAsString();

    // Events so far, resumable from a checkpoint file.
    Path cp = dir.resolve("events.checkpoint");
    List<JsonObject> first = events(ok(cli.run("--json", "events", "--from", cp.toString())));
    assertTrue(first.stream().anyMatch(e -> e.get("name").getAsString().equals("medledger.Issued")), first.toString());
    assertTrue(first.stream().anyMatch(e -> e.get("txId").getAsString().equals(openTx)), "the open's transaction: " + first);
    assertTrue(events(ok(cli.run("--json", "events", "--from", cp.toString()))).isEmpty(), "the checkpoint holds them all");

    JsonObject closed = ok(cli.run("--json", "channel", "close", "--as", "ins", "--channel", id)).json();
    assertEquals(500, closed.get("balance").getAsLong());
    assertEquals(500, closed.get("peerBalance").getAsLong());
    String closeTx = closed.get("txId").getAsString();
    assertEquals(99_000 - 100 + 500, balance(cli, "ins"), "the insurer's payout");
    assertEquals(500, balance(cli, "hosp"), "the hospital's payout");
    JsonObject after = ok(cli.run("--json", "channel", "status", "--as", "ins", "--channel", id)).json()
        .getAsJsonArray("channels").get(0).getAsJsonObject();
    assertEquals("CLOSED", after.get("status").getAsString());
    assertEquals(closeTx, after.get("closeTx").getAsString());
    fails(cli.run("channel", "pay", "--as", "ins", "--channel", id, "--amount", "1"), 6, "CHANNEL_CLOSED");
    List<JsonObject> next = events(ok(cli.run("--json", "events", "--from", cp.toString())));
    assertTrue(next.stream().anyMatch(e -> e.get("txId").getAsString().equals(closeTx)), next.toString());
    long lastBlock = first.get(first.size() - 1).get("block").getAsLong();
    assertTrue(next.stream().allMatch(e -> e.get("block").getAsLong() > lastBlock), () -> "only the new events: " + first + " then " + next);

    // Stop by PID: the server exits and removes its files.
    JsonObject stopped = ok(cli.run("--json", "channel", "stop", "--as", "hosp")).json();
    assertTrue(stopped.get("stopped").getAsBoolean());
    assertEquals(server.pid(), stopped.get("pid").getAsLong());
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    assertFalse(Files.exists(portFile));
    assertFalse(Files.exists(channels.resolve("hosp.serve.pid")));
    assertTrue(serveOutput().contains("opened " + id), serveOutput());

    // The peer is not running: one line naming the port file, the state log untouched.
    Path log2 = channels.resolve("ins").resolve(id2 + ".log");
    byte[] log2Before = Files.readAllBytes(log2);
    CliRunner.Run down = fails(cli.run("channel", "pay", "--as", "ins", "--channel", id2, "--amount", "10"), 4,
        "PEER_NOT_RUNNING");
    assertTrue(down.err().contains(portFile.toString()), down.toString());
    assertArrayEquals(log2Before, Files.readAllBytes(log2));
    fails(cli.run("channel", "stop", "--as", "hosp"), 4, "PEER_NOT_RUNNING");

    // A restarted server restores the open channel from its log, and the payment goes through.
    server = serve("hosp");
    JsonObject p3 = ok(cli.run("--json", "channel", "pay", "--as", "ins", "--channel", id2, "--amount", "10")).json();
    assertEquals(90, p3.get("balance").getAsLong());
    ok(cli.run("channel", "stop", "--as", "hosp"));
  }

  @Test
  void aStalePidFileNamingAnotherLiveProcessStopsNothing() throws Exception {
    CliRunner cli = new CliRunner(dir);
    Path channels = dir.resolve("channels");
    Files.createDirectories(channels);
    long me = ProcessHandle.current().pid(); // alive, and not a server: it must not be signalled
    Files.writeString(channels.resolve("hosp.serve.pid"), me + "\n");
    Files.writeString(channels.resolve("hosp.serve.json"), "{\"account\":\"acct-x\",\"channelPort\":1,\"controlPort\":1,"
        + "\"pid\":" + me + ",\"startedAt\":\"2000-01-01T00:00:00Z\",\"token\":\"00\"}\n");
    JsonObject r = ok(cli.run("--json", "channel", "stop", "--as", "hosp")).json();
    assertFalse(r.get("stopped").getAsBoolean());
    assertFalse(Files.exists(channels.resolve("hosp.serve.pid")), "the stale files are removed");
    assertFalse(Files.exists(channels.resolve("hosp.serve.json")));
    // A PID file without its port file is not trusted either.
    Files.writeString(channels.resolve("hosp.serve.pid"), me + "\n");
    assertFalse(ok(cli.run("--json", "channel", "stop", "--as", "hosp")).json().get("stopped").getAsBoolean());
    fails(cli.run("channel", "stop", "--as", "hosp"), 4, "PEER_NOT_RUNNING");
  }

  @Test
  void eventsFollowsWithALimitAndReadsNoMissingLedger() throws Exception {
    CliRunner empty = new CliRunner(dir.resolve("empty"));
    fails(empty.run("events", "--from", dir.resolve("cp").toString()), 4, "NO_LEDGER");
    assertFalse(Files.exists(dir.resolve("cp")), "no checkpoint file made either");
    assertFalse(Files.exists(dir.resolve("empty").resolve("ledger").resolve("blocks.jsonl")));
    fails(empty.run("events", "--limit", "0"), 2, "USAGE");

    CliRunner cli = ledger();
    List<JsonObject> all = events(ok(cli.run("--json", "events")));
    assertEquals(List.of("medledger.Configured", "medledger.Registered"),
        all.subList(0, 2).stream().map(e -> e.get("name").getAsString()).toList());
    assertEquals(all.size(), all.stream().map(e -> e.get("txId").getAsString()).distinct().count(), "each once");
    // --follow with --limit waits for an event committed while it runs, then exits.
    CliRunner.Run[] followed = new CliRunner.Run[1];
    Path cp = dir.resolve("follow.checkpoint");
    ok(cli.run("events", "--from", cp.toString())); // the checkpoint is at the end
    Thread t = new Thread(() -> followed[0] = cli.run("--json", "events", "--follow", "--poll", "100", "--limit", "1",
        "--from", cp.toString()));
    t.start();
    Thread.sleep(500);
    assertTrue(t.isAlive(), "it waits for the next event");
    ok(cli.run("settle", "--from", "ins", "--to", "hosp", "--amount", "1"));
    t.join(120_000);
    CliRunner.Run r = ok(followed[0]);
    assertEquals(1, events(r).size(), r.toString());
  }
}
