package org.medledger.cli;

/**
 * A failure the command reports as one line, {@code medledger: error: CODE: message}, and exits
 * with {@link #exit()}.
 */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ExitCode exit;
  private final String code;

  public CliException(ExitCode exit, String code, String message) {
    super(message);
    this.exit = exit;
    this.code = code;
  }

  public CliException(ExitCode exit, String code, String message, Throwable cause) {
    super(message, cause);
    this.exit = exit;
    this.code = code;
  }

  public ExitCode exit() {
    return exit;
  }

  /** A stable upper-case code, e.g. {@code UNKNOWN_ACCOUNT_NAME}. */
  public String code() {
    return code;
  }

  static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, "USAGE", message);
  }

  public static CliException local(String code, String message) {
    return new CliException(ExitCode.LOCAL, code, message);
  }
}
