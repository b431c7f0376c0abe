package org.medledger.bench.stats;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Collection;

/**
 * Median, quartiles, extremes and total of a set of samples (ms), the order statistics every CPU-time
 * harness here reports ({@code CpuTimeHarness} prints these): of n sorted samples, the median is the {@code n / 2}-th, the quartiles the
 * {@code n / 4}-th and {@code 3n / 4}-th (0-based).
 */
public record Summary(int n, double median, double q1, double q3, double min, double max, double total) {

  public Summary {
    if (n < 1) {
      throw new IllegalArgumentException("no samples");
    }
  }

  public static Summary of(Collection<Double> samples) {
    return of(samples.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public static Summary of(double... samples) {
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    if (n == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double total = 0;
    for (double v : s) {
      total += v;
    }
    return new Summary(n, s[n / 2], s[n / 4], s[(3 * n) / 4], s[0], s[n - 1], total);
  }

  /** The summary as JSON members {@code <prefix>median_ms} etc., values rounded to µs. */
  public void addTo(JsonObject o, String prefix) {
    o.addProperty(prefix + "median_ms", round(median));
    o.addProperty(prefix + "q1_ms", round(q1));
    o.addProperty(prefix + "q3_ms", round(q3));
    o.addProperty(prefix + "min_ms", round(min));
    o.addProperty(prefix + "max_ms", round(max));
    o.addProperty(prefix + "total_ms", round(total));
    o.addProperty(prefix + "samples", n);
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
