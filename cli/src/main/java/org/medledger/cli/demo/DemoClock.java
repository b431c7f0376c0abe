package org.medledger.cli.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The clock of the demo's embedded ledger: every transaction and query the demo's clients send is
 * stamped with it (docs/cli.md §5). It runs as fast as the clock underneath it, from the first day
 * of a month some months back; the statistics step moves it on, to the next month and then to the
 * present, so that months pass on the ledger without anyone waiting for them. It never goes back.
 * A Fabric network stamps with its clients' real clocks, which the demo does not move.
 */
public final class DemoClock extends Clock {
  /** How the narration writes an instant of this clock. */
  static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Clock base;
  private Duration offset;

  private DemoClock(Clock base, Duration offset) {
    this.base = base;
    this.offset = offset;
  }

  /** A clock that reads 08:00 UTC on the first day of the month {@code months} before {@code base}'s month, and runs on from there. */
  public static DemoClock monthsBefore(Clock base, int months) {
    if (months < 1) {
      throw new IllegalArgumentException("months must be at least 1");
    }
    Instant now = base.instant();
    Instant start = firstOf(YearMonth.from(now.atZone(ZoneOffset.UTC)).minusMonths(months)).plus(Duration.ofHours(8));
    return new DemoClock(base, Duration.between(now, start));
  }

  /** The first instant of {@code month} (UTC). */
  static Instant firstOf(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The month (UTC) this clock reads now. */
  YearMonth month() {
    return YearMonth.from(instant().atZone(ZoneOffset.UTC));
  }

  /** What the clock underneath reads now (the real time, unless a test gave another clock). */
  Instant underlying() {
    return base.instant();
  }

  /** Moves the clock on to {@code t}, if {@code t} is later than what it reads; never back. */
  synchronized void advanceTo(Instant t) {
    Instant now = instant();
    if (t.isAfter(now)) {
      offset = offset.plus(Duration.between(now, t));
    }
  }

  @Override
  public synchronized Instant instant() {
    return base.instant().plus(offset);
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
