package org.medledger.bench.stats;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.lang.management.ThreadMXBean;

/**
 * The three clocks a stage is measured with on a shared machine: wall time, the CPU time of the
 * calling thread (the SDK client, the contract and the embedded ledger all run on it) and the CPU
 * time of the whole process (adds the garbage collector and the JIT compilers).
 */
public final class Meter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One reading of the three clocks, in nanoseconds. */
  public record Reading(long wall, long thread, long process) {
    /** The interval from this reading to {@code later}. */
    public Interval to(Reading later) {
      return new Interval((later.wall - wall) / 1e6, (later.thread - thread) / 1e6, (later.process - process) / 1e6);
    }
  }

  /** An interval in milliseconds of wall time, thread CPU time and process CPU time. */
  public record Interval(double wallMs, double threadCpuMs, double processCpuMs) {
    public Interval plus(Interval o) {
      return new Interval(wallMs + o.wallMs, threadCpuMs + o.threadCpuMs, processCpuMs + o.processCpuMs);
    }

    public void addTo(JsonObject o) {
      o.addProperty("wall_ms", Summary.round(wallMs));
      o.addProperty("thread_cpu_ms", Summary.round(threadCpuMs));
      o.addProperty("process_cpu_ms", Summary.round(processCpuMs));
    }
  }

  private Meter() {}

  /** The system load average over 1, 5 and 15 minutes ({@code /proc/loadavg}). */
  public static String loadAverage() {
    try {
      String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return p[0] + " " + p[1] + " " + p[2];
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.2f", OS.getSystemLoadAverage());
    }
  }

  public static Reading read() {
    return new Reading(System.nanoTime(), THREADS.getCurrentThreadCpuTime(), OS.getProcessCpuTime());
  }
}
