package org.medledger.cli;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.channel.ChannelClient;
import org.medledger.sdk.channel.ChannelParty;
import org.medledger.sdk.channel.ChannelWatcher;

/**
 * What {@code channel serve --watch} does between requests (docs/cli.md §4 channel serve): one look
 * at every served channel on the ledger, then client-sdk's {@link ChannelWatcher} for the channels
 * that need this account:
 * <ul>
 *   <li>a channel closing on a state older than the party's latest (the peer's stale close), on a
 *       state this account pays on and has not answered, or with a closing record the watcher has
 *       not seen (an answer is checked once, to contest);</li>
 *   <li>an open channel not touched for a quarter of its window (docs/protocol.md §9.5: a close
 *       the peer back-dates then still leaves this party the window less max(w/4, poll)), at most
 *       {@link #MAX_TOUCHES_PER_LOOK} a look, none while a channel open is under way at the server
 *       (a touch uses the account's nonce up); a failed touch is tried again after min(w/4, 30 s).</li>
 * </ul>
 * The first sight of a closing channel stops the party signing states; a closing record the
 * watcher could not match to a state of this party's (UNMATCHED) is not handed over again. A channel closing past its
 * deadline is left (anyone may settle it; a line says so once), and one the ledger shows closed is
 * released. A failure on one channel is logged and leaves the others; the next look tries again.
 * Not thread-safe: the server calls {@link #once} under its own lock, which also guards its ledger.
 */
final class ServedChannelsWatch {
  /** What the server lends the watch. */
  interface Server {
    /** The served parties by channel id (live: channels come and go). */
    Map<String, ChannelParty> parties();

    /** A read-only connection to the ledger, released by {@link #release}. */
    LedgerConnection look() throws Exception;

    /** A writable client for the watcher, released by {@link #release}. */
    ChannelClient writer() throws Exception;

    /** Releases the ledger (the embedded ledger's lock). */
    void release();

    /** The ledger shows the channel closed: the server releases its party. */
    void closed(String channelId);

    void log(String line);

    String accountId();

    /**
     * Whether a channel open is under way at this server (B's signed open request, with this
     * account's next nonce, not yet submitted): a touch would use that nonce up.
     */
    boolean openUnderWay();
  }

  /** At most this many touches per look, the most overdue first: a look holds the server's lock. */
  static final int MAX_TOUCHES_PER_LOOK = 4;
  /** A failed touch is tried again after at most this long. */
  static final Duration TOUCH_RETRY = Duration.ofSeconds(30);

  private final Server server;
  private final Clock clock;
  /** Per channel, the closing record of the last look that was handed to the watcher without a failure. */
  private final Map<String, String> handedOver = new HashMap<>();
  private final Map<String, Instant> lastTouch = new HashMap<>();
  private final Set<String> pastDeadline = new HashSet<>();
  /** Per channel, a closing record the watcher could not match to a state of this party's (UNMATCHED). */
  private final Map<String, String> unmatched = new HashMap<>();

  ServedChannelsWatch(Server server, Clock clock) {
    this.server = server;
    this.clock = clock;
  }

  /** One look, and the watcher for what needs it; throws nothing (failures are logged). */
  void once() {
    if (server.parties().isEmpty()) {
      return; // nothing served: the ledger is not opened
    }
    try {
      Map<String, String> closing = new HashMap<>();
      List<String> toWatcher = new ArrayList<>();
      List<String> dueTouches = new ArrayList<>();
      List<String> closedOnLedger = new ArrayList<>();
      Instant now = clock.instant();
      try {
        LedgerConnection ledger = server.look();
        for (Map.Entry<String, ChannelParty> e : server.parties().entrySet()) {
          String id = e.getKey();
          try {
            JsonObject ch = CanonicalJson.parseObject(ledger.evaluate("channels:getChannel", id)).getAsJsonObject("channel");
            String status = ch.get("status").getAsString();
            if ("CLOSED".equals(status)) {
              closedOnLedger.add(id);
            } else if ("OPEN".equals(status)) {
              if (touchDue(id, e.getValue(), now)) {
                dueTouches.add(id);
              }
            } else if ("CLOSING".equals(status)) {
              e.getValue().stopUpdates(); // signs no more states; idempotent
              JsonObject c = ch.getAsJsonObject("closing");
              String why = why(id, e.getValue(), c, now);
              if (why != null) {
                server.log("handing " + id + " to the watcher (" + why + ")");
                closing.put(id, CanonicalJson.toString(c));
                toWatcher.add(id);
              }
            }
          } catch (Exception ex) {
            server.log("watch: " + id + ": " + Errors.oneLine(String.valueOf(ex)));
          }
        }
      } finally {
        server.release();
      }
      if (!dueTouches.isEmpty() && !server.openUnderWay()) {
        dueTouches.sort(java.util.Comparator.comparing(id -> lastTouch.getOrDefault(id, Instant.MIN)));
        for (String id : dueTouches.subList(0, Math.min(MAX_TOUCHES_PER_LOOK, dueTouches.size()))) {
          server.log("touching " + id + " (open, not touched for a quarter of its window)");
          toWatcher.add(id);
        }
      }
      for (String id : closedOnLedger) {
        forget(id);
        server.closed(id);
      }
      if (!toWatcher.isEmpty()) {
        hand(toWatcher, closing, now);
      }
    } catch (Throwable t) { // a scheduled task that throws is never run again: log and carry on
      server.log("watch: " + Errors.oneLine(String.valueOf(t)));
    }
  }

  /** Why a closing channel needs this account now, or null. */
  private String why(String id, ChannelParty party, JsonObject c, Instant now) {
    Instant deadline = Instant.parse(c.get("deadline").getAsString());
    if (!now.isBefore(deadline)) {
      if (pastDeadline.add(id)) {
        server.log(id + ": the window ended at " + deadline + "; nothing can be disputed or answered now, and anyone may"
            + " settle it (channels:settle)");
      }
      return null;
    }
    String record = CanonicalJson.toString(c);
    if (record.equals(unmatched.get(id))) {
      return null; // no state of this party's matches it; handing it over again would not change that
    }
    String me = server.accountId();
    if (ClosingRecord.stale(c, me, party.latest().seq())) {
      return "the peer closed on state " + c.get("seq").getAsLong() + ", older than state " + party.latest().seq();
    }
    if (ClosingRecord.mustAnswer(c, me)) {
      return "this account pays on the closing state and has not answered";
    }
    return record.equals(handedOver.get(id)) ? null : "a closing record the watcher has not seen";
  }

  private boolean touchDue(String id, ChannelParty party, Instant now) {
    Instant last = lastTouch.get(id);
    return last == null || !now.isBefore(last.plus(touchEvery(party)));
  }

  /** A quarter of the channel's window, one second at least. */
  private static Duration touchEvery(ChannelParty party) {
    return Duration.ofMillis(Math.max(1_000, party.params().windowSeconds() * 1_000 / 4));
  }

  private static boolean did(ChannelWatcher watcher, String id, String kind) {
    return watcher.actions().stream().anyMatch(a -> a.channelId().equals(id) && kind.equals(a.kind()));
  }

  private void hand(List<String> ids, Map<String, String> closing, Instant now) throws Exception {
    try (ChannelWatcher watcher = new ChannelWatcher(server.writer(), clock)) {
      for (String id : ids) {
        ChannelParty p = server.parties().get(id);
        if (p != null) {
          watcher.watch(p);
        }
      }
      watcher.touchOpen(); // touches the open ones; reacts to each closing one as on its event
      watcher.awaitIdle();
      for (ChannelWatcher.Action a : watcher.actions()) {
        server.log("watcher: " + a.kind() + " " + a.channelId() + (a.detail().isEmpty() ? "" : " " + Errors.oneLine(a.detail())));
      }
      for (String id : ids) {
        boolean failed = did(watcher, id, "FAILED");
        if (closing.containsKey(id)) {
          if (did(watcher, id, "UNMATCHED")) {
            unmatched.put(id, closing.get(id));
          } else if (!failed) {
            handedOver.put(id, closing.get(id)); // what this look saw, not a later read
          } // failed: the next look hands it over again
        } else if (did(watcher, id, "TOUCH")) {
          lastTouch.put(id, now);
        } else if (failed) {
          ChannelParty p = server.parties().get(id);
          Duration every = p == null ? TOUCH_RETRY : touchEvery(p);
          // tried again after min(w/4, 30 s), not at every look
          lastTouch.put(id, now.minus(every).plus(every.compareTo(TOUCH_RETRY) < 0 ? every : TOUCH_RETRY));
        }
      }
    } finally {
      server.release();
    }
  }

  /** Forgets a released channel. */
  void forget(String id) {
    handedOver.remove(id);
    unmatched.remove(id);
    lastTouch.remove(id);
    pastDeadline.remove(id);
  }
}
