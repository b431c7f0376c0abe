package org.medledger.cli.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal table: alignment, totals, shortened cells, any size of number. */
class TextTableTest {
  @Test
  void aChartsNumbersWithTotals() {
    BarChart c = new BarChart("t", "month", "units", List.of("2026-01", "2026-02"),
        List.of(BarChart.Series.of("St Mary", 1200, 5), BarChart.Series.of("City", 0, 1_000_000)));
    assertEquals("""
        month    St Mary       City      total
        -------  -------  ---------  ---------
        2026-01    1,200          0      1,200
        2026-02        5  1,000,000  1,000,005
        -------  -------  ---------  ---------
        total      1,205  1,000,000  1,001,205
        """, TextTable.of(c, "month").render());
  }

  @Test
  void everyLineOfAColumnStartsAndEndsInTheSamePlace() {
    BigInteger huge = BigInteger.ONE.shiftLeft(90);
    String longName = "Diseases of the blood and blood-forming organs and certain disorders";
    BarChart c = new BarChart("t", "x", "y", List.of("IX I00–I99", longName, "XXII"),
        List.of(new BarChart.Series("fees", List.of(huge, BigInteger.ZERO, BigInteger.ONE))));
    String out = TextTable.of(c, "chapter").render();
    List<String> lines = out.lines().toList();
    assertEquals(7, lines.size(), out);
    int width = lines.get(1).length();
    for (String l : lines) {
      assertEquals(width, l.codePointCount(0, l.length()), "every line as wide as the rule (numbers right-aligned):\n" + out);
      assertTrue(!l.endsWith(" "));
    }
    assertTrue(out.contains(longName.substring(0, TextTable.MAX_CELL - 1) + "…"), out);
    assertTrue(!out.contains(longName), out);
    assertTrue(out.contains("1,237,940,039,285,380,274,899,124,224"), "huge values in full: " + out);
    assertTrue(lines.get(6).startsWith("total"), out);
    assertTrue(lines.get(6).endsWith("1,237,940,039,285,380,274,899,124,225"), out);
  }

  @Test
  void anEmptyChartIsAHeaderAndZeroTotals() {
    String out = TextTable.of(new BarChart("t", "x", "y", List.of(), List.of()), "bucket").render();
    assertEquals("bucket  total\n------  -----\n------  -----\ntotal       0\n", out);
  }

  @Test
  void rowsMustHaveEveryColumn() {
    TextTable t = new TextTable(List.of("a", "b"), false, true);
    assertThrows(IllegalArgumentException.class, () -> t.row(List.of("x")));
    assertThrows(IllegalArgumentException.class, () -> new TextTable(List.of("a"), false, true));
    assertEquals("a  b\n-  -\nx  1\n", t.row(List.of("x", "1")).render());
  }
}
