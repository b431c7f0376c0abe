package org.medledger.bench.threshold;

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
 * Turns JMH JSON result files of {@link ThresholdBench} and {@link ThresholdDealBench} into
 * {@code benchmarks/results/threshold.json}: one row per op, size and committee shape with the
 * median, the smallest and the largest sample in ms, and the number of samples.
 *
 * <p>Usage: {@code WriteThresholdResults <threshold.json> <jmh.json>...}
 */
public final class WriteThresholdResults {
  private WriteThresholdResults() {}

  public static void main(String[] args) throws IOException {
    JsonArray out = new JsonArray();
    for (int a = 1; a < args.length; a++) {
      for (JsonElement el : JsonParser.parseString(Files.readString(Path.of(args[a]))).getAsJsonArray()) {
        JsonObject r = el.getAsJsonObject();
        String name = r.get("benchmark").getAsString();
        JsonObject params = r.getAsJsonObject("params");
        JsonObject metric = r.getAsJsonObject("primaryMetric");
        double scale = switch (metric.get("scoreUnit").getAsString()) {
          case "s/op" -> 1000.0;
          case "ms/op" -> 1.0;
          case "us/op" -> 0.001;
          default -> throw new IllegalStateException("unexpected unit " + metric.get("scoreUnit"));
        };
        JsonObject pct = metric.getAsJsonObject("scorePercentiles");
        JsonObject o = new JsonObject();
        o.addProperty("op", "threshold." + name.substring(name.lastIndexOf('.') + 1));
        o.addProperty("bits", Integer.parseInt(params.get("bits").getAsString()));
        o.addProperty("shape", params.get("shape").getAsString().replace("of", " of "));
        o.addProperty("mode", r.get("mode").getAsString());
        o.addProperty("median_ms", round(pct.get("50.0").getAsDouble() * scale));
        o.addProperty("min_ms", round(pct.get("0.0").getAsDouble() * scale));
        o.addProperty("max_ms", round(pct.get("100.0").getAsDouble() * scale));
        o.addProperty("samples", samples(metric));
        out.add(o);
      }
    }
    Files.writeString(Path.of(args[0]),
        new GsonBuilder().setPrettyPrinting().create().toJson(out) + "\n", StandardCharsets.UTF_8);
  }

  private static long samples(JsonObject metric) {
    long n = 0;
    if (metric.has("rawDataHistogram")) {
      for (JsonElement fork : metric.getAsJsonArray("rawDataHistogram")) {
        for (JsonElement iteration : fork.getAsJsonArray()) {
          for (JsonElement bucket : iteration.getAsJsonArray()) {
            n += bucket.getAsJsonArray().get(1).getAsLong();
          }
        }
      }
      return n;
    }
    for (JsonElement fork : metric.getAsJsonArray("rawData")) {
      n += fork.getAsJsonArray().size();
    }
    return n;
  }

  private static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
