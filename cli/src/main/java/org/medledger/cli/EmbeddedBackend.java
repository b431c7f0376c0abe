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
import org.medledger.chaincode.ContractDispatcher;
import org.medledger.chaincode.embedded.EmbeddedLedger;
import org.medledger.chaincode.embedded.LedgerLogException;
import org.medledger.sdk.EmbeddedConnection;
import org.medledger.sdk.LedgerConnection;

/**
 * The embedded ledger persisted in a directory (docs/embedded-ledger.md). It is opened on first
 * use and holds the directory's lock until closed, so a second medledger process on the same
 * directory fails with LEDGER_BUSY instead of sharing it. A read-only backend needs an existing
 * ledger and writes none of its files; what the open recovered (a torn tail) is printed as a
 * warning.
 */
final class EmbeddedBackend implements Backend {
  /** The client common name of the command's gateway identity in every organisation. */
  static final String CLIENT_NAME = "medledger-cli";

  private final Path dir;
  private final Clock clock;
  private final boolean readOnly;
  private final PrintWriter warnings;
  private EmbeddedLedger ledger;

  EmbeddedBackend(Path dir, Clock clock, boolean readOnly, PrintWriter warnings) {
    this.dir = dir;
    this.clock = clock;
    this.readOnly = readOnly;
    this.warnings = warnings;
  }

  @Override
  public LedgerConnection connect(String mspId) throws CliException {
    Organisations.checkMspId(mspId);
    return new EmbeddedConnection(ledger(), ledger().identity(mspId, CLIENT_NAME), Organisations.CHAINCODE, clock);
  }

  EmbeddedLedger ledger() throws CliException {
    if (ledger == null) {
      ledger = open(dir, readOnly);
      for (String w : ledger.warnings()) {
        warnings.println("medledger: warning: " + Errors.oneLine(w));
      }
      warnings.flush();
    }
    return ledger;
  }

  static EmbeddedLedger open(Path dir, boolean readOnly) throws CliException {
    try {
      return readOnly
          ? EmbeddedLedger.openReadOnly(dir, Organisations.CHANNEL, ContractDispatcher.medledger())
          : EmbeddedLedger.open(dir, Organisations.CHANNEL, ContractDispatcher.medledger());
    } catch (LedgerLogException e) {
      throw refusal(dir, e);
    } catch (IOException | RuntimeException e) {
      if (lockHeld(dir)) {
        throw busy(dir, e);
      }
      throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_UNREADABLE", "cannot open the embedded ledger in " + dir
          + ": " + Errors.oneLine(e.getMessage()), e);
    }
  }

  /** The CLI's code, exit code and message for each reason the ledger library refuses to open. */
  static CliException refusal(Path dir, LedgerLogException e) {
    String m = Errors.oneLine(e.getMessage());
    return switch (e.code()) {
      case NOT_FOUND -> new CliException(ExitCode.UNAVAILABLE, "NO_LEDGER", m + "; this command only reads a ledger and"
          + " creates none: check --home / --ledger-dir, or create one with 'medledger configure'", e);
      case BUSY -> busy(dir, e);
      case CORRUPT -> new CliException(ExitCode.DAMAGED, "LEDGER_CORRUPT", m + "; nothing was read or written"
          + " (docs/embedded-ledger.md says what can be recovered)", e);
      case FORMAT -> new CliException(ExitCode.DAMAGED, "LEDGER_FORMAT", m, e);
      case CHANNEL -> new CliException(ExitCode.UNAVAILABLE, "LEDGER_CHANNEL", m, e);
    };
  }

  private static CliException busy(Path dir, Exception e) {
    return new CliException(ExitCode.UNAVAILABLE, "LEDGER_BUSY", "the embedded ledger in " + dir
        + " is in use by another medledger command; wait for it to finish and run this one again", e);
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
