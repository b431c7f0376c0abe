package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.embedded.LedgerLogException.Code;

/**
 * The block log's integrity: every damage to a committed block is refused with a typed error
 * naming the file and the block, only a torn final record is recovered (and reported), and a
 * read-only open changes no byte.
 */
class BlockLogIntegrityTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String CHANNEL = "persisted";
  private static final int BLOCKS = 7;

  @TempDir Path dir;
  private int clock;

  private Instant now() {
    return T0.plusSeconds(clock++);
  }

  private Path log() {
    return dir.resolve(BlockLog.LOG_FILE);
  }

  private EmbeddedLedger open() throws IOException {
    return EmbeddedLedger.open(dir, CHANNEL, new CounterContract());
  }

  private EmbeddedLedger openReadOnly() throws IOException {
    return EmbeddedLedger.openReadOnly(dir, CHANNEL, new CounterContract());
  }

  /** Seven blocks, one of them with several transactions, values, a delete and an event. */
  private void populate() throws IOException {
    try (EmbeddedLedger l = open()) {
      Identity alice = l.identity("Org1MSP", "alice");
      l.submit(alice, now(), "put", "counter", "0");
      l.commitBlock(List.of(l.endorse(alice, now(), "incrAndEmit", "counter", "incremented"),
          l.endorse(alice, now(), "put", "a", "1")));
      l.submit(alice, now(), "put", "b", "some value to flip");
      l.submit(alice, now(), "put", "gone", "soon");
      l.submit(alice, now(), "del", "gone");
      l.submit(alice, now(), "cput", "acct", "x", "composite");
      l.submit(alice, now(), "emit", "bytes", "payload", "a");
      assertEquals(BLOCKS, l.height());
    }
  }

  private List<String> lines() throws IOException {
    return new ArrayList<>(Files.readAllLines(log(), UTF_8));
  }

  private void writeLines(List<String> lines) throws IOException {
    Files.writeString(log(), String.join("\n", lines) + "\n", UTF_8);
  }

  /** The line of block {@code n} (line 1 is the header). */
  private static int lineOf(long n) {
    return (int) n + 1;
  }

  /** Replaces the character at {@code at} by another of the same kind, so the line stays well-formed. */
  private static String flip(String line, int at) {
    char c = line.charAt(at);
    char other = Character.isDigit(c) ? (c == '0' ? '1' : '0') : Character.isUpperCase(c) ? (c == 'A' ? 'B' : 'A')
        : (c == 'a' ? 'b' : 'a');
    return line.substring(0, at) + other + line.substring(at + 1);
  }

  /** Opening, read-write or read-only, fails with {@code code} at {@code block}, and leaves every file as it was. */
  private LedgerLogException refused(Code code, long block) throws IOException {
    Map<Path, byte[]> before = files();
    LedgerLogException rw = assertThrows(LedgerLogException.class, this::open);
    LedgerLogException ro = assertThrows(LedgerLogException.class, this::openReadOnly);
    for (LedgerLogException e : List.of(rw, ro)) {
      assertEquals(code, e.code(), e.getMessage());
      assertEquals(block, e.block(), e.getMessage());
      if (block >= 0) {
        assertTrue(e.getMessage().contains("block " + block), e.getMessage());
      }
      assertTrue(e.getMessage().contains(e.file().toString()), e.getMessage());
    }
    assertFilesEqual(before, files());
    return rw;
  }

  /** Every file of the ledger directory (msp/ aside) with its bytes. */
  private Map<Path, byte[]> files() throws IOException {
    Map<Path, byte[]> out = new TreeMap<>();
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(p.getFileName(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static void assertFilesEqual(Map<Path, byte[]> a, Map<Path, byte[]> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k.toString()));
  }

  @Test
  void aFlippedCharacterInABlockBodyIsRefused() throws IOException {
    populate();
    List<String> lines = lines();
    String line = lines.get(lineOf(2));
    int value = line.indexOf("\"value\":\"") + 10;
    lines.set(lineOf(2), flip(line, value));
    writeLines(lines);
    LedgerLogException e = refused(Code.CORRUPT, 2);
    assertTrue(e.getMessage().contains(log().toString()), e.getMessage());
  }

  @Test
  void aFlippedCharacterInTheLastCompleteBlockIsRefusedNotRecovered() throws IOException {
    populate();
    List<String> lines = lines();
    String line = lines.get(lineOf(BLOCKS - 1));
    lines.set(lineOf(BLOCKS - 1), flip(line, line.indexOf("\"function\":\"") + 12));
    writeLines(lines);
    refused(Code.CORRUPT, BLOCKS - 1);
  }

  @Test
  void aFlippedCharacterInABlockHashOrItsLinkIsRefused() throws IOException {
    populate();
    List<String> original = lines();
    List<String> lines = new ArrayList<>(original);
    String line = lines.get(lineOf(4));
    lines.set(lineOf(4), flip(line, line.indexOf("\"hash\":\"") + 20));
    writeLines(lines);
    refused(Code.CORRUPT, 4);

    lines = new ArrayList<>(original);
    line = lines.get(lineOf(5));
    lines.set(lineOf(5), flip(line, line.indexOf("\"prev\":\"") + 8));
    writeLines(lines);
    refused(Code.CORRUPT, 5);

    lines = new ArrayList<>(original);
    lines.set(lineOf(0), lines.get(lineOf(0)).replace("\"number\":0", "\"number\":1"));
    writeLines(lines);
    refused(Code.CORRUPT, 0);

    writeLines(original);
    try (EmbeddedLedger l = openReadOnly()) {
      assertEquals(BLOCKS, l.height());
    }
  }

  @Test
  void aDamagedHeaderIsRefused() throws IOException {
    populate();
    List<String> lines = lines();
    String header = lines.get(0);
    lines.set(0, flip(header, header.lastIndexOf('"') - 3));
    writeLines(lines);
    LedgerLogException e = refused(Code.CORRUPT, -1);
    assertTrue(e.getMessage().contains("header"), e.getMessage());
  }

  @Test
  void aDeletedOrReorderedBlockIsRefused() throws IOException {
    populate();
    List<String> original = lines();
    List<String> lines = new ArrayList<>(original);
    lines.remove(lineOf(2));
    writeLines(lines);
    refused(Code.CORRUPT, 2);

    lines = new ArrayList<>(original);
    lines.set(lineOf(3), original.get(lineOf(4)));
    lines.set(lineOf(4), original.get(lineOf(3)));
    writeLines(lines);
    refused(Code.CORRUPT, 3);

    // The last block removed whole, on a line boundary: the head file still records it.
    lines = new ArrayList<>(original);
    lines.remove(lineOf(BLOCKS - 1));
    writeLines(lines);
    refused(Code.CORRUPT, BLOCKS - 1);
  }

  @Test
  void truncationBeforeTheLastBlockIsRefused() throws IOException {
    populate();
    byte[] whole = Files.readAllBytes(log());
    String text = new String(whole, UTF_8);
    int header = text.indexOf('\n') + 1;
    int block3End = nthNewline(text, lineOf(3)) + 1;
    // cut inside the header, right after it, in the middle of block 2, and exactly after block 3
    long[][] cuts = {{header / 2, -1}, {header, 0}, {(nthNewline(text, lineOf(1)) + nthNewline(text, lineOf(2))) / 2, 2},
        {block3End, 4}};
    for (long[] cut : cuts) {
      Files.write(log(), Arrays.copyOf(whole, (int) cut[0]));
      refused(Code.CORRUPT, cut[1]);
    }
  }

  private static int nthNewline(String text, int line) {
    int at = -1;
    for (int i = 0; i <= line; i++) {
      at = text.indexOf('\n', at + 1);
    }
    return at;
  }

  @Test
  void anEmptyOrMissingLogIsRefused() throws IOException {
    populate();
    Files.write(log(), new byte[0]);
    LedgerLogException e = refused(Code.CORRUPT, -1);
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Files.delete(log());
    refused(Code.CORRUPT, -1);
  }

  @Test
  void aDamagedOrMissingHeadFileIsRefused() throws IOException {
    populate();
    Path head = dir.resolve(BlockLog.HEAD_FILE);
    byte[] bytes = Files.readAllBytes(head);
    Files.write(head, Arrays.copyOf(bytes, 10));
    refused(Code.CORRUPT, -1);
    Files.delete(head);
    refused(Code.CORRUPT, -1);
  }

  /** The log as a crash while appending block 7 leaves it: blocks 0–6, then part of block 7's record. */
  private String tornTail() throws IOException {
    populate();
    Path saved = dir.resolveSibling(dir.getFileName() + "-saved");
    Files.createDirectories(saved);
    for (String f : List.of(BlockLog.LOG_FILE, BlockLog.HEAD_FILE)) {
      Files.copy(dir.resolve(f), saved.resolve(f));
    }
    try (EmbeddedLedger l = open()) {
      l.submit(l.identity("Org1MSP", "alice"), now(), "put", "lost", "in the crash");
    }
    String record = lines().get(lineOf(BLOCKS));
    for (String f : List.of(BlockLog.LOG_FILE, BlockLog.HEAD_FILE)) {
      Files.copy(saved.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    String torn = record.substring(0, record.length() / 2);
    Files.writeString(log(), torn, UTF_8, java.nio.file.StandardOpenOption.APPEND);
    return torn;
  }

  @Test
  void aTornTailIsRecoveredWithAWarningAndAReadOnlyOpenChangesNoByte() throws IOException {
    String torn = tornTail();
    Map<Path, byte[]> before = files();
    FileTime logTime = FileTime.from(T0);
    Files.setLastModifiedTime(log(), logTime);
    FileTime headTime = FileTime.from(T0.plusSeconds(1));
    Files.setLastModifiedTime(dir.resolve(BlockLog.HEAD_FILE), headTime);
    try (EmbeddedLedger l = openReadOnly()) {
      assertEquals(BLOCKS, l.height());
      assertEquals(1, l.warnings().size(), l.warnings().toString());
      String w = l.warnings().get(0);
      assertTrue(w.contains(log().toString()) && w.contains(torn.getBytes(UTF_8).length + " bytes")
          && w.contains("block " + (BLOCKS - 1)), w);
      Identity alice = l.identity("Org1MSP", "alice");
      assertEquals("", new String(l.evaluate(alice, "get", "lost"), UTF_8));
      assertThrows(IllegalStateException.class, () -> l.submit(alice, now(), "put", "k", "v"));
    }
    assertFilesEqual(before, files());
    assertEquals(logTime, Files.getLastModifiedTime(log()));
    assertEquals(headTime, Files.getLastModifiedTime(dir.resolve(BlockLog.HEAD_FILE)));

    long cut = Files.size(log()) - torn.getBytes(UTF_8).length;
    try (EmbeddedLedger l = open()) {
      assertEquals(BLOCKS, l.height());
      assertEquals(1, l.warnings().size(), l.warnings().toString());
      assertTrue(l.warnings().get(0).contains("cut off"), l.warnings().get(0));
      assertEquals(cut, Files.size(log()));
      l.submit(l.identity("Org1MSP", "alice"), now(), "put", "after", "crash");
    }
    try (EmbeddedLedger l = open()) {
      assertEquals(BLOCKS + 1, l.height());
      assertEquals(List.of(), l.warnings());
    }
  }

  @Test
  void aReadOnlyOpenOfASoundLedgerChangesNothing() throws IOException {
    populate();
    Map<Path, byte[]> before = files();
    FileTime old = FileTime.from(T0);
    for (Path f : before.keySet()) {
      Files.setLastModifiedTime(dir.resolve(f), old);
    }
    try (EmbeddedLedger l = openReadOnly()) {
      assertEquals(BLOCKS, l.height());
      assertEquals(List.of(), l.warnings());
      Identity alice = l.identity("Org1MSP", "alice");
      assertEquals("some value to flip", new String(l.evaluate(alice, "get", "b"), UTF_8));
      assertThrows(IllegalStateException.class, () -> l.commitBlock(List.of(l.endorse(alice, now(), "put", "k", "v"))));
    }
    assertFilesEqual(before, files());
    for (Path f : before.keySet()) {
      assertEquals(old, Files.getLastModifiedTime(dir.resolve(f)), f.toString());
    }
  }

  @Test
  void aReadOnlyOpenCreatesNoLedger() throws IOException {
    Path missing = dir.resolve("typo-dir");
    LedgerLogException e = assertThrows(LedgerLogException.class,
        () -> EmbeddedLedger.openReadOnly(missing, CHANNEL, new CounterContract()));
    assertEquals(Code.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(missing));

    Path empty = Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(LedgerLogException.class, () -> EmbeddedLedger.openReadOnly(empty, CHANNEL, new CounterContract()));
    assertEquals(Code.NOT_FOUND, e.code());
    try (var s = Files.list(empty)) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void aFormatOneLedgerIsRefusedWithHowToMigrate() throws IOException {
    Files.writeString(dir.resolve(BlockLog.META_FILE), "{\"format\":1,\"channel\":\"" + CHANNEL + "\"}", UTF_8);
    Files.writeString(log(), "{\"number\":0,\"txs\":[]}\n", UTF_8);
    Files.createFile(dir.resolve(BlockLog.LOCK_FILE));
    Map<Path, byte[]> before = files();
    for (Code c : List.of(Code.FORMAT)) {
      LedgerLogException e = assertThrows(LedgerLogException.class, this::open);
      assertEquals(c, e.code());
      assertTrue(e.getMessage().contains("format 1") && e.getMessage().contains("migrate"), e.getMessage());
      e = assertThrows(LedgerLogException.class, this::openReadOnly);
      assertEquals(c, e.code());
    }
    assertFilesEqual(before, files());
  }

  @Test
  void anotherChannelAndABusyDirectoryHaveTheirCodes() throws IOException {
    populate();
    LedgerLogException e = assertThrows(LedgerLogException.class,
        () -> EmbeddedLedger.openReadOnly(dir, "another", new CounterContract()));
    assertEquals(Code.CHANNEL, e.code());
    try (EmbeddedLedger held = open()) {
      e = assertThrows(LedgerLogException.class, this::openReadOnly);
      assertEquals(Code.BUSY, e.code());
      assertNotEquals(0, held.height());
    }
  }

  @Test
  void aFormatOneLedgerMigratesAndKeepsItsOldLog() throws IOException {
    populate();
    java.util.NavigableMap<String, WorldState.VersionedValue> state;
    try (EmbeddedLedger l = openReadOnly()) {
      state = l.stateSnapshot();
    }
    // The same blocks as format 1 wrote them: one block per line, no header, no hashes, a torn tail.
    List<String> v1 = new ArrayList<>();
    for (String line : lines().subList(1, BLOCKS + 1)) {
      v1.add(LogRecords.parse(line).block());
    }
    Files.writeString(log(), String.join("\n", v1) + "\n" + v1.get(0).substring(0, 9), UTF_8);
    Files.writeString(dir.resolve(BlockLog.META_FILE), "{\"format\":1,\"channel\":\"" + CHANNEL + "\"}", UTF_8);
    Files.delete(dir.resolve(BlockLog.HEAD_FILE));
    byte[] old = Files.readAllBytes(log());
    assertEquals(Code.FORMAT, assertThrows(LedgerLogException.class, this::openReadOnly).code());

    String done = EmbeddedLedger.migrate(dir, CHANNEL);
    assertTrue(done.contains("migrated " + BLOCKS + " blocks") && done.contains("9 bytes"), done);
    assertArrayEquals(old, Files.readAllBytes(dir.resolve(Migration.OLD_LOG)));
    try (EmbeddedLedger l = openReadOnly()) {
      assertEquals(BLOCKS, l.height());
      assertEquals(state, l.stateSnapshot());
      assertEquals(List.of(), l.warnings());
    }
    LedgerLogException e = assertThrows(LedgerLogException.class, () -> EmbeddedLedger.migrate(dir, CHANNEL));
    assertEquals(Code.FORMAT, e.code());
  }
}
