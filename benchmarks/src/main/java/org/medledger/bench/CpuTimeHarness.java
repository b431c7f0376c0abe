package org.medledger.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.medledger.bench.stats.Summary;

/**
 * Thread CPU time of the transfer benchmarks' operations, for a machine shared with other work
 * (docs/performance.md, "Issue 17 items 1–3"): wall-clock JMH medians there move with the other
 * load, the CPU time a thread spends on an operation much less. It drives the JMH state classes
 * ({@code TransferBench}, {@code ChaincodeTransferBench}, {@code TransferBatchBench},
 * {@code RangeProofBench}) directly: set-up, then {@code warm} untimed calls, then {@code n} timed
 * calls of each method, and prints the median and quartiles.
 * Methods a jar lacks are skipped, so the same source runs against an older build.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.medledger.bench.CpuTimeHarness [bits] [warm] [n] [class regex]}
 * (or the source-file launcher against another build's jar).
 */
public final class CpuTimeHarness {
  private CpuTimeHarness() {}

  public static void main(String[] args) throws Exception {
    int bits = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
    int warm = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    only = args.length > 3 ? args[3] : ".*";
    run("org.medledger.bench.TransferBench", bits, warm, n, "prove", "verify");
    run("org.medledger.chaincode.ChaincodeTransferBench", bits, warm, n, "endorse", "endorseColdKeys");
    run("org.medledger.bench.TransferBatchBench", bits, warm, n, "verifySingle", "verifyBatch16Payers", "verifyBatchChain16");
    // The 2 × 64-bit Bulletproof alone (independent of the Paillier size; bits is ignored).
    run("org.medledger.bench.RangeProofBench", bits, warm, n, "prove", "verify");
  }

  /** A regular expression on the class names to run (optional fourth argument). */
  private static String only = ".*";

  private static void run(String cls, int bits, int warm, int n, String... methods) throws Exception {
    if (!cls.matches(only)) {
      return;
    }
    Class<?> c;
    try {
      c = Class.forName(cls);
    } catch (ClassNotFoundException absent) {
      return;
    }
    Object state = c.getDeclaredConstructor().newInstance();
    try {
      c.getField("bits").setInt(state, bits);
    } catch (NoSuchFieldException sizeIndependent) {
      // RangeProofBench: the curve does not depend on the Paillier size.
    }
    c.getMethod("setUp").invoke(state);
    for (String name : methods) {
      double[] ms = measure(state, name, warm, n);
      if (ms == null) {
        continue;
      }
      Summary s = Summary.of(ms);
      System.out.printf("%s.%s bits=%d cpu_ms median=%.2f q1=%.2f q3=%.2f n=%d%n", c.getSimpleName(), name, bits,
          s.median(), s.q1(), s.q3(), s.n());
      if (name.startsWith("verifyBatch")) {
        // A batch call verifies TransferBatchBench.MEMBERS payments.
        int members = c.getField("MEMBERS").getInt(null);
        System.out.printf("%s.%s bits=%d cpu_ms_per_payment median=%.2f q1=%.2f q3=%.2f members=%d%n", c.getSimpleName(),
            name, bits, s.median() / members, s.q1() / members, s.q3() / members, members);
      }
    }
  }

  /** One operation to time; it may throw (a reflective call does). */
  @FunctionalInterface
  public interface Operation {
    void run() throws Exception;
  }

  /**
   * The thread CPU times, in milliseconds and sorted ascending, of {@code n} calls of {@code op}
   * after {@code warm} untimed ones, for {@link Summary#of(double...)} (median {@code ms[n / 2]},
   * quartiles {@code ms[n / 4]} and {@code ms[(3 * n) / 4]}). Shared by this harness, {@code ThresholdCpuHarness} and {@link StatsCpuTime}.
   */
  public static double[] measure(Operation op, int warm, int n) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warm; i++) {
      op.run();
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = mx.getCurrentThreadCpuTime();
      op.run();
      ms[i] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  /**
   * As {@link #measure(Operation, int, int)} for the public no-argument method {@code name} of a
   * benchmark state, or null when the state's class lacks it (an older build's jar).
   */
  public static double[] measure(Object state, String name, int warm, int n) throws Exception {
    Method m;
    try {
      m = state.getClass().getMethod(name);
    } catch (NoSuchMethodException absent) {
      return null;
    }
    return measure(() -> m.invoke(state), warm, n);
  }
}
