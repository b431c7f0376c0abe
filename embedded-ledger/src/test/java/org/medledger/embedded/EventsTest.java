package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chaincode events: only valid transactions', in commit order, replayable from a block. */
class EventsTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("events", new CounterContract());
  private final Identity alice = ledger.identity("Org1MSP", "alice");
  private int clock;

  @AfterEach
  void close() {
    ledger.close();
  }

  private Instant now() {
    return T0.plusSeconds(clock++);
  }

  private static String describe(LedgerEvent e) {
    return e.blockNumber() + ":" + e.txIndex() + ":" + e.name() + ":" + new String(e.payload(), UTF_8);
  }

  @Test
  void onlyValidTransactionsEmitTheirEventsInOrder() {
    List<LedgerEvent> seen = new ArrayList<>();
    ledger.addListener(seen::add);
    TxResult first = ledger.submit(alice, now(), "emit", "opened", "p0");
    Endorsement a = ledger.endorse(alice, now(), "incrAndEmit", "c", "incremented");
    Endorsement b = ledger.endorse(alice, now(), "incrAndEmit", "c", "incremented");
    Endorsement c = ledger.endorse(alice, now(), "emit", "other", "p2");
    List<TxResult> block = ledger.commitBlock(List.of(a, b, c));
    assertEquals(TxStatus.MVCC_READ_CONFLICT, block.get(1).status());
    ledger.submit(alice, now(), "fail", "E", "refused");

    assertEquals(List.of("0:0:opened:p0", "1:0:incremented:", "1:2:other:p2"), seen.stream().map(EventsTest::describe).toList());
    assertEquals(first.txId(), seen.get(0).txId());
    assertEquals(a.txId(), seen.get(1).txId());
    assertEquals(c.txId(), seen.get(2).txId());
    assertEquals(seen, ledger.events(0));
  }

  @Test
  void aListenerCanResumeFromABlock() {
    for (int i = 0; i < 4; i++) {
      ledger.submit(alice, now(), "emit", "e" + i, "p" + i);
    }
    List<String> seen = new ArrayList<>();
    EmbeddedLedger.Subscription sub = ledger.addListener(2, e -> seen.add(describe(e)));
    assertEquals(List.of("2:0:e2:p2", "3:0:e3:p3"), seen, "history first, synchronously");
    ledger.submit(alice, now(), "emit", "e4", "p4");
    assertEquals(List.of("2:0:e2:p2", "3:0:e3:p3", "4:0:e4:p4"), seen);
    sub.close();
    ledger.submit(alice, now(), "emit", "e5", "p5");
    assertEquals(3, seen.size(), "nothing after close");
    assertEquals(List.of("5:0:e5:p5"), ledger.events(5).stream().map(EventsTest::describe).toList());
    assertEquals(List.of(), ledger.events(6));
  }

  @Test
  void aListenerStartingInTheFutureWaitsForItsBlock() {
    List<String> seen = new ArrayList<>();
    ledger.addListener(2, e -> seen.add(describe(e)));
    ledger.submit(alice, now(), "emit", "e0", "");
    ledger.submit(alice, now(), "emit", "e1", "");
    ledger.submit(alice, now(), "emit", "e2", "");
    assertEquals(List.of("2:0:e2:"), seen);
  }

  @Test
  void aFailingListenerIsDroppedAndTheBlockStaysCommitted() {
    List<String> others = new ArrayList<>();
    ledger.addListener(e -> {
      throw new IllegalArgumentException("listener bug");
    });
    ledger.addListener(e -> others.add(e.name()));
    IllegalStateException failure = assertThrows(IllegalStateException.class,
        () -> ledger.submit(alice, now(), "emit", "e0", "v0", "k"));
    assertTrue(failure.getMessage().contains("block 0 is committed"), failure.getMessage());
    assertEquals(1, ledger.height());
    assertEquals("v0", new String(ledger.evaluate(alice, "get", "k"), UTF_8));
    assertEquals(List.of("e0"), others);
    ledger.submit(alice, now(), "emit", "e1", "");
    assertEquals(List.of("e0", "e1"), others, "the failing listener is gone, the others go on");
  }
}
