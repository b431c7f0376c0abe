package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.medledger.embedded.LedgerLogException.Code;

/**
 * The directory of a persisted embedded ledger: an exclusive lock, a small description of the
 * ledger, the append-only block log with chained hashes ({@link LogRecords}), and the head file
 * ({@link LogHead}). Each block is forced to disk, then the head, before a commit returns.
 *
 * <pre>
 * ledger.lock    held (FileChannel lock) while a ledger is open, so two processes cannot share it
 * ledger.json    {"format":2,"channel":"…"}
 * blocks.jsonl   a header line, then one record line per block, in block order
 * ledger.head    the height and last block hash, in two checksummed slots
 * msp/           CA and client keys and certificates ({@link IdentityIssuer})
 * </pre>
 *
 * Opening verifies the whole chain and refuses any damage with a {@link LedgerLogException}; the
 * one thing it recovers is a torn final record (a crash while appending), and it says so in {@link
 * #warnings()}. A read-only open writes nothing.
 */
final class BlockLog implements AutoCloseable {
  static final String LOCK_FILE = "ledger.lock";
  static final String META_FILE = "ledger.json";
  static final String LOG_FILE = "blocks.jsonl";
  static final String HEAD_FILE = "ledger.head";

  private final Path file;
  private final Path headFile;
  private final boolean readOnly;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel log;
  private final List<String> warnings = new ArrayList<>();
  private FileChannel head;
  private long end;
  private long height;
  private byte[] lastHash;
  private boolean broken;

  private BlockLog(Path dir, boolean readOnly, FileChannel lockChannel, FileLock lock, FileChannel log) {
    this.file = dir.resolve(LOG_FILE);
    this.headFile = dir.resolve(HEAD_FILE);
    this.readOnly = readOnly;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.log = log;
  }

  /**
   * Opens the ledger directory, takes its lock, verifies the block log and hands the JSON of every
   * block, in order, to {@code replay}, which throws IllegalArgumentException for a block it cannot
   * accept. Read-write creates the ledger if the directory holds none; read-only requires one and
   * writes nothing.
   */
  static BlockLog open(Path dir, String channel, boolean readOnly, Consumer<String> replay) throws IOException {
    Path meta = dir.resolve(META_FILE);
    if (readOnly && !Files.isRegularFile(meta)) {
      throw new LedgerLogException(Code.NOT_FOUND, dir, "there is no embedded ledger in " + dir + " ("
          + (Files.isDirectory(dir) ? "the directory has no " + META_FILE : "no such directory") + ")");
    }
    if (!readOnly) {
      Files.createDirectories(dir);
    }
    FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), CREATE, WRITE);
    FileLock lock = lock(dir, lockChannel);
    FileChannel log = null;
    BlockLog opened = null;
    try {
      if (!readOnly && !Files.exists(meta)) {
        create(dir, channel);
      }
      checkMeta(dir, channel);
      try {
        log = readOnly ? FileChannel.open(dir.resolve(LOG_FILE), READ) : FileChannel.open(dir.resolve(LOG_FILE), READ, WRITE);
      } catch (NoSuchFileException e) {
        throw new LedgerLogException(Code.CORRUPT, dir.resolve(LOG_FILE), "the block log " + dir.resolve(LOG_FILE)
            + " is missing, though " + meta + " says a ledger is here");
      }
      opened = new BlockLog(dir, readOnly, lockChannel, lock, log);
      opened.verify(channel, LogHead.read(dir.resolve(HEAD_FILE)), replay);
      return opened;
    } catch (IOException | RuntimeException e) {
      if (opened != null && opened.head != null) {
        opened.head.close();
      }
      if (log != null) {
        log.close();
      }
      lockChannel.close(); // releases the lock
      throw e;
    }
  }

  /** Takes the directory's lock on {@code ch}, or closes {@code ch} and throws BUSY. */
  static FileLock lock(Path dir, FileChannel ch) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw new LedgerLogException(Code.BUSY, dir, "the ledger directory " + dir + " is in use: another embedded"
          + " ledger, in this or another process, holds its lock (" + LOCK_FILE + "); close that one first");
    }
    return lock;
  }

  /** Lays out a new ledger: log with its header, then head, then ledger.json, which marks it complete. */
  private static void create(Path dir, String channel) throws IOException {
    Path logFile = dir.resolve(LOG_FILE);
    byte[] header = (LogRecords.header(channel) + "\n").getBytes(UTF_8);
    if (Files.exists(logFile) && Files.size(logFile) > header.length) {
      throw new LedgerLogException(Code.CORRUPT, dir.resolve(META_FILE), "the ledger description " + dir.resolve(META_FILE)
          + " is missing while the block log " + logFile + " holds blocks; restore it rather than start a new ledger");
    }
    DurableFiles.writeAtomically(logFile, header);
    LogHead.create(dir.resolve(HEAD_FILE), LogRecords.genesis(channel));
    JsonObject o = new JsonObject();
    o.addProperty("format", LogRecords.FORMAT);
    o.addProperty("channel", channel);
    DurableFiles.writeAtomically(dir.resolve(META_FILE), o.toString().getBytes(UTF_8));
  }

  private static void checkMeta(Path dir, String channel) throws IOException {
    Path meta = dir.resolve(META_FILE);
    JsonObject o;
    int format;
    String recorded;
    try {
      o = JsonParser.parseString(Files.readString(meta, UTF_8)).getAsJsonObject();
      format = o.get("format").getAsInt();
      recorded = o.get("channel").getAsString();
    } catch (RuntimeException e) {
      throw new LedgerLogException(Code.CORRUPT, meta, "the ledger description " + meta + " is damaged: " + e.getMessage());
    }
    if (format == 1) {
      throw new LedgerLogException(Code.FORMAT, meta, "the ledger in " + dir + " is in format 1 (blocks without"
          + " hashes), which this version does not read; migrate it to format " + LogRecords.FORMAT
          + " with EmbeddedLedger.migrate ('medledger ledger migrate' on the command line), which checks it and keeps"
          + " the old log as " + Migration.OLD_LOG);
    }
    if (format != LogRecords.FORMAT) {
      throw new LedgerLogException(Code.FORMAT, meta, meta + " has format " + format + "; this version reads format "
          + LogRecords.FORMAT);
    }
    if (!recorded.equals(channel)) {
      throw new LedgerLogException(Code.CHANNEL, meta, "the ledger in " + dir + " is of channel '" + recorded
          + "', not '" + channel + "'");
    }
  }

  /** Reads the log line by line, checking the header, each record's link and hash, and the head. */
  private void verify(String channel, LogHead.Head recorded, Consumer<String> replay) throws IOException {
    String header = LogRecords.header(channel);
    lastHash = LogRecords.genesis(channel);
    byte[] hashAtHead = recorded.height() == 0 ? lastHash : null;
    boolean sawHeader = false;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long position = 0;
    for (int n; (n = log.read(buf.clear(), position)) >= 0; position += n) {
      for (int i = 0; i < n; i++) {
        byte b = buf.get(i);
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String text = utf8(line.toByteArray(), sawHeader ? height : -1);
        if (!sawHeader) {
          if (!text.equals(header)) {
            throw corrupt(-1, "line 1 of the block log " + file + ", its header, is damaged or not of channel '"
                + channel + "'");
          }
          sawHeader = true;
        } else {
          accept(text, replay);
          if (height == recorded.height()) {
            hashAtHead = lastHash;
          }
        }
        line.reset();
        end = position + i + 1;
      }
    }
    long size = log.size();
    if (!sawHeader) {
      throw corrupt(-1, size == 0 ? "the block log " + file + " is empty: even its header line is gone"
          : "the block log " + file + " has no complete header line (" + size + " bytes)");
    }
    long tail = size - end;
    String last = height == 0 ? "its header" : "block " + (height - 1);
    if (height < recorded.height()) {
      throw corrupt(height, "the block log " + file + " ends after " + last
          + (tail > 0 ? " (then " + tail + " bytes of an incomplete record)" : "") + ", but " + headFile
          + " records " + recorded.height() + " blocks: block " + height
          + (recorded.height() - 1 > height ? " to block " + (recorded.height() - 1) : "") + " were cut off");
    }
    if (!LogRecords.same(hashAtHead, recorded.hash())) {
      throw corrupt(recorded.height() - 1, "block " + (recorded.height() - 1) + " of the block log " + file
          + " is not the block " + headFile + " records as the last committed one");
    }
    if (tail > 0) {
      // A crash while appending leaves the final record without its '\n' (a torn write). Its commit
      // never returned, since the record is forced to disk, newline included, before it does.
      String what = "the block log " + file + " ends with an incomplete record of " + tail + " bytes after " + last
          + ", a write cut short by a crash whose commit never returned";
      if (readOnly) {
        warnings.add(what + "; it is ignored and left in place (the next read-write open cuts it off)");
      } else {
        log.truncate(end);
        log.force(true);
        warnings.add(what + "; it was cut off");
      }
    }
    if (!readOnly) {
      head = LogHead.openForWriting(headFile);
      if (height != recorded.height()) {
        LogHead.write(head, height, lastHash); // the head lagged: a crash between log and head writes
      }
      DurableFiles.syncDirectory(file.getParent());
    }
  }

  private void accept(String text, Consumer<String> replay) throws LedgerLogException {
    long n = height;
    String where = "block " + n + " (line " + (n + 2) + ") of the block log " + file;
    LogRecords.Record r;
    try {
      r = LogRecords.parse(text);
    } catch (IllegalArgumentException e) {
      throw corrupt(n, where + " is not a well-formed record: " + e.getMessage());
    }
    if (!LogRecords.same(r.prev(), lastHash)) {
      throw corrupt(n, where + " does not link to " + (n == 0 ? "the header" : "block " + (n - 1))
          + ": a block is missing, out of order or altered");
    }
    if (!LogRecords.same(LogRecords.hash(r.prev(), r.block()), r.hash())) {
      throw corrupt(n, where + " does not match its hash: its content or its hash was altered");
    }
    try {
      replay.accept(r.block());
    } catch (IllegalArgumentException e) {
      throw corrupt(n, where + " cannot be replayed: " + e.getMessage());
    }
    lastHash = r.hash();
    height = n + 1;
  }

  private String utf8(byte[] bytes, long block) throws LedgerLogException {
    try {
      return UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt(block, (block < 0 ? "the header" : "block " + block + " (line " + (block + 2) + ")")
          + " of the block log " + file + " is not valid UTF-8");
    }
  }

  private LedgerLogException corrupt(long block, String message) {
    return new LedgerLogException(Code.CORRUPT, file, block, message);
  }

  /** What opening recovered, one sentence each (a torn final record); empty for a sound log. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  boolean readOnly() {
    return readOnly;
  }

  /** Appends the record of the next block, forces it to disk, then records it in the head. */
  void append(String blockJson) {
    if (readOnly) {
      throw new IllegalStateException("the block log " + file + " was opened read-only");
    }
    if (broken) {
      throw new IllegalStateException("the block log " + file + " is in an unknown state after a failed write;"
          + " close and reopen the ledger");
    }
    byte[] hash = LogRecords.hash(lastHash, blockJson);
    byte[] bytes = (LogRecords.record(lastHash, hash, blockJson) + "\n").getBytes(UTF_8);
    try {
      DurableFiles.writeFully(log, ByteBuffer.wrap(bytes), end);
      log.force(true);
    } catch (IOException e) {
      try {
        log.truncate(end);
        log.force(true);
      } catch (IOException again) {
        broken = true;
        e.addSuppressed(again);
      }
      throw new UncheckedIOException("could not append a block to " + file, e);
    }
    end += bytes.length;
    height++;
    lastHash = hash;
    try {
      LogHead.write(head, height, hash);
    } catch (IOException e) {
      broken = true; // the block is in the log, and a reopen reads it; this instance stops here
      throw new UncheckedIOException("block " + (height - 1) + " is in " + file + " but " + headFile
          + " could not be updated", e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        log.close();
        if (head != null) {
          head.close();
        }
      } finally {
        lockChannel.close();
      }
    }
  }
}
