package org.medledger.embedded;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A persisted embedded ledger that cannot be opened as it is: missing, damaged, of another format
 * or channel, or in use. Nothing was read into a ledger and nothing was written. {@link #code()} is
 * stable (docs/embedded-ledger.md, "Integrity"); the message names the file and, where one is to
 * blame, the block.
 */
public final class LedgerLogException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the ledger could not be opened. */
  public enum Code {
    /** A read-only open found no ledger in the directory (no {@code ledger.json}). */
    NOT_FOUND,
    /** A file of the ledger fails its integrity check: a record altered, missing, reordered or cut off. */
    CORRUPT,
    /** The ledger was written in a format this version does not read (e.g. format 1, without hashes). */
    FORMAT,
    /** The ledger belongs to another channel. */
    CHANNEL,
    /** Another open ledger, in this process or another, holds the directory's lock. */
    BUSY
  }

  private final Code code;
  private final transient Path file;
  private final long block;

  LedgerLogException(Code code, Path file, long block, String message) {
    super(message);
    this.code = code;
    this.file = file;
    this.block = block;
  }

  LedgerLogException(Code code, Path file, String message) {
    this(code, file, -1, message);
  }

  public Code code() {
    return code;
  }

  /** The file (or, for {@link Code#NOT_FOUND} and {@link Code#BUSY}, the directory) at fault. */
  public Path file() {
    return file;
  }

  /** The number of the block at fault, or −1 if no single block is. */
  public long block() {
    return block;
  }
}
