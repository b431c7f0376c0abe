package org.medledger.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The demo's clock: months back, runs with the clock underneath, moves on and never back. */
class DemoClockTest {
  /** A clock underneath that a test moves by hand. */
  private static final class Hand extends Clock {
    Instant now;

    Hand(String t) {
      now = Instant.parse(t);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void startsOnTheFirstOfAnEarlierMonthAndRunsOn() {
    Hand base = new Hand("2026-01-17T13:45:00Z");
    DemoClock c = DemoClock.monthsBefore(base, 2);
    assertEquals(Instant.parse("2025-11-01T08:00:00Z"), c.instant(), "two months back, across the year");
    assertEquals(YearMonth.of(2025, 11), c.month());
    base.now = base.now.plusSeconds(90);
    assertEquals(Instant.parse("2025-11-01T08:01:30Z"), c.instant(), "it runs as fast as the clock underneath");
    assertEquals(base.now, c.underlying());
    assertThrows(IllegalArgumentException.class, () -> DemoClock.monthsBefore(base, 0));
  }

  @Test
  void movesOnAndNeverBack() {
    Hand base = new Hand("2026-03-31T23:59:00Z");
    DemoClock c = DemoClock.monthsBefore(base, 2);
    assertEquals(Instant.parse("2026-01-01T08:00:00Z"), c.instant());
    c.advanceTo(Instant.parse("2026-02-01T09:00:00Z"));
    assertEquals(Instant.parse("2026-02-01T09:00:00Z"), c.instant());
    c.advanceTo(Instant.parse("2026-01-15T00:00:00Z"));
    assertEquals(Instant.parse("2026-02-01T09:00:00Z"), c.instant(), "an earlier instant does not move it back");
    base.now = base.now.plus(Duration.ofMinutes(2));
    assertEquals(Instant.parse("2026-02-01T09:02:00Z"), c.instant());
    c.advanceTo(c.underlying());
    assertEquals(Instant.parse("2026-04-01T00:01:00Z"), c.instant(), "moved on to the present, it reads the clock underneath");
    assertEquals(YearMonth.of(2026, 4), c.month());
  }
}
