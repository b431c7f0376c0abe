package org.medledger.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of the command sees of the outside world: environment variables, the user's home,
 * the terminal (for password prompts) and the output streams. Tests pass their own.
 *
 * @param variables environment variables (MEDLEDGER_HOME, MEDLEDGER_PASSWORD)
 * @param userHome where {@code ~/.medledger} lives by default
 * @param terminal the interactive terminal, or null when there is none
 */
public record Env(Map<String, String> variables, Path userHome, Terminal terminal, PrintWriter out, PrintWriter err) {

  /** An interactive terminal: reads passwords without echo and can redraw a status line. */
  public interface Terminal {
    /** Reads a password without echo; null at end of input. */
    char[] readPassword(String prompt);
  }

  /** The process's environment, home, console and standard streams. */
  public static Env system() {
    Console console = System.console();
    Terminal terminal = console == null ? null : prompt -> console.readPassword("%s", prompt);
    return new Env(System.getenv(), Path.of(System.getProperty("user.home")), terminal,
        new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }

  public String variable(String name) {
    String v = variables.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  public boolean interactive() {
    return terminal != null;
  }
}
