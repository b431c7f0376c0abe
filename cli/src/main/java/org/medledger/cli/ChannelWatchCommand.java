package org.medledger.cli;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.ChannelClient;
import org.medledger.sdk.channel.ChannelLogs;
import org.medledger.sdk.channel.ChannelParty;
import org.medledger.sdk.channel.ChannelWatcher;
import org.medledger.sdk.channel.Side;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code medledger channel watch}: a channel's state on the ledger beside the latest state in this
 * party's log (docs/cli.md §4 channel watch). With {@code --follow} it polls, opening the embedded
 * ledger only for each look, and when the other party has closed on a state older than this
 * party's latest it hands the channel to the SDK's {@link ChannelWatcher}, which disputes with the
 * latest state (and answers a close it must answer as the net payer).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Show a channel's state on the ledger (OPEN, CLOSING, CLOSED) beside the latest state in this"
        + " account's log. With --follow, keep looking and answer a close on an older state (the peer's stale close)"
        + " with the latest signed state through the SDK's channel watcher; that unlocks this account's keystore"
        + " (its password is asked for, or read from the environment) the first time it must answer.",
        "Exits when the channel is CLOSED on the ledger, or on Ctrl-C/SIGTERM."})
final class ChannelWatchCommand extends ChannelCommand.OfAccount {
  @Parameters(index = "0", paramLabel = "<channelId>", description = "The channel (pc-…).")
  String channel;

  @Option(names = "--follow", description = "Keep watching, and answer a stale close (see above).")
  boolean follow;

  @Option(names = "--poll", defaultValue = "1000", paramLabel = "<ms>",
      description = "With --follow: how often to look at the ledger (default 1000).")
  long pollMillis;

  private AccountSecrets secrets; // unlocked the first time an answer is needed

  @Override
  boolean readOnly() {
    return true;
  }

  @Override
  void execute() throws Exception {
    String id = ChannelFiles.channelId(channel);
    if (pollMillis < 50 || pollMillis > 60_000) {
      throw CliException.usage("--poll must be 50..60000 ms, got " + pollMillis);
    }
    ChannelFiles files = files();
    Home.Local local = partyAccount();
    Path log = files.existingLog(name, id);
    String last = null;
    while (true) {
      JsonObject seen = look(local, id, log);
      String key = CanonicalJson.toString(seen);
      if (!key.equals(last)) {
        emit(seen, text(seen));
        last = key;
      }
      if (!follow || "CLOSED".equals(seen.get("status").getAsString())) {
        return;
      }
      if (seen.get("stale").getAsBoolean() || seen.get("mustAnswer").getAsBoolean()) {
        answer(files, local, id, log);
        continue; // look again at once: the answer is on the ledger now
      }
      Thread.sleep(pollMillis);
    }
  }

  /** One look: the ledger opened read-only and released again, and the party's log. */
  private JsonObject look(Home.Local local, String id, Path log) throws Exception {
    JsonObject ch;
    try {
      ch = CanonicalJson.parseObject(root().backend(true).connect(Organisations.defaultFor(local.info().role()))
          .evaluate("channels:getChannel", id)).getAsJsonObject("channel");
    } finally {
      root().closeBackend(); // never held between looks
    }
    ChannelLogs.Summary s;
    try {
      s = ChannelLogs.read(log);
    } catch (IOException e) {
      throw CliException.local("CHANNEL_LOG", "cannot read the state log " + log + ": " + Errors.oneLine(String.valueOf(e.getMessage())));
    }
    String me = local.info().account();
    Side side = s.params().sideOf(me);
    String status = ch.get("status").getAsString();
    JsonObject o = new JsonObject();
    o.addProperty("channelId", id);
    o.addProperty("name", name);
    o.addProperty("side", side.name());
    o.addProperty("status", status);
    o.addProperty("localSeq", s.latest().seq());
    boolean stale = false;
    boolean mustAnswer = false;
    if ("CLOSING".equals(status) && ch.has("closing") && ch.get("closing").isJsonObject()) {
      JsonObject c = ch.getAsJsonObject("closing");
      long seq = c.get("seq").getAsLong();
      String by = c.get("submittedBy").getAsString();
      o.addProperty("chainSeq", seq);
      o.addProperty("submittedBy", by.equals(me) ? "self" : "peer");
      o.addProperty("deadline", c.get("deadline").getAsString());
      o.addProperty("answered", c.has("answer"));
      stale = ClosingRecord.stale(c, me, s.latest().seq());
      mustAnswer = !stale && ClosingRecord.mustAnswer(c, me);
    } else if (ch.has("settlement") && ch.get("settlement").isJsonObject()) {
      JsonObject st = ch.getAsJsonObject("settlement");
      o.addProperty("chainSeq", st.get("seq").getAsLong());
      o.addProperty("outcome", st.get("kind").getAsString());
    } else {
      o.add("chainSeq", JsonNull.INSTANCE);
    }
    o.addProperty("stale", stale);
    o.addProperty("mustAnswer", mustAnswer);
    return o;
  }

  private String text(JsonObject o) {
    StringBuilder t = new StringBuilder(o.get("channelId").getAsString()).append("  ").append(o.get("status").getAsString())
        .append("  on chain: ").append(o.get("chainSeq").isJsonNull() ? "no state (opened)" : "state " + o.get("chainSeq").getAsLong());
    if (o.has("submittedBy")) {
      t.append(" (closed by ").append(o.get("submittedBy").getAsString()).append(", window ends ")
          .append(o.get("deadline").getAsString()).append(')');
    }
    if (o.has("outcome")) {
      t.append(" (").append(o.get("outcome").getAsString()).append(')');
    }
    t.append("  latest in the log of '").append(name).append("': state ").append(o.get("localSeq").getAsLong());
    if (o.get("stale").getAsBoolean()) {
      t.append("\n  The peer closed on an older state: ").append(follow ? "disputing with state "
          + o.get("localSeq").getAsLong() + "." : "run 'medledger channel watch --as " + name + " "
          + o.get("channelId").getAsString() + " --follow' to dispute with the latest state.");
    } else if (o.get("mustAnswer").getAsBoolean()) {
      t.append("\n  This account pays on the closing state and must answer it: ").append(follow ? "answering."
          : "run with --follow to answer.");
    }
    return t.toString();
  }

  /**
   * Hands the channel to the SDK's watcher with the party restored from its log (the channel held
   * so that no other command of this party writes the log meanwhile), on a writable ledger released
   * afterwards; prints what the watcher did.
   */
  private void answer(ChannelFiles files, Home.Local local, String id, Path log) throws Exception {
    if (java.nio.file.Files.exists(files.portFile(name))) {
      // 'channel serve' keeps this account's parties open and writes their logs without the lock file.
      boolean watching;
      try {
        JsonObject pf = CanonicalJson.parseObject(java.nio.file.Files.readString(files.portFile(name)));
        watching = pf.has("watching") && pf.get("watching").getAsBoolean();
      } catch (IOException | RuntimeException unreadable) {
        watching = false;
      }
      throw CliException.local("ALREADY_SERVING", "'" + name + "' is served by 'channel serve' (port file "
          + files.portFile(name) + "), which writes its state logs; " + (watching
              ? "it was started with --watch and answers this close itself"
              : "it was started without --watch: stop it ('medledger channel stop --as " + name
                  + "') and run this watch again, or restart it with --watch") + "; nothing was sent");
    }
    if (secrets == null) {
      secrets = secrets(local);
    }
    ChannelFiles.Held held = files.hold(name, id, root().lockWait());
    try (ChannelParty party = ChannelParty.restore(log, secrets, ChannelParty.Options.DEFAULT, root().random)) {
      ChannelClient client = new ChannelClient(secrets, root().backend(false).connect(Organisations.defaultFor(secrets.role())),
          root().random);
      try (ChannelWatcher watcher = new ChannelWatcher(client, Clock.systemUTC())) {
        watcher.watch(party);
        watcher.touchOpen(); // reacts to a CLOSING channel as on its event: dispute, answer or contest
        watcher.awaitIdle();
        for (ChannelWatcher.Action a : watcher.actions()) {
          JsonObject o = new JsonObject();
          o.addProperty("channelId", id);
          o.addProperty("action", a.kind());
          o.addProperty("detail", a.detail());
          emit(o, "  watcher: " + a.kind() + (a.detail().isEmpty() ? "" : " " + Errors.oneLine(a.detail())));
          if ("FAILED".equals(a.kind()) || "UNMATCHED".equals(a.kind())) {
            throw new CliException(ExitCode.LOCAL, "WATCH_FAILED", "the watcher could not answer on channel " + id
                + ": " + Errors.oneLine(a.kind() + " " + a.detail()));
          }
        }
        if (watcher.actions().stream().noneMatch(a -> List.of("DISPUTE", "ANSWER", "CONTEST").contains(a.kind()))) {
          // nothing was submitted, so the next look would find the same: stop rather than spin
          throw new CliException(ExitCode.LOCAL, "WATCH_FAILED", "the watcher submitted nothing on channel " + id
              + " (" + watcher.actions() + ")");
        }
      }
    } finally {
      root().closeBackend();
      held.release();
    }
  }
}
