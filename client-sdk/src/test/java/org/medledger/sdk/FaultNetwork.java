package org.medledger.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The test network's script (test-network/network.sh) for one run directory: kills and restarts
 * nodes by their PID files, names the Raft leader, reads every node's channel height. The base port
 * and orderer count come from the run directory's {@code settings}, so the script finds the
 * network the run directory holds. Every call's output goes to the test's output.
 */
final class FaultNetwork {
  private final Path script;
  private final Path runDir;
  private final String basePort;
  private final String orderers;

  FaultNetwork(Path script, Path runDir) throws IOException {
    this.script = script;
    this.runDir = runDir;
    String settings = Files.readString(runDir.resolve("settings")).trim(); // base_port=… orderers=… fabric=…
    this.basePort = setting(settings, "base_port");
    this.orderers = setting(settings, "orderers");
  }

  private static String setting(String settings, String name) {
    for (String kv : settings.split("\\s+")) {
      if (kv.startsWith(name + "=")) {
        return kv.substring(name.length() + 1);
      }
    }
    throw new IllegalStateException("no " + name + " in the run directory's settings: " + settings);
  }

  /** The script's exit status and output (stdout and stderr together). */
  record Result(int exit, String output) {}

  Result call(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("MEDLEDGER_NETWORK_DIR", runDir.toString());
    env.put("MEDLEDGER_BASE_PORT", basePort);
    env.put("MEDLEDGER_ORDERERS", orderers);
    Process p = pb.start();
    byte[] out;
    try (var in = p.getInputStream()) {
      out = in.readAllBytes(); // the script ends its own waits; the timeout below is a backstop
    }
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly(); // the script we started, by its handle
      throw new IllegalStateException("network.sh " + String.join(" ", args) + " did not finish within " + timeout);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
  }

  /** Runs the script and returns its output; fails if it exits non-zero. */
  String run(Duration timeout, String... args) throws IOException, InterruptedException {
    Result r = call(timeout, args);
    if (r.exit() != 0) {
      throw new IllegalStateException("network.sh " + String.join(" ", args) + " exited " + r.exit() + ": " + r.output());
    }
    return r.output();
  }

  void kill(String node) throws IOException, InterruptedException {
    run(Duration.ofSeconds(30), "kill", node);
  }

  void restart(String node) throws IOException, InterruptedException {
    run(Duration.ofMinutes(3), "restart", node);
  }

  /** The Raft leader's node name, asked until one orderer reports itself leader or {@code wait} passes. */
  String leader(Duration wait) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Result r = call(Duration.ofSeconds(60), "leader");
      if (r.exit() == 0 && r.output().matches("orderer\\d+")) {
        return r.output();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("no Raft leader within " + wait + ": " + r.output());
      }
      Thread.sleep(1000);
    }
  }

  /** Node name to "height" (orderers) or "height hash" (peers); "-" for a stopped node. */
  Map<String, String> heights() throws IOException, InterruptedException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : run(Duration.ofMinutes(2), "heights").split("\n")) {
      String[] f = line.trim().split(" ", 2);
      if (f.length == 2 && (f[0].startsWith("orderer") || f[0].startsWith("peer-"))) {
        out.put(f[0], f[1]);
      }
    }
    return out;
  }

  /**
   * Converged: every node runs ({@code status} exits 0), the peers report one height and one last
   * block hash, and every orderer has that height.
   */
  boolean converged(StringBuilder why) throws IOException, InterruptedException {
    why.setLength(0);
    Result status = call(Duration.ofMinutes(2), "status");
    if (status.exit() != 0) {
      why.append("status: a node is stopped");
      return false;
    }
    Map<String, String> h = heights();
    why.append(h);
    String peer = null;
    String height = null;
    for (Map.Entry<String, String> e : h.entrySet()) {
      if (e.getKey().startsWith("peer-")) {
        if (peer == null) {
          peer = e.getValue();
          height = peer.split(" ")[0];
        } else if (!peer.equals(e.getValue())) {
          return false;
        }
      }
    }
    if (peer == null || height.equals("-") || !peer.contains(" ")) {
      return false;
    }
    for (Map.Entry<String, String> e : h.entrySet()) {
      if (e.getKey().startsWith("orderer") && !e.getValue().equals(height)) {
        return false;
      }
    }
    return h.size() == 3 + Integer.parseInt(orderers);
  }
}
