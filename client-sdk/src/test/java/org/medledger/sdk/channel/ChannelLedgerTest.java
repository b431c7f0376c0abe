package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.chaincode.ContractDispatcher;
import org.medledger.chaincode.api.Role;
import org.medledger.chaincode.embedded.EmbeddedLedger;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.EmbeddedConnection;
import org.medledger.sdk.LedgerConnection;

/**
 * Payment channels end to end on the embedded ledger (docs/payment-channels.md): the insurer (A)
 * and a hospital (B) open with confidential deposits, pay each other over loopback, and close —
 * cooperatively, or unilaterally with each party's watcher answering the other's moves by itself.
 * Outcomes are checked by each account decrypting what it holds on the ledger.
 */
class ChannelLedgerTest {
  private static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\"]}";
  private static final long WINDOW = 3_600;
  private static final long DEPOSIT_A = 20_000;
  private static final long DEPOSIT_B = 1_000;

  /** Transaction time, moved by the test. */
  static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-03-01T09:00:00Z");

    synchronized void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir
  Path dir;
  private final SecureRandom rnd = new SecureRandom();
  private final TestClock clock = new TestClock();
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", ContractDispatcher.medledger());
  private AccountSecrets insurerSecrets;
  private AccountSecrets hospitalSecrets;
  private AccountClient insurer;
  private AccountClient hospital;
  private ChannelClient chainA;
  private ChannelClient chainB;
  private ChannelParty a;
  private ChannelParty b;
  private ChannelServer server;
  private ChannelDialer dialer;
  private ChannelWatcher watcherA;
  private ChannelWatcher watcherB;
  private long insurerStart;
  private long hospitalStart;
  private final List<SignedState> seenByB = new ArrayList<>();

  private LedgerConnection gateway(String msp) {
    return new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
  }

  private AccountSecrets secrets(Role role, PaillierSecretKey key) {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    return new AccountSecrets(role, seed, key);
  }

  @BeforeEach
  void setUp() throws Exception {
    gateway("RegulatorOrgMSP").submit("accounts:configure", CONFIG);
    AccountClient regulator = new AccountClient(secrets(Role.REGULATOR, TestKeys.key2048c()), gateway("RegulatorOrgMSP"), rnd);
    insurerSecrets = secrets(Role.INSURER, TestKeys.key2048b());
    hospitalSecrets = secrets(Role.HOSPITAL, TestKeys.key2048a());
    insurer = new AccountClient(insurerSecrets, gateway("InsurerOrgMSP"), rnd);
    hospital = new AccountClient(hospitalSecrets, gateway("HospitalOrgMSP"), rnd);
    regulator.register();
    insurer.register();
    hospital.register();
    regulator.issue(insurer.accountId(), 100_000);
    insurer.pay(hospital.accountId(), 3_000);

    chainA = new ChannelClient(insurerSecrets, gateway("InsurerOrgMSP"), rnd);
    chainB = new ChannelClient(hospitalSecrets, gateway("HospitalOrgMSP"), rnd);
    ChannelClient.Terms terms = ChannelClient.newTerms(insurer.accountId(), hospital.accountId(), WINDOW, 4, rnd);
    String reqA = chainA.openRequest(terms, DEPOSIT_A);
    String reqB = chainB.openRequest(terms, DEPOSIT_B);
    chainB.open(reqA, reqB);
    ChannelParams paramsA = chainA.params(terms);
    ChannelParams paramsB = chainB.params(terms);
    assertEquals(paramsA, paramsB, "both parties derive the same parameters from the ledger");
    assertEquals(DEPOSIT_A, paramsB.depositA(), "B learns A's deposit from its own copy");
    insurerStart = insurer.balance() + DEPOSIT_A;
    hospitalStart = hospital.balance() + DEPOSIT_B;
    assertEquals(100_000 - 3_000, insurerStart);
    assertEquals(3_000, hospitalStart);

    a = ChannelParty.create(paramsA, insurerSecrets, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, rnd);
    b = ChannelParty.create(paramsB, hospitalSecrets, dir.resolve("b.log"), ChannelParty.Options.DEFAULT, rnd);
    b.addListener(seenByB::add);
    server = ChannelServer.start(0, rnd);
    server.register(b);
    dialer = ChannelDialer.start(a, server.address(), rnd);
    watcherA = new ChannelWatcher(chainA, clock);
    watcherB = new ChannelWatcher(chainB, clock);
    watcherA.watch(a);
    watcherB.watch(b);
  }

  @AfterEach
  void tearDown() throws Exception {
    watcherA.close();
    watcherB.close();
    dialer.close();
    a.close();
    b.close();
    server.close();
  }

  private void startWatchers() {
    watcherA.start(new EmbeddedChainEvents(ledger), 0);
    watcherB.start(new EmbeddedChainEvents(ledger), 0);
  }

  /** Lets both watchers react until neither has anything left to do. */
  private void quiesce() {
    for (int i = 0; i < 6; i++) {
      watcherA.awaitIdle();
      watcherB.awaitIdle();
    }
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

  private static String kinds(ChannelWatcher w) {
    return w.actions().stream().map(ChannelWatcher.Action::kind).collect(Collectors.joining(","));
  }

  private void assertHoldings(long insurerDelta, long hospitalDelta) throws Exception {
    assertEquals("CLOSED", chainA.channel(a.params().channelId()).getAsJsonObject("channel").get("status").getAsString(),
        "watcher A: " + watcherA.actions() + ", watcher B: " + watcherB.actions());
    insurer.foldAll();
    hospital.foldAll();
    assertEquals(insurerStart + insurerDelta, insurer.balance());
    assertEquals(hospitalStart + hospitalDelta, hospital.balance());
  }

  @Test
  void cooperativeCloseSettlesTheLatestState() throws Exception {
    startWatchers();
    payments();
    CooperativeClose c = b.closeCooperatively().get(60, TimeUnit.SECONDS);
    chainB.coopClose(c);
    quiesce();
    assertEquals("CLOSED", chainA.channel(c.channelId()).getAsJsonObject("channel").get("status").getAsString());
    assertHoldings(-4_300, 4_300);
    assertTrue(kinds(watcherA).contains("SETTLED"), kinds(watcherA));
    assertFalse(kinds(watcherA).contains("FAILED") || kinds(watcherB).contains("FAILED"));
  }

  @Test
  void theNetPayersWatcherAnswersACloseByTheOtherParty() throws Exception {
    startWatchers();
    payments();
    chainB.close(b);
    quiesce();
    assertEquals("ANSWER", kinds(watcherA));
    clock.advance(Duration.ofSeconds(WINDOW + 1));
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
    chainB.closeOn(b.params(), Side.B, older);
    quiesce();
    assertTrue(kinds(watcherA).startsWith("DISPUTE"), kinds(watcherA));
    assertEquals("CHANNEL_PENALTY", chainA.channel(a.params().channelId()).getAsJsonObject("channel")
        .getAsJsonObject("settlement").get("kind").getAsString());
    assertHoldings(DEPOSIT_B, -DEPOSIT_B); // A gets both deposits: B's gains in the channel are gone
  }

  @Test
  void anAnswerThatPaysLessIsContestedByThePayeesWatcher() throws Exception {
    watcherB.start(new EmbeddedChainEvents(ledger), 0); // A's watcher stays off: A cheats by hand
    payments();
    chainB.close(b);
    quiesce();
    byte[] less = Settlement.build(a.params(), new ChannelState(21, DEPOSIT_A - 100, DEPOSIT_B + 100), Side.A,
        insurerSecrets.paillier(), rnd);
    chainA.answerWith(a.params().channelId(), 21, less);
    quiesce();
    assertTrue(kinds(watcherB).contains("CONTEST"), kinds(watcherB));
    assertHoldings(-DEPOSIT_A, DEPOSIT_A);
  }

  @Test
  void aPartyBackAfterTheWindowCannotDisputeAnyMore() throws Exception {
    payments();
    SignedState older = seenByB.get(0); // state 1: A had paid B 250 only
    b.stopUpdates();
    chainB.closeOn(b.params(), Side.B, older);
    clock.advance(Duration.ofSeconds(WINDOW + 1));
    startWatchers(); // A was offline for the whole window; its watcher replays the close now
    quiesce();
    assertTrue(kinds(watcherA).contains("FAILED"), kinds(watcherA));
    assertTrue(watcherA.actions().stream().anyMatch(x -> x.detail().contains("WINDOW_CLOSED")), watcherA.actions().toString());
    watcherB.settleDue();
    quiesce();
    // State 1's net payer (A) never answered in time: its deposit went to B.
    assertEquals("CHANNEL_FORFEIT", chainA.channel(a.params().channelId()).getAsJsonObject("channel")
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
    chainA.closeOn(a.params(), Side.A, s20);
    quiesce();
    assertTrue(kinds(watcherB).startsWith("DISPUTE"), kinds(watcherB));
    assertTrue(kinds(watcherA).contains("ANSWER"), kinds(watcherA));
    clock.advance(Duration.ofSeconds(WINDOW + 1));
    watcherA.settleDue();
    quiesce();
    assertHoldings(-4_300, 4_300);
  }
}
