package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;

/**
 * The close race of issue 11 under load (docs/payment-channels.md §3.5): both parties stream
 * payments (one state per payment, so states follow each other closely) and a close lands in the
 * middle — by B, by an honest A, or by a malicious A that closes on the state before its latest and
 * keeps proposing. Whatever the interleaving, the state B submits (its close, or its watcher's
 * dispute) is the last one B signs, so A never holds a later one. Off chain many short trials check
 * that invariant; on chain one trial per strategy checks the settlement: honest B is never
 * penalised, and the money the two accounts hold is conserved.
 */
class ChannelCloseLoadTest {
  private static final int DEPTH = 4;
  private static final int TRIALS_PER_STRATEGY = 8;
  private static final long MILLIS_PER_STRATEGY = 3_000;

  private enum Strategy { B_CLOSES, A_CLOSES, MALICIOUS_A }

  @TempDir
  Path dir;
  private final SecureRandom rnd = new SecureRandom();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Pays from one party, pipelined, until stopped or {@code max} payments; refusals are expected. */
  private static final class Streamer implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Streamer(ChannelParty p, int max, long seed) {
      thread = new Thread(() -> {
        Random r = new Random(seed);
        for (int i = 0; i < max && !stop.get(); i++) {
          CompletableFuture<SignedState> f = p.pay(1 + r.nextInt(20));
          if (i % 8 == 7) {
            try {
              f.get(200, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
              // refused, closing or slow: keep streaming until stopped
            }
          }
        }
      }, "streamer-" + p.side());
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      stop.set(true);
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Two connected parties of one channel; A's adopted states are recorded. */
  private final class Pair {
    final ChannelParty a;
    final ChannelParty b;
    final List<SignedState> seenByA = new CopyOnWriteArrayList<>();

    Pair(ChannelParams params, AccountSecrets secretsA, AccountSecrets secretsB, ChannelServer server) throws Exception {
      Path d = Files.createDirectories(dir.resolve(params.channelId()));
      ChannelParty.Options oneEach = new ChannelParty.Options(1, 64L << 20);
      a = ChannelParty.create(params, secretsA, d.resolve("a.log"), oneEach, rnd);
      open.add(a);
      b = ChannelParty.create(params, secretsB, d.resolve("b.log"), oneEach, rnd);
      open.add(b);
      a.addListener(seenByA::add);
      server.register(b);
      open.add(ChannelDialer.start(a, server.address(), rnd));
    }

    /** Starts both streams and waits until B holds state {@code target}. */
    List<Streamer> streamUntil(long target) throws InterruptedException {
      List<Streamer> s = List.of(new Streamer(a, 3_000, rnd.nextLong()), new Streamer(b, 3_000, rnd.nextLong()));
      s.forEach(open::add);
      await(() -> b.latest().seq() >= target, "B reached state " + target);
      return s;
    }

    /** Lets messages already sent arrive and both engines handle them. */
    void drain() throws InterruptedException {
      for (int i = 0; i < 3; i++) {
        Thread.sleep(20);
        a.awaitIdle();
        b.awaitIdle();
      }
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    for (int i = 0; i < 3_000; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(5);
    }
    fail("timed out waiting until " + what);
  }

  private static void stop(List<Streamer> streams) {
    for (Streamer s : streams) {
      s.close();
    }
  }

  private void pause() throws InterruptedException {
    Thread.sleep(rnd.nextInt(6));
  }

  @Test
  void offChainTheStateBSubmitsIsTheLastItSignsWhoeverClosesMidStream() throws Exception {
    AccountSecrets secretsA = TestChannels.secrets(Role.INSURER, TestChannels.seed());
    AccountSecrets secretsB = TestChannels.secrets(Role.HOSPITAL, TestChannels.seed());
    ChannelServer server = ChannelServer.start(0, rnd);
    open.add(server);
    for (Strategy strategy : Strategy.values()) {
      long deadline = System.nanoTime() + MILLIS_PER_STRATEGY * 1_000_000;
      int trials = 0;
      while (trials < TRIALS_PER_STRATEGY && (trials < 2 || System.nanoTime() < deadline)) {
        trials++;
        Pair p = new Pair(TestChannels.params(secretsA, secretsB, 1_000_000, 50_000, DEPTH), secretsA, secretsB, server);
        List<Streamer> streams = p.streamUntil(5 + rnd.nextInt(30));
        SignedState snapB;
        String trial = strategy + " trial " + trials;
        switch (strategy) {
          case B_CLOSES -> {
            snapB = p.b.stopAndSnapshot(); // B's close
            pause();
            p.a.stopUpdates(); // A's watcher sees the close
          }
          case A_CLOSES -> {
            SignedState snapA = p.a.stopAndSnapshot(); // A's close
            pause();
            snapB = p.b.stopAndSnapshot(); // B's watcher: dispute if later
            assertTrue(snapB.seq() - snapA.seq() <= DEPTH, trial + ": A's close is within depth of B's state");
          }
          default -> {
            await(() -> p.seenByA.size() >= 2, "A saw two states"); // B may be ahead of A's acceptances
            SignedState closed = p.seenByA.get(p.seenByA.size() - 2); // before the latest; A keeps streaming
            pause();
            snapB = p.b.stopAndSnapshot(); // B's watcher disputes
            assertTrue(snapB.seq() > closed.seq(), trial);
          }
        }
        stop(streams);
        p.drain();
        assertEquals(snapB, p.b.latest(), trial + ": B adopted nothing after its snapshot");
        assertTrue(p.a.latest().seq() <= snapB.seq(),
            trial + ": A holds state " + p.a.latest().seq() + ", later than B's submitted " + snapB.seq());
      }
    }
  }

  @Test
  void onChainHonestBIsNeverPenalisedAndSettlementsConserveMoney() throws Exception {
    long window = 3_600;
    long depA = 20_000;
    long depB = 800;
    LedgerFixture f = new LedgerFixture(depA, depB, window, DEPTH);
    ChannelServer server = ChannelServer.start(0, rnd);
    open.add(server);
    ChannelWatcher watcherA = new ChannelWatcher(f.chainA, f.clock);
    ChannelWatcher watcherB = new ChannelWatcher(f.chainB, f.clock);
    open.add(watcherA);
    open.add(watcherB);
    List<Pair> pairs = new ArrayList<>();
    for (Strategy s : Strategy.values()) {
      ChannelParams params = s == Strategy.B_CLOSES ? f.params : f.openChannel(depA, depB, window, DEPTH);
      Pair p = new Pair(params, f.insurerSecrets, f.hospitalSecrets, server);
      watcherA.watch(p.a);
      watcherB.watch(p.b);
      pairs.add(p);
    }
    watcherA.start(f.events("InsurerOrgMSP"), 0, new InMemoryCheckpointer());
    watcherB.start(f.events("HospitalOrgMSP"), 0, new InMemoryCheckpointer());
    List<ChannelWatcher> watchers = List.of(watcherA, watcherB);
    for (Strategy s : Strategy.values()) {
      Pair p = pairs.get(s.ordinal());
      List<Streamer> streams = p.streamUntil(10 + rnd.nextInt(20));
      switch (s) {
        case B_CLOSES -> f.chainB.close(p.b);
        case A_CLOSES -> f.chainA.close(p.a);
        default -> {
          await(() -> p.seenByA.size() >= 2, "A saw two states"); // B may be ahead of A's acceptances
          f.chainA.closeOn(p.a.params(), Side.A, p.seenByA.get(p.seenByA.size() - 2)); // A streams on
        }
      }
      Thread.sleep(100); // the watchers react while the streams go on
      stop(streams);
      p.drain();
      quiesce(f, watchers);
    }
    long toB = 0;
    for (Strategy s : Strategy.values()) {
      Pair p = pairs.get(s.ordinal());
      JsonObject ch = f.chainA.channel(p.a.params().channelId()).getAsJsonObject("channel");
      String trial = s + ": " + ch + ", watcher A " + watcherA.actions() + ", watcher B " + watcherB.actions();
      assertTrue(p.a.latest().seq() <= p.b.latest().seq(), trial);
      if ("CLOSED".equals(ch.get("status").getAsString())) {
        // Only a stale close by A, more than D behind B's state, is penalised: B takes both deposits.
        assertEquals(Strategy.MALICIOUS_A, s, trial);
        assertEquals("CHANNEL_PENALTY", ch.getAsJsonObject("settlement").get("kind").getAsString(), trial);
        assertEquals("PENALTY/STALE_CLOSE", ch.getAsJsonObject("settlement").get("how").getAsString(), trial);
        toB += depA;
        continue;
      }
      assertEquals("CLOSING", ch.get("status").getAsString(), trial);
      assertEquals(p.b.latest().seq(), ch.getAsJsonObject("closing").get("seq").getAsLong(),
          trial + ": the chain closes on B's last state");
      toB += p.b.latest().state().balanceB() - depB;
    }
    f.clock.advance(Duration.ofSeconds(window + 1));
    watcherB.settleDue();
    quiesce(f, watchers);
    for (Pair p : pairs) {
      JsonObject ch = f.chainA.channel(p.a.params().channelId()).getAsJsonObject("channel");
      assertEquals("CLOSED", ch.get("status").getAsString(), ch.toString());
      String kind = ch.getAsJsonObject("settlement").get("kind").getAsString();
      assertTrue(List.of("CHANNEL_SETTLE", "CHANNEL_REFUND", "CHANNEL_PENALTY").contains(kind), ch.toString());
    }
    f.insurer.foldAll();
    f.hospital.foldAll();
    assertEquals(3_000 + toB, f.hospital.balance(), "each channel paid B what B's last state (or a penalty) says");
    assertEquals(100_000, f.insurer.balance() + f.hospital.balance(), "money is conserved");
  }

  private static void quiesce(LedgerFixture f, List<ChannelWatcher> watchers) throws InterruptedException {
    long height = -1;
    for (int round = 0; round < 50 && height != f.ledger.height(); round++) {
      height = f.ledger.height();
      for (ChannelWatcher w : watchers) {
        for (int i = 0; i < 1_000 && w.lastEventBlock() < height - 1; i++) {
          Thread.sleep(10);
        }
        w.awaitIdle();
      }
    }
  }
}
