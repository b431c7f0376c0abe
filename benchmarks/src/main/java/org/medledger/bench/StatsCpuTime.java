package org.medledger.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medledger.bench.stats.Summary;

/**
 * Thread CPU time of {@link StatsBench}'s operations, for a machine shared with other work (as
 * {@link CpuTimeHarness} does for transfers): set-up, {@code warm} untimed calls, then {@code n}
 * timed calls of each operation; writes median and quartiles to a JSON file.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.medledger.bench.StatsCpuTime out.json warm n bits...}
 */
public final class StatsCpuTime {
  private StatsCpuTime() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int warm = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    JsonArray rows = new JsonArray();
    for (int a = 3; a < args.length; a++) {
      StatsBench b = new StatsBench();
      b.bits = Integer.parseInt(args[a]);
      b.setUp();
      Runnable[] ops = {b::prove, b::verify, b::verifyColdKey, b::decode, b::fold};
      String[] names = {"prove", "verify", "verifyColdKey", "decode", "fold"};
      for (int i = 0; i < ops.length; i++) {
        int reps = names[i].equals("fold") || names[i].equals("decode") ? n * 20 : n;
        Summary s = Summary.of(CpuTimeHarness.measure(ops[i]::run, warm, reps));
        JsonObject o = new JsonObject();
        o.addProperty("op", "stats." + names[i]);
        o.addProperty("bits", b.bits);
        o.addProperty("mode", "thread-cpu");
        o.addProperty("median_ms", round(s.median()));
        o.addProperty("q1_ms", round(s.q1()));
        o.addProperty("q3_ms", round(s.q3()));
        o.addProperty("samples", s.n());
        rows.add(o);
        System.out.printf("stats.%s bits=%d cpu_ms median=%.2f q1=%.2f q3=%.2f n=%d%n", names[i], b.bits,
            s.median(), s.q1(), s.q3(), s.n());
      }
    }
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(rows) + "\n", StandardCharsets.UTF_8);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
