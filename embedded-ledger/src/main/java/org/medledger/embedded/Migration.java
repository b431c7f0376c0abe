package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medledger.embedded.LedgerLogException.Code;

/**
 * Rewrites a format-1 ledger (one block per line, no hashes) in format 2. The old log is first
 * copied to {@value #OLD_LOG}, which a rerun after a crash reads again; each line must decode and
 * follow the one before, as format 1 required. A final line without its newline (a torn write) is
 * dropped and reported, as format 1 dropped it silently.
 */
final class Migration {
  static final String OLD_LOG = "blocks.v1.jsonl";

  private Migration() {}

  /** Migrates the format-1 ledger in {@code dir}; returns what was done, in one sentence. */
  static String migrate(Path dir, String channel) throws IOException {
    Path meta = dir.resolve(BlockLog.META_FILE);
    if (!Files.isRegularFile(meta)) {
      throw new LedgerLogException(Code.NOT_FOUND, dir, "there is no embedded ledger in " + dir);
    }
    try (FileChannel lockChannel = FileChannel.open(dir.resolve(BlockLog.LOCK_FILE), CREATE, WRITE)) {
      FileLock lock = BlockLog.lock(dir, lockChannel);
      try {
        return migrateLocked(dir, meta, channel);
      } finally {
        lock.release();
      }
    }
  }

  private static String migrateLocked(Path dir, Path meta, String channel) throws IOException {
    JsonObject o = JsonParser.parseString(Files.readString(meta, UTF_8)).getAsJsonObject();
    int format = o.get("format").getAsInt();
    if (format != 1) {
      throw new LedgerLogException(Code.FORMAT, meta, "the ledger in " + dir + " is in format " + format
          + ", not format 1: there is nothing to migrate");
    }
    if (!o.get("channel").getAsString().equals(channel)) {
      throw new LedgerLogException(Code.CHANNEL, meta, "the ledger in " + dir + " is of channel '"
          + o.get("channel").getAsString() + "', not '" + channel + "'");
    }
    Path log = dir.resolve(BlockLog.LOG_FILE);
    Path old = dir.resolve(OLD_LOG);
    if (!Files.exists(old)) {
      DurableFiles.writeAtomically(old, Files.exists(log) ? Files.readAllBytes(log) : new byte[0]);
    }
    byte[] bytes = Files.readAllBytes(old);
    StringBuilder out = new StringBuilder(LogRecords.header(channel)).append('\n');
    byte[] prev = LogRecords.genesis(channel);
    long height = 0;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String where = "line " + (height + 1) + " of " + old;
      String line;
      try {
        line = UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes, start, i - start)).toString();
      } catch (CharacterCodingException e) {
        throw new LedgerLogException(Code.CORRUPT, old, height, where + " (block " + height + ") is not valid UTF-8");
      }
      BlockCodec.Block block;
      try {
        block = BlockCodec.decode(line);
      } catch (IllegalArgumentException e) {
        throw new LedgerLogException(Code.CORRUPT, old, height, where + " (block " + height + ") is corrupt: "
            + e.getMessage());
      }
      if (block.number() != height) {
        throw new LedgerLogException(Code.CORRUPT, old, height, where + " holds block " + block.number()
            + " where block " + height + " belongs");
      }
      byte[] hash = LogRecords.hash(prev, line);
      out.append(LogRecords.record(prev, hash, line)).append('\n');
      prev = hash;
      height++;
      start = i + 1;
    }
    int dropped = bytes.length - start;
    Files.deleteIfExists(dir.resolve(BlockLog.HEAD_FILE));
    LogHead.create(dir.resolve(BlockLog.HEAD_FILE), LogRecords.genesis(channel));
    DurableFiles.writeAtomically(log, out.toString().getBytes(UTF_8));
    try (FileChannel head = LogHead.openForWriting(dir.resolve(BlockLog.HEAD_FILE))) {
      if (height > 0) {
        LogHead.write(head, height, prev);
      }
    }
    JsonObject m = new JsonObject();
    m.addProperty("format", LogRecords.FORMAT);
    m.addProperty("channel", channel);
    DurableFiles.writeAtomically(meta, m.toString().getBytes(UTF_8));
    return "migrated " + height + " blocks of the ledger in " + dir + " to format " + LogRecords.FORMAT
        + (dropped > 0 ? "; dropped an incomplete final line of " + dropped + " bytes (a torn write)" : "")
        + "; the format-1 log is kept as " + old;
  }
}
