package org.medledger.bench.threshold;

import java.util.Arrays;
import org.medledger.bench.CpuTimeHarness;
import org.medledger.bench.stats.Summary;

/**
 * Thread CPU time of {@link ThresholdBench}'s operations, for a machine shared with other work
 * (docs/performance.md, "Threshold decryption"): it drives the JMH state directly — set-up, then
 * {@code warm} untimed calls, then {@code n} timed calls of each method — and prints the median and
 * quartiles of {@code ThreadMXBean.getCurrentThreadCpuTime} differences ({@link CpuTimeHarness#measure}).
 * Methods a jar lacks are skipped, so the same source runs against an older build (source-file
 * launcher: {@code java -cp old-benchmarks.jar ThresholdCpuHarness.java ...}; the jar must have
 * {@code CpuTimeHarness.measure}, so a build older than it needs this file's previous version).
 *
 * <p>Usage: {@code ThresholdCpuHarness bits shape warm n [method...]}, e.g. {@code 2048 3of5 3 9}.
 */
public final class ThresholdCpuHarness {
  private static final String[] DEFAULT = {"verifyShare", "verifyShareV1", "verifyBatch", "combine", "combineV1",
      "partialDecrypt", "reshareDeal", "reshareReceive", "reshareNewKey", "dealFixedPrimes"};

  private ThresholdCpuHarness() {}

  public static void main(String[] args) throws Exception {
    int bits = Integer.parseInt(args[0]);
    String shape = args[1];
    int warm = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    String[] methods = args.length > 4 ? Arrays.copyOfRange(args, 4, args.length) : DEFAULT;
    Class<?> c = Class.forName("org.medledger.bench.threshold.ThresholdBench");
    Object state = c.getDeclaredConstructor().newInstance();
    c.getField("bits").setInt(state, bits);
    c.getField("shape").set(state, shape);
    c.getMethod("setUp").invoke(state);
    for (String name : methods) {
      double[] ms = CpuTimeHarness.measure(state, name, warm, n);
      if (ms == null) {
        continue;
      }
      Summary s = Summary.of(ms);
      System.out.printf("threshold.%s bits=%d shape=%s cpu_ms median=%.2f q1=%.2f q3=%.2f n=%d%n", name, bits, shape,
          s.median(), s.q1(), s.q3(), s.n());
    }
  }
}
