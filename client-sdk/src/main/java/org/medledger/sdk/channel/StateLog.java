package org.medledger.sdk.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.medledger.protocol.CanonicalJson;

/**
 * One party's append-only log of a channel (docs/payment-channels.md §6): the parameters, then every
 * state signed by both, every proposal this party signed, and the sequence number of a cooperative
 * close it signed. Each record is framed as u32 length ‖ u32 CRC32C ‖ payload. {@link #append}
 * writes a batch of records with one write and one fdatasync, so a caller that waits for it before
 * acknowledging persists every state it signs first, and many states share one sync (group commit).
 *
 * <p>On open, a torn tail (the part of the last batch that a crash cut short, never acknowledged)
 * is truncated; a bad record followed by more than one batch's worth of bytes is corruption, and
 * opening fails rather than silently dropping acknowledged states. The file is owner-only.
 */
final class StateLog implements AutoCloseable {
  static final byte PARAMS = 1;
  static final byte STATE = 2;
  static final byte PROPOSAL = 3;
  static final byte CLOSE_SIGNED = 4;
  /** Largest batch one {@link #append} writes; also the largest torn tail recovery accepts. */
  static final int MAX_BATCH_BYTES = 1 << 20;
  private static final int MAX_RECORD_BYTES = 64 * 1024;
  private static final int HEADER = 8;

  /** What a log holds after recovery. */
  public record Recovered(ChannelParams params, SignedState latest, List<SignedState> recent,
      TreeMap<Long, Proposal> proposals, long closeSignedSeq) {}

  /** An opened log and what it held. */
  public record Opened(StateLog log, Recovered recovered) {}

  /** A state this party (A) signed and sent, not yet known to be signed by B. */
  public record Proposal(ChannelState state, byte[] sigA) {}

  private final Path file;
  private final int recentLimit;
  private FileChannel channel;
  private long size;

  private StateLog(Path file, FileChannel channel, long size, int recentLimit) {
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.recentLimit = recentLimit;
  }

  /** Creates a new log holding {@code params}; fails if the file exists. */
  public static StateLog create(Path file, ChannelParams params, int recentLimit) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    Path tmp = Files.createTempFile(dir, ".statelog-", ".tmp");
    try {
      ownerOnly(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(frame(PARAMS, params.toBytes())));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new StateLog(file, ch, ch.size(), recentLimit);
  }

  /**
   * Opens an existing log for appending and recovers it, keeping the last {@code recentLimit}
   * states signed by both in {@link Recovered#recent}.
   */
  public static Opened open(Path file, int recentLimit) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long[] good = new long[1];
    Recovered r = recover(file, all, recentLimit, good);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
    if (good[0] < all.length) {
      ch.truncate(good[0]);
      ch.force(true);
    }
    ch.close();
    ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new Opened(new StateLog(file, ch, ch.size(), recentLimit), r);
  }

  /** Reads what a log holds without changing it (another process may be appending to it). */
  public static Recovered read(Path file) throws IOException {
    return recover(file, Files.readAllBytes(file), Integer.MAX_VALUE, new long[1]);
  }

  private static Recovered recover(Path file, byte[] all, int recentLimit, long[] goodLength) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(all);
    ChannelParams params = null;
    SignedState latest = null;
    List<SignedState> recent = new ArrayList<>();
    TreeMap<Long, Proposal> proposals = new TreeMap<>();
    long closeSigned = -1;
    long good = 0;
    while (b.remaining() > 0) {
      int start = b.position();
      byte[] payload = readFrame(b);
      if (payload == null) {
        if (all.length - start > MAX_BATCH_BYTES) {
          throw new IOException("state log " + file + " is corrupt at byte " + start + " (not a torn tail)");
        }
        break;
      }
      good = b.position();
      ByteBuffer p = ByteBuffer.wrap(payload);
      byte type = p.get();
      if (params == null) {
        if (type != PARAMS) {
          throw new IOException("state log " + file + " does not start with the channel parameters");
        }
        byte[] json = new byte[p.remaining()];
        p.get(json);
        params = ChannelParams.fromJson(CanonicalJson.parseObject(new String(json, java.nio.charset.StandardCharsets.UTF_8)));
        latest = SignedState.opening(params);
        continue;
      }
      switch (type) {
        case STATE -> {
          SignedState s = new SignedState(new ChannelState(p.getLong(), p.getLong(), p.getLong()), take(p, 64), take(p, 64));
          if (s.seq() > latest.seq()) {
            latest = s;
            recent.add(s);
            if (recent.size() > recentLimit) {
              recent.remove(0);
            }
          }
        }
        case PROPOSAL -> {
          ChannelState st = new ChannelState(p.getLong(), p.getLong(), p.getLong());
          proposals.put(st.seq(), new Proposal(st, take(p, 64)));
        }
        case CLOSE_SIGNED -> closeSigned = Math.max(closeSigned, p.getLong());
        default -> throw new IOException("state log " + file + " has an unknown record type " + type);
      }
    }
    if (params == null) {
      throw new IOException("state log " + file + " holds no channel parameters");
    }
    proposals.headMap(latest.seq(), true).clear();
    goodLength[0] = good;
    return new Recovered(params, latest, List.copyOf(recent), proposals, closeSigned);
  }

  public static byte[] stateRecord(SignedState s) {
    return frame(STATE, ByteBuffer.allocate(24 + 128).putLong(s.seq()).putLong(s.state().balanceA())
        .putLong(s.state().balanceB()).put(s.sigA()).put(s.sigB()).array());
  }

  public static byte[] proposalRecord(ChannelState s, byte[] sigA) {
    return frame(PROPOSAL, ByteBuffer.allocate(24 + 64).putLong(s.seq()).putLong(s.balanceA()).putLong(s.balanceB())
        .put(sigA).array());
  }

  public static byte[] closeSignedRecord(long seq) {
    return frame(CLOSE_SIGNED, ByteBuffer.allocate(8).putLong(seq).array());
  }

  /**
   * Writes the records and waits for fdatasync: when it returns they are durable. Up to
   * {@link #MAX_BATCH_BYTES} go in one write and one sync; a larger batch is synced in parts, so
   * that what a crash can leave half-written never exceeds that bound.
   */
  public void append(List<byte[]> records) throws IOException {
    int i = 0;
    while (i < records.size()) {
      int total = 0;
      int j = i;
      while (j < records.size() && (j == i || total + records.get(j).length <= MAX_BATCH_BYTES)) {
        total += records.get(j).length;
        j++;
      }
      ByteBuffer buf = ByteBuffer.allocate(total);
      for (int k = i; k < j; k++) {
        buf.put(records.get(k));
      }
      buf.flip();
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
      size += total;
      i = j;
    }
  }

  public long size() {
    return size;
  }

  /**
   * Rewrites the log to hold only the parameters, {@code latest}, the given pending proposals and
   * the close mark, atomically (temporary file, fsync, rename, directory fsync).
   */
  public void compact(ChannelParams params, List<SignedState> keep, List<Proposal> proposals, long closeSignedSeq)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".statelog-", ".tmp");
    try {
      ownerOnly(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        List<byte[]> recs = new ArrayList<>();
        recs.add(frame(PARAMS, params.toBytes()));
        keep.stream().filter(s -> s.seq() > 0).forEach(s -> recs.add(stateRecord(s)));
        proposals.forEach(p -> recs.add(proposalRecord(p.state(), p.sigA())));
        if (closeSignedSeq >= 0) {
          recs.add(closeSignedRecord(closeSignedSeq));
        }
        for (byte[] r : recs) {
          ch.write(ByteBuffer.wrap(r));
        }
        ch.force(true);
      }
      channel.close();
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("compaction needs an atomic rename", e);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
  }

  public int recentLimit() {
    return recentLimit;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  // ------------------------------------------------------------------------------ framing

  static byte[] frame(byte type, byte[] body) {
    if (body.length + 1 > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("record too large");
    }
    byte[] payload = new byte[body.length + 1];
    payload[0] = type;
    System.arraycopy(body, 0, payload, 1, body.length);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).putInt((int) crc.getValue())
        .put(payload).array();
  }

  /** The next record's payload, or null if the frame is truncated or fails its checksum. */
  private static byte[] readFrame(ByteBuffer b) {
    if (b.remaining() < HEADER) {
      return null;
    }
    int len = b.getInt();
    int crc = b.getInt();
    if (len < 1 || len > MAX_RECORD_BYTES || b.remaining() < len) {
      return null;
    }
    byte[] payload = new byte[len];
    b.get(payload);
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue() == crc ? payload : null;
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static void ownerOnly(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Non-POSIX file systems keep their default permissions.
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException notSupported) {
      // Some platforms cannot open a directory; the rename itself is still atomic.
    }
  }
}
