package org.medledger.bench.channel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.Role;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.ChannelParams;
import org.medledger.sdk.channel.ChannelParty;

/**
 * Off-chain update rate and latency on one channel between two processes on loopback
 * (docs/payment-channels.md §7). A runs here; B is a second JVM ({@link ChannelBenchPeer}) started
 * from the same class path and stopped by its process handle. Both persist every state with
 * fdatasync before acknowledging it. The load generator keeps {@code outstanding} payments of 1
 * in flight; each run reports payments per second, states (signed by both) per second, and the
 * latency of a payment from {@code pay()} to its completion at A, in percentiles.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.medledger.bench.channel.ChannelBench [payments]
 * [out.json]}. Not a JMH benchmark: it measures two processes end to end, not a method.
 */
public final class ChannelBench {
  /** One configuration: states per payment, proposals in flight, payments outstanding. */
  record Run(String name, int maxPaymentsPerState, int depth, int outstanding) {}

  private ChannelBench() {}

  public static void main(String[] args) throws Exception {
    int payments = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    Run[] runs = {
      new Run("one at a time (latency of one update)", 1, 1, 1),
      new Run("one state per payment, pipelined", 1, 64, 256),
      new Run("batched states, pipelined", 256, 16, 4_096),
    };
    JsonArray results = new JsonArray();
    for (Run r : runs) {
      int n = r.outstanding() == 1 ? Math.min(payments, 5_000) : payments;
      results.add(run(r, n));
    }
    JsonObject out = new JsonObject();
    out.addProperty("benchmark", "payment channel, two processes on loopback, fdatasync before every acknowledgement");
    out.addProperty("jvm", System.getProperty("java.vm.version"));
    out.addProperty("cpus", Runtime.getRuntime().availableProcessors());
    out.add("runs", results);
    String json = CanonicalJson.toString(out);
    System.out.println(json);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), json + "\n");
    }
  }

  static JsonObject run(Run r, int payments) throws Exception {
    SecureRandom rnd = new SecureRandom();
    Path dir = Files.createTempDirectory("channel-bench-");
    AccountSecrets a = new AccountSecrets(Role.INSURER, seed(rnd), TestKeys.key2048b());
    byte[] seedB = seed(rnd);
    AccountSecrets b = new AccountSecrets(Role.HOSPITAL, seedB, TestKeys.key2048a());
    ChannelParams params = params(a, b, r.depth(), rnd);
    JsonObject cfg = new JsonObject();
    cfg.add("params", params.toJson());
    cfg.addProperty("seed", HexFormat.of().formatHex(seedB));
    cfg.addProperty("log", dir.resolve("b.log").toString());
    cfg.addProperty("portFile", dir.resolve("b.port").toString());
    Path config = dir.resolve("b.json");
    Files.writeString(config, CanonicalJson.toString(cfg));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process peer = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        ChannelBenchPeer.class.getName(), config.toString()).inheritIO().start();
    ChannelParty party = null;
    ChannelParty.Connection dialer = null;
    try {
      Path port = dir.resolve("b.port");
      for (int i = 0; i < 600 && !Files.exists(port); i++) {
        Thread.sleep(100);
      }
      party = ChannelParty.create(params, a, dir.resolve("a.log"),
          new ChannelParty.Options(r.maxPaymentsPerState(), 64L << 20), rnd);
      dialer = party.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
          Integer.parseInt(Files.readString(port).trim())), rnd);
      long warm = System.nanoTime();
      while (System.nanoTime() - warm < 8_000_000_000L) {
        drive(party, 2_000, r.outstanding(), null); // warm-up: JIT of both processes
      }
      long seq0 = party.latest().seq();
      long[] latencies = new long[payments];
      long cpuA0 = processCpuNanos();
      long cpuB0 = cpuNanos(peer.pid());
      long t0 = System.nanoTime();
      drive(party, payments, r.outstanding(), latencies);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long states = party.latest().seq() - seq0;
      double cpuA = (processCpuNanos() - cpuA0) / 1e3 / Math.max(1, states);
      double cpuB = (cpuNanos(peer.pid()) - cpuB0) / 1e3 / Math.max(1, states);
      Arrays.sort(latencies);
      JsonObject o = new JsonObject();
      o.addProperty("run", r.name());
      o.addProperty("maxPaymentsPerState", r.maxPaymentsPerState());
      o.addProperty("depth", r.depth());
      o.addProperty("outstanding", r.outstanding());
      o.addProperty("payments", payments);
      o.addProperty("states", states);
      o.addProperty("paymentsPerSecond", Math.round(payments / seconds));
      o.addProperty("statesPerSecond", Math.round(states / seconds));
      o.addProperty("latencyMicrosP50", pct(latencies, 0.50));
      o.addProperty("latencyMicrosP90", pct(latencies, 0.90));
      o.addProperty("latencyMicrosP99", pct(latencies, 0.99));
      o.addProperty("latencyMicrosP999", pct(latencies, 0.999));
      o.addProperty("latencyMicrosMax", latencies[latencies.length - 1] / 1_000);
      o.addProperty("cpuMicrosPerStateA", Math.round(cpuA));
      o.addProperty("cpuMicrosPerStateB", Math.round(cpuB));
      o.addProperty("loadAverage", String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      System.out.println(String.format(Locale.ROOT,
          "%-40s %8d payments/s %8d states/s  latency us p50 %6d p99 %6d p99.9 %6d  cpu us/state A %.0f B %.0f",
          r.name(), o.get("paymentsPerSecond").getAsLong(), o.get("statesPerSecond").getAsLong(), pct(latencies, 0.5),
          pct(latencies, 0.99), pct(latencies, 0.999), cpuA, cpuB));
      return o;
    } finally {
      if (dialer != null) {
        dialer.close();
      }
      if (party != null) {
        party.close();
      }
      peer.destroy();
      if (!peer.waitFor(10, TimeUnit.SECONDS)) {
        peer.destroyForcibly();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Keeps {@code outstanding} payments of 1 in flight until {@code n} have completed. */
  private static void drive(ChannelParty party, int n, int outstanding, long[] latencies) throws InterruptedException {
    Semaphore window = new Semaphore(outstanding);
    AtomicLong failures = new AtomicLong();
    for (int i = 0; i < n; i++) {
      window.acquire();
      long start = System.nanoTime();
      int slot = i;
      party.pay(1).whenComplete((s, e) -> {
        if (e != null) {
          failures.incrementAndGet();
        } else if (latencies != null) {
          latencies[slot] = System.nanoTime() - start;
        }
        window.release();
      });
    }
    window.acquire(outstanding);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " payments failed");
    }
  }

  /** This process's CPU time (user and system). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Another process's CPU time from /proc (Linux; clock ticks of 10 ms), or 0 where unavailable. */
  private static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1_000;
  }

  private static byte[] seed(SecureRandom rnd) {
    byte[] s = new byte[32];
    rnd.nextBytes(s);
    return s;
  }

  /** Parameters as an open would record them; deposits large enough for any run. */
  private static ChannelParams params(AccountSecrets a, AccountSecrets b, int depth, SecureRandom rnd) {
    byte[] id = new byte[16];
    rnd.nextBytes(id);
    byte[] salt = new byte[32];
    rnd.nextBytes(salt);
    long deposit = 1_000_000_000_000L;
    return new ChannelParams(new ChannelMessages.Scope("medchannel", "medledger", "pc-" + HexFormat.of().formatHex(id)),
        a.accountId(), b.accountId(), a.signingPublicKey(),
        b.signingPublicKey(), a.paillier().publicKey(), b.paillier().publicKey(),
        TestKeys.key2048c().publicKey(), deposit, 0, a.paillier().encrypt(deposit, rnd), b.paillier().encrypt(0, rnd),
        depth, 3_600, salt);
  }
}
