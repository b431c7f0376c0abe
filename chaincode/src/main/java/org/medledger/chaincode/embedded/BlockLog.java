package org.medledger.chaincode.embedded;

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
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The directory of a persisted embedded ledger: an exclusive lock, a small description of the
 * ledger, and the append-only block log, one line per block, forced to disk before a commit
 * returns.
 *
 * <pre>
 * ledger.lock    held (FileChannel lock) while a ledger is open, so two processes cannot share it
 * ledger.json    {"format":1,"channel":"…"}
 * blocks.jsonl   one line of {@link BlockCodec} JSON per block, in block order
 * msp/           CA and client keys and certificates ({@link IdentityIssuer})
 * </pre>
 */
final class BlockLog implements AutoCloseable {
  static final String LOCK_FILE = "ledger.lock";
  static final String META_FILE = "ledger.json";
  static final String LOG_FILE = "blocks.jsonl";
  private static final int FORMAT = 1;

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel log;
  private long end;
  private boolean broken;

  private BlockLog(Path file, FileChannel lockChannel, FileLock lock, FileChannel log) {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.log = log;
  }

  /**
   * Opens the ledger directory (creating it if needed), takes its lock and hands every block line
   * of the log, in order, to {@code replay}, which throws IllegalArgumentException for a line it
   * cannot accept.
   */
  static BlockLog open(Path dir, String channel, Consumer<String> replay) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), CREATE, WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the ledger directory " + dir + " is in use: another embedded ledger, in this or"
          + " another process, holds its lock (" + LOCK_FILE + "); close that one first");
    }
    FileChannel log = null;
    try {
      checkChannel(dir, channel);
      log = FileChannel.open(dir.resolve(LOG_FILE), CREATE, READ, WRITE);
      DurableFiles.syncDirectory(dir);
      BlockLog opened = new BlockLog(dir.resolve(LOG_FILE), lockChannel, lock, log);
      opened.replay(replay);
      return opened;
    } catch (IOException | RuntimeException e) {
      if (log != null) {
        log.close();
      }
      lockChannel.close(); // releases the lock
      throw e;
    }
  }

  private static void checkChannel(Path dir, String channel) throws IOException {
    Path meta = dir.resolve(META_FILE);
    if (!Files.exists(meta)) {
      JsonObject o = new JsonObject();
      o.addProperty("format", FORMAT);
      o.addProperty("channel", channel);
      DurableFiles.writeAtomically(meta, o.toString().getBytes(UTF_8));
      return;
    }
    JsonObject o = JsonParser.parseString(Files.readString(meta, UTF_8)).getAsJsonObject();
    if (o.get("format").getAsInt() != FORMAT) {
      throw new IOException(meta + " has format " + o.get("format") + "; this version reads format " + FORMAT);
    }
    String recorded = o.get("channel").getAsString();
    if (!recorded.equals(channel)) {
      throw new IOException("the ledger in " + dir + " is of channel '" + recorded + "', not '" + channel + "'");
    }
  }

  private void replay(Consumer<String> replay) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long position = 0;
    long lineNumber = 0;
    for (int n; (n = log.read(buf.clear(), position)) >= 0; position += n) {
      for (int i = 0; i < n; i++) {
        byte b = buf.get(i);
        if (b != '\n') {
          line.write(b);
          continue;
        }
        lineNumber++;
        try {
          replay.accept(UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(line.toByteArray()))
              .toString());
        } catch (IOException | IllegalArgumentException e) {
          throw new IOException("the block log " + file + " is corrupt at line " + lineNumber + ": " + e.getMessage(), e);
        }
        line.reset();
        end = position + i + 1;
      }
    }
    // A crash while appending can leave a final line without its '\n' (a torn write). That
    // block's commit never returned, since the line is forced to disk, newline included, before
    // it does; so the partial line is ignored, and cut off so that the next block starts a line.
    if (log.size() > end) {
      log.truncate(end);
      log.force(true);
    }
  }

  /** Appends one block line and forces it to disk. */
  void append(String blockLine) {
    if (broken) {
      throw new IllegalStateException("the block log " + file + " is in an unknown state after a failed write;"
          + " close and reopen the ledger");
    }
    byte[] bytes = (blockLine + "\n").getBytes(UTF_8);
    try {
      DurableFiles.writeFully(log, ByteBuffer.wrap(bytes), end);
      log.force(true);
      end += bytes.length;
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
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        log.close();
      } finally {
        lockChannel.close();
      }
    }
  }
}
