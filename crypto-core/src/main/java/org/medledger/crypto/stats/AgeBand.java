package org.medledger.crypto.stats;

import java.util.List;

/**
 * The age bands of a statistical contribution (docs/protocol.md §11.1): ten bands of completed years
 * at the visit, 0–4, 5–14, then ten-year bands up to 75–84, and 85 and over. Like {@link
 * IcdChapter}, the order is the one-hot index and part of the wire format ({@link #LIST_ID}).
 */
public enum AgeBand {
  Y0_4(0, 4),
  Y5_14(5, 14),
  Y15_24(15, 24),
  Y25_34(25, 34),
  Y35_44(35, 44),
  Y45_54(45, 54),
  Y55_64(55, 64),
  Y65_74(65, 74),
  Y75_84(75, 84),
  Y85_PLUS(85, 150);

  /** Names this list and its order in every transcript and encoding that uses it. */
  public static final String LIST_ID = "age-bands/0-4,5-14,10y..75-84,85+/10";
  /** Number of bands: the length of the age one-hot vector. */
  public static final int COUNT = 10;
  /** The largest age {@link #of(int)} accepts. */
  public static final int MAX_AGE = 150;

  private static final List<AgeBand> ALL = List.of(values());

  private final int from;
  private final int to;

  AgeBand(int from, int to) {
    this.from = from;
    this.to = to;
  }

  /** First age (completed years) in the band. */
  public int from() {
    return from;
  }

  /** Last age in the band ({@link #MAX_AGE} for the open top band). */
  public int to() {
    return to;
  }

  /** The one-hot index, 0 for 0–4. */
  public int index() {
    return ordinal();
  }

  /** Human-readable label, e.g. "25–34" or "85+". */
  public String label() {
    return to == MAX_AGE ? from + "+" : from + "–" + to;
  }

  /** The band of an age in completed years, 0 ≤ age ≤ {@link #MAX_AGE}. */
  public static AgeBand of(int age) {
    if (age < 0 || age > MAX_AGE) {
      throw new IllegalArgumentException("age must lie in [0, " + MAX_AGE + "]");
    }
    for (AgeBand b : ALL) {
      if (age <= b.to) {
        return b;
      }
    }
    throw new AssertionError("bands cover [0, MAX_AGE]");
  }

  /** The band with the given one-hot index. */
  public static AgeBand ofIndex(int index) {
    if (index < 0 || index >= COUNT) {
      throw new IllegalArgumentException("no age band with index " + index);
    }
    return ALL.get(index);
  }
}
