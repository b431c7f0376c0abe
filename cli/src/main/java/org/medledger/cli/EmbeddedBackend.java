package org.medledger.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.LedgerLogException;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.sdk.LedgerConnection;

/**
 * The embedded ledger persisted in a directory (docs/embedded-ledger.md). It is opened on first
 * use and holds the directory's lock until closed, so two medledger commands never share it. A
 * command that finds the lock held waits for it (up to {@code --lock-wait}, 30 s by default), so
 * a {@code balance} run during a {@code pay} delays the other instead of failing it; only after
 * that wait does it fail with LEDGER_BUSY. A read-only backend needs an existing ledger and writes
 * none of its files; what the open recovered (a torn tail) is printed as a warning.
 */
final class EmbeddedBackend implements Backend {
  /** The client common name of the command's gateway identity in every organisation. */
  static final String CLIENT_NAME = "medledger-cli";

  private static final long POLL_MS = 50;

  private final Path dir;
  private final Clock clock;
  private final boolean readOnly;
  private final PrintWriter warnings;
  private final Duration lockWait;
  private EmbeddedLedger ledger;

  EmbeddedBackend(Path dir, Clock clock, boolean readOnly, PrintWriter warnings, Duration lockWait) {
    this.dir = dir;
    this.clock = clock;
    this.readOnly = readOnly;
    this.warnings = warnings;
    this.lockWait = lockWait;
  }

  @Override
  public LedgerConnection connect(String mspId) throws CliException {
    Organisations.checkMspId(mspId);
    return new EmbeddedConnection(ledger(), ledger().identity(mspId, CLIENT_NAME), Organisations.CHAINCODE, clock);
  }

  EmbeddedLedger ledger() throws CliException {
    if (ledger == null) {
      ledger = open(dir, readOnly, lockWait);
      for (String w : ledger.warnings()) {
        warnings.println("medledger: warning: " + Errors.oneLine(w));
      }
      warnings.flush();
    }
    return ledger;
  }

  /**
   * Opens the ledger, waiting up to {@code wait} while another command (in any process) holds its
   * lock; a damaged or missing ledger is refused at once.
   */
  static EmbeddedLedger open(Path dir, boolean readOnly, Duration wait) throws CliException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean seenFree = false;
    while (true) {
      Exception held;
      try {
        return readOnly
            ? EmbeddedLedger.openReadOnly(dir, Organisations.CHANNEL, MedLedgerContracts.dispatcher())
            : EmbeddedLedger.open(dir, Organisations.CHANNEL, MedLedgerContracts.dispatcher());
      } catch (LedgerLogException e) {
        if (e.code() != LedgerLogException.Code.BUSY) {
          throw refusal(dir, e);
        }
        held = e;
      } catch (IOException | RuntimeException e) {
        if (!lockHeld(dir)) {
          if (!seenFree) {
            seenFree = true; // the holder may have released it just now: one more try before calling it unreadable
            continue;
          }
          throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_UNREADABLE", "cannot open the embedded ledger in " + dir
              + ": " + Errors.oneLine(e.getMessage()), e);
        }
        held = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw busy(dir, wait, held);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_BUSY", "interrupted while waiting for the embedded ledger in " + dir, ie);
      }
    }
  }

  /** The CLI's code, exit code and message for each reason the ledger library refuses to open. */
  static CliException refusal(Path dir, LedgerLogException e) {
    String m = Errors.oneLine(e.getMessage());
    return switch (e.code()) {
      case NOT_FOUND -> new CliException(ExitCode.UNAVAILABLE, "NO_LEDGER", m + "; this command only reads a ledger and"
          + " creates none: check --home / --ledger-dir, or create one with 'medledger configure'", e);
      case BUSY -> busy(dir, Duration.ZERO, e);
      case CORRUPT -> new CliException(ExitCode.DAMAGED, "LEDGER_CORRUPT", m + "; nothing was read or written"
          + " (docs/embedded-ledger.md says what can be recovered)", e);
      case FORMAT -> new CliException(ExitCode.DAMAGED, "LEDGER_FORMAT", m, e);
      case CHANNEL -> new CliException(ExitCode.UNAVAILABLE, "LEDGER_CHANNEL", m, e);
    };
  }

  private static CliException busy(Path dir, Duration waited, Exception e) {
    return new CliException(ExitCode.UNAVAILABLE, "LEDGER_BUSY", "the embedded ledger in " + dir
        + " is in use by another medledger command and was not released within " + waited.toSeconds()
        + " s; wait for it to finish and run this one again (or raise --lock-wait)", e);
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
