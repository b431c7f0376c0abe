package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.junit.jupiter.api.Test;

/** What a contract sees through the SimulatedStub: Fabric's read, write and query semantics. */
class SimulatedStubTest extends CounterLedgerTestBase {
  SimulatedStubTest() {
    super("stubchannel");
  }

  private TxResult submit(String function, String... args) {
    TxResult r = ledger.submit(alice, now(), function, args);
    assertTrue(r.isValid(), r::toString);
    return r;
  }

  private String evaluate(String function, String... args) {
    return new String(ledger.evaluate(alice, now(), function, args), UTF_8);
  }

  /** Runs {@code probe} inside a simulation and returns the endorsement. */
  private Endorsement probe(Consumer<ChaincodeStub> probe) {
    contract.probe = probe;
    return ledger.endorse(alice, now(), "probe");
  }

  @Test
  void aTransactionDoesNotSeeItsOwnWrites() {
    assertEquals("", evaluate("putThenGet", "k", "first"));
    submit("put", "k", "committed");
    assertEquals("committed", evaluate("putThenGet", "k", "second"));
    assertEquals("committed", evaluate("get", "k"));
  }

  @Test
  void readsAndWritesAreRecorded() {
    submit("put", "k", "1");
    Endorsement e = ledger.endorse(alice, now(), "incr", "k");
    assertEquals(Map.of("k", new Version(0, 0)), e.reads);
    assertEquals(List.of("k"), List.copyOf(e.writes.keySet()));
    assertArrayEquals("2".getBytes(UTF_8), e.writes.get("k"));
    Endorsement absent = ledger.endorse(alice, now(), "incr", "new");
    assertTrue(absent.reads.containsKey("new"));
    assertNull(absent.reads.get("new"), "a missing key is read at no version");
  }

  @Test
  void lastWriteWinsAndAnEmptyValueDeletes() {
    submit("put", "gone", "x");
    Endorsement e = probe(stub -> {
      stub.putStringState("k", "a");
      stub.putStringState("k", "b");
      stub.putState("gone", new byte[0]);
    });
    assertArrayEquals("b".getBytes(UTF_8), e.writes.get("k"));
    ledger.commitBlock(List.of(e));
    assertEquals("b", evaluate("get", "k"));
    assertEquals("", evaluate("get", "gone"));
    assertTrue(ledger.history("gone").get(1).isDeleted());
  }

  @Test
  void compositeKeysRoundTrip() {
    probe(stub -> {
      CompositeKey key = stub.createCompositeKey("account", "org1", "alice");
      assertEquals("\u0000account\u0000org1\u0000alice\u0000", key.toString());
      CompositeKey back = stub.splitCompositeKey(key.toString());
      assertEquals("account", back.getObjectType());
      assertEquals(List.of("org1", "alice"), back.getAttributes());
      assertEquals(key.toString(), back.toString());

      CompositeKey trailingEmpty = stub.createCompositeKey("account", "org1", "");
      assertEquals(List.of("org1"), stub.splitCompositeKey(trailingEmpty.toString()).getAttributes(),
          "as in the Java shim, split drops trailing empty attributes");
      stub.putStringState(trailingEmpty.toString(), "v"); // still a well-formed key, so writable
    });
  }

  @Test
  void partialCompositeKeyQueriesReturnExactlyThePrefix() {
    submit("cput", "acct", "a", "1", "x");
    submit("cput", "acct", "a", "2", "y");
    submit("cput", "acct", "ab", "1", "not-a");
    submit("cput", "acct", "b", "1", "z");
    submit("cput", "other", "a", "1", "w");
    submit("put", "acct", "simple");
    assertEquals("acct/a/1=x;acct/a/2=y;", evaluate("partial", "acct", "a"));
    assertEquals("acct/a/1=x;acct/a/2=y;acct/ab/1=not-a;acct/b/1=z;", evaluate("partial", "acct"));
    assertEquals("other/a/1=w;", evaluate("partial", "other"));
    assertEquals("", evaluate("partial", "acct", "c"));
    // A simple-key range never returns composite keys, even unbounded.
    assertEquals("acct=simple;", evaluate("range", "", ""));
  }

  @Test
  void rangesAreOrderedByCodePointLikeLevelDb() {
    String bmp = "\uE000";
    String astral = new String(Character.toChars(0x1F600));
    submit("put", astral, "2");
    submit("put", bmp, "1");
    submit("put", "a", "0");
    assertEquals("a=0;" + bmp + "=1;" + astral + "=2;", evaluate("range", "", ""));
    assertEquals("a=0;", evaluate("range", "a", bmp));
    assertEquals("", evaluate("range", "z", "a"), "start after end is an empty range");
  }

  @Test
  void paginationWalksTheRangeWithBookmarks() {
    for (int i = 0; i < 5; i++) {
      submit("cput", "item", Integer.toString(i), "v" + i);
    }
    String bookmark2 = new CompositeKey("item", "2").toString();
    String bookmark4 = new CompositeKey("item", "4").toString();
    assertEquals("item/0=v0;item/1=v1;|" + bookmark2 + "|2", evaluate("page", "item", "2", ""));
    assertEquals("item/2=v2;item/3=v3;|" + bookmark4 + "|2", evaluate("page", "item", "2", bookmark2));
    assertEquals("item/4=v4;||1", evaluate("page", "item", "2", bookmark4));
    assertEquals("item/0=v0;item/1=v1;item/2=v2;item/3=v3;item/4=v4;||5", evaluate("page", "item", "10", ""));

    submit("put", "a", "1");
    submit("put", "b", "2");
    submit("put", "c", "3");
    assertEquals("a=1;b=2;|c|2", evaluate("rangePage", "", "", "2", ""));
    assertEquals("c=3;||1", evaluate("rangePage", "", "", "2", "c"));
  }

  /**
   * A Fabric v3.1 peer with LevelDB (core/chaincode/handler.go) puts the bookmark in place of the
   * start key without checking it, so the embedded ledger does too: a test that passes here must
   * mean the same on a peer (issue 11: the records trail leaked because this stub used to refuse
   * what a peer accepts).
   */
  @Test
  void aBookmarkReplacesTheStartKeyUncheckedAsOnAPeer() {
    for (int i = 0; i < 3; i++) {
      submit("cput", "item", Integer.toString(i), "v" + i);
      submit("cput", "other", Integer.toString(i), "o" + i);
    }
    // Before the range: the page runs from the bookmark and returns another type's keys.
    String item0 = new CompositeKey("item", "0").toString();
    assertEquals("item/0=v0;item/1=v1;|" + new CompositeKey("item", "2") + "|2", evaluate("page", "other", "2", item0));
    assertEquals("item/2=v2;other/0=o0;other/1=o1;other/2=o2;||4",
        evaluate("page", "other", "10", new CompositeKey("item", "2").toString()));
    submit("put", "a", "1");
    submit("put", "b", "2");
    assertEquals("a=1;b=2;||2", evaluate("rangePage", "b", "c", "5", "a"));
    // At or past the end of the range: a peer process crashes; here the simulation throws.
    assertThrows(PeerCrashException.class, () -> evaluate("page", "item", "2", "\u0000zzz"));
    assertThrows(PeerCrashException.class, () -> evaluate("page", "item", "2", new CompositeKey("other", "0").toString()));
    assertThrows(PeerCrashException.class, () -> evaluate("rangePage", "b", "c", "2", "d"));
  }

  @Test
  void pageSizesAsAPeerTakesThem() {
    for (int i = 0; i < 4; i++) {
      submit("cput", "item", Integer.toString(i), "v" + i);
    }
    // Page size 0 without a bookmark is not a paginated query: the whole range, empty metadata.
    assertEquals("item/0=v0;item/1=v1;item/2=v2;item/3=v3;||0", evaluate("page", "item", "0", ""));
    // Page size 0 with a bookmark, or a negative one: up to the peer's total query limit.
    String from1 = new CompositeKey("item", "1").toString();
    assertEquals("item/1=v1;item/2=v2;item/3=v3;||3", evaluate("page", "item", "0", from1));
    assertEquals("item/0=v0;item/1=v1;item/2=v2;item/3=v3;||4", evaluate("page", "item", "-5", ""));
  }

  @Test
  void paginatedQueriesAreForReadOnlyTransactionsOnly() {
    assertThrows(IllegalStateException.class, () -> probe(stub -> {
      stub.getStateByRangeWithPagination("", "", 10, "");
      stub.putStringState("k", "v");
    }));
    assertThrows(IllegalStateException.class, () -> probe(stub -> {
      stub.putStringState("k", "v");
      stub.getStateByRangeWithPagination("", "", 10, "");
    }));
  }

  @Test
  void historyListsEveryCommittedWriteNewestFirst() {
    TxResult a = submit("put", "k", "a");
    Instant bTime = T0.plusSeconds(clock);
    TxResult b = submit("put", "k", "b");
    TxResult d = submit("del", "k");
    assertEquals(d.txId() + "::true," + b.txId() + ":b:false," + a.txId() + ":a:false,", evaluate("history", "k"));
    assertEquals(bTime, ledger.history("k").get(1).getTimestamp(), "the submitter's timestamp");
    assertEquals("", evaluate("history", "never-written"));
  }

  @Test
  void keysAreValidatedLikeFabric() {
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.putStringState("", "v")));
    assertThrows(NullPointerException.class, () -> probe(stub -> stub.putState(null, new byte[] {1})));
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.putStringState("\u0000not-closed", "v")));
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.putStringState("lone\uD800surrogate", "v")));
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.delState("")));
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.getStateByRange("\u0000a\u0000", "")));
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.createCompositeKey("t", "bad\u0000attr")));
  }

  @Test
  void writesAreBounded() {
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> probe(stub -> stub.putState("big", new byte[SimulatedStub.MAX_VALUE_BYTES + 1])));
    assertTrue(value.getMessage().contains("at most 1048576 bytes per value"), value.getMessage());
    IllegalArgumentException set = assertThrows(IllegalArgumentException.class, () -> probe(stub -> {
      stub.putState("a", new byte[SimulatedStub.MAX_VALUE_BYTES]);
      stub.putState("a", new byte[SimulatedStub.MAX_VALUE_BYTES]); // replaces: still 1 MiB
      stub.putState("b", new byte[SimulatedStub.MAX_VALUE_BYTES - 10]);
      stub.putState("c", new byte[100]);
    }));
    assertTrue(set.getMessage().contains("at most 2097152 bytes per transaction"), set.getMessage());
    assertEquals(0, ledger.height());
  }

  @Test
  void theProposalIsVisibleAsOnAPeer() {
    AtomicReference<ChaincodeStub> seen = new AtomicReference<>();
    contract.probe = seen::set;
    Instant at = Instant.parse("2025-06-01T12:30:00.123456789Z");
    Endorsement e = ledger.endorse(alice, at, Map.of("secret", new byte[] {7}), "probe", "x", "y");
    ChaincodeStub stub = seen.get();
    assertEquals(e.txId(), stub.getTxId());
    assertTrue(e.txId().matches("[0-9a-f]{64}"));
    assertEquals("stubchannel", stub.getChannelId());
    assertEquals(at, stub.getTxTimestamp());
    assertEquals("probe", stub.getFunction());
    assertEquals(List.of("x", "y"), stub.getParameters());
    assertEquals(List.of("probe", "x", "y"), stub.getStringArgs());
    assertArrayEquals("y".getBytes(UTF_8), stub.getArgs().get(2));
    assertArrayEquals(alice.creator(), stub.getCreator());
    assertEquals("Org1MSP", stub.getMspId());
    assertArrayEquals(new byte[] {7}, stub.getTransient().get("secret"));
    assertTrue(ledger.endorse(alice, at, "get", "k").succeeded());
  }

  @Test
  void theStubIsDeadOnceItsSimulationEnds() {
    AtomicReference<ChaincodeStub> seen = new AtomicReference<>();
    probe(seen::set);
    assertThrows(IllegalStateException.class, () -> seen.get().getState("k"));
    assertThrows(IllegalStateException.class, () -> seen.get().putStringState("k", "v"));
  }

  @Test
  void theLastEventOfATransactionWins() {
    Endorsement e = probe(stub -> {
      stub.setEvent("first", new byte[] {1});
      stub.setEvent("second", null);
      assertEquals("second", stub.getEvent().getEventName());
    });
    assertEquals("second", e.eventName().orElseThrow());
    assertArrayEquals(new byte[0], e.eventPayload);
    assertThrows(IllegalArgumentException.class, () -> probe(stub -> stub.setEvent(" ", null)));
  }

  @Test
  void whatIsNotSimulatedSaysSo() {
    List<String> messages = new ArrayList<>();
    probe(stub -> {
      for (Runnable call : Arrays.<Runnable>asList(
          () -> stub.getPrivateData("coll", "k"),
          () -> stub.putPrivateData("coll", "k", new byte[] {1}),
          () -> stub.invokeChaincodeWithStringArgs("other", "f"),
          () -> stub.getQueryResult("{}"),
          () -> stub.getSignedProposal(),
          () -> stub.setStateValidationParameter("k", new byte[] {1}))) {
        messages.add(assertThrows(UnsupportedOperationException.class, call::run).getMessage());
      }
    });
    assertEquals(6, messages.size());
    messages.forEach(m -> assertTrue(m.contains("embedded ledger"), m));
  }

  @Test
  void resultsAreCopies() {
    submit("put", "k", "v");
    probe(stub -> {
      byte[] v = stub.getState("k");
      v[0] = 'X';
      assertEquals("v", stub.getStringState("k"));
      for (KeyValue kv : stub.getStateByRange("", "")) {
        kv.getValue()[0] = 'Y';
        assertEquals("v", kv.getStringValue());
      }
    });
    assertFalse(ledger.stateSnapshot().isEmpty());
    assertEquals("v", evaluate("get", "k"));
  }
}
