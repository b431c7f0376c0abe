package org.medledger.bench.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG charts of an end-to-end result (Java2D, headless): throughput against concurrency, latency
 * percentiles, and CPU milliseconds per committed payment by process group.
 */
public final class Charts {
  private static final int W = 760;
  private static final int H = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 85;
  /** Legend entries per row; the rows sit below the x axis, up to {@link #LEGEND_ROWS}. */
  static final int LEGEND_PER_ROW = 4;
  static final int LEGEND_ROWS = 3;
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22),
      new Color(0x7f7f7f)};

  private Charts() {}

  /** Rewrites the charts from a results file: {@code Charts <e2e.json> <image dir>}. */
  public static void main(String[] args) throws IOException {
    write(com.google.gson.JsonParser.parseString(Files.readString(Path.of(args[0]))).getAsJsonObject(), Path.of(args[1]));
  }

  static void write(JsonObject result, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<JsonObject> runs = new ArrayList<>();
    for (JsonElement e : result.getAsJsonArray("runs")) {
      runs.add(e.getAsJsonObject());
    }
    String note = "2048-bit keys, " + result.getAsJsonObject("machine").get("cores").getAsInt() + " cores, load avg at start "
        + result.getAsJsonObject("machine").get("loadAverageAtStart").getAsString();
    throughput(runs, note, dir.resolve("e2e-throughput.png"));
    latency(runs, note, dir.resolve("e2e-latency.png"));
    cpu(runs, note, dir.resolve("e2e-cpu.png"));
  }

  private static void throughput(List<JsonObject> runs, String note, Path out) throws IOException {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    double maxX = 1;
    double maxY = 0.1;
    for (JsonObject r : runs) {
      double x = r.get("concurrency").getAsDouble();
      double y = r.get("throughputTps").getAsDouble();
      series.computeIfAbsent(r.get("mode").getAsString(), k -> new ArrayList<>()).add(new double[] {x, y});
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    maxY = niceCeil(maxY * 1.15);
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, "Committed confidential payments per second", note);
    axes(g, "concurrent payers", "payments/s (floor rows: tx/s)", 0, maxX, maxY);
    int i = 0;
    for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
      g.setColor(PALETTE[i % PALETTE.length]);
      g.setStroke(new BasicStroke(2.5f));
      int[] prev = null;
      for (double[] p : s.getValue()) {
        int[] q = {px(p[0], maxX), py(p[1], maxY)};
        g.fillOval(q[0] - 4, q[1] - 4, 8, 8);
        g.drawString(String.format(p[1] < 10 ? "%.2f" : "%.1f", p[1]), q[0] + 6, q[1] - 6 - (i % 3) * 11);
        if (prev != null) {
          g.drawLine(prev[0], prev[1], q[0], q[1]);
        }
        prev = q;
      }
      legend(g, i, seriesName(s.getKey()));
      i++;
    }
    g.setColor(Color.GRAY);
    g.drawString("goal (issue 6): 100 tx/s" + (maxY < 100 ? ", off this scale" : ""), LEFT + 10, TOP + 14);
    save(g, img, out);
  }

  private static void latency(List<JsonObject> runs, String note, Path out) throws IOException {
    String[] pct = {"p50", "p90", "p99", "max"};
    double maxY = 1;
    for (JsonObject r : runs) {
      JsonObject l = r.getAsJsonObject("submitToCommitMs");
      if (l.has("max")) {
        maxY = Math.max(maxY, l.get("max").getAsDouble());
      }
    }
    maxY = niceCeil(maxY * 1.1);
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, "Submit-to-commit latency per transaction (ms; a batch is one)", note);
    axes(g, "", "ms", -1, 0, maxY);
    int groups = runs.size();
    double slot = (W - LEFT - RIGHT) / (double) groups;
    double bar = slot * 0.8 / pct.length;
    for (int k = 0; k < groups; k++) {
      JsonObject r = runs.get(k);
      JsonObject l = r.getAsJsonObject("submitToCommitMs");
      for (int j = 0; j < pct.length; j++) {
        if (!l.has(pct[j])) {
          continue;
        }
        double v = l.get(pct[j]).getAsDouble();
        int x = (int) (LEFT + k * slot + slot * 0.1 + j * bar);
        int y = py(v, maxY);
        g.setColor(PALETTE[j]);
        g.fillRect(x, y, (int) bar - 1, H - BOTTOM - y);
      }
      g.setColor(Color.BLACK);
      g.drawString(label(r), (int) (LEFT + k * slot + slot * 0.1), categoryLabelY(k, groups));
    }
    for (int j = 0; j < pct.length; j++) {
      g.setColor(PALETTE[j]);
      legend(g, j, pct[j]);
    }
    save(g, img, out);
  }

  private static void cpu(List<JsonObject> runs, String note, Path out) throws IOException {
    List<String> groups = EndToEndBench.Cpu.GROUPS;
    double maxY = 1;
    for (JsonObject r : runs) {
      double sum = 0;
      for (String grp : groups) {
        sum += r.getAsJsonObject("cpuMsPerCommitted").get(grp).getAsDouble();
      }
      maxY = Math.max(maxY, sum);
    }
    maxY = niceCeil(maxY * 1.1);
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, "CPU milliseconds per committed payment, by process group", note);
    axes(g, "", "CPU ms / committed payment", -1, 0, maxY);
    double slot = (W - LEFT - RIGHT) / (double) runs.size();
    for (int k = 0; k < runs.size(); k++) {
      JsonObject r = runs.get(k);
      double base = 0;
      int x = (int) (LEFT + k * slot + slot * 0.2);
      for (int j = 0; j < groups.size(); j++) {
        double v = r.getAsJsonObject("cpuMsPerCommitted").get(groups.get(j)).getAsDouble();
        int y0 = py(base, maxY);
        int y1 = py(base + v, maxY);
        g.setColor(PALETTE[j]);
        g.fillRect(x, y1, (int) (slot * 0.6), y0 - y1);
        base += v;
      }
      g.setColor(Color.BLACK);
      g.drawString(String.format("%.0f", base), x, py(base, maxY) - 4);
      g.drawString(label(r), x - 4, categoryLabelY(k, runs.size()));
    }
    for (int j = 0; j < groups.size(); j++) {
      g.setColor(PALETTE[j]);
      legend(g, j, groups.get(j));
    }
    save(g, img, out);
  }

  private static String label(JsonObject r) {
    String mode = r.get("mode").getAsString();
    String m = switch (mode) {
      case "inloop" -> "loop";
      case "prebuilt" -> "pre";
      case "prebuilt-leadin" -> "lead-in";
      case "batch-inloop" -> "b-loop";
      case "batch-prebuilt" -> "b-pre";
      case "floor-single" -> "floor";
      case "floor-batch" -> "b-floor";
      case "batch-till-prebuilt" -> "till-pre";
      case "batch-till-inloop" -> "till-loop";
      default -> mode;
    };
    return m + " c=" + r.get("concurrency").getAsInt();
  }

  private static Graphics2D canvas(BufferedImage img, String title, String note) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setColor(Color.DARK_GRAY);
    g.drawString(note, LEFT, 40);
    return g;
  }

  /** Axes; {@code maxX} &lt; 0 draws no x scale (category charts). */
  private static void axes(Graphics2D g, String xLabel, String yLabel, double minX, double maxX, double maxY) {
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1f));
    g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
    g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
    for (int i = 0; i <= 5; i++) {
      double v = maxY * i / 5;
      int y = py(v, maxY);
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT + 1, y, W - RIGHT, y);
      g.setColor(Color.BLACK);
      g.drawString(v >= 10 ? String.format("%.0f", v) : String.format("%.2f", v), 8, y + 4);
    }
    if (minX >= 0) {
      for (int x = 0; x <= (int) maxX; x++) {
        if (maxX <= 16 || x % 4 == 0) {
          g.drawString(Integer.toString(x), px(x, maxX) - 3, H - BOTTOM + 16);
        }
      }
    }
    g.drawString(xLabel, W / 2 - 40, H - BOTTOM + 34);
    java.awt.geom.AffineTransform t = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(H - BOTTOM), 50);
    g.setTransform(t);
  }

  private static String seriesName(String mode) {
    return switch (mode) {
      case "inloop" -> "proofs built in the loop";
      case "prebuilt" -> "prebuilt (network only)";
      case "prebuilt-leadin" -> "prebuilt, lead-in";
      case "floor-single" -> "floor, transfer size (tx/s)";
      case "batch-prebuilt" -> "batches of 16, prebuilt";
      case "floor-batch" -> "floor, batch size (tx/s)";
      case "batch-inloop" -> "batches, in the loop";
      case "batch-till-prebuilt" -> "till: 16 payers, prebuilt";
      case "batch-till-inloop" -> "till: 16 payers, in the loop";
      default -> mode;
    };
  }

  /** Legend entry {@code i}: {@link #LEGEND_PER_ROW} to a row, up to {@link #LEGEND_ROWS} rows below the axis labels. */
  private static void legend(Graphics2D g, int i, String text) {
    int[] at = legendAt(i);
    int x = at[0];
    int y = at[1];
    Color c = g.getColor();
    g.fillRect(x, y - 9, 12, 10);
    g.setColor(Color.BLACK);
    g.drawString(text, x + 16, y);
    g.setColor(c);
  }

  /** Baseline of category {@code k}'s label: staggered on two lines when there are more than 7 categories. */
  private static int categoryLabelY(int k, int categories) {
    return H - BOTTOM + 16 + (categories > 7 ? (k % 2) * 13 : 0);
  }

  /** Legend entry {@code i}: the left edge of its colour box (its text starts 16 px further) and its text's baseline. */
  static int[] legendAt(int i) {
    if (i < 0 || i >= LEGEND_PER_ROW * LEGEND_ROWS) {
      throw new IllegalArgumentException("legend entry " + i + ": at most " + LEGEND_PER_ROW * LEGEND_ROWS);
    }
    return new int[] {LEFT + (i % LEGEND_PER_ROW) * 170, H - 37 + (i / LEGEND_PER_ROW) * 15};
  }

  /** Canvas size (width, height), for checks of the layout. */
  static int[] size() {
    return new int[] {W, H};
  }

  /** The baseline of the x axis' label, which the legend must stay below. */
  static int xLabelBaseline() {
    return H - BOTTOM + 34;
  }

  private static void save(Graphics2D g, BufferedImage img, Path out) throws IOException {
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }

  private static int px(double x, double maxX) {
    return (int) (LEFT + 20 + x / maxX * (W - LEFT - RIGHT - 40));
  }

  private static int py(double y, double maxY) {
    return (int) (H - BOTTOM - y / maxY * (H - TOP - BOTTOM));
  }

  private static double niceCeil(double v) {
    double e = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * e >= v) {
        return m * e;
      }
    }
    return 10 * e;
  }
}
