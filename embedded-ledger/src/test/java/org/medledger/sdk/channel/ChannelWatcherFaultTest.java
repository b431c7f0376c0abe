package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.sdk.ForwardingConnection;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;

/**
 * Review of the close-race fix (issue 11 part 2): the atomic snapshot makes B's dispute carry the
 * last state it signed, but the watcher tries that dispute exactly once. If the one submission
 * fails for a reason the client does not retry (the peer unreachable for a moment: UNAVAILABLE),
 * the watcher records FAILED and nothing ever tries again — no tick, touch or later event
 * re-reacts to a CLOSING channel — so A's stale close settles and honest B loses what it was paid
 * after the stale state.
 */
class ChannelWatcherFaultTest {
  private static final long WINDOW = 3_600;

  @TempDir
  Path dir;
  private LedgerFixture f;
  private ChannelParty a;
  private ChannelParty b;
  private ChannelServer server;
  private ChannelDialer dialer;
  private ChannelWatcher watcherB;
  private final List<SignedState> seenByA = new CopyOnWriteArrayList<>();
  private final AtomicInteger disputeFaults = new AtomicInteger();

  /** B's gateway: the first {@code disputeFaults} dispute submissions fail as if the peer were down. */
  private LedgerConnection flaky(LedgerConnection inner) {
    return new ForwardingConnection(inner) {
      @Override
      public String submit(String function, String... args) throws LedgerCallException {
        if (function.equals("channels:dispute") && disputeFaults.getAndDecrement() > 0) {
          throw new LedgerCallException(LedgerCallException.Kind.UNAVAILABLE, "UNAVAILABLE", "",
              LedgerCallException.Committed.NO, "peer unreachable (injected)");
        }
        return inner.submit(function, args);
      }
    };
  }

  @BeforeEach
  void setUp() throws Exception {
    f = new LedgerFixture(20_000, 1_000, WINDOW, 4);
    a = ChannelParty.create(f.params, f.insurerSecrets, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, f.rnd);
    b = ChannelParty.create(f.params, f.hospitalSecrets, dir.resolve("b.log"), ChannelParty.Options.DEFAULT, f.rnd);
    a.addListener(seenByA::add);
    server = ChannelServer.start(0, f.rnd);
    server.register(b);
    dialer = ChannelDialer.start(a, server.address(), f.rnd);
    watcherB = new ChannelWatcher(new ChannelClient(f.hospitalSecrets, flaky(f.gateway("HospitalOrgMSP")), f.rnd), f.clock);
    watcherB.watch(b);
  }

  @AfterEach
  void tearDown() throws Exception {
    watcherB.close();
    dialer.close();
    a.close();
    b.close();
    server.close();
  }

  private JsonObject channel() throws Exception {
    return f.chainA.channel(f.params.channelId()).getAsJsonObject("channel");
  }

  private String kinds() {
    return watcherB.actions().stream().map(ChannelWatcher.Action::kind).collect(Collectors.joining(","));
  }

  private void quiesce() throws InterruptedException {
    for (int i = 0; i < 1_000 && watcherB.lastEventBlock() < f.ledger.height() - 1; i++) {
      Thread.sleep(10);
    }
    watcherB.awaitIdle();
  }

  /** A pays 4 × 250, then closes on state 3; B's one dispute attempt meets a peer outage. */
  private void staleCloseWhileBsPeerIsDown() throws Exception {
    for (int i = 0; i < 4; i++) {
      a.pay(250).get(30, TimeUnit.SECONDS);
    }
    b.awaitIdle();
    assertEquals(4, b.latest().seq());
    watcherB.start(f.events("HospitalOrgMSP"), 0, new InMemoryCheckpointer());
    quiesce();
    disputeFaults.set(1);
    f.chainA.closeOn(a.params(), Side.A, seenByA.get(2));
    quiesce();
    assertTrue(kinds().contains("FAILED"), kinds());
  }

  /** Evidence: after the one failure, ticks and touches within the window do not dispute again; B loses state 4. */
  /** What an honest B needs: the dispute is tried again while the window is open. */
  @Test
  void aFailedDisputeIsRetriedBeforeTheWindowCloses() throws Exception {
    staleCloseWhileBsPeerIsDown();
    for (int i = 1; i <= 8; i++) {
      f.clock.advance(Duration.ofSeconds(WINDOW / 10));
      watcherB.settleDue();
      watcherB.touchOpen();
      quiesce();
    }
    assertEquals(4, channel().getAsJsonObject("closing").get("seq").getAsLong(), kinds());
  }
}
