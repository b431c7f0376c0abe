package org.medledger.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.medledger.chaincode.ContractDispatcher;
import org.medledger.chaincode.embedded.EmbeddedLedger;
import org.medledger.sdk.EmbeddedConnection;
import org.medledger.sdk.LedgerConnection;

/**
 * The embedded ledger persisted in a directory (docs/embedded-ledger.md). It is opened on first
 * use and holds the directory's lock until closed, so a second medledger process on the same
 * directory fails with LEDGER_BUSY instead of sharing it.
 */
final class EmbeddedBackend implements Backend {
  /** The client common name of the command's gateway identity in every organisation. */
  static final String CLIENT_NAME = "medledger-cli";

  private final Path dir;
  private final Clock clock;
  private EmbeddedLedger ledger;

  EmbeddedBackend(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  @Override
  public LedgerConnection connect(String mspId) throws CliException {
    Organisations.checkMspId(mspId);
    return new EmbeddedConnection(ledger(), ledger().identity(mspId, CLIENT_NAME), Organisations.CHAINCODE, clock);
  }

  EmbeddedLedger ledger() throws CliException {
    if (ledger == null) {
      ledger = open(dir);
    }
    return ledger;
  }

  static EmbeddedLedger open(Path dir) throws CliException {
    try {
      return EmbeddedLedger.open(dir, Organisations.CHANNEL, ContractDispatcher.medledger());
    } catch (IOException | RuntimeException e) {
      if (lockHeld(dir)) {
        throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_BUSY", "the embedded ledger in " + dir
            + " is in use by another medledger command; wait for it to finish and run this one again", e);
      }
      throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_UNREADABLE", "cannot open the embedded ledger in " + dir
          + ": " + Errors.oneLine(e.getMessage()), e);
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
