package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The close race of issue 11 (docs/payment-channels.md §3.5), made deterministic: B's engine is
 * held inside its listener right after it published state 4, A's proposal of state 5 is queued
 * behind it, and then B closes (by hand, or its watcher disputes A's stale close). The state B
 * submits must be the last it signs: A must never hold a later one, and B must not be penalised.
 */
class ChannelCloseRaceTest extends LoopbackChannelTestBase {
  private final List<SignedState> seenByA = new CopyOnWriteArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  /** Holds the engine of the party it listens to once that party has published state {@code at}. */
  private static final class Hold implements ChannelParty.Listener {
    private final long at;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Hold(long at) {
      this.at = at;
    }

    @Override
    public void onState(SignedState s) {
      if (s.seq() == at) {
        entered.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  void listen() {
    a.addListener(seenByA::add);
  }

  /** Runs before the parties are closed (LoopbackChannelTestBase#disconnect). */
  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    for (int i = 0; i < 3_000; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  private JsonObject channel() throws Exception {
    return f.chainA.channel(f.params.channelId()).getAsJsonObject("channel");
  }

  /** A pays B 250 four times, one state each; B's engine is then held right after it published state 4. */
  private Hold fourStatesThenHoldB() throws Exception {
    Hold hold = new Hold(4);
    b.addListener(hold);
    for (int i = 0; i < 4; i++) {
      a.pay(250).get(30, TimeUnit.SECONDS);
    }
    assertTrue(hold.entered.await(30, TimeUnit.SECONDS));
    assertEquals(4, b.latest().seq());
    return hold;
  }

  /** A proposes state 5 (another 250) and B's held engine has the proposal queued. */
  private CompletableFuture<SignedState> proposalQueuedAtB() throws Exception {
    CompletableFuture<SignedState> fifth = a.pay(250);
    await(() -> a.signedState(5).isPresent(), "A signed proposal 5");
    await(() -> b.queuedEvents() >= 1, "B's held engine has the proposal queued");
    return fifth;
  }

  /**
   * Settles after the window and checks that the chain closed on B's last signed state with no
   * penalty, and that each account holds exactly what that state gives it.
   */
  private void settlesOnBsLastState() throws Exception {
    SignedState last = b.latest();
    assertTrue(a.latest().seq() <= last.seq(), "A holds state " + a.latest().seq() + " beyond B's last " + last.seq());
    JsonObject ch = channel();
    assertFalse(ch.has("settlement") && "CHANNEL_PENALTY".equals(ch.getAsJsonObject("settlement").get("kind").getAsString()),
        "honest B was penalised: watcher A " + watcherA.actions() + ", watcher B " + watcherB.actions());
    assertEquals("CLOSING", ch.get("status").getAsString(), ch.toString());
    assertEquals(last.seq(), ch.getAsJsonObject("closing").get("seq").getAsLong(), ch.toString());
    f.clock.advance(Duration.ofSeconds(WINDOW + 1));
    watcherB.settleDue();
    quiesce();
    ch = channel();
    assertEquals("CLOSED", ch.get("status").getAsString(), ch.toString());
    assertEquals("CHANNEL_SETTLE", ch.getAsJsonObject("settlement").get("kind").getAsString(), ch.toString());
    f.insurer.foldAll();
    f.hospital.foldAll();
    long toB = last.state().balanceB() - DEPOSIT_B;
    assertEquals(f.hospitalStart + toB, f.hospital.balance());
    assertEquals(f.insurerStart - toB, f.insurer.balance());
  }

  @Test
  void bClosingWithAProposalQueuedClosesOnTheLastStateItSigns() throws Exception {
    start(watcherB, "HospitalOrgMSP");
    Hold hold = fourStatesThenHoldB();
    CompletableFuture<SignedState> fifth = proposalQueuedAtB();
    // B closes; the stop must be ordered behind the queued proposal on B's engine.
    Future<String> close = pool.submit(() -> f.chainB.close(b));
    await(() -> close.isDone() || b.queuedEvents() >= 2, "B's close reached its engine");
    hold.release.countDown();
    close.get(60, TimeUnit.SECONDS);
    fifth.get(30, TimeUnit.SECONDS); // queued before the stop: B signed it, and closed on it
    a.awaitIdle();
    start(watcherA, "InsurerOrgMSP"); // A's watcher disputes with anything later than B's close
    quiesce();
    assertFalse(kinds(watcherA).contains("DISPUTE"), kinds(watcherA));
    assertEquals(5, b.latest().seq());
    settlesOnBsLastState();
  }

  @Test
  void bClosingBeforeAProposalArrivesRefusesIt() throws Exception {
    start(watcherB, "HospitalOrgMSP");
    Hold hold = fourStatesThenHoldB();
    Future<String> close = pool.submit(() -> f.chainB.close(b));
    await(() -> close.isDone() || b.queuedEvents() >= 1, "B's close reached its engine");
    CompletableFuture<SignedState> fifth = a.pay(250);
    await(() -> b.queuedEvents() >= 2 || close.isDone() && b.queuedEvents() >= 1, "the proposal queued behind the stop");
    hold.release.countDown();
    close.get(60, TimeUnit.SECONDS);
    assertTrue(fifth.handle((s, e) -> e != null).get(30, TimeUnit.SECONDS), "B refused the proposal after its stop");
    start(watcherA, "InsurerOrgMSP");
    quiesce();
    assertEquals(4, b.latest().seq());
    settlesOnBsLastState();
  }

  @Test
  void bsWatcherDisputingAStaleCloseWithAProposalQueuedDisputesWithTheLastStateItSigns() throws Exception {
    start(watcherB, "HospitalOrgMSP");
    Hold hold = fourStatesThenHoldB();
    CompletableFuture<SignedState> fifth = proposalQueuedAtB();
    // Malicious A closes on state 3, one before the latest, while its proposal 5 waits at B.
    SignedState s3 = seenByA.get(2);
    assertEquals(3, s3.seq());
    int height = (int) f.ledger.height();
    f.chainA.closeOn(a.params(), Side.A, s3);
    // B's watcher sees the close. Its stop must be ordered behind the proposal, so it may not
    // dispute before B's engine runs again: give a dispute read too early a chance to show.
    await(() -> b.queuedEvents() >= 2 || kinds(watcherB).contains("DISPUTE"), "B's watcher reached B's engine");
    for (int i = 0; i < 100 && !kinds(watcherB).contains("DISPUTE"); i++) {
      Thread.sleep(10);
    }
    hold.release.countDown();
    fifth.get(30, TimeUnit.SECONDS);
    quiesce();
    assertTrue(kinds(watcherB).startsWith("DISPUTE"), kinds(watcherB));
    assertTrue(f.ledger.height() > height);
    a.awaitIdle();
    start(watcherA, "InsurerOrgMSP"); // A disputes B's dispute if it holds anything later
    quiesce();
    assertFalse(kinds(watcherA).contains("DISPUTE"), kinds(watcherA));
    assertEquals(5, b.latest().seq());
    settlesOnBsLastState();
  }
}
