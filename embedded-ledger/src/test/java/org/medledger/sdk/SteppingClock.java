package org.medledger.sdk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for the ledger tests: one fixed step further at each reading, as time passes between
 * calls, so transaction timestamps are distinct and repeatable. With a step of zero it stands
 * still and moves only when the test moves it ({@link #advance}, {@link #set}).
 */
public final class SteppingClock extends Clock {
  private final Duration step;
  private Instant now;

  /**
   * A clock that reads {@code start + step} first.
   *
   * @param start the instant before the first reading
   * @param step how far each reading moves on ({@link Duration#ZERO}: a clock the test moves by hand)
   */
  public SteppingClock(Instant start, Duration step) {
    this.now = start;
    this.step = step;
  }

  /**
   * A clock that moves on one second at each reading.
   *
   * @param start the instant before the first reading, e.g. {@code "2026-02-01T09:00:00Z"}
   */
  public SteppingClock(String start) {
    this(Instant.parse(start), Duration.ofSeconds(1));
  }

  /** Moves the clock on to {@code t} (never back): the next reading is {@code t + step}. */
  public synchronized void jumpTo(Instant t) {
    if (t.isAfter(now)) {
      now = t;
    }
  }

  /** Moves the clock on by {@code d}. */
  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  /** Sets the clock to {@code t}, back or forth: the next reading is {@code t + step}. */
  public synchronized void set(Instant t) {
    now = t;
  }

  @Override
  public synchronized Instant instant() {
    now = now.plus(step);
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
