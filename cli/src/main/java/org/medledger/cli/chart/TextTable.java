package org.medledger.cli.chart;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A table for the terminal: a header, rows and an optional totals row, columns two spaces apart,
 * text left-aligned and numbers right-aligned, a rule under the header and above the totals. A
 * cell longer than {@value #MAX_CELL} characters is shortened with "…". Widths count code points.
 */
public final class TextTable {
  /** The widest a cell is printed. */
  public static final int MAX_CELL = 40;

  private final List<String> header;
  private final boolean[] numeric;
  private final List<List<String>> rows = new ArrayList<>();
  private List<String> totals;

  /** A table with these column headers; {@code numeric[i]} right-aligns column i. */
  public TextTable(List<String> header, boolean... numeric) {
    if (header.isEmpty() || numeric.length != header.size()) {
      throw new IllegalArgumentException("a table needs its columns, each said numeric or not");
    }
    this.header = List.copyOf(header);
    this.numeric = numeric.clone();
  }

  /** Adds a row of one cell per column. */
  public TextTable row(List<String> cells) {
    rows.add(check(cells));
    return this;
  }

  /** Sets the totals row, printed last under a rule. */
  public TextTable totals(List<String> cells) {
    totals = check(cells);
    return this;
  }

  private List<String> check(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException("a row has " + cells.size() + " cells for " + header.size() + " columns");
    }
    return List.copyOf(cells);
  }

  /**
   * The numbers of {@code chart} as a table: one row per category (first column headed {@code
   * first}), one column per series, a "total" column and a totals row.
   */
  public static TextTable of(BarChart chart, String first) {
    List<String> head = new ArrayList<>();
    head.add(first);
    chart.series().forEach(s -> head.add(s.name()));
    head.add("total");
    boolean[] numeric = new boolean[head.size()];
    java.util.Arrays.fill(numeric, 1, numeric.length, true);
    TextTable t = new TextTable(head, numeric);
    BigInteger[] columns = new BigInteger[chart.series().size()];
    java.util.Arrays.fill(columns, BigInteger.ZERO);
    BigInteger all = BigInteger.ZERO;
    for (int c = 0; c < chart.categories().size(); c++) {
      List<String> cells = new ArrayList<>();
      cells.add(chart.categories().get(c));
      BigInteger sum = BigInteger.ZERO;
      for (int s = 0; s < chart.series().size(); s++) {
        BigInteger v = chart.value(s, c);
        cells.add(Numbers.grouped(v));
        sum = sum.add(v);
        columns[s] = columns[s].add(v);
      }
      cells.add(Numbers.grouped(sum));
      all = all.add(sum);
      t.row(cells);
    }
    List<String> foot = new ArrayList<>();
    foot.add("total");
    for (BigInteger c : columns) {
      foot.add(Numbers.grouped(c));
    }
    foot.add(Numbers.grouped(all));
    return t.totals(foot);
  }

  /** The table, one line per row, each ending in a newline, no trailing spaces. */
  public String render() {
    int n = header.size();
    int[] width = new int[n];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    if (totals != null) {
      all.add(totals);
    }
    for (List<String> r : all) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], length(cut(r.get(i))));
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, header, width);
    rule(b, width);
    for (List<String> r : rows) {
      line(b, r, width);
    }
    if (totals != null) {
      rule(b, width);
      line(b, totals, width);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  private void line(StringBuilder b, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String s = cut(cells.get(i));
      String pad = " ".repeat(width[i] - length(s));
      if (i > 0) {
        l.append("  ");
      }
      l.append(numeric[i] ? pad + s : s + pad);
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }

  private static void rule(StringBuilder b, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      l.append(i > 0 ? "  " : "").append("-".repeat(width[i]));
    }
    b.append(l).append('\n');
  }

  private static String cut(String s) {
    String one = s.replaceAll("[\\r\\n\\t]+", " ");
    if (length(one) <= MAX_CELL) {
      return one;
    }
    return new String(one.codePoints().limit(MAX_CELL - 1).toArray(), 0, MAX_CELL - 1) + "…";
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }
}
