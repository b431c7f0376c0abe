package org.medledger.cli;

import java.util.Locale;

/**
 * A progress line on stderr for work of unknown length (a prime search, a key proof): on a
 * terminal, a spinner with the elapsed time, replaced by a "done" line at the end or erased if the
 * work failed (so that an error stays one line). Without a terminal it prints nothing.
 */
public final class Progress implements AutoCloseable {
  private static final char[] SPIN = {'|', '/', '-', '\\'};
  private final Env env;
  private final String what;
  private final long start = System.nanoTime();
  private final Thread ticker;
  private volatile boolean done;
  private volatile String detail = "";
  private boolean succeeded;

  private Progress(Env env, String what) {
    this.env = env;
    this.what = what;
    if (env.interactive()) {
      ticker = new Thread(this::tick, "medledger-progress");
      ticker.setDaemon(true);
      ticker.start();
    } else {
      ticker = null;
    }
  }

  public static Progress start(Env env, String what) {
    return new Progress(env, what);
  }

  /** What is done so far (e.g. "safe primes 1/2"), shown after the spinner; "" for nothing. */
  public void detail(String text) {
    detail = text == null ? "" : text;
  }

  /** Marks the work as finished, so that closing reports it done rather than stopped. */
  public long succeeded() {
    succeeded = true;
    return elapsedMillis();
  }

  public long elapsedMillis() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void tick() {
    int printed = 0;
    for (int i = 0; !done; i++) {
      synchronized (env.err()) {
        String d = detail;
        String line = String.format(Locale.ROOT, "\r%s %c %.1f s %s", what, SPIN[i % SPIN.length], elapsedMillis() / 1000.0,
            d.isEmpty() ? "" : "(" + d + ") ");
        env.err().print(line + " ".repeat(Math.max(0, printed - line.length())));
        printed = line.length();
        env.err().flush();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    done = true;
    if (ticker == null) {
      return;
    }
    ticker.interrupt();
    try {
      ticker.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (env.err()) {
      if (succeeded) {
        env.err().println(String.format(Locale.ROOT, "\r%s: done in %.1f s %s", what, elapsedMillis() / 1000.0,
            " ".repeat(detail.length() + 3)));
      } else {
        env.err().print("\r" + " ".repeat(what.length() + detail.length() + 16) + "\r");
      }
      env.err().flush();
    }
  }
}
