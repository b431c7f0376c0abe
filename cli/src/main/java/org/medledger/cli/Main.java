package org.medledger.cli;

/** The {@code medledger} executable. */
public final class Main {
  private Main() {}

  /** Held so that the logger configuration is not garbage-collected. */
  private static final java.util.logging.Logger ROOT_LOGGER = java.util.logging.Logger.getLogger("");

  public static void main(String[] args) {
    // Libraries (gRPC) log to stderr through java.util.logging; an error must stay one line, so
    // their messages show only under --verbose.
    boolean verbose = java.util.Arrays.asList(args).contains("-v") || java.util.Arrays.asList(args).contains("--verbose");
    ROOT_LOGGER.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.OFF);
    int code = MedLedger.run(Env.system(), args);
    System.exit(code);
  }
}
