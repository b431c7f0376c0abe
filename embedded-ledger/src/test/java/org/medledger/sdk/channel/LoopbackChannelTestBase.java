package org.medledger.sdk.channel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of one channel on the embedded ledger between two live parties share: a
 * {@link LedgerFixture} channel (A the insurer with {@link #DEPOSIT_A}, B a hospital with
 * {@link #DEPOSIT_B}), A dialling B's server over loopback, and a watcher of each party's own that
 * watches it but reads the ledger's events only once the test starts it ({@link #start}).
 */
abstract class LoopbackChannelTestBase {
  static final long WINDOW = 3_600;
  static final long DEPOSIT_A = 20_000;
  static final long DEPOSIT_B = 1_000;

  @TempDir
  Path dir;
  LedgerFixture f;
  ChannelParty a;
  ChannelParty b;
  ChannelServer server;
  ChannelDialer dialer;
  ChannelWatcher watcherA;
  ChannelWatcher watcherB;
  /** The watchers started, in order. */
  private final List<ChannelWatcher> running = new ArrayList<>();

  @BeforeEach
  void connect() throws Exception {
    f = new LedgerFixture(DEPOSIT_A, DEPOSIT_B, WINDOW, 4);
    a = ChannelParty.create(f.params, f.insurerSecrets, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, f.rnd);
    b = ChannelParty.create(f.params, f.hospitalSecrets, dir.resolve("b.log"), ChannelParty.Options.DEFAULT, f.rnd);
    listen();
    server = ChannelServer.start(0, f.rnd);
    server.register(b);
    dialer = ChannelDialer.start(a, server.address(), f.rnd);
    watcherA = new ChannelWatcher(f.chainA, f.clock);
    watcherB = new ChannelWatcher(f.chainB, f.clock);
    watcherA.watch(a);
    watcherB.watch(b);
  }

  /** Adds the test's listeners to {@link #a} and {@link #b}, before they connect; none by default. */
  void listen() {
  }

  @AfterEach
  void disconnect() throws Exception {
    watcherA.close();
    watcherB.close();
    dialer.close();
    a.close();
    b.close();
    server.close();
  }

  /** Starts watcher {@code w} on the events of organisation {@code msp}'s gateway, from the first block. */
  void start(ChannelWatcher w, String msp) throws Exception {
    w.start(f.events(msp), 0, new InMemoryCheckpointer());
    running.add(w);
  }

  /**
   * Lets the running watchers react until neither has anything left to do: each has acted on the
   * events of every block, and no new block came meanwhile.
   */
  void quiesce() throws InterruptedException {
    long height = -1;
    for (int round = 0; round < 50 && height != f.ledger.height(); round++) {
      height = f.ledger.height();
      for (ChannelWatcher w : running) {
        for (int i = 0; i < 1_000 && w.lastEventBlock() < height - 1; i++) {
          Thread.sleep(10);
        }
        w.awaitIdle();
      }
    }
  }

  /** The kinds of watcher {@code w}'s actions so far, comma-separated. */
  static String kinds(ChannelWatcher w) {
    return w.actions().stream().map(ChannelWatcher.Action::kind).collect(Collectors.joining(","));
  }
}
