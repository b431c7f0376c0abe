package org.medledger.cli;

/** The {@code medledger} executable. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = MedLedger.run(Env.system(), args);
    System.exit(code);
  }
}
