package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.embedded.LedgerEvent;

/**
 * Event subscriptions on a persisted embedded ledger with a file checkpoint: stopped in the middle
 * of a block, the process restarted (ledger and checkpoint reopened from disk), resumed, every
 * event is delivered once, in commit order.
 */
class EmbeddedEventsTest {
  /** Writes its key and emits an event naming it: each transaction has one event. */
  private static final EmbeddedLedger.Dispatcher PUT = (ctx, function, args) -> {
    ctx.getStub().putState(args.get(0), args.get(0).getBytes(StandardCharsets.UTF_8));
    ctx.getStub().setEvent("medledger.Test", ("{\"key\":\"" + args.get(0) + "\"}").getBytes(StandardCharsets.UTF_8));
    return new byte[0];
  };
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
  private int keys;

  @TempDir
  Path dir;

  private EmbeddedLedger open() throws Exception {
    return EmbeddedLedger.open(dir.resolve("ledger"), "medchannel", PUT);
  }

  /** Commits one block with {@code n} transactions. */
  private void block(EmbeddedLedger ledger, int n) {
    Identity who = ledger.identity("HospitalOrgMSP", "client");
    List<Endorsement> txs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      txs.add(ledger.endorse(who, Instant.parse("2026-03-01T10:00:00Z").plusSeconds(keys), "put", "k" + keys++));
    }
    ledger.commitBlock(txs);
  }

  private EmbeddedConnection connection(EmbeddedLedger ledger) {
    return new EmbeddedConnection(ledger, ledger.identity("HospitalOrgMSP", "client"), "medledger", clock);
  }

  private static List<String> txIds(List<LedgerEvent> events) {
    return events.stream().map(LedgerEvent::txId).toList();
  }

  @Test
  void aResumedSubscriptionDeliversEveryEventExactlyOnceAcrossARestart() throws Exception {
    Path cp = dir.resolve("events.checkpoint");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (EmbeddedLedger ledger = open()) {
      block(ledger, 1);
      block(ledger, 1);
      block(ledger, 3); // block 2: the run stops after its second event
      block(ledger, 1);
      String stopAt = ledger.events(2).get(1).txId();
      AtomicReference<EventSubscription> sub = new AtomicReference<>();
      CountDownLatch stopped = new CountDownLatch(1);
      try (FileCheckpointer checkpointer = new FileCheckpointer(cp)) {
        sub.set(connection(ledger).subscribe(0, checkpointer, e -> {
          seen.add(e.txId());
          if (e.txId().equals(stopAt)) {
            while (sub.get() == null) {
              Thread.onSpinWait();
            }
            sub.get().close(); // stop mid-stream, from the listener itself
            stopped.countDown();
          }
        }));
        assertTrue(stopped.await(10, TimeUnit.SECONDS));
        sub.get().close();
        assertEquals(txIds(ledger.events(0)).subList(0, 4), seen, "stopped after the second event of block 2");
        assertEquals(2L, checkpointer.getBlockNumber().getAsLong());
        assertEquals(stopAt, checkpointer.getTransactionId().orElseThrow());
      }
      block(ledger, 2); // committed while no one listens
    }

    // "Restart": ledger and checkpoint reopened from disk.
    try (EmbeddedLedger ledger = open(); FileCheckpointer checkpointer = new FileCheckpointer(cp)) {
      List<String> all = new ArrayList<>(txIds(ledger.events(0)));
      int total = all.size() + 2; // with the block committed below
      CountDownLatch done = new CountDownLatch(1);
      EventSubscription s = connection(ledger).subscribe(0, checkpointer, e -> {
        seen.add(e.txId());
        if (seen.size() == total) {
          done.countDown();
        }
      });
      block(ledger, 2); // live events after the resumed replay
      all.addAll(txIds(ledger.events(ledger.height() - 1)));
      assertTrue(done.await(10, TimeUnit.SECONDS), "seen " + seen);
      s.close();
      assertEquals(all, seen);
      assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicates");
    }
  }

  @Test
  void anEventWhoseListenerFailedIsDeliveredAgainOnResume() throws Exception {
    try (EmbeddedLedger ledger = open()) {
      for (int i = 0; i < 4; i++) {
        block(ledger, 1);
      }
      List<String> all = txIds(ledger.events(0));
      InMemoryCheckpointer checkpointer = new InMemoryCheckpointer();
      List<String> handled = Collections.synchronizedList(new ArrayList<>());
      EventSubscription failing = connection(ledger).subscribe(0, checkpointer, e -> {
        if (e.txId().equals(all.get(2))) {
          throw new IllegalStateException("database down");
        }
        handled.add(e.txId());
      });
      for (int i = 0; i < 400 && failing.isActive(); i++) {
        Thread.sleep(25);
      }
      assertFalse(failing.isActive());
      assertEquals("database down", failing.failure().orElseThrow().getMessage());
      assertEquals(all.get(1), checkpointer.getTransactionId().orElseThrow(), "the failed event is not checkpointed");

      CountDownLatch done = new CountDownLatch(2);
      EventSubscription again = connection(ledger).subscribe(0, checkpointer, e -> {
        handled.add(e.txId());
        done.countDown();
      });
      assertTrue(done.await(10, TimeUnit.SECONDS));
      again.close();
      assertEquals(all, handled);
    }
  }

  @Test
  void aFreshCheckpointStartsAtTheGivenBlockAndListenersMaySubmit() throws Exception {
    try (EmbeddedLedger ledger = open()) {
      for (int i = 0; i < 3; i++) {
        block(ledger, 1);
      }
      EmbeddedConnection c = connection(ledger);
      List<MedLedgerEvent> seen = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(3);
      EventSubscription s = c.subscribe(2, new InMemoryCheckpointer(), e -> {
        seen.add(e);
        if (seen.size() == 1) {
          c.submit("put", "from-listener"); // the listener does not run on the committing thread
        }
        done.countDown();
      });
      block(ledger, 1);
      assertTrue(done.await(10, TimeUnit.SECONDS));
      s.close();
      assertEquals(2, seen.get(0).blockNumber());
      assertEquals("medledger.Test", seen.get(0).name());
      assertEquals("{\"key\":\"k2\"}", seen.get(0).payloadText());
      // The listener's own transaction and the test's block commit in either order.
      assertEquals(java.util.Set.of("{\"key\":\"k2\"}", "{\"key\":\"from-listener\"}", "{\"key\":\"k3\"}"),
          new HashSet<>(seen.stream().map(MedLedgerEvent::payloadText).toList()));
    }
  }
}
