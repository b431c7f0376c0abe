package org.medledger.cli.chart;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws a {@link BarChart} as a PNG with Java2D, headless: title, y axis with a "nice" scale and
 * grid, grouped bars, category labels (turned upright and shortened with "…" when they do not fit
 * side by side), axis labels and a legend. The same chart gives the same pixels on the same JVM and
 * fonts, and the PNG encoder adds no time stamp, so the file's bytes repeat too.
 *
 * <p>A bar of value v is {@code round(v · plotHeight / axisMax)} pixels tall ({@link
 * Layout#barHeight}), computed in whole numbers, so values of any size are drawn in proportion. The
 * image is the requested size, widened only when the bars would be narrower than {@value #MIN_BAR}
 * pixels.
 */
public final class PngChart {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  public static final int DEFAULT_WIDTH = 1200;
  public static final int DEFAULT_HEIGHT = 700;
  public static final int MIN_WIDTH = 480;
  public static final int MIN_HEIGHT = 320;
  public static final int MAX_SIDE = 8000;
  /** The narrowest bar drawn, in pixels; a chart with more bars than fit is widened. */
  public static final int MIN_BAR = 2;

  private static final int PAD = 16;
  private static final Color AXIS = new Color(0x333333);
  private static final Color GRID = new Color(0xDDDDDD);
  private static final Color TEXT = new Color(0x111111);
  private static final int[] PALETTE = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1,
      0xFF9DA7, 0x9C755F, 0xBAB0AC};
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
  private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private final int width;
  private final int height;

  /** A chart of {@code width} × {@code height} pixels, each in [{@value #MIN_WIDTH} or {@value #MIN_HEIGHT}, {@value #MAX_SIDE}]. */
  public PngChart(int width, int height) {
    if (width < MIN_WIDTH || height < MIN_HEIGHT || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException("a chart is " + MIN_WIDTH + ".." + MAX_SIDE + " × " + MIN_HEIGHT + ".."
          + MAX_SIDE + " pixels, got " + width + " × " + height);
    }
    this.width = width;
    this.height = height;
  }

  public PngChart() {
    this(DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /** The colour of series {@code i}: ten distinct hues, darker on each further round. */
  public static Color color(int i) {
    Color base = new Color(PALETTE[i % PALETTE.length]);
    int round = i / PALETTE.length;
    if (round == 0) {
      return base;
    }
    double f = Math.max(0.25, 1.0 - 0.11 * round);
    return new Color((int) (base.getRed() * f), (int) (base.getGreen() * f), (int) (base.getBlue() * f));
  }

  /**
   * Where everything goes: the image size, the plot area (bars stand on its bottom edge, {@code
   * baseline}, the row just below the plot), the scale and the bars' columns.
   */
  public record Layout(int width, int height, int plotX, int plotY, int plotWidth, int plotHeight, BigInteger axisMax,
      BigInteger step, int categories, int series, int barWidth, boolean uprightLabels) {
    /** The y of the axis line; a bar of height h fills rows baseline−h .. baseline−1. */
    public int baseline() {
      return plotY + plotHeight;
    }

    /** The height in pixels of a bar of {@code value}: round(value · plotHeight / axisMax). */
    public int barHeight(BigInteger value) {
      BigInteger twice = value.multiply(BigInteger.valueOf(2L * plotHeight)).add(axisMax);
      return twice.divide(axisMax.shiftLeft(1)).intValueExact();
    }

    /** First column of category {@code c}'s group (c = categories gives the plot's right edge). */
    public int groupX(int c) {
      return plotX + (int) ((long) c * plotWidth / categories);
    }

    /** First column of the bar of series {@code s} in category {@code c}. */
    public int barX(int s, int c) {
      int group = groupX(c + 1) - groupX(c);
      return groupX(c) + (group - barWidth * series) / 2 + s * barWidth;
    }
  }

  /** The layout of {@code chart} on this image size. */
  public Layout layout(BarChart chart) {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      return layout(chart, g);
    } finally {
      g.dispose();
    }
  }

  private Layout layout(BarChart chart, Graphics2D g) {
    int nc = chart.categories().size();
    int ns = chart.series().size();
    BigInteger[] scale = scale(chart.max());
    FontMetrics small = g.getFontMetrics(SMALL);
    FontMetrics label = g.getFontMetrics(LABEL);
    int tickWidth = 0;
    for (BigInteger t = BigInteger.ZERO; t.compareTo(scale[0]) <= 0; t = t.add(scale[1])) {
      tickWidth = Math.max(tickWidth, small.stringWidth(Numbers.compact(t)));
    }
    int left = PAD + label.getHeight() + 8 + tickWidth + 8;
    int legend = ns == 0 ? 0 : Math.min(legendWidth(chart, small), width / 4) + PAD;
    int right = PAD + legend;
    int w = width;
    int bars = Math.max(1, ns) * MIN_BAR;
    int needed = nc * Math.max(bars + 2, (bars * 10 + 7) / 8);
    if (w - left - right < needed) {
      w = Math.min(MAX_SIDE, left + right + needed);
      if (w - left - right < needed) {
        throw new IllegalArgumentException("too many bars (" + nc + " × " + ns + ") for a " + MAX_SIDE + "-pixel-wide chart");
      }
    }
    int plotW = w - left - right;
    int minGroup = nc == 0 ? plotW : plotW / nc;
    int barW = ns == 0 ? 0 : Math.max(1, Math.min(minGroup * 8 / 10, minGroup - 2) / ns);
    int longest = 0;
    for (String c : chart.categories()) {
      longest = Math.max(longest, small.stringWidth(c));
    }
    boolean upright = nc > 0 && longest > minGroup - 4;
    int labelArea = upright ? Math.min(longest, height * 3 / 10) + 6 : small.getHeight() + 6;
    int top = PAD + g.getFontMetrics(TITLE).getHeight() + PAD / 2;
    int bottom = PAD + label.getHeight() + 4 + labelArea;
    int plotH = height - top - bottom;
    return new Layout(w, height, left, top, plotW, plotH, scale[0], scale[1], nc, ns, barW, upright);
  }

  /** {axisMax, step}: a step of 1, 2 or 5 times a power of ten, at most five steps to the top. */
  static BigInteger[] scale(BigInteger max) {
    if (max.signum() == 0) {
      return new BigInteger[] {BigInteger.ONE, BigInteger.ONE};
    }
    BigInteger target = ceilDiv(max, BigInteger.valueOf(5));
    BigInteger magnitude = BigInteger.TEN.pow(target.toString().length() - 1);
    BigInteger step = magnitude;
    for (int m : new int[] {1, 2, 5, 10}) {
      step = magnitude.multiply(BigInteger.valueOf(m));
      if (step.compareTo(target) >= 0) {
        break;
      }
    }
    return new BigInteger[] {ceilDiv(max, step).multiply(step), step};
  }

  private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  private static int legendWidth(BarChart chart, FontMetrics fm) {
    int w = 0;
    for (BarChart.Series s : chart.series()) {
      w = Math.max(w, fm.stringWidth(s.name()));
    }
    return w + 12 + 8 + 4;
  }

  /** Draws {@code chart}. */
  public BufferedImage render(BarChart chart) {
    Layout l = layout(chart);
    BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, l.width(), l.height());
      drawFrame(g, chart, l);
      drawBars(g, chart, l);
      drawCategoryLabels(g, chart, l);
      drawLegend(g, chart, l);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void drawFrame(Graphics2D g, BarChart chart, Layout l) {
    g.setColor(TEXT);
    g.setFont(TITLE);
    FontMetrics tf = g.getFontMetrics();
    String title = ellipsize(chart.title(), tf, l.width() - 2 * PAD);
    g.drawString(title, (l.width() - tf.stringWidth(title)) / 2, PAD + tf.getAscent());
    g.setFont(SMALL);
    FontMetrics sf = g.getFontMetrics();
    for (BigInteger t = BigInteger.ZERO; t.compareTo(l.axisMax()) <= 0; t = t.add(l.step())) {
      int y = l.baseline() - l.barHeight(t);
      if (t.signum() > 0) {
        g.setColor(GRID);
        g.drawLine(l.plotX(), y, l.plotX() + l.plotWidth() - 1, y);
      }
      g.setColor(TEXT);
      String s = Numbers.compact(t);
      g.drawString(s, l.plotX() - 8 - sf.stringWidth(s), y + sf.getAscent() / 2 - 1);
    }
    g.setColor(AXIS);
    g.drawLine(l.plotX() - 1, l.plotY(), l.plotX() - 1, l.baseline());
    g.drawLine(l.plotX() - 1, l.baseline(), l.plotX() + l.plotWidth() - 1, l.baseline());
    g.setFont(LABEL);
    FontMetrics lf = g.getFontMetrics();
    g.setColor(TEXT);
    String x = ellipsize(chart.xLabel(), lf, l.plotWidth());
    g.drawString(x, l.plotX() + (l.plotWidth() - lf.stringWidth(x)) / 2, l.height() - PAD - lf.getDescent());
    String y = ellipsize(chart.yLabel(), lf, l.plotHeight());
    AffineTransform saved = g.getTransform();
    g.translate(PAD + lf.getAscent(), l.plotY() + (l.plotHeight() + lf.stringWidth(y)) / 2);
    g.rotate(-Math.PI / 2);
    g.drawString(y, 0, 0);
    g.setTransform(saved);
    if (l.categories() == 0 || l.series() == 0) {
      String none = "no data";
      g.drawString(none, l.plotX() + (l.plotWidth() - lf.stringWidth(none)) / 2, l.plotY() + l.plotHeight() / 2);
    }
  }

  private static void drawBars(Graphics2D g, BarChart chart, Layout l) {
    for (int s = 0; s < l.series(); s++) {
      g.setColor(color(s));
      for (int c = 0; c < l.categories(); c++) {
        int h = l.barHeight(chart.value(s, c));
        if (h > 0) {
          g.fillRect(l.barX(s, c), l.baseline() - h, l.barWidth(), h);
        }
      }
    }
  }

  private static void drawCategoryLabels(Graphics2D g, BarChart chart, Layout l) {
    g.setFont(SMALL);
    g.setColor(TEXT);
    FontMetrics fm = g.getFontMetrics();
    int top = l.baseline() + 6;
    if (!l.uprightLabels()) {
      for (int c = 0; c < l.categories(); c++) {
        int x0 = l.groupX(c);
        int gw = l.groupX(c + 1) - x0;
        String s = ellipsize(chart.categories().get(c), fm, gw - 2);
        g.drawString(s, x0 + (gw - fm.stringWidth(s)) / 2, top + fm.getAscent());
      }
      return;
    }
    int room = l.height() * 3 / 10;
    int every = Math.max(1, (fm.getHeight() + l.plotWidth() / l.categories() - 1) / Math.max(1, l.plotWidth() / l.categories()));
    for (int c = 0; c < l.categories(); c += every) {
      int x0 = l.groupX(c);
      int gw = l.groupX(c + 1) - x0;
      String s = ellipsize(chart.categories().get(c), fm, room);
      AffineTransform saved = g.getTransform();
      g.translate(x0 + gw / 2 + fm.getAscent() / 2 - 1, top + fm.stringWidth(s));
      g.rotate(-Math.PI / 2);
      g.drawString(s, 0, 0);
      g.setTransform(saved);
    }
  }

  private static void drawLegend(Graphics2D g, BarChart chart, Layout l) {
    if (l.series() == 0) {
      return;
    }
    g.setFont(SMALL);
    FontMetrics fm = g.getFontMetrics();
    int x = l.plotX() + l.plotWidth() + PAD;
    int room = l.width() - x - PAD - 20;
    int row = Math.max(fm.getHeight(), 14) + 4;
    int fit = Math.max(1, l.plotHeight() / row);
    List<BarChart.Series> series = chart.series();
    for (int s = 0; s < series.size(); s++) {
      int y = l.plotY() + s * row;
      if (s == fit - 1 && series.size() > fit) {
        g.setColor(TEXT);
        g.drawString(ellipsize("+" + (series.size() - s) + " more", fm, room + 20), x, y + fm.getAscent());
        return;
      }
      g.setColor(color(s));
      g.fillRect(x, y + (fm.getHeight() - 12) / 2, 12, 12);
      g.setColor(TEXT);
      g.drawString(ellipsize(series.get(s).name(), fm, room), x + 20, y + fm.getAscent());
    }
  }

  /** {@code s}, shortened to "…" at its end if wider than {@code max} pixels ("" if not even "…" fits). */
  static String ellipsize(String s, FontMetrics fm, int max) {
    if (fm.stringWidth(s) <= max) {
      return s;
    }
    int[] cps = s.codePoints().toArray();
    for (int n = cps.length - 1; n >= 0; n--) {
      String t = new String(cps, 0, n).stripTrailing() + "…";
      if (fm.stringWidth(t) <= max) {
        return t;
      }
    }
    return "";
  }

  /** The chart as PNG bytes. */
  public byte[] png(BarChart chart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(render(chart), "png", out)) {
        throw new IllegalStateException("this Java has no PNG encoder");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes the chart's PNG to {@code file}, through a temporary sibling moved into place. */
  public void write(BarChart chart, Path file) throws IOException {
    byte[] bytes = png(chart);
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
