package org.medledger.cli.chart;

import java.math.BigInteger;
import java.util.List;

/**
 * What a grouped bar chart shows: one group of bars per category (along the x axis), one bar per
 * series in each group, each bar a non-negative whole number. Immutable and checked on creation;
 * {@link PngChart} draws it, {@link TextTable#of(BarChart, String)} prints the same numbers.
 *
 * @param title the chart's title
 * @param xLabel what the categories are (e.g. "month", "ICD-10 chapter")
 * @param yLabel what the bars count (e.g. "amount (units)", "visits")
 * @param categories the groups, left to right, each a short label
 * @param series the bars of every group, in legend order
 */
public record BarChart(String title, String xLabel, String yLabel, List<String> categories, List<Series> series) {
  /** Most categories a chart takes. */
  public static final int MAX_CATEGORIES = 400;
  /** Most series a chart takes. */
  public static final int MAX_SERIES = 64;

  /**
   * One bar per category, in the order of {@link #categories()}.
   *
   * @param name the legend's label
   * @param values one value per category, each ≥ 0
   */
  public record Series(String name, List<BigInteger> values) {
    public Series {
      name = text("series name", name);
      values = List.copyOf(values);
      for (BigInteger v : values) {
        if (v.signum() < 0) {
          throw new IllegalArgumentException("a bar's value must be ≥ 0, got " + v + " in '" + name + "'");
        }
      }
    }

    /** A series of {@code long} values. */
    public static Series of(String name, long... values) {
      return new Series(name, java.util.Arrays.stream(values).mapToObj(BigInteger::valueOf).toList());
    }
  }

  public BarChart {
    title = text("title", title);
    xLabel = text("x label", xLabel);
    yLabel = text("y label", yLabel);
    categories = List.copyOf(categories);
    series = List.copyOf(series);
    if (categories.size() > MAX_CATEGORIES || series.size() > MAX_SERIES) {
      throw new IllegalArgumentException("a chart takes at most " + MAX_CATEGORIES + " categories and " + MAX_SERIES
          + " series, got " + categories.size() + " and " + series.size());
    }
    for (String c : categories) {
      text("category", c);
    }
    for (Series s : series) {
      if (s.values().size() != categories.size()) {
        throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().size() + " values for "
            + categories.size() + " categories");
      }
    }
  }

  /** The largest value of any bar, 0 for a chart without bars. */
  public BigInteger max() {
    BigInteger m = BigInteger.ZERO;
    for (Series s : series) {
      for (BigInteger v : s.values()) {
        m = m.max(v);
      }
    }
    return m;
  }

  /** Bar {@code series} of category {@code category}. */
  public BigInteger value(int series, int category) {
    return this.series.get(series).values().get(category);
  }

  private static String text(String what, String s) {
    if (s == null) {
      throw new IllegalArgumentException("a chart's " + what + " is missing");
    }
    return s;
  }
}
