package org.medledger.cli;

import java.util.Locale;

/**
 * A progress line on stderr for work of unknown length (a prime search, a key proof): on a
 * terminal, a spinner with the elapsed time, replaced by a "done" line at the end or erased if the
 * work failed (so that an error stays one line). Without a terminal it prints nothing.
 */
final class Progress implements AutoCloseable {
  private static final char[] SPIN = {'|', '/', '-', '\\'};
  private final Env env;
  private final String what;
  private final long start = System.nanoTime();
  private final Thread ticker;
  private volatile boolean done;
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

  static Progress start(Env env, String what) {
    return new Progress(env, what);
  }

  /** Marks the work as finished, so that closing reports it done rather than stopped. */
  long succeeded() {
    succeeded = true;
    return elapsedMillis();
  }

  long elapsedMillis() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void tick() {
    for (int i = 0; !done; i++) {
      synchronized (env.err()) {
        env.err().print(String.format(Locale.ROOT, "\r%s %c %.1f s ", what, SPIN[i % SPIN.length], elapsedMillis() / 1000.0));
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
        env.err().println(String.format(Locale.ROOT, "\r%s: done in %.1f s ", what, elapsedMillis() / 1000.0));
      } else {
        env.err().print("\r" + " ".repeat(what.length() + 12) + "\r");
      }
      env.err().flush();
    }
  }
}
