package org.medledger.sdk.channel;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.client.Checkpointer;
import org.medledger.protocol.CanonicalJson;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.sdk.EventSubscription;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerEvents;
import org.medledger.sdk.MedLedgerEvent;

/**
 * Watches the chain for moves on this account's channels and answers them on its own
 * (docs/payment-channels.md §5): when the other party closes on a state older than this party's
 * latest it disputes; when this party is the net payer of the state being closed on it answers
 * with its settlement bundle; when an answer pays this party less or more than the signed state
 * says it contests; and once a window has passed by its clock it settles. It acts on the channel
 * record as the ledger holds it when an event arrives, on one worker thread.
 *
 * <p>Events come from a {@link LedgerEvents} subscription (the embedded or the gateway
 * connection) with a checkpointer; an event is checkpointed only after the watcher has acted on
 * it, so after a restart nothing is skipped. On start the watcher also looks at every watched
 * channel once, so a close that happened while it was away is answered even without its event.
 */
public final class ChannelWatcher implements AutoCloseable {
  /** What the watcher did (DISPUTE, ANSWER, CONTEST, SETTLE, SETTLED, TOUCH, UNMATCHED, FAILED), for logs and tests. */
  public record Action(String channelId, String kind, String detail) {}

  private final ChannelClient client;
  private final Clock clock;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "channel-watcher"));
  private final Map<String, ChannelParty> parties = new ConcurrentHashMap<>();
  private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();
  private final List<Action> actions = new CopyOnWriteArrayList<>();
  private EventSubscription subscription;
  private volatile long lastEventBlock = -1;
  private ScheduledExecutorService ticker;
  private ScheduledExecutorService toucher;

  public ChannelWatcher(ChannelClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Watches this party's channel from now on. */
  public void watch(ChannelParty party) {
    parties.put(party.params().channelId(), party);
  }

  /**
   * Looks at every watched channel once, then follows the ledger's events from the checkpoint (or
   * from {@code fromBlock} when the checkpointer is new).
   */
  public void start(LedgerEvents events, long fromBlock, Checkpointer checkpointer) throws LedgerCallException {
    parties.forEach((id, party) -> worker.execute(() -> react(id, party)));
    subscription = events.subscribe(fromBlock, checkpointer, e -> worker.submit(() -> handle(e)).get());
  }

  /** Calls {@link #settleDue} every {@code period} (a deployment's clock; tests call it directly). */
  public void startTicking(Duration period) {
    ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "channel-watcher-tick"));
    ticker.scheduleAtFixedRate(this::settleDue, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Touches every watched open channel every {@code interval} (docs/protocol.md §9.5): a close the
   * other party back-dates then starts its window no earlier than the last touch, which leaves
   * this party at least window − interval to dispute. {@link #defaultTouchInterval} is w/4.
   */
  public void startTouching(Duration interval) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("the touch interval must be positive");
    }
    toucher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "channel-watcher-touch"));
    toucher.scheduleAtFixedRate(this::touchOpen, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A quarter of the shortest window among the watched channels (one second at least). */
  public Duration defaultTouchInterval() {
    long w = parties.values().stream().mapToLong(p -> p.params().windowSeconds()).min().orElse(4);
    return Duration.ofMillis(Math.max(1_000, w * 1_000 / 4));
  }

  /**
   * Touches every watched channel the ledger shows open, and reacts again to every one it shows
   * closing, on the worker thread. Reacting again is what makes a dispute, answer or contest that
   * failed (an unreachable peer, a deadline) be tried again while the window is open: an event
   * arrives once, and without a retry an honest party would lose what its latest state pays it.
   */
  public void touchOpen() {
    worker.execute(() -> {
      for (String id : List.copyOf(parties.keySet())) {
        try {
          JsonObject ch = client.channel(id).getAsJsonObject("channel");
          String status = ch.get("status").getAsString();
          if ("OPEN".equals(status)) {
            client.touch(id);
            actions.add(new Action(id, "TOUCH", ""));
          } else if ("CLOSING".equals(status)) {
            react(id, parties.get(id));
          }
        } catch (LedgerCallException | RuntimeException e) {
          actions.add(new Action(id, "FAILED", "touch: " + e));
        }
      }
    });
  }

  /** Settles every watched channel whose window has passed by this watcher's clock. */
  public void settleDue() {
    worker.execute(() -> {
      Instant now = clock.instant();
      for (Map.Entry<String, Instant> d : Map.copyOf(deadlines).entrySet()) {
        if (now.isBefore(d.getValue())) {
          ChannelParty party = parties.get(d.getKey());
          if (party != null) {
            react(d.getKey(), party); // still closing: try again what may have failed (touchOpen)
          }
          continue;
        }
        try {
          client.settle(d.getKey());
          deadlines.remove(d.getKey());
          actions.add(new Action(d.getKey(), "SETTLE", "after " + d.getValue()));
        } catch (LedgerCallException e) {
          if (!"WINDOW_OPEN".equals(e.errorCode())) {
            deadlines.remove(d.getKey());
          }
          actions.add(new Action(d.getKey(), "FAILED", "settle: " + e.getMessage()));
        }
      }
    });
  }

  public List<Action> actions() {
    return List.copyOf(actions);
  }

  /** Waits until the worker has handled everything given to it so far. */
  public void awaitIdle() {
    try {
      worker.submit(() -> { }).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the watcher is stuck", e);
    }
  }

  /** The block of the last event the watcher has acted on (-1 before the first). */
  public long lastEventBlock() {
    return lastEventBlock;
  }

  private void handle(MedLedgerEvent e) {
    lastEventBlock = e.blockNumber();
    if (!e.name().startsWith("medledger.Channel")) {
      return;
    }
    JsonObject ev = CanonicalJson.parseObject(e.payloadText());
    String id = ev.get("channel").getAsString();
    ChannelParty party = parties.get(id);
    if (party == null) {
      return;
    }
    switch (e.name()) {
      case "medledger.ChannelClosing", "medledger.ChannelAnswered" -> {
        party.stopUpdates(); // at once, even if reading the record fails; react takes the snapshot
        react(id, party);
      }
      case "medledger.ChannelSettled" -> {
        party.stopUpdates();
        deadlines.remove(id);
        actions.add(new Action(id, "SETTLED", ev.has("outcome") ? ev.get("outcome").getAsString() : ""));
      }
      default -> {
        // opened: nothing to do
      }
    }
  }

  /** Reacts to the channel as the ledger holds it now. */
  private void react(String id, ChannelParty party) {
    try {
      JsonObject ch = client.channel(id).getAsJsonObject("channel");
      if (!"CLOSING".equals(ch.get("status").getAsString())) {
        if (!"OPEN".equals(ch.get("status").getAsString())) {
          party.stopUpdates(); // closed already: nothing to submit
        }
        deadlines.remove(id);
        return;
      }
      // Stop signing and take the state to dispute with in one step: a proposal queued at this
      // party is either signed before it (and is the snapshot) or refused after it.
      SignedState mine = party.stopAndSnapshot();
      JsonObject c = ch.getAsJsonObject("closing");
      long seq = c.get("seq").getAsLong();
      String payer = c.get("payer").getAsString();
      String submittedBy = c.get("submittedBy").getAsString();
      deadlines.put(id, Instant.parse(c.get("deadline").getAsString()));
      String me = client.accountId();
      if (!submittedBy.equals(me) && mine.seq() > seq) {
        client.disputeWith(party, mine, seq, submittedBy);
        actions.add(new Action(id, "DISPUTE", "state " + mine.seq() + " over state " + seq));
        return;
      }
      // Answer and contest only with the plaintext this party signed under the closing digest.
      String digest = c.get("digest").getAsString();
      Optional<ChannelState> s = party.signedState(seq, digest);
      boolean mustAnswer = payer.equals(me) && !c.has("answer");
      boolean mayContest = c.has("answer") && !payer.isEmpty() && !payer.equals(me);
      if ((mustAnswer || mayContest) && s.isEmpty()) {
        actions.add(new Action(id, "UNMATCHED", "no state " + seq + " this party signed has the closing digest "
            + digest + "; neither answering nor contesting"));
        return;
      }
      if (mustAnswer) {
        client.answer(party, seq, digest);
        actions.add(new Action(id, "ANSWER", "state " + seq));
        return;
      }
      if (mayContest) {
        PaillierCiphertext toMe = client.myCiphertext(c.getAsJsonObject("answer").get("amountPayee").getAsString());
        if (client.decrypt(toMe) != party.params().amount(s.get())) {
          client.contestWith(party.params(), s.get(), toMe);
          actions.add(new Action(id, "CONTEST", "state " + seq));
        }
      }
    } catch (LedgerCallException | RuntimeException e) {
      actions.add(new Action(id, "FAILED", e.toString()));
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (toucher != null) {
      toucher.shutdownNow();
    }
    worker.shutdown();
  }
}
