package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persisted ledger: block log, replay, torn tails and the directory lock. */
class PersistenceTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String CHANNEL = "persisted";

  @TempDir Path dir;
  private int clock;

  private Instant now() {
    return T0.plusSeconds(clock++);
  }

  private EmbeddedLedger open() throws IOException {
    return EmbeddedLedger.open(dir, CHANNEL, new CounterContract());
  }

  /** Everything a reopened ledger must reproduce. */
  private record Snapshot(
      long height, NavigableMap<String, WorldState.VersionedValue> state, Map<String, List<HistoryEntry>> history, List<LedgerEvent> events) {
    static Snapshot of(EmbeddedLedger l, List<String> keys) {
      Map<String, List<HistoryEntry>> history = new HashMap<>();
      keys.forEach(k -> history.put(k, l.history(k)));
      return new Snapshot(l.height(), l.stateSnapshot(), history, l.events(0));
    }
  }

  private static final List<String> KEYS = List.of("counter", "a", "b", "gone", "\u0000acct\u0000x\u0000");

  /** A mixed history: valid, conflicting and refused transactions, deletes, composite keys, events. */
  private void populate(EmbeddedLedger l) {
    Identity alice = l.identity("Org1MSP", "alice");
    Identity bob = l.identity("Org2MSP", "bob");
    l.submit(alice, now(), "put", "counter", "0");
    Endorsement first = l.endorse(alice, now(), "incrAndEmit", "counter", "incremented");
    Endorsement second = l.endorse(bob, now(), "incrAndEmit", "counter", "incremented");
    Endorsement refused = l.endorse(bob, now(), "fail", "CODE", "refused");
    Endorsement blind = l.endorse(bob, now(), "put", "a", "1");
    assertEquals(List.of(TxStatus.VALID, TxStatus.MVCC_READ_CONFLICT, TxStatus.ENDORSEMENT_FAILURE, TxStatus.VALID),
        l.commitBlock(List.of(first, second, refused, blind)).stream().map(TxResult::status).toList());
    l.submit(alice, now(), "put", "b", "2\n\"quoted\" \u00e9\u4e2d");
    l.submit(alice, now(), "put", "gone", "soon");
    l.submit(alice, now(), "del", "gone");
    l.submit(alice, now(), "cput", "acct", "x", "composite");
    l.submit(alice, now(), "emit", "bytes", "payload", "a");
  }

  @Test
  void aReopenedLedgerIsTheLedgerThatWasClosed() throws IOException {
    Snapshot before;
    List<String> idsBefore = new ArrayList<>();
    try (EmbeddedLedger l = open()) {
      populate(l);
      before = Snapshot.of(l, KEYS);
      l.events(0).forEach(e -> idsBefore.add(e.txId()));
    }
    assertEquals(7, before.height());
    try (EmbeddedLedger l = open()) {
      assertEquals(before, Snapshot.of(l, KEYS));
      // The same proposal again gets a fresh id: nonces continue after the log's.
      Identity alice = l.identity("Org1MSP", "alice");
      TxResult again = l.submit(alice, T0.plusSeconds(1), "incrAndEmit", "counter", "incremented");
      assertEquals(TxStatus.VALID, again.status());
      assertFalse(idsBefore.contains(again.txId()));
      assertEquals("2", new String(l.evaluate(alice, "get", "counter"), UTF_8));
    }
  }

  @Test
  void eachBlockIsOneLineOfCanonicalJsonAfterAHeader() throws IOException {
    try (EmbeddedLedger l = open()) {
      populate(l);
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve(BlockLog.LOG_FILE), UTF_8));
    assertEquals(8, lines.size());
    JsonObject header = JsonParser.parseString(lines.remove(0)).getAsJsonObject();
    assertEquals(2, header.get("format").getAsInt());
    assertEquals(CHANNEL, header.get("channel").getAsString());
    String prev = header.get("genesis").getAsString();
    for (int i = 0; i < lines.size(); i++) {
      JsonObject record = JsonParser.parseString(lines.get(i)).getAsJsonObject();
      assertEquals(prev, record.get("prev").getAsString());
      prev = record.get("hash").getAsString();
      String block = record.get("block").toString();
      assertEquals(block, BlockCodec.encode(BlockCodec.decode(block)));
      lines.set(i, block);
    }
    JsonObject block1 = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertEquals(1, block1.get("number").getAsLong());
    JsonObject tx = block1.getAsJsonArray("txs").get(0).getAsJsonObject();
    assertEquals("incrAndEmit", tx.get("function").getAsString());
    assertEquals("Org1MSP", tx.get("creator").getAsString());
    assertEquals("VALID", tx.get("status").getAsString());
    assertEquals("MQ==", tx.getAsJsonArray("writes").get(0).getAsJsonObject().get("value").getAsString());
    assertEquals("incremented", tx.getAsJsonObject("event").get("name").getAsString());
    assertEquals("MVCC_READ_CONFLICT",
        block1.getAsJsonArray("txs").get(1).getAsJsonObject().get("status").getAsString());
    assertTrue(lines.get(4).contains("{\"key\":\"gone\",\"delete\":true}"), lines.get(4));
  }

  @Test
  void aTornLastLineIsIgnoredAndReported() throws IOException {
    Snapshot before;
    try (EmbeddedLedger l = open()) {
      populate(l);
      before = Snapshot.of(l, KEYS);
    }
    Path log = dir.resolve(BlockLog.LOG_FILE);
    String lastLine = Files.readAllLines(log, UTF_8).get(7);
    Files.writeString(log, lastLine.substring(0, lastLine.length() / 2), UTF_8, StandardOpenOption.APPEND);
    try (EmbeddedLedger l = open()) {
      assertEquals(before, Snapshot.of(l, KEYS));
      assertEquals(1, l.warnings().size(), l.warnings().toString());
      l.submit(l.identity("Org1MSP", "alice"), now(), "put", "after", "crash");
    }
    try (EmbeddedLedger l = open()) {
      assertEquals(8, l.height());
      assertEquals(List.of(), l.warnings());
      assertEquals("crash", new String(l.evaluate(l.identity("Org1MSP", "alice"), "get", "after"), UTF_8));
    }
    assertEquals(9, Files.readAllLines(log, UTF_8).size());
  }

  @Test
  void aCorruptCompleteLineIsAnError() throws IOException {
    try (EmbeddedLedger l = open()) {
      populate(l);
    }
    Path log = dir.resolve(BlockLog.LOG_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(log, UTF_8));
    lines.set(2, lines.get(2).replace("\"VALID\"", "\"VALID\" "));
    Files.writeString(log, String.join("\n", lines) + "\n", UTF_8);
    IOException e = assertThrows(LedgerLogException.class, this::open);
    assertTrue(e.getMessage().contains("block 1 (line 3)") && e.getMessage().contains("does not match its hash"),
        e.getMessage());
    lines.remove(2);
    Files.writeString(log, String.join("\n", lines) + "\n", UTF_8);
    e = assertThrows(LedgerLogException.class, this::open);
    assertTrue(e.getMessage().contains("block 1 (line 3)") && e.getMessage().contains("does not link to block 0"),
        e.getMessage());
  }

  @Test
  void aLockedDirectoryCannotBeOpenedTwice() throws IOException {
    try (EmbeddedLedger first = open()) {
      IOException e = assertThrows(IOException.class, this::open);
      assertTrue(e.getMessage().contains("is in use"), e.getMessage());
      first.submit(first.identity("Org1MSP", "alice"), now(), "put", "k", "v");
    }
    try (EmbeddedLedger again = open()) {
      assertEquals(1, again.height());
    }
  }

  @Test
  void aDirectoryBelongsToOneChannel() throws IOException {
    open().close();
    IOException e = assertThrows(IOException.class, () -> EmbeddedLedger.open(dir, "another", new CounterContract()));
    assertTrue(e.getMessage().contains("of channel 'persisted'"), e.getMessage());
    open().close(); // the failed open released the lock
  }

  @Test
  void aClosedLedgerRefusesWork() throws IOException {
    EmbeddedLedger l = open();
    Identity alice = l.identity("Org1MSP", "alice");
    l.close();
    l.close();
    assertThrows(IllegalStateException.class, () -> l.submit(alice, now(), "put", "k", "v"));
    assertThrows(IllegalStateException.class, l::height);
  }
}
