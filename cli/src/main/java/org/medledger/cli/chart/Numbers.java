package org.medledger.cli.chart;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** How the charts and tables write whole numbers. */
final class Numbers {
  private static final String[] SUFFIXES = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

  private Numbers() {}

  /** Grouped by thousands, any size: 1,234,567. */
  static String grouped(BigInteger n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }

  /**
   * Short, for axis ticks: grouped below 10,000, else three significant digits and a suffix
   * (12.3k, 4.5M, … up to Y = 10^24), beyond that powers of ten (1.2e27).
   */
  static String compact(BigInteger n) {
    if (n.abs().compareTo(TEN_THOUSAND) < 0) {
      return grouped(n);
    }
    int digits = n.abs().toString().length();
    int group = (digits - 1) / 3;
    if (group <= SUFFIXES.length) {
      BigDecimal scaled = new BigDecimal(n).movePointLeft(3 * group);
      return strip(scaled.round(new java.math.MathContext(3, RoundingMode.HALF_UP))) + SUFFIXES[group - 1];
    }
    BigDecimal m = new BigDecimal(n).movePointLeft(digits - 1).setScale(1, RoundingMode.HALF_UP);
    return strip(m) + "e" + (digits - 1);
  }

  private static String strip(BigDecimal d) {
    String s = d.stripTrailingZeros().toPlainString();
    return s;
  }
}
