package org.medledger.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a keystore password comes from, in this order: {@code --password-file} (its first line),
 * the MEDLEDGER_PASSWORD environment variable, an interactive prompt. Never the command line.
 */
final class Passwords {
  static final String PASSWORD_VARIABLE = "MEDLEDGER_PASSWORD";
  /** The least length accepted for a new keystore's password. */
  static final int MIN_LENGTH = 8;

  private final Path file;
  private final Env env;

  Passwords(Path file, Env env) {
    this.file = file;
    this.env = env;
  }

  /** The password of an existing keystore. */
  char[] existing(String account) throws CliException {
    char[] p = fromFileOrEnvironment();
    if (p != null) {
      return p;
    }
    requireTerminal();
    p = env.terminal().readPassword("Password for account '" + account + "': ");
    if (p == null) {
      throw noPassword();
    }
    return p;
  }

  /** The password for a new keystore: at least {@link #MIN_LENGTH} characters, typed twice at a prompt. */
  char[] fresh(String account) throws CliException {
    char[] p = fromFileOrEnvironment();
    if (p == null) {
      requireTerminal();
      p = env.terminal().readPassword("New password for account '" + account + "': ");
      char[] again = env.terminal().readPassword("Repeat the password: ");
      if (p == null || again == null) {
        throw noPassword();
      }
      boolean same = Arrays.equals(p, again);
      Arrays.fill(again, '\0');
      if (!same) {
        Arrays.fill(p, '\0');
        throw new CliException(ExitCode.KEYSTORE, "PASSWORD_MISMATCH", "the two passwords differ; nothing was written");
      }
    }
    if (p.length < MIN_LENGTH) {
      Arrays.fill(p, '\0');
      throw new CliException(ExitCode.KEYSTORE, "WEAK_PASSWORD",
          "a keystore password needs at least " + MIN_LENGTH + " characters; nothing was written");
    }
    return p;
  }

  private char[] fromFileOrEnvironment() throws CliException {
    if (file != null) {
      try {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int eol = content.indexOf('\n');
        String line = eol < 0 ? content : content.substring(0, eol);
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
          throw new CliException(ExitCode.KEYSTORE, "PASSWORD_FILE", "the password file " + file
              + " is empty (its first line is the password)");
        }
        return line.toCharArray();
      } catch (IOException e) {
        throw new CliException(ExitCode.KEYSTORE, "PASSWORD_FILE", "cannot read the password file " + file + ": "
            + Errors.cause(e), e);
      }
    }
    String v = env.variable(PASSWORD_VARIABLE);
    return v == null ? null : v.toCharArray();
  }

  private void requireTerminal() throws CliException {
    if (!env.interactive()) {
      throw noPassword();
    }
  }

  private static CliException noPassword() {
    return new CliException(ExitCode.KEYSTORE, "NO_PASSWORD",
        "no password: give --password-file <file>, set " + PASSWORD_VARIABLE + ", or run in a terminal to be asked");
  }
}
