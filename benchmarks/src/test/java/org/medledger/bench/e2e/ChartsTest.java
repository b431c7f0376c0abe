package org.medledger.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts of an issue-17 result with the till rows: every series' legend entry on the canvas. */
class ChartsTest {
  private static final List<String> MODES = List.of("inloop", "prebuilt-leadin", "prebuilt", "floor-single", "batch-prebuilt",
      "floor-batch", "batch-inloop", "batch-till-prebuilt", "batch-till-inloop");

  @Test
  void legendEntriesStayOnTheCanvasBelowTheAxisLabel() {
    int[] size = Charts.size();
    for (int i = 0; i < Charts.LEGEND_PER_ROW * Charts.LEGEND_ROWS; i++) {
      int[] at = Charts.legendAt(i);
      assertTrue(at[1] - 9 > Charts.xLabelBaseline(), "entry " + i + " below the axis label");
      assertTrue(at[1] + 3 < size[1], "entry " + i + " above the bottom edge");
      assertTrue(at[0] + 170 <= size[0], "entry " + i + " inside the right edge");
    }
    assertThrows(IllegalArgumentException.class, () -> Charts.legendAt(Charts.LEGEND_PER_ROW * Charts.LEGEND_ROWS));
  }

  @Test
  void theNinthSeriesIsDrawnInTheLegend(@TempDir Path dir) throws Exception {
    JsonObject result = new JsonObject();
    JsonObject machine = new JsonObject();
    machine.addProperty("cores", 2);
    machine.addProperty("loadAverageAtStart", "1.00 1.00 1.00");
    result.add("machine", machine);
    JsonArray runs = new JsonArray();
    for (int i = 0; i < MODES.size(); i++) {
      JsonObject r = new JsonObject();
      r.addProperty("mode", MODES.get(i));
      r.addProperty("concurrency", 8 + i);
      r.addProperty("throughputTps", 3.0 + i);
      JsonObject lat = new JsonObject();
      lat.addProperty("n", 10);
      lat.addProperty("p50", 1000 + i);
      lat.addProperty("p90", 2000);
      lat.addProperty("p99", 3000);
      lat.addProperty("max", 4000);
      r.add("submitToCommitMs", lat);
      JsonObject cpu = new JsonObject();
      for (String g : EndToEndBench.Cpu.GROUPS) {
        cpu.addProperty(g, 10.0);
      }
      r.add("cpuMsPerCommitted", cpu);
      runs.add(r);
    }
    result.add("runs", runs);
    Charts.write(result, dir);
    BufferedImage img = ImageIO.read(dir.resolve("e2e-throughput.png").toFile());
    assertEquals(Charts.size()[0], img.getWidth());
    assertEquals(Charts.size()[1], img.getHeight());
    // the colour box of legend entry 8 (the ninth series, batch-till-inloop) is painted, not background
    int[] at = Charts.legendAt(8);
    assertNotEquals(0xffffff, img.getRGB(at[0] + 5, at[1] - 4) & 0xffffff);
    assertTrue(dir.resolve("e2e-latency.png").toFile().length() > 0);
    assertTrue(dir.resolve("e2e-cpu.png").toFile().length() > 0);
  }
}
