package org.medledger.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns the JMH JSON result file of {@link StatsBench} into {@code benchmarks/results/stats.json}: one
 * row per op and key size with the median, smallest and largest sample in ms and the sample count.
 *
 * <p>Usage: {@code WriteStatsResults <stats.json> <jmh.json>}
 */
public final class WriteStatsResults {
  private WriteStatsResults() {}

  public static void main(String[] args) throws IOException {
    JsonArray out = new JsonArray();
    for (JsonElement el : JsonParser.parseString(Files.readString(Path.of(args[1]))).getAsJsonArray()) {
      JsonObject r = el.getAsJsonObject();
      String name = r.get("benchmark").getAsString();
      JsonObject metric = r.getAsJsonObject("primaryMetric");
      double scale = switch (metric.get("scoreUnit").getAsString()) {
        case "s/op" -> 1000.0;
        case "ms/op" -> 1.0;
        case "us/op" -> 0.001;
        default -> throw new IllegalStateException("unexpected unit " + metric.get("scoreUnit"));
      };
      JsonObject pct = metric.getAsJsonObject("scorePercentiles");
      JsonObject o = new JsonObject();
      o.addProperty("op", "stats." + name.substring(name.lastIndexOf('.') + 1));
      o.addProperty("bits", Integer.parseInt(r.getAsJsonObject("params").get("bits").getAsString()));
      o.addProperty("mode", r.get("mode").getAsString());
      o.addProperty("median_ms", round(pct.get("50.0").getAsDouble() * scale));
      o.addProperty("min_ms", round(pct.get("0.0").getAsDouble() * scale));
      o.addProperty("max_ms", round(pct.get("100.0").getAsDouble() * scale));
      long n = 0;
      for (JsonElement fork : metric.getAsJsonArray("rawDataHistogram")) {
        for (JsonElement iteration : fork.getAsJsonArray()) {
          for (JsonElement bucket : iteration.getAsJsonArray()) {
            n += bucket.getAsJsonArray().get(1).getAsLong();
          }
        }
      }
      o.addProperty("samples", n);
      out.add(o);
    }
    Files.writeString(Path.of(args[0]),
        new GsonBuilder().setPrettyPrinting().create().toJson(out) + "\n", StandardCharsets.UTF_8);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
