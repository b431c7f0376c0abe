package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.medledger.cli.chart.BarChart;
import org.medledger.cli.chart.PngChart;
import org.medledger.cli.chart.TextTable;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.StatsTally;
import org.medledger.protocol.StatsProtocol;
import org.medledger.sdk.StatsResult;

/**
 * The published results of opened statistics buckets as tables for the terminal, JSON, and PNG
 * charts (docs/cli.md §4 stats): one row per opened bucket (count and total), for RECORDS buckets
 * the visits per ICD-10 chapter and per age band, for money buckets the monthly totals per
 * institution and kind. {@code medledger stats show} prints it; the demo ({@code
 * org.medledger.cli.demo}) does the same with {@link #of}, {@link #text()} and {@link #writePng}.
 */
public final class StatsReport {
  /** Which chart {@link #writePng} draws. */
  public enum Chart {
    /** Money buckets: one group per month, one bar per (institution, kind). */
    TOTALS,
    /** RECORDS buckets: one group per ICD-10 chapter, one bar per (hospital, month). */
    VISITS,
    /** RECORDS buckets: one group per age band, one bar per (hospital, month). */
    AGES
  }

  private record Row(StatsProtocol.Bucket bucket, StatsResult result) {}

  private final List<Row> rows;
  private final Map<String, String> names;

  private StatsReport(List<Row> rows, Map<String, String> names) {
    this.rows = rows;
    this.names = names;
  }

  /**
   * The report of {@code results} (any order; shown by month, account and kind), naming accounts by
   * {@code names} (account id → local name) where known.
   */
  public static StatsReport of(List<StatsResult> results, Map<String, String> names) {
    List<Row> rows = new ArrayList<>();
    for (StatsResult r : results) {
      rows.add(new Row(StatsProtocol.parse(r.bucketId()), r));
    }
    rows.sort(Comparator.comparing((Row r) -> r.bucket().month()).thenComparing(r -> r.bucket().account())
        .thenComparing(r -> r.bucket().kind()));
    return new StatsReport(List.copyOf(rows), Map.copyOf(names));
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  private List<Row> records() {
    return rows.stream().filter(r -> !r.bucket().kind().money()).toList();
  }

  private List<Row> money() {
    return rows.stream().filter(r -> r.bucket().kind().money()).toList();
  }

  /** The chart a bare {@code --png} draws: the visits if every bucket is a RECORDS bucket, else the totals. */
  public Chart defaultChart() {
    return !rows.isEmpty() && money().isEmpty() ? Chart.VISITS : Chart.TOTALS;
  }

  private String name(String account) {
    return names.getOrDefault(account, account);
  }

  /** A chart's label of an account: its local name, else its id cut to 13 characters and "…" (the legend is narrow). */
  private String shortName(String account) {
    String n = names.get(account);
    return n != null ? n : account.length() <= 14 ? account : account.substring(0, 13) + "…";
  }

  /** The tables, for people. */
  public String text() {
    if (rows.isEmpty()) {
      return "No opened bucket.\n";
    }
    TextTable all = new TextTable(List.of("month", "account", "kind", "contributions", "total"), false, false, false, true,
        true);
    for (Row r : rows) {
      all.row(List.of(r.bucket().monthText(), name(r.bucket().account()), r.bucket().kind().name(),
          String.format("%,d", r.result().count()), String.format("%,d", r.result().total())));
    }
    StringBuilder b = new StringBuilder("Opened buckets (money kinds: total amount; RECORDS: total fees):\n")
        .append(all.render());
    if (!money().isEmpty()) {
      b.append("\nMonthly totals per institution and kind:\n").append(TextTable.of(chart(Chart.TOTALS), "month").render());
    }
    if (!records().isEmpty()) {
      b.append("\nVisits per ICD-10 chapter:\n").append(TextTable.of(chart(Chart.VISITS), "ICD-10 chapter").render());
      b.append("\nVisits per age band:\n").append(TextTable.of(chart(Chart.AGES), "age band").render());
    }
    return b.toString();
  }

  /** The chart {@code which} of these results. */
  BarChart chart(Chart which) {
    return switch (which) {
      case TOTALS -> totals();
      case VISITS -> tallies("Visits per ICD-10 chapter (opened buckets)", "ICD-10 chapter",
          java.util.Arrays.stream(IcdChapter.values()).map(c -> c.numeral() + " " + c.codes()).toList(),
          (t, i) -> t.count(IcdChapter.ofIndex(i)));
      case AGES -> tallies("Visits per age band (opened buckets)", "age band (years)",
          java.util.Arrays.stream(AgeBand.values()).map(AgeBand::label).toList(), (t, i) -> t.count(AgeBand.ofIndex(i)));
    };
  }

  private BarChart totals() {
    List<Row> money = money();
    List<String> months = new ArrayList<>(new TreeSet<>(money.stream().map(r -> r.bucket().monthText()).toList()));
    List<String> keys = new ArrayList<>(new TreeSet<>(money.stream().map(r -> r.bucket().account() + "\u0000"
        + r.bucket().kind()).toList()));
    List<BarChart.Series> series = new ArrayList<>();
    for (String k : keys) {
      String account = k.substring(0, k.indexOf('\u0000'));
      String kind = k.substring(k.indexOf('\u0000') + 1);
      List<BigInteger> values = new ArrayList<>();
      for (String m : months) {
        values.add(money.stream().filter(r -> r.bucket().monthText().equals(m) && r.bucket().account().equals(account)
            && r.bucket().kind().name().equals(kind)).map(r -> r.result().total()).findFirst().orElse(BigInteger.ZERO));
      }
      series.add(new BarChart.Series(shortName(account) + " " + kind, values));
    }
    return new BarChart("Monthly totals per institution (opened buckets)", "month (UTC)", "amount (units)", months, series);
  }

  private interface Count {
    long of(StatsTally t, int index);
  }

  private BarChart tallies(String title, String xLabel, List<String> categories, Count count) {
    List<BarChart.Series> series = new ArrayList<>();
    for (Row r : records()) {
      StatsTally t = r.result().tally().orElseThrow();
      List<BigInteger> values = new ArrayList<>();
      for (int i = 0; i < categories.size(); i++) {
        values.add(BigInteger.valueOf(count.of(t, i)));
      }
      series.add(new BarChart.Series(shortName(r.bucket().account()) + " " + r.bucket().monthText(), values));
    }
    return new BarChart(title, xLabel, "visits", categories, series);
  }

  /** Every result: bucket, its parts, count, total, disclosure, publishing tx; RECORDS buckets their counters. */
  public JsonArray json() {
    JsonArray a = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject();
      o.addProperty("bucketId", r.bucket().id());
      o.addProperty("month", r.bucket().monthText());
      o.addProperty("kind", r.bucket().kind().name());
      o.addProperty("account", r.bucket().account());
      if (names.containsKey(r.bucket().account())) {
        o.addProperty("name", names.get(r.bucket().account()));
      }
      o.addProperty("count", r.result().count());
      o.addProperty("total", r.result().total().toString());
      o.addProperty("disclosureId", r.result().disclosureId());
      o.addProperty("txId", r.result().txId());
      o.addProperty("publishedAt", r.result().publishedAt().toString());
      r.result().tally().ifPresent(t -> {
        JsonObject chapters = new JsonObject();
        for (IcdChapter c : IcdChapter.values()) {
          chapters.addProperty(c.numeral(), t.count(c));
        }
        o.add("chapters", chapters);
        JsonObject bands = new JsonObject();
        for (AgeBand band : AgeBand.values()) {
          bands.addProperty(band.label(), t.count(band));
        }
        o.add("ageBands", bands);
      });
      a.add(o);
    }
    return a;
  }

  /** Writes chart {@code which} as a PNG of {@code width} × {@code height} pixels to {@code file}. */
  public void writePng(Chart which, Path file, int width, int height) throws CliException {
    try {
      new PngChart(width, height).write(chart(which), file);
    } catch (IOException e) {
      throw CliException.usage("cannot write the chart to " + file + ": " + Errors.cause(e));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (RuntimeException | InternalError | LinkageError e) {
      // Java2D without usable fonts (a headless JDK with no font configuration) fails inside AWT.
      throw CliException.local("CHART_FAILED", "cannot draw the chart (" + e + "); are fonts installed (fontconfig)?");
    }
  }
}
