package org.medledger.cli;

/** The exit codes of {@code medledger}, one per class of failure (docs/cli.md §3). */
public enum ExitCode {
  OK(0),
  /** A bug in medledger: the one-line message names the exception; --verbose shows its stack. */
  INTERNAL(1),
  /** The command line is wrong: unknown command or option, missing or malformed value. */
  USAGE(2),
  /** The ledger refused the transaction (with the chaincode's code), or invalidated it; nothing was written. */
  REFUSED(3),
  /** The ledger cannot be reached: embedded ledger in use by another process, gateway unreachable or not built. */
  UNAVAILABLE(4),
  /** A keystore could not be read or written, or no password was available. */
  KEYSTORE(5),
  /** Refused locally before anything was sent: unknown account name, wrong role, insufficient funds. */
  LOCAL(6),
  /**
   * The embedded ledger's files are damaged (a block altered, missing, reordered or cut off) or of
   * a format this version does not read; nothing was read or written.
   */
  DAMAGED(7);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
