package org.medledger.cli.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PNG bar chart, read back from its bytes: size, bars whose measured pixel heights are in
 * proportion to their values, legend swatches, repeatable bytes, and charts that are empty, all
 * zero, huge or full of long labels.
 */
class PngChartTest {
  @TempDir
  Path dir;

  private static BarChart chart(List<String> categories, BarChart.Series... series) {
    return new BarChart("Monthly totals per hospital", "month", "amount (units)", categories, List.of(series));
  }

  private static BufferedImage decode(byte[] png) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(img != null, "the bytes decode as an image");
    return img;
  }

  /** The height of the bar standing at column x, measured up from the baseline in pixels of colour rgb. */
  private static int measured(BufferedImage img, PngChart.Layout l, int x, int rgb) {
    int h = 0;
    while (l.baseline() - 1 - h >= 0 && (img.getRGB(x, l.baseline() - 1 - h) & 0xFFFFFF) == rgb) {
      h++;
    }
    return h;
  }

  /** round(v · plotHeight / axisMax), worked out apart from the code under test. */
  private static int expected(BigInteger v, PngChart.Layout l) {
    return new BigDecimal(v).multiply(BigDecimal.valueOf(l.plotHeight()))
        .divide(new BigDecimal(l.axisMax()), 0, RoundingMode.HALF_UP).intValueExact();
  }

  /** Checks every bar of the chart against its value, in the middle column of the bar. */
  private static void barsMatch(BufferedImage img, PngChart.Layout l, BarChart c) {
    for (int s = 0; s < c.series().size(); s++) {
      int rgb = PngChart.color(s).getRGB() & 0xFFFFFF;
      for (int k = 0; k < c.categories().size(); k++) {
        int x = l.barX(s, k) + l.barWidth() / 2;
        int h = measured(img, l, x, rgb);
        assertEquals(expected(c.value(s, k), l), h, "bar " + s + "/" + k);
      }
    }
  }

  @Test
  void barsAreAsTallAsTheirValuesInProportion() throws Exception {
    BarChart c = chart(List.of("2026-01", "2026-02", "2026-03"),
        BarChart.Series.of("St Mary", 100, 250, 0), BarChart.Series.of("City Clinic", 400, 50, 1000));
    PngChart p = new PngChart();
    byte[] png = p.png(c);
    BufferedImage img = decode(png);
    assertEquals(PngChart.DEFAULT_WIDTH, img.getWidth());
    assertEquals(PngChart.DEFAULT_HEIGHT, img.getHeight());
    PngChart.Layout l = p.layout(c);
    assertEquals(BigInteger.valueOf(1000), l.axisMax(), "1000 is a round top already");
    barsMatch(img, l, c);
    int blue = PngChart.color(0).getRGB() & 0xFFFFFF;
    int orange = PngChart.color(1).getRGB() & 0xFFFFFF;
    assertNotEquals(blue, orange);
    // The tallest bar fills the plot; the others in proportion to it (to the pixel).
    int full = measured(img, l, l.barX(1, 2) + 1, orange);
    assertEquals(l.plotHeight(), full);
    assertTrue(full > 300, "a readable plot: " + full);
    assertEquals(Math.round(full * 0.25), measured(img, l, l.barX(0, 1) + 1, blue));
    assertEquals(Math.round(full * 0.4), measured(img, l, l.barX(1, 0) + 1, orange));
    assertEquals(Math.round(full * 0.05), measured(img, l, l.barX(1, 1) + 1, orange));
    assertEquals(0, measured(img, l, l.barX(0, 2) + 1, blue), "a zero draws no bar");
    // Bars of one group sit side by side, groups apart, all inside the plot.
    assertEquals(l.barX(0, 0) + l.barWidth(), l.barX(1, 0));
    assertTrue(l.barX(1, 0) + l.barWidth() <= l.groupX(1) && l.barX(0, 1) >= l.groupX(1));
    assertTrue(l.barWidth() > 50, "wide bars for few groups: " + l.barWidth());
    // Each series' swatch is in the legend, right of the plot.
    for (int rgb : new int[] {blue, orange}) {
      boolean found = false;
      for (int x = l.plotX() + l.plotWidth() + 1; x < img.getWidth() && !found; x++) {
        for (int y = 0; y < img.getHeight() && !found; y++) {
          found = (img.getRGB(x, y) & 0xFFFFFF) == rgb;
        }
      }
      assertTrue(found, "legend swatch " + Integer.toHexString(rgb));
    }
    // Text is drawn: the title band and the label band below the axis are not blank.
    assertTrue(nonWhite(img, 0, 0, img.getWidth(), l.plotY()) > 50);
    assertTrue(nonWhite(img, l.plotX(), l.baseline() + 2, l.plotWidth(), img.getHeight() - l.baseline() - 2) > 50);
  }

  private static int nonWhite(BufferedImage img, int x0, int y0, int w, int h) {
    int n = 0;
    for (int x = x0; x < x0 + w; x++) {
      for (int y = y0; y < y0 + h; y++) {
        n += (img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void theSameChartGivesTheSameBytesAndAnotherChartOthers() throws Exception {
    BarChart a = chart(List.of("I", "II", "IX"), BarChart.Series.of("visits", 3, 0, 12));
    BarChart b = chart(List.of("I", "II", "IX"), BarChart.Series.of("visits", 3, 1, 12));
    PngChart p = new PngChart(800, 480);
    assertArrayEquals(p.png(a), new PngChart(800, 480).png(a));
    assertFalse(java.util.Arrays.equals(p.png(a), p.png(b)));
    Path f = dir.resolve("chart.png");
    p.write(a, f);
    assertArrayEquals(p.png(a), Files.readAllBytes(f));
    assertFalse(Files.exists(dir.resolve("chart.png.tmp")));
    BufferedImage img = ImageIO.read(f.toFile());
    assertEquals(800, img.getWidth());
    assertEquals(480, img.getHeight());
  }

  @Test
  void emptyAndAllZeroChartsDraw() throws Exception {
    PngChart p = new PngChart();
    BufferedImage none = decode(p.png(chart(List.of())));
    assertEquals(PngChart.DEFAULT_WIDTH, none.getWidth());
    BufferedImage noSeries = decode(p.png(chart(List.of("2026-01"))));
    assertEquals(PngChart.DEFAULT_HEIGHT, noSeries.getHeight());
    BarChart zeros = chart(List.of("a", "b"), BarChart.Series.of("x", 0, 0), BarChart.Series.of("y", 0, 0));
    PngChart.Layout l = p.layout(zeros);
    assertEquals(BigInteger.ONE, l.axisMax());
    BufferedImage img = decode(p.png(zeros));
    barsMatch(img, l, zeros);
    assertEquals(0, measured(img, l, l.barX(0, 0) + 1, PngChart.color(0).getRGB() & 0xFFFFFF));
  }

  @Test
  void hugeValuesStayInProportion() throws Exception {
    BigInteger huge = BigInteger.ONE.shiftLeft(80).add(BigInteger.valueOf(12345));
    BarChart c = new BarChart("fees", "month", "units", List.of("a", "b", "c", "d"), List.of(new BarChart.Series("h",
        List.of(huge, huge.shiftRight(1), BigInteger.ONE, BigInteger.ZERO))));
    PngChart p = new PngChart();
    PngChart.Layout l = p.layout(c);
    assertTrue(l.axisMax().compareTo(huge) >= 0 && l.axisMax().compareTo(huge.multiply(BigInteger.TWO)) <= 0);
    BufferedImage img = decode(p.png(c));
    barsMatch(img, l, c);
    int full = measured(img, l, l.barX(0, 0) + 1, PngChart.color(0).getRGB() & 0xFFFFFF);
    int half = measured(img, l, l.barX(0, 1) + 1, PngChart.color(0).getRGB() & 0xFFFFFF);
    assertTrue(Math.abs(full - 2 * half) <= 1, full + " vs " + half);
    assertTrue(full > l.plotHeight() / 2);
    assertEquals("1.2e27", Numbers.compact(BigInteger.TEN.pow(27).multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN)));
    assertEquals("1.21Y", Numbers.compact(BigInteger.ONE.shiftLeft(80)));
    assertEquals("9,999", Numbers.compact(BigInteger.valueOf(9_999)));
    assertEquals("12.5k", Numbers.compact(BigInteger.valueOf(12_500)));
  }

  @Test
  void longLabelsAreTurnedAndShortenedAndLeaveThePlotReadable() throws Exception {
    String longText = "Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism ".repeat(3);
    List<String> cats = new ArrayList<>();
    List<BarChart.Series> series = new ArrayList<>();
    for (int i = 0; i < 22; i++) {
      cats.add(i + " " + longText);
    }
    for (int s = 0; s < 8; s++) {
      series.add(BarChart.Series.of("hospital " + s + " " + longText, new long[22]));
    }
    long[] v = new long[22];
    for (int i = 0; i < 22; i++) {
      v[i] = i * 7L;
    }
    series.set(0, BarChart.Series.of("first", v));
    BarChart c = new BarChart(longText, longText, longText, cats, series);
    PngChart p = new PngChart(900, 600);
    PngChart.Layout l = p.layout(c);
    assertTrue(l.uprightLabels());
    assertEquals(900, l.width(), "22 × 8 bars fit in 900 px");
    assertTrue(l.barWidth() >= PngChart.MIN_BAR, "bars of " + l.barWidth() + " px");
    assertTrue(l.plotHeight() >= 600 / 3, "labels take at most 30% of the height: " + l.plotHeight());
    assertTrue(l.plotWidth() >= 900 / 2, "the legend takes at most a quarter of the width: " + l.plotWidth());
    BufferedImage img = decode(p.png(c));
    assertEquals(600, img.getHeight());
    barsMatch(img, l, c);
  }

  @Test
  void tooManyBarsWidenTheImageUpToItsLimit() throws Exception {
    List<String> cats = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      cats.add("c" + i);
    }
    BarChart c = chart(cats, BarChart.Series.of("a", new long[300]), BarChart.Series.of("b", new long[300]),
        BarChart.Series.of("c", new long[300]));
    PngChart.Layout l = new PngChart(600, 400).layout(c);
    assertTrue(l.width() > 600 && l.width() <= PngChart.MAX_SIDE, "widened to " + l.width());
    assertTrue(l.barWidth() >= PngChart.MIN_BAR, "bars of " + l.barWidth() + " px");
    assertEquals(l.width(), decode(new PngChart(600, 400).png(c)).getWidth());
    List<BarChart.Series> many = new ArrayList<>();
    for (int s = 0; s < BarChart.MAX_SERIES; s++) {
      many.add(BarChart.Series.of("s" + s, new long[BarChart.MAX_CATEGORIES]));
    }
    List<String> most = new ArrayList<>();
    for (int i = 0; i < BarChart.MAX_CATEGORIES; i++) {
      most.add("c" + i);
    }
    assertThrows(IllegalArgumentException.class, () -> new PngChart().layout(chart(most, many.toArray(BarChart.Series[]::new))));
  }

  @Test
  void badChartsAndSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> chart(List.of("a"), BarChart.Series.of("x", -1)));
    assertThrows(IllegalArgumentException.class, () -> chart(List.of("a", "b"), BarChart.Series.of("x", 1)));
    assertThrows(IllegalArgumentException.class, () -> new PngChart(PngChart.MIN_WIDTH - 1, 600));
    assertThrows(IllegalArgumentException.class, () -> new PngChart(800, PngChart.MAX_SIDE + 1));
    assertThrows(IllegalArgumentException.class, () -> new BarChart(null, "x", "y", List.of(), List.of()));
  }

  @Test
  void theScaleIsARoundNumberOfAtMostFiveSteps() {
    for (long max : new long[] {1, 4, 5, 7, 10, 99, 100, 101, 999, 1234, 55_555, 1_000_000, 987_654_321_012L}) {
      BigInteger[] s = PngChart.scale(BigInteger.valueOf(max));
      BigInteger top = s[0];
      BigInteger step = s[1];
      assertTrue(top.compareTo(BigInteger.valueOf(max)) >= 0, max + " → " + top);
      assertEquals(0, top.mod(step).signum());
      long steps = top.divide(step).longValueExact();
      assertTrue(steps >= 1 && steps <= 5, max + ": " + steps + " steps");
      assertTrue(top.subtract(step).compareTo(BigInteger.valueOf(max)) < 0, "no empty step above " + max);
      String digits = step.toString().replaceAll("0+$", "");
      assertTrue(List.of("1", "2", "5").contains(digits), "step " + step);
    }
  }
}
