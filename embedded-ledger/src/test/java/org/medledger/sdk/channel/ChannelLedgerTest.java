package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payment channels end to end on the embedded ledger (docs/payment-channels.md): the insurer (A)
 * and a hospital (B) open with confidential deposits, pay each other over loopback, and close —
 * cooperatively, or unilaterally with each party's watcher answering the other's moves by itself.
 * Outcomes are checked by each account decrypting what it holds on the ledger.
 */
class ChannelLedgerTest extends LoopbackChannelTestBase {
  private final List<SignedState> seenByB = new ArrayList<>();

  @Override
  void listen() {
    b.addListener(seenByB::add);
  }

  @BeforeEach
  void startingHoldings() {
    assertEquals(100_000 - 3_000, f.insurerStart);
    assertEquals(3_000, f.hospitalStart);
  }

  private void startWatchers() throws Exception {
    start(watcherA, "InsurerOrgMSP");
    start(watcherB, "HospitalOrgMSP");
  }

  private void payments() throws Exception {
    for (int i = 0; i < 20; i++) {
      a.pay(250).get(30, TimeUnit.SECONDS); // A pays B 5,000 in all
    }
    b.pay(700).get(30, TimeUnit.SECONDS); // B pays back 700
    for (int i = 0; i < 3_000 && !a.latest().equals(b.latest()); i++) {
      Thread.sleep(10);
    }
    assertEquals(a.latest(), b.latest());
    assertEquals(new ChannelState(21, DEPOSIT_A - 4_300, DEPOSIT_B + 4_300), a.latest().state());
  }

  private void assertHoldings(long insurerDelta, long hospitalDelta) throws Exception {
    assertEquals("CLOSED", f.chainA.channel(a.params().channelId()).getAsJsonObject("channel").get("status").getAsString(),
        "watcher A: " + watcherA.actions() + ", watcher B: " + watcherB.actions());
    f.insurer.foldAll();
    f.hospital.foldAll();
    assertEquals(f.insurerStart + insurerDelta, f.insurer.balance());
    assertEquals(f.hospitalStart + hospitalDelta, f.hospital.balance());
  }

  @Test
  void theWatcherTouchesOpenChannelsSoABackDatedCloseCountsNoEarlier() throws Exception {
    String id = a.params().channelId();
    Instant before = Instant.parse(f.chainA.channel(id).getAsJsonObject("channel").get("updatedAt").getAsString());
    f.clock.advance(Duration.ofSeconds(3 * WINDOW));
    // The clock now reads 3 windows later; each connection stamps its proposals at or after it (a
    // few microseconds apart, so that one connection's stamps never repeat).
    Instant touchTime = f.clock.instant();
    watcherA.touchOpen();
    watcherA.awaitIdle();
    assertEquals("TOUCH", kinds(watcherA));
    Instant after = Instant.parse(f.chainA.channel(id).getAsJsonObject("channel").get("updatedAt").getAsString());
    assertFalse(after.isBefore(touchTime), before + " then " + after);
    assertFalse(after.isBefore(before.plusSeconds(3 * WINDOW).minusMillis(1)), before + " then " + after);
    assertEquals(Duration.ofMillis(Math.max(1_000, WINDOW * 1_000 / 4)), watcherA.defaultTouchInterval());
    // Once the channel is closing there is nothing to touch.
    f.chainB.close(b);
    watcherA.touchOpen();
    watcherA.awaitIdle();
    assertEquals("TOUCH", kinds(watcherA));
  }

  @Test
  void cooperativeCloseSettlesTheLatestState() throws Exception {
    startWatchers();
    payments();
    CooperativeClose c = b.closeCooperatively().get(60, TimeUnit.SECONDS);
    f.chainB.coopClose(c);
    quiesce();
    assertEquals("CLOSED", f.chainA.channel(c.channelId()).getAsJsonObject("channel").get("status").getAsString());
    assertHoldings(-4_300, 4_300);
    assertTrue(kinds(watcherA).contains("SETTLED"), kinds(watcherA));
    assertFalse(kinds(watcherA).contains("FAILED") || kinds(watcherB).contains("FAILED"));
  }

  @Test
  void theNetPayersWatcherAnswersACloseByTheOtherParty() throws Exception {
    startWatchers();
    payments();
    f.chainB.close(b);
    quiesce();
    assertEquals("ANSWER", kinds(watcherA));
    f.clock.advance(Duration.ofSeconds(WINDOW + 1));
    watcherB.settleDue();
    quiesce();
    assertTrue(kinds(watcherB).startsWith("SETTLE,SETTLED"), kinds(watcherB));
    assertHoldings(-4_300, 4_300);
  }

  @Test
  void aStaleCloseIsDisputedByTheWatcherAndTheCloserLosesItsDeposit() throws Exception {
    startWatchers();
    payments();
    // B closes on state 20, before it paid 700 back: better for B, and provably stale since B signed 21.
    SignedState older = seenByB.get(seenByB.size() - 2);
    assertEquals(20, older.seq());
    b.stopUpdates();
    f.chainB.closeOn(b.params(), Side.B, older);
    quiesce();
    assertTrue(kinds(watcherA).startsWith("DISPUTE"), kinds(watcherA));
    assertEquals("CHANNEL_PENALTY", f.chainA.channel(a.params().channelId()).getAsJsonObject("channel")
        .getAsJsonObject("settlement").get("kind").getAsString());
    assertHoldings(DEPOSIT_B, -DEPOSIT_B); // A gets both deposits: B's gains in the channel are gone
  }

  @Test
  void anAnswerThatPaysLessIsContestedByThePayeesWatcher() throws Exception {
    start(watcherB, "HospitalOrgMSP"); // A's watcher stays off: A cheats by hand
    payments();
    f.chainB.close(b);
    quiesce();
    byte[] less = Settlement.build(a.params(), new ChannelState(21, DEPOSIT_A - 100, DEPOSIT_B + 100), Side.A,
        f.insurerSecrets.paillier(), f.rnd);
    f.chainA.answerWith(a.params().channelId(), 21, less);
    quiesce();
    assertTrue(kinds(watcherB).contains("CONTEST"), kinds(watcherB));
    assertHoldings(-DEPOSIT_A, DEPOSIT_A);
  }

  @Test
  void aPartyBackAfterTheWindowCannotDisputeAnyMore() throws Exception {
    payments();
    SignedState older = seenByB.get(0); // state 1: A had paid B 250 only
    b.stopUpdates();
    f.chainB.closeOn(b.params(), Side.B, older);
    f.clock.advance(Duration.ofSeconds(WINDOW + 1));
    startWatchers(); // A was offline for the whole window; its watcher replays the close now
    quiesce();
    assertTrue(kinds(watcherA).contains("FAILED"), kinds(watcherA));
    assertTrue(watcherA.actions().stream().anyMatch(x -> x.detail().contains("WINDOW_CLOSED")), watcherA.actions().toString());
    watcherB.settleDue();
    quiesce();
    // State 1's net payer (A) never answered in time: its deposit went to B.
    assertEquals("CHANNEL_FORFEIT", f.chainA.channel(a.params().channelId()).getAsJsonObject("channel")
        .getAsJsonObject("settlement").get("kind").getAsString());
    assertHoldings(-DEPOSIT_A, DEPOSIT_A);
  }

  @Test
  void theProposerClosingOneStateBehindIsCorrectedAndSettlesOnTheLatest() throws Exception {
    startWatchers();
    payments();
    // A closes on state 20 (say it lost B's acceptance of 21): B's watcher replaces it with 21,
    // whose net payer A's watcher then answers.
    SignedState s20 = seenByB.get(seenByB.size() - 2);
    a.stopUpdates();
    f.chainA.closeOn(a.params(), Side.A, s20);
    quiesce();
    assertTrue(kinds(watcherB).startsWith("DISPUTE"), kinds(watcherB));
    assertTrue(kinds(watcherA).contains("ANSWER"), kinds(watcherA));
    f.clock.advance(Duration.ofSeconds(WINDOW + 1));
    watcherA.settleDue();
    quiesce();
    assertHoldings(-4_300, 4_300);
  }
}
