package org.medledger.cli.demo;

import org.medledger.cli.Env;

/** The demo's voice: numbered headings and indented lines on stdout, or nothing under {@code --json}. */
final class Narrator {
  private final Env env;
  private final boolean narrate;
  private int stepNumber;

  Narrator(Env env, boolean narrate) {
    this.env = env;
    this.narrate = narrate;
  }

  Env env() {
    return env;
  }

  void heading(String text) {
    say("");
    say(String.format("%2d. %s", ++stepNumber, text));
  }

  void say(String line) {
    if (narrate) {
      env.out().println(line);
      env.out().flush();
    }
  }

  static String amount(long a) {
    return String.format("%,d", a);
  }
}
