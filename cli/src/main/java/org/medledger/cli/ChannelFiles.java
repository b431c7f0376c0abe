package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medledger.protocol.CanonicalJson;

/**
 * Where a home keeps its payment channels (docs/cli.md §4 channel): each local account's state
 * logs under {@code <home>/channels/<name>/<channelId>.log}, a {@code .closed} note beside a log
 * once its cooperative close is on the ledger, and, while {@code channel serve} runs for an
 * account, its port file {@code <home>/channels/<name>.serve.json} (owner-only: ports, PID and
 * the control token) and PID file {@code <name>.serve.pid}.
 */
final class ChannelFiles {
  static final Pattern CHANNEL_ID = Pattern.compile("pc-[0-9a-f]{32}");

  /** What a running {@code channel serve} wrote about itself. */
  record Serving(String name, String account, long pid, int channelPort, int controlPort, String token, Path portFile) {
    InetSocketAddress channelAddress() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), channelPort);
    }
  }

  private final Path dir;

  ChannelFiles(Home home) {
    this.dir = home.dir().resolve("channels");
  }

  Path dir() {
    return dir;
  }

  static String channelId(String value) throws CliException {
    if (!CHANNEL_ID.matcher(value).matches()) {
      throw CliException.usage("--channel takes a channel id (pc- and 32 lower-case hex digits), got '" + value + "'");
    }
    return value;
  }

  Path logs(String name) {
    return dir.resolve(name);
  }

  Path log(String name, String channelId) {
    return logs(name).resolve(channelId + ".log");
  }

  Path closedNote(String name, String channelId) {
    return logs(name).resolve(channelId + ".closed");
  }

  /** The state log of an existing channel of {@code name}, else UNKNOWN_CHANNEL (exit 6). */
  Path existingLog(String name, String channelId) throws CliException {
    Path p = log(name, channelId);
    if (!Files.isRegularFile(p)) {
      throw CliException.local("UNKNOWN_CHANNEL", "'" + name + "' has no channel " + channelId + " (no state log "
          + p + "); 'medledger channel status --as " + name + "' lists its channels");
    }
    return p;
  }

  /**
   * Holds channel {@code channelId} of {@code name} for one command, waiting up to {@code wait}
   * while another command of the same party holds it: a state log has one writer at a time, so two
   * shells paying on the same channel never both sign a state number.
   */
  /** A channel held by this command; {@link #release} lets the next one in. */
  interface Held {
    void release() throws IOException;
  }

  Held hold(String name, String channelId, java.time.Duration wait) throws CliException {
    Path lockFile = logs(name).resolve(channelId + ".lock");
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
      while (true) {
        java.nio.channels.FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
          lock = null;
        }
        if (lock != null) {
          return ch::close;
        }
        if (System.nanoTime() - deadline >= 0) {
          ch.close();
          throw new CliException(ExitCode.UNAVAILABLE, "CHANNEL_BUSY", "channel " + channelId + " of '" + name
              + "' is in use by another medledger command (" + lockFile + ") and was not released within "
              + wait.toSeconds() + " s; nothing was sent");
        }
        Thread.sleep(50);
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.LOCAL, "IO", "cannot lock " + lockFile + ": " + Errors.cause(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNAVAILABLE, "CHANNEL_BUSY", "interrupted while waiting for " + lockFile, e);
    }
  }

  /** The ids of {@code name}'s channels, sorted. */
  List<String> channels(String name) throws CliException {
    Path d = logs(name);
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(d)) {
      return ids;
    }
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : s.sorted().toList()) {
        String f = p.getFileName().toString();
        if (f.endsWith(".log") && CHANNEL_ID.matcher(f.substring(0, f.length() - 4)).matches()) {
          ids.add(f.substring(0, f.length() - 4));
        }
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.LOCAL, "IO", "cannot list " + d + ": " + Errors.cause(e), e);
    }
    return ids;
  }

  /** The close transaction noted for a channel, if its cooperative close is on the ledger. */
  Optional<String> closedTx(String name, String channelId) {
    Path p = closedNote(name, channelId);
    try {
      return Files.exists(p) ? Optional.of(CanonicalJson.parseObject(Files.readString(p)).get("txId").getAsString())
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("?");
    }
  }

  void noteClosed(String name, String channelId, String txId) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("txId", txId);
    writePrivate(closedNote(name, channelId), CanonicalJson.toString(o) + "\n");
  }

  /** The local name of the other party's server, noted by {@code channel open}. */
  Optional<String> peerName(String name, String channelId) {
    try {
      Path p = logs(name).resolve(channelId + ".peer");
      return Files.exists(p) ? Optional.of(Home.checkName(Files.readString(p).trim())) : Optional.empty();
    } catch (IOException | CliException e) {
      return Optional.empty();
    }
  }

  void notePeer(String name, String channelId, String peer) throws IOException {
    writePrivate(logs(name).resolve(channelId + ".peer"), peer + "\n");
  }

  Path portFile(String name) {
    return dir.resolve(name + ".serve.json");
  }

  Path pidFile(String name) {
    return dir.resolve(name + ".serve.pid");
  }

  /**
   * The running server of local account {@code name}: its port file must exist and name a live
   * process, else PEER_NOT_RUNNING (exit 4), naming the port file.
   */
  Serving serving(String name) throws CliException {
    Path pf = portFile(name);
    Serving s;
    try {
      JsonObject o = CanonicalJson.parseObject(Files.readString(pf, StandardCharsets.UTF_8));
      s = new Serving(name, o.get("account").getAsString(), o.get("pid").getAsLong(), o.get("channelPort").getAsInt(),
          o.get("controlPort").getAsInt(), o.get("token").getAsString(), pf);
    } catch (java.nio.file.NoSuchFileException e) {
      throw notRunning(name, pf, "there is no port file " + pf);
    } catch (IOException | RuntimeException e) {
      throw notRunning(name, pf, "its port file " + pf + " cannot be read (" + Errors.oneLine(String.valueOf(e.getMessage())) + ")");
    }
    if (ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
      throw notRunning(name, pf, "the process " + s.pid() + " named in " + pf + " is gone");
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.controlPort()), 5_000);
    } catch (IOException e) {
      throw notRunning(name, pf, "nothing answers on 127.0.0.1:" + s.controlPort() + " named in " + pf);
    }
    return s;
  }

  private static CliException notRunning(String name, Path pf, String why) {
    return new CliException(ExitCode.UNAVAILABLE, "PEER_NOT_RUNNING", "the peer '" + name + "' is not running: " + why
        + "; start it with 'medledger channel serve --as " + name + "'; nothing was sent");
  }

  /** Writes {@code text} to {@code file}, owner-only, replacing it atomically. */
  static void writePrivate(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
