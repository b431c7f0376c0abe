package org.medledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.junit.jupiter.api.Test;

/**
 * The range read an unpaginated query records is what a Fabric v3.1 peer's iterator advanced over
 * (batches of 100 to the Java shim, one result read ahead), not the whole range: a write beyond
 * it does not invalidate the transaction, a write inside it does, and an exhausted query covers
 * the whole range.
 */
class RangeReadExtentTest extends CounterLedgerTestBase {
  RangeReadExtentTest() {
    super("ranges");
  }

  private static String key(String prefix, int i) {
    return prefix + String.format("%04d", i);
  }

  /** Commits keys prefix0000 .. prefix(n-1) in one transaction. */
  private void fill(String prefix, int n) {
    commit(stub -> {
      for (int i = 0; i < n; i++) {
        stub.putStringState(key(prefix, i), "1");
      }
    });
  }

  private void commit(Consumer<ChaincodeStub> body) {
    contract.probe = body;
    assertTrue(ledger.submit(alice, now(), "probe").isValid());
  }

  private void put(String key, String value) {
    commit(stub -> stub.putStringState(key, value));
  }

  private void delete(String key) {
    commit(stub -> stub.delState(key));
  }

  /** Endorses a transaction that consumes {@code n} keys of [start, end) and then writes "out". */
  private Endorsement consume(String start, String end, int n) {
    contract.probe = stub -> {
      try (QueryResultsIterator<KeyValue> it = stub.getStateByRange(start, end)) {
        take(it.iterator(), n);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      stub.putStringState("out", "x");
    };
    Endorsement e = ledger.endorse(alice, now(), "probe");
    assertTrue(e.succeeded(), e::toString);
    return e;
  }

  private static List<String> take(Iterator<KeyValue> it, int n) {
    List<String> out = new ArrayList<>();
    while (out.size() < n && it.hasNext()) {
      out.add(it.next().getKey());
    }
    return out;
  }

  private static RangeRead only(Endorsement e) {
    assertEquals(1, e.rangeReads.size());
    return e.rangeReads.get(0);
  }

  private static void assertFetched(Endorsement e, String start, int fetched, String prefix) {
    RangeRead r = only(e);
    assertEquals(start, r.start());
    assertEquals(key(prefix, fetched - 1), r.end(), "the last key the peer fetched");
    assertTrue(r.endInclusive());
    assertEquals(fetched, r.results().size());
    assertEquals(key(prefix, 0), r.results().get(0).key());
    assertEquals(key(prefix, fetched - 1), r.results().get(fetched - 1).key());
  }

  private static void assertExhausted(Endorsement e, String start, String end, int n) {
    RangeRead r = only(e);
    assertEquals(new RangeRead(start, end, false, r.results()), r);
    assertEquals(n, r.results().size());
  }

  private TxStatus commitAlone(Endorsement e) {
    return ledger.commitBlock(List.of(e)).get(0).status();
  }

  @Test
  void theRecordedRangeIsWhatThePeerFetched() {
    fill("k", 1000);
    // The first response (100 keys, the 101st read ahead) is fetched when the query is made.
    assertFetched(consume("k", "l", 0), "k", 101, "k");
    assertFetched(consume("k", "l", 1), "k", 101, "k");
    assertFetched(consume("k", "l", 100), "k", 101, "k");
    // Moving past a batch fetches the next one: 100 more keys.
    assertFetched(consume("k", "l", 101), "k", 201, "k");
    assertFetched(consume("k", "l", 150), "k", 201, "k");
    assertFetched(consume("k", "l", 200), "k", 201, "k");
    assertFetched(consume("k", "l", 201), "k", 301, "k");
    assertFetched(consume("k", "l", 900), "k", 901, "k");
    // The tenth response reads keys 902..1000 and then finds the end: exhausted.
    assertExhausted(consume("k", "l", 901), "k", "l", 1000);
    assertExhausted(consume("k", "l", 1000), "k", "l", 1000);
  }

  @Test
  void aWriteInsideTheFetchedPartIsAPhantom() {
    fill("k", 1000);
    Endorsement insert = consume("k", "l", 1);
    Endorsement updateLast = consume("k", "l", 1);
    Endorsement inSecondBatch = consume("k", "l", 150);
    Endorsement lastOfSecond = consume("k", "l", 150);
    put("k0050x", "1");
    put("k0100", "2");
    put("k0199x", "1");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(insert));
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(updateLast), "the last fetched key is included");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(inSecondBatch));
    delete("k0200");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(lastOfSecond));
  }

  @Test
  void aWriteBeyondTheFetchedPartIsNoPhantom() {
    fill("k", 1000);
    Endorsement one = consume("k", "l", 1);
    put("k0100x", "1"); // right after the 101st key
    put("k0500", "2");
    assertEquals(TxStatus.VALID, commitAlone(one));
    Endorsement some = consume("k", "l", 150);
    put("k0200x", "1"); // right after the 201st key
    delete("k0900");
    assertEquals(TxStatus.VALID, commitAlone(some));
  }

  @Test
  void anExhaustedQueryCoversTheWholeRange() {
    fill("k", 1000);
    Endorsement all = consume("k", "l", 1000);
    put("k0999x", "1");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(all));
    Endorsement again = consume("k", "l", Integer.MAX_VALUE);
    put("l", "1"); // the end key is exclusive
    assertEquals(TxStatus.VALID, commitAlone(again));
  }

  @Test
  void aRangeOfAtMostOneBatchIsExhaustedByItsFirstResponse() {
    fill("a", 100);
    Endorsement one = consume("a", "b", 1);
    assertExhausted(one, "a", "b", 100);
    put("a0099x", "1");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(one));

    fill("c", 101); // one key more: the first response reads it ahead and does not reach the end
    Endorsement early = consume("c", "d", 1);
    Endorsement late = consume("c", "d", 1);
    assertFetched(early, "c", 101, "c");
    put("c0100x", "1");
    assertEquals(TxStatus.VALID, commitAlone(early));
    put("c0100", "2");
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(late));
  }

  @Test
  void partialCompositeKeyQueriesAreFetchedTheSameWay() {
    commit(stub -> {
      for (int i = 0; i < 300; i++) {
        stub.putStringState(composite(stub, i), "1");
      }
    });
    List<String> seen = new ArrayList<>();
    contract.probe = stub -> {
      try (QueryResultsIterator<KeyValue> it = stub.getStateByPartialCompositeKey("t", "x")) {
        seen.addAll(take(it.iterator(), 1));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      stub.putStringState("out", "x");
    };
    Endorsement inside = ledger.endorse(alice, now(), "probe");
    Endorsement beyond = ledger.endorse(alice, now(), "probe");
    assertEquals(2, seen.size());
    RangeRead r = only(inside);
    assertTrue(r.endInclusive());
    assertEquals(101, r.results().size());
    commit(stub -> stub.putStringState(composite(stub, 250, "x"), "1"));
    assertEquals(TxStatus.VALID, commitAlone(beyond));
    commit(stub -> stub.putStringState(composite(stub, 50, "x"), "1"));
    assertEquals(TxStatus.PHANTOM_READ_CONFLICT, commitAlone(inside));
  }

  /** The composite key t/x/NNNN[/more...]: in the order of i. */
  private static String composite(ChaincodeStub stub, int i, String... more) {
    List<String> attrs = new ArrayList<>(List.of("x", String.format("%04d", i)));
    attrs.addAll(List.of(more));
    return stub.createCompositeKey("t", attrs.toArray(String[]::new)).toString();
  }

  @Test
  void theIteratorBehavesAsTheJavaShims() {
    fill("k", 300);
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    List<Boolean> afterClose = new ArrayList<>();
    contract.probe = stub -> {
      QueryResultsIterator<KeyValue> it = stub.getStateByRange("k", "l");
      Iterator<KeyValue> a = it.iterator();
      first.addAll(take(a, 100));
      assertTrue(a.hasNext()); // asks the peer for nothing
      second.addAll(take(it.iterator(), 1)); // every iterator shares one position
      try {
        it.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      afterClose.add(a.hasNext());
      assertThrows(NoSuchElementException.class, a::next);
    };
    Endorsement e = ledger.endorse(alice, now(), "probe");
    assertTrue(e.succeeded(), e::toString);
    assertEquals(key("k", 0), first.get(0));
    assertEquals(key("k", 99), first.get(99));
    assertEquals(List.of(key("k", 100)), second);
    assertEquals(List.of(false), afterClose);
    assertFetched(e, "k", 201, "k");
  }

  @Test
  void theTotalQueryLimitStopsTheQueryWithoutExhaustingIt() {
    int n = SimulatedStub.TOTAL_QUERY_LIMIT + 1;
    commit(stub -> {
      for (int i = 0; i < n; i++) {
        stub.putStringState(String.format("q%06d", i), "1");
      }
    });
    int[] seen = new int[1];
    contract.probe = stub -> {
      try (QueryResultsIterator<KeyValue> it = stub.getStateByRange("q", "r")) {
        for (KeyValue kv : it) {
          seen[0]++;
        }
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
      stub.putStringState("out", "x");
    };
    Endorsement all = ledger.endorse(alice, now(), "probe");
    assertEquals(SimulatedStub.TOTAL_QUERY_LIMIT, seen[0]);
    RangeRead r = only(all);
    String last = String.format("q%06d", SimulatedStub.TOTAL_QUERY_LIMIT - 1);
    assertEquals(new RangeRead("q", last, true, r.results()), r);
    assertEquals(SimulatedStub.TOTAL_QUERY_LIMIT, r.results().size());
    assertFalse(r.results().stream().anyMatch(kv -> kv.key().equals(String.format("q%06d", n - 1))));
    put(last + "x", "1"); // past the last key returned: not seen by the peer's validation
    assertEquals(TxStatus.VALID, commitAlone(all));
  }
}
