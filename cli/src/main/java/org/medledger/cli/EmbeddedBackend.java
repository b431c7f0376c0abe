package org.medledger.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.medledger.chaincode.ContractDispatcher;
import org.medledger.chaincode.embedded.EmbeddedLedger;
import org.medledger.sdk.EmbeddedConnection;
import org.medledger.sdk.LedgerConnection;

/**
 * The embedded ledger persisted in a directory (docs/embedded-ledger.md). It is opened on first
 * use and holds the directory's lock until closed, so two medledger commands never share it. A
 * command that finds the lock held waits for it (up to {@code --lock-wait}, 30 s by default), so
 * a {@code balance} run during a {@code pay} delays the other instead of failing it; only after
 * that wait does it fail with LEDGER_BUSY.
 */
final class EmbeddedBackend implements Backend {
  /** The client common name of the command's gateway identity in every organisation. */
  static final String CLIENT_NAME = "medledger-cli";

  private final Path dir;
  private static final long POLL_MS = 50;
  private final Clock clock;
  private final Duration lockWait;
  private EmbeddedLedger ledger;

  EmbeddedBackend(Path dir, Clock clock, Duration lockWait) {
    this.dir = dir;
    this.clock = clock;
    this.lockWait = lockWait;
  }

  @Override
  public LedgerConnection connect(String mspId) throws CliException {
    Organisations.checkMspId(mspId);
    return new EmbeddedConnection(ledger(), ledger().identity(mspId, CLIENT_NAME), Organisations.CHAINCODE, clock);
  }

  EmbeddedLedger ledger() throws CliException {
    if (ledger == null) {
      ledger = open(dir, lockWait);
    }
    return ledger;
  }

  /** Opens the ledger, waiting up to {@code wait} while another command (in any process) holds its lock. */
  static EmbeddedLedger open(Path dir, Duration wait) throws CliException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean seenFree = false;
    while (true) {
      try {
        return EmbeddedLedger.open(dir, Organisations.CHANNEL, ContractDispatcher.medledger());
      } catch (IOException | RuntimeException e) {
        if (!lockHeld(dir)) {
          if (!seenFree) {
            seenFree = true; // the holder may have released it just now: one more try before calling it unreadable
            continue;
          }
          throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_UNREADABLE", "cannot open the embedded ledger in " + dir
              + ": " + Errors.oneLine(e.getMessage()), e);
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_BUSY", "the embedded ledger in " + dir
              + " is in use by another medledger command and was not released within " + wait.toSeconds()
              + " s; wait for it to finish and run this one again (or raise --lock-wait)", e);
        }
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_BUSY", "interrupted while waiting for the embedded ledger in " + dir, ie);
      }
    }
  }

  /** True if another ledger (in this process or another) holds the directory's lock right now. */
  private static boolean lockHeld(Path dir) {
    Path lockFile = dir.resolve("ledger.lock");
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String describe() {
    return "embedded ledger in " + dir;
  }

  @Override
  public void close() {
    if (ledger != null) {
      ledger.close();
      ledger = null;
    }
  }
}
