package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.cli.chart.BarChart;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.SlotLayout;
import org.medledger.crypto.stats.StatsTally;
import org.medledger.protocol.StatsProtocol;
import org.medledger.sdk.StatsResult;

/** The report of opened buckets that 'stats show' prints and draws (and the demo can use). */
class StatsReportTest {
  private static final String HOSP_A = "acct-" + "a".repeat(32);
  private static final String HOSP_B = "acct-" + "b".repeat(32);
  private static final String INS = "acct-" + "c".repeat(32);

  @TempDir
  Path dir;

  private static StatsResult money(String month, StatsProtocol.Kind kind, String account, long count, long total) {
    return new StatsResult(month + "." + kind + "." + account, kind, count, BigInteger.valueOf(total), Optional.empty(),
        "disc-" + month, "tx-" + month, Instant.parse("2026-12-01T00:00:00Z"));
  }

  private static StatsResult records(String month, String account, Map<IcdChapter, Long> chapters, Map<AgeBand, Long> bands,
      long fees) {
    long[] counters = new long[SlotLayout.COUNTERS];
    chapters.forEach((c, n) -> counters[SlotLayout.slot(c)] = n);
    bands.forEach((b, n) -> counters[SlotLayout.slot(b)] = n);
    long count = chapters.values().stream().mapToLong(Long::longValue).sum();
    StatsTally t = SlotLayout.unpack(SlotLayout.pack(counters, BigInteger.valueOf(fees)), count);
    return new StatsResult(month + ".RECORDS." + account, StatsProtocol.Kind.RECORDS, count, BigInteger.valueOf(fees),
        Optional.of(t), "disc-r", "tx-r", Instant.parse("2026-12-01T00:00:00Z"));
  }

  private static final Map<String, String> NAMES = Map.of(HOSP_A, "st-mary", INS, "insurer");

  private StatsReport report() {
    return StatsReport.of(List.of(
        money("2026-11", StatsProtocol.Kind.PAY, HOSP_A, 12, 7_000),
        money("2026-10", StatsProtocol.Kind.PAY, HOSP_A, 10, 5_000),
        money("2026-11", StatsProtocol.Kind.PAY, HOSP_B, 11, 1_250_000),
        money("2026-11", StatsProtocol.Kind.FUND, INS, 10, 900),
        records("2026-11", HOSP_A, Map.of(IcdChapter.IX, 7L, IcdChapter.X, 3L), Map.of(AgeBand.Y25_34, 4L, AgeBand.Y65_74, 6L),
            1234),
        records("2026-11", HOSP_B, Map.of(IcdChapter.IX, 1L, IcdChapter.XXII, 9L), Map.of(AgeBand.Y85_PLUS, 10L), 99)), NAMES);
  }

  @Test
  void theTotalsChartHasAGroupPerMonthAndABarPerInstitutionAndKind() {
    BarChart c = report().chart(StatsReport.Chart.TOTALS);
    assertEquals(List.of("2026-10", "2026-11"), c.categories());
    assertEquals(List.of("st-mary PAY", "acct-bbbbbbbb… PAY", "insurer FUND"), c.series().stream().map(BarChart.Series::name).toList());
    assertEquals(List.of(BigInteger.valueOf(5_000), BigInteger.valueOf(7_000)), c.series().get(0).values());
    assertEquals(List.of(BigInteger.ZERO, BigInteger.valueOf(1_250_000)), c.series().get(1).values());
    assertEquals(List.of(BigInteger.ZERO, BigInteger.valueOf(900)), c.series().get(2).values());
  }

  @Test
  void theVisitsAndAgesChartsHaveABarPerRecordsBucket() {
    StatsReport r = report();
    BarChart v = r.chart(StatsReport.Chart.VISITS);
    assertEquals(IcdChapter.COUNT, v.categories().size());
    assertEquals("IX I00–I99", v.categories().get(IcdChapter.IX.index()));
    assertEquals(List.of("st-mary 2026-11", "acct-bbbbbbbb… 2026-11"), v.series().stream().map(BarChart.Series::name).toList());
    assertEquals(BigInteger.valueOf(7), v.value(0, IcdChapter.IX.index()));
    assertEquals(BigInteger.valueOf(3), v.value(0, IcdChapter.X.index()));
    assertEquals(BigInteger.valueOf(9), v.value(1, IcdChapter.XXII.index()));
    assertEquals(BigInteger.ZERO, v.value(1, IcdChapter.X.index()));
    BarChart a = r.chart(StatsReport.Chart.AGES);
    assertEquals("85+", a.categories().get(AgeBand.COUNT - 1));
    assertEquals(BigInteger.valueOf(6), a.value(0, AgeBand.Y65_74.index()));
    assertEquals(BigInteger.valueOf(10), a.value(1, AgeBand.Y85_PLUS.index()));
    assertEquals(StatsReport.Chart.TOTALS, r.defaultChart());
    assertEquals(StatsReport.Chart.VISITS, StatsReport.of(List.of(records("2026-11", HOSP_A, Map.of(IcdChapter.I, 2L),
        Map.of(AgeBand.Y0_4, 2L), 5)), NAMES).defaultChart());
  }

  @Test
  void theTextHasEveryBucketAndTheTablesWithTotals() {
    String text = report().text();
    List<String> lines = text.lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.matches("2026-10\\s+st-mary\\s+PAY\\s+10\\s+5,000")), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("2026-11\\s+" + HOSP_B + "\\s+PAY\\s+11\\s+1,250,000")), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("2026-11\\s+st-mary\\s+RECORDS\\s+10\\s+1,234")), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("IX I00–I99\\s+7\\s+1\\s+8")), "visits of chapter IX, both hospitals: " + text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("total\\s+10\\s+10\\s+20")), "20 visits in all: " + text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("85\\+\\s+0\\s+10\\s+10")), text);
    assertTrue(lines.stream().anyMatch(l -> l.matches("2026-11\\s+7,000\\s+1,250,000\\s+900\\s+1,257,900")), text);
    assertEquals("No opened bucket.\n", StatsReport.of(List.of(), NAMES).text());
  }

  @Test
  void jsonAndPng() throws Exception {
    StatsReport r = report();
    JsonObject first = r.json().get(0).getAsJsonObject();
    assertEquals("2026-10.PAY." + HOSP_A, first.get("bucketId").getAsString());
    assertEquals("st-mary", first.get("name").getAsString());
    assertEquals("5000", first.get("total").getAsString());
    JsonObject rec = r.json().asList().stream().map(e -> e.getAsJsonObject())
        .filter(o -> o.get("kind").getAsString().equals("RECORDS") && o.has("name")).findFirst().orElseThrow();
    assertEquals(7, rec.getAsJsonObject("chapters").get("IX").getAsLong());
    assertEquals(4, rec.getAsJsonObject("ageBands").get("25–34").getAsLong());
    for (StatsReport.Chart which : StatsReport.Chart.values()) {
      Path f = dir.resolve(which + ".png");
      r.writePng(which, f, 900, 500);
      BufferedImage img = ImageIO.read(f.toFile());
      assertEquals(900, img.getWidth());
      assertEquals(500, img.getHeight());
    }
    CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
        () -> r.writePng(StatsReport.Chart.TOTALS, dir.resolve("no-such-dir").resolve("x.png"), 900, 500));
    assertEquals(ExitCode.USAGE, e.exit());
  }
}
