package org.medledger.bench.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the chaincode servers (the {@code ccaas-*} processes of the test network) do during a
 * window: CPU by thread kind (C1/C2 JIT compiler threads, GC, the rest) from
 * {@code /proc/<pid>/task/*}, and optionally a CPU profile by async-profiler attached to each
 * server through the JDK's attach API ({@code com.sun.tools.attach}), written as collapsed stacks
 * and summarised as the frames with the largest share (self and inclusive). docs/performance.md,
 * "Issue 17: end to end".
 */
final class ChaincodeProbe {
  private static final double TICK = 100.0; // USER_HZ
  /** Frames whose inclusive share is reported, if present: where the endorsement's CPU goes. */
  private static final List<String> MARKERS = List.of(
      "org/medledger/crypto/proof/TransferProof.verify",
      "org/medledger/crypto/proof/TransferProof.fromBytes",
      "org/medledger/crypto/proof/TransferBatch",
      "org/medledger/crypto/bulletproofs",
      "org/medledger/crypto/paillier/PaillierPublicKey.fromBytes",
      "java/math/BigInteger.oddModPow",
      "java/math/BigInteger.modPow",
      "java/math/BigInteger.montgomery",
      "org/medledger/crypto/paillier/FixedBase",
      "org/medledger/chaincode/MoneyContract.transfer",
      "org/medledger/chaincode/MoneyContract.transferBatch",
      "org/medledger/chaincode/KeyCache",
      "org/medledger/chaincode/Ledger",
      "org/medledger/chaincode/EntryCheck",
      "org/medledger/protocol/SignedRequest",
      "org/medledger/protocol/CanonicalJson",
      "com/google/gson",
      "org/bouncycastle/math/ec/rfc8032",
      "io/grpc",
      "io/netty",
      "org/hyperledger/fabric");

  private final Path runDir;
  private final Path profilerLib;

  /** {@code profilerLib}: async-profiler's libasyncProfiler.so, or null for no profile. */
  ChaincodeProbe(Path runDir, Path profilerLib) {
    this.runDir = runDir;
    this.profilerLib = profilerLib;
  }

  boolean profiles() {
    return profilerLib != null;
  }

  /** The chaincode servers' PIDs by name ({@code ccaas-hospital} ...). */
  Map<String, String> servers() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (var files = Files.list(runDir.resolve("pids"))) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("ccaas-") && name.endsWith(".pid")) {
          String pid = Files.readAllLines(f).get(0).trim();
          if (Files.exists(Path.of("/proc", pid))) {
            out.put(name.substring(0, name.length() - 4), pid);
          }
        }
      }
    }
    return out;
  }

  /** CPU seconds of all chaincode servers' threads, by kind: compilerC2, compilerC1, gc, other. */
  Map<String, Double> threadCpu() throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String k : List.of("compilerC2", "compilerC1", "gc", "other")) {
      out.put(k, 0.0);
    }
    for (String pid : servers().values()) {
      Path tasks = Path.of("/proc", pid, "task");
      List<Path> ts;
      try (var s = Files.list(tasks)) {
        ts = s.toList();
      }
      for (Path t : ts) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double s = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK;
          String kind = comm.startsWith("C2 Compiler") ? "compilerC2" : comm.startsWith("C1 Compiler") ? "compilerC1"
              : comm.startsWith("GC") || comm.startsWith("VM Thread") ? "gc" : "other";
          out.merge(kind, s, Double::sum);
        } catch (IOException | RuntimeException gone) {
          // a thread that ended between the listing and the read
        }
      }
    }
    return out;
  }

  /**
   * HotSpot's JIT counters of every chaincode server ({@code jcmd <pid> PerfCounter.print}):
   * compilations (standard, OSR), invalidations (deoptimised code thrown away), bailouts and
   * the compilers' time in ms, summed over the servers, and the method each compiled last.
   */
  JsonObject jitCounters() throws Exception {
    JsonObject o = new JsonObject();
    long standard = 0;
    long osr = 0;
    long invalidates = 0;
    long bailouts = 0;
    double compileMs = 0;
    JsonObject last = new JsonObject();
    for (Map.Entry<String, String> s : servers().entrySet()) {
      Process p = new ProcessBuilder("jcmd", s.getValue(), "PerfCounter.print").redirectErrorStream(true).start();
      Map<String, String> c = new HashMap<>();
      for (String line : new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          c.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      p.waitFor();
      standard += Long.parseLong(c.getOrDefault("sun.ci.standardCompiles", "0"));
      osr += Long.parseLong(c.getOrDefault("sun.ci.osrCompiles", "0"));
      invalidates += Long.parseLong(c.getOrDefault("sun.ci.totalInvalidates", "0"));
      bailouts += Long.parseLong(c.getOrDefault("sun.ci.totalBailouts", "0"));
      double hz = Double.parseDouble(c.getOrDefault("sun.os.hrt.frequency", "1000000000"));
      compileMs += Long.parseLong(c.getOrDefault("java.ci.totalTime", "0")) * 1000.0 / hz;
      last.addProperty(s.getKey(), c.getOrDefault("sun.ci.lastMethod", "").replace("\"", ""));
    }
    o.addProperty("standardCompiles", standard);
    o.addProperty("osrCompiles", osr);
    o.addProperty("invalidates", invalidates);
    o.addProperty("bailouts", bailouts);
    o.addProperty("compileMs", Math.round(compileMs));
    o.add("lastMethod", last);
    return o;
  }

  /** {@code after} minus {@code before} for the counters of {@link #jitCounters}; the last methods of {@code after}. */
  static JsonObject jitDelta(JsonObject before, JsonObject after) {
    JsonObject o = new JsonObject();
    for (String k : List.of("standardCompiles", "osrCompiles", "invalidates", "bailouts", "compileMs")) {
      o.addProperty(k, after.get(k).getAsLong() - before.get(k).getAsLong());
    }
    o.add("lastMethod", after.get("lastMethod"));
    return o;
  }

  /** Starts async-profiler (CPU, 1 ms, by thread) in every chaincode server. */
  void startProfile() throws Exception {
    for (String pid : servers().values()) {
      load(pid, "start,event=cpu,interval=1ms,threads");
    }
  }

  /**
   * Stops the profiles, writes each server's collapsed stacks to {@code dir/<tag>-<server>.collapsed}
   * and returns their summary: samples, share by thread kind, top self frames and the inclusive
   * share of {@link #MARKERS}, over all servers.
   */
  JsonObject stopProfile(Path dir, String tag) throws Exception {
    Files.createDirectories(dir);
    Map<String, Long> stacks = new HashMap<>();
    JsonArray files = new JsonArray();
    for (Map.Entry<String, String> s : servers().entrySet()) {
      Path out = dir.resolve(tag + "-" + s.getKey() + ".collapsed").toAbsolutePath();
      load(s.getValue(), "stop,file=" + out + ",collapsed");
      files.add(out.getFileName().toString());
      for (String line : Files.readAllLines(out)) {
        int sp = line.lastIndexOf(' ');
        if (sp > 0) {
          stacks.merge(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()), Long::sum);
        }
      }
    }
    JsonObject o = summarise(stacks);
    o.add("files", files);
    return o;
  }

  static JsonObject summarise(Map<String, Long> stacks) {
    long total = 0;
    Map<String, Long> byThread = new LinkedHashMap<>();
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> marker = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : stacks.entrySet()) {
      long n = e.getValue();
      total += n;
      String[] frames = e.getKey().split(";");
      String thread = frames[0].startsWith("[") ? frames[0] : "";
      String kind = thread.startsWith("[C2 Compiler") ? "compilerC2" : thread.startsWith("[C1 Compiler") ? "compilerC1"
          : thread.startsWith("[GC") || thread.startsWith("[VM Thread") ? "gc" : "other";
      byThread.merge(kind, n, Long::sum);
      self.merge(frames[frames.length - 1], n, Long::sum);
      for (String m : MARKERS) {
        for (String f : frames) {
          if (f.equals(m) || f.startsWith(m + ".") || f.startsWith(m + "/") || f.startsWith(m + "$")) {
            marker.merge(m, n, Long::sum);
            break;
          }
        }
      }
    }
    JsonObject o = new JsonObject();
    o.addProperty("samples", total);
    o.addProperty("intervalMs", 1);
    JsonObject threads = new JsonObject();
    final long t = Math.max(1, total);
    byThread.forEach((k, v) -> threads.addProperty(k, share(v, t)));
    o.add("shareByThreadKind", threads);
    JsonArray top = new JsonArray();
    self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(20)
        .forEach(e -> {
          JsonObject f = new JsonObject();
          f.addProperty("frame", e.getKey());
          f.addProperty("selfShare", share(e.getValue(), t));
          top.add(f);
        });
    o.add("topSelfFrames", top);
    JsonObject inc = new JsonObject();
    List<Map.Entry<String, Long>> ms = new ArrayList<>(marker.entrySet());
    ms.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
    ms.forEach(e -> inc.addProperty(e.getKey(), share(e.getValue(), t)));
    o.add("inclusiveShare", inc);
    return o;
  }

  private static double share(long n, long total) {
    return Math.round(1000.0 * n / total) / 10.0; // percent, one decimal
  }

  private void load(String pid, String options) throws Exception {
    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(pid);
    try {
      vm.loadAgentPath(profilerLib.toAbsolutePath().toString(), options);
    } finally {
      vm.detach();
    }
  }
}
