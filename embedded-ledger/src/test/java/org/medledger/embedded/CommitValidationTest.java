package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.Test;

/** Ordering and validation: MVCC, phantom reads, duplicates and failed endorsements. */
class CommitValidationTest extends CounterLedgerTestBase {
  CommitValidationTest() {
    super("mvcc");
  }

  private Endorsement endorse(String function, String... args) {
    Endorsement e = ledger.endorse(alice, now(), function, args);
    assertTrue(e.succeeded(), e::toString);
    return e;
  }

  private void submit(String function, String... args) {
    assertTrue(ledger.submit(alice, now(), function, args).isValid());
  }

  private String get(String key) {
    return new String(ledger.evaluate(alice, "get", key), UTF_8);
  }

  private static List<TxStatus> statuses(List<TxResult> results) {
    return results.stream().map(TxResult::status).toList();
  }

  @Test
  void twoIncrementsOfOneSnapshotInOneBlock() {
    submit("put", "counter", "0");
    Endorsement first = endorse("incr", "counter");
    Endorsement second = endorse("incr", "counter");
    List<TxResult> results = ledger.commitBlock(List.of(first, second));
    assertEquals(List.of(TxStatus.VALID, TxStatus.MVCC_READ_CONFLICT), statuses(results));
    assertEquals("1", get("counter"));
    assertEquals(new Version(1, 0), ledger.stateSnapshot().get("counter").version());
    assertEquals(1, results.get(1).blockNumber());
    assertEquals(1, results.get(1).txIndex());
    assertTrue(results.get(1).message().contains("earlier transaction of the block"), results.get(1).message());
  }

  @Test
  void aReadInvalidatedByAnEarlierBlock() {
    submit("put", "counter", "5");
    Endorsement first = endorse("incr", "counter");
    Endorsement second = endorse("incr", "counter");
    assertEquals(TxStatus.VALID, ledger.commitBlock(List.of(first)).get(0).status());
    TxResult late = ledger.commitBlock(List.of(second)).get(0);
    assertEquals(TxStatus.MVCC_READ_CONFLICT, late.status());
    assertEquals("6", get("counter"));
  }

  @Test
  void readingAMissingKeyConflictsWithItsCreation() {
    Endorsement incr = endorse("incr", "fresh");
    submit("put", "fresh", "10");
    assertEquals(TxStatus.MVCC_READ_CONFLICT, ledger.commitBlock(List.of(incr)).get(0).status());
    assertEquals("10", get("fresh"));
  }

  @Test
  void writesToDistinctKeysFromOneSnapshotAllCommit() {
    submit("put", "seed", "x");
    List<Endorsement> block = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      block.add(endorse("incr", "key-" + i));
    }
    List<TxResult> results = ledger.commitBlock(block);
    assertTrue(results.stream().allMatch(TxResult::isValid), results::toString);
    assertEquals(2, ledger.height());
    for (int i = 0; i < 20; i++) {
      assertEquals("1", get("key-" + i));
      assertEquals(new Version(1, i), ledger.stateSnapshot().get("key-" + i).version());
    }
  }

  @Test
  void blindWritesToOneKeyDoNotConflict() {
    Endorsement a = endorse("put", "k", "a");
    Endorsement b = endorse("put", "k", "b");
    assertEquals(List.of(TxStatus.VALID, TxStatus.VALID), statuses(ledger.commitBlock(List.of(a, b))));
    assertEquals("b", get("k"));
    assertEquals(List.of("a", "b"), ledger.history("k").stream().map(HistoryEntry::getStringValue).toList());
  }

  @Test
  void aKeyInsertedIntoAReadRangeIsAPhantom() {
    submit("put", "a", "1");
    submit("put", "c", "3");
    Endorsement sum = endorse("sum", "a", "m", "total");
    submit("put", "b", "2");
    TxResult r = ledger.commitBlock(List.of(sum)).get(0);
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, r.status());
    assertEquals("", get("total"));
  }

  @Test
  void aPhantomFromAnEarlierTransactionOfTheSameBlock() {
    submit("put", "a", "1");
    Endorsement insert = endorse("put", "b", "2");
    Endorsement sum = endorse("sum", "a", "m", "total");
    assertEquals(List.of(TxStatus.VALID, TxStatus.PHANTOM_READ_CONFLICT), statuses(ledger.commitBlock(List.of(insert, sum))));
  }

  @Test
  void updatesAndDeletesInAReadRangeArePhantomsToo() {
    submit("put", "a", "1");
    submit("put", "b", "2");
    Endorsement beforeUpdate = endorse("sum", "a", "m", "total");
    Endorsement beforeDelete = endorse("sum", "a", "m", "total");
    submit("put", "b", "20");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, ledger.commitBlock(List.of(beforeUpdate)).get(0).status());
    Endorsement afterUpdate = endorse("sum", "a", "m", "total");
    submit("del", "a");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, ledger.commitBlock(List.of(afterUpdate)).get(0).status());
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, ledger.commitBlock(List.of(beforeDelete)).get(0).status());
  }

  @Test
  void writesOutsideAReadRangeAreNoPhantom() {
    submit("put", "a", "1");
    Endorsement sum = endorse("sum", "a", "m", "total");
    submit("put", "m", "99"); // the end key is exclusive
    submit("put", "0", "99");
    TxResult r = ledger.commitBlock(List.of(sum)).get(0);
    assertEquals(TxStatus.VALID, r.status());
    assertEquals("1", get("total"));
  }

  @Test
  void aTransactionIdCommitsOnce() {
    Endorsement e = endorse("put", "k", "v");
    assertEquals(List.of(TxStatus.VALID, TxStatus.DUPLICATE_TXID), statuses(ledger.commitBlock(List.of(e, e))));
    assertEquals(TxStatus.DUPLICATE_TXID, ledger.commitBlock(List.of(e)).get(0).status());
    assertEquals(1, ledger.history("k").size());
  }

  @Test
  void aFailedEndorsementWritesNothing() {
    Endorsement failed = ledger.endorse(alice, now(), "fail", "INSUFFICIENT_FUNDS", "balance too low");
    assertFalse(failed.succeeded());
    assertEquals("INSUFFICIENT_FUNDS", failed.errorCode());
    assertEquals("balance too low", failed.errorMessage());
    assertTrue(failed.writtenKeys().isEmpty(), "the simulation's writes are discarded");

    TxResult submitted = ledger.submit(alice, now(), "fail", "INSUFFICIENT_FUNDS", "balance too low");
    assertEquals(TxStatus.ENDORSEMENT_FAILURE, submitted.status());
    assertEquals(-1, submitted.blockNumber(), "a refused proposal is not ordered");
    assertEquals("INSUFFICIENT_FUNDS", submitted.payloadText());
    assertEquals("balance too low", submitted.message());
    assertEquals(0, ledger.height());

    Endorsement ok = endorse("put", "k", "v");
    assertEquals(List.of(TxStatus.ENDORSEMENT_FAILURE, TxStatus.VALID), statuses(ledger.commitBlock(List.of(failed, ok))));
    assertEquals(Set.of("k"), ledger.stateSnapshot().keySet());
    assertEquals("", get("written-before-failure"));
  }

  @Test
  void evaluateCommitsNothingAndReportsRefusals() {
    assertArrayEquals("v".getBytes(UTF_8), ledger.evaluate(alice, now(), "put", "k", "v"));
    assertEquals(0, ledger.height());
    assertEquals("", get("k"));
    ChaincodeException refused = assertThrows(ChaincodeException.class, () -> ledger.evaluate(alice, "fail", "CODE", "no"));
    assertEquals("no", refused.getMessage());
    assertArrayEquals("CODE".getBytes(UTF_8), refused.getPayload());
  }

  @Test
  void aContractBugPropagatesAndLeavesTheLedgerUsable() {
    assertThrows(IllegalStateException.class, () -> ledger.endorse(alice, now(), "bug"));
    submit("put", "k", "v");
    assertEquals("v", get("k"));
  }

  @Test
  void misuseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ledger.commitBlock(List.of()));
    try (EmbeddedLedger other = EmbeddedLedger.inMemory("mvcc", new CounterContract())) {
      Endorsement foreign = other.endorse(other.identity("Org1MSP", "alice"), now(), "put", "k", "v");
      assertThrows(IllegalArgumentException.class, () -> ledger.commitBlock(List.of(foreign)));
    }
    Endorsement pending = endorse("put", "x", "y");
    contract.probe = stub -> ledger.commitBlock(List.of(pending));
    assertThrows(IllegalStateException.class, () -> ledger.endorse(alice, now(), "probe"), "commit from a contract");
    contract.probe = stub -> ledger.endorse(alice, now(), "get", "x");
    assertThrows(IllegalStateException.class, () -> ledger.endorse(alice, now(), "probe"), "nested simulation");
    assertEquals(0, ledger.height());
  }

  @Test
  void theSameCallsGiveTheSameTransactionIds() {
    List<String> first = run(EmbeddedLedger.inMemory("replay", new CounterContract()));
    List<String> second = run(EmbeddedLedger.inMemory("replay", new CounterContract()));
    assertEquals(first, second);
    assertEquals(first.size(), new HashSet<>(first).size(), "distinct ids, even for identical proposals");
    assertNotEquals(first, run(EmbeddedLedger.inMemory("other-channel", new CounterContract())));
  }

  private static List<String> run(EmbeddedLedger l) {
    try (l) {
      Identity who = l.identity("Org1MSP", "alice");
      List<String> ids = new ArrayList<>();
      ids.add(l.submit(who, T0, "incr", "c").txId());
      ids.add(l.submit(who, T0, "incr", "c").txId());
      ids.add(l.endorse(who, T0, "incr", "c").txId());
      return ids;
    }
  }
}
