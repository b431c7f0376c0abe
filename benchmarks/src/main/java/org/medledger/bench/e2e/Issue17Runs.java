package org.medledger.bench.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Limits;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.BatchOutcome;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.PaymentStatus;

/**
 * The windows of issue 17's end-to-end measurement ({@code benchmarks/e2e.sh --issue17},
 * docs/performance.md "Issue 17: end to end"), run after {@link EndToEndBench}'s set-up and
 * warm-up on the same network:
 * <ul>
 *   <li>single payments, in the loop and prebuilt, at concurrency C;
 *   <li>the floor beside them: {@code bench:write} of a payload as long as one transfer request
 *       (the chaincode writes it and does nothing else), at the same concurrency;
 *   <li>batched payments ({@code money:transferBatch}, each payer's chain of
 *       {@link Limits#MAX_BATCH_TRANSFERS}): prebuilt, and in the loop ({@link AccountClient#payBatch},
 *       every proof built in the window), at concurrency B, with the floor of a batch-sized payload;
 *   <li>the till ({@link TillRuns}): B tills each sending batches of 16 transfers from 16 different
 *       patients, prebuilt (beside the same batch-sized floor) and built in the loop.
 * </ul>
 * Every window records CPU by process group, the chaincode servers' CPU by thread kind (JIT
 * compiler threads, GC, the rest) and, for the prebuilt windows, an async-profiler CPU profile of
 * the chaincode servers.
 */
final class Issue17Runs {
  private final EndToEndBench b;
  private final ChaincodeProbe probe;
  private final Path profileDir;
  private final Duration window;
  private String tillError;

  Issue17Runs(EndToEndBench b, ChaincodeProbe probe, Path profileDir, Duration window) {
    this.b = b;
    this.probe = probe;
    this.profileDir = profileDir;
    this.window = window;
  }

  /**
   * Runs every window: {@code single} and {@code batch} payers; the floors with {@code floor}
   * submitters, enough to saturate the machine (a submitter waits for its commit, about one
   * orderer batch timeout, so few submitters measure the latency, not the network's capacity).
   */
  JsonArray run(int single, int batch, int floor) throws Exception {
    JsonArray runs = new JsonArray();
    JsonObject in = b.inLoopWindow(single, window);
    runs.add(in);
    int perPayer = in.get("committed").getAsInt() / single;
    // Lead-in: twice the window of prebuilt transfers, untimed by the profiler, so that the profiled
    // window comes after the chaincode JVMs have run a few hundred more transfers (steady state).
    List<List<String>> lead = b.buildChains(single, Math.max(20, 6 * perPayer + 10));
    runs.add(timed("prebuilt-leadin", single, lead, "money:transfer", 1, false, window.multipliedBy(2)));
    List<List<String>> chains = b.buildChains(single, Math.max(20, 3 * perPayer + 10));
    int singleBytes = chains.get(0).get(0).length();
    JsonObject pre = prebuiltSingle(single, chains);
    runs.add(pre);
    runs.add(floor(floor, singleBytes, "floor-single", pre));
    // Batched: enough prebuilt batches for the window at 4× the single prebuilt rate, at least 3 per payer.
    double rate = Math.max(10, 4 * pre.get("throughputTps").getAsDouble());
    int batchesPerPayer = (int) Math.max(3, Math.ceil(rate * window.toSeconds() / Limits.MAX_BATCH_TRANSFERS / batch));
    batchWarmUp(batch);
    List<List<String>> batches = buildBatches(batch, batchesPerPayer);
    int batchBytes = batches.get(0).get(0).length();
    JsonObject bp = prebuiltBatches(batch, batches);
    runs.add(bp);
    JsonObject fb = floor(floor, batchBytes, "floor-batch", bp);
    runs.add(fb);
    runs.add(batchInLoop(batch));
    // The till: 16 different patients' transfers in each batch, as many tills as batch payers.
    // A failure here is recorded (tillError) and costs the rows above nothing.
    try {
      TillRuns till = new TillRuns(b, this, window);
      JsonObject setUp = till.setUp(batch);
      JsonObject tp = till.prebuilt(batch, bp.get("throughputTps").getAsDouble(), setUp);
      besideFloor(tp, fb);
      runs.add(tp);
      runs.add(till.inLoop(batch));
    } catch (Exception | AssertionError e) {
      tillError = e.toString();
      EndToEndBench.log("till windows failed: " + e);
      e.printStackTrace(System.out);
    }
    return runs;
  }

  /** Why the till windows did not run to the end, or null. */
  String tillError() {
    return tillError;
  }

  // ---------------------------------------------------------------- windows

  private JsonObject prebuiltSingle(int c, List<List<String>> chains) throws Exception {
    return timed("prebuilt", c, chains, "money:transfer", 1, true);
  }

  private JsonObject prebuiltBatches(int c, List<List<String>> batches) throws Exception {
    return timed("batch-prebuilt", c, batches, "money:transferBatch", Limits.MAX_BATCH_TRANSFERS, true);
  }

  /** The floor: {@code bench:write} of {@code bytes} random base64 characters, C submitters, no proof. */
  private JsonObject floor(int c, int bytes, String mode, JsonObject beside) throws Exception {
    SecureRandom r = new SecureRandom();
    byte[] raw = new byte[bytes * 3 / 4 + 3];
    List<List<String>> work = new ArrayList<>();
    int per = 100_000; // more than any window can commit: it runs the whole window
    for (int i = 0; i < c; i++) {
      r.nextBytes(raw);
      String payload = Base64.getEncoder().encodeToString(raw).substring(0, bytes);
      work.add(Collections.nCopies(per, payload));
    }
    JsonObject o = timed(mode, c, work, "bench:write", 1, false);
    o.addProperty("payloadBytes", bytes);
    o.addProperty("besideMode", beside.get("mode").getAsString());
    besideFloor(beside, o);
    return o;
  }

  /** Puts the floor's tx/s beside a row, and the row's transactions per second ÷ the floor's. */
  static void besideFloor(JsonObject row, JsonObject floor) {
    double floorTps = floor.get("throughputTps").getAsDouble();
    double paymentsPerTx = row.has("paymentsPerTx") ? row.get("paymentsPerTx").getAsInt() : 1;
    double txRate = row.get("throughputTps").getAsDouble() / paymentsPerTx;
    row.addProperty("floorMode", floor.get("mode").getAsString());
    row.addProperty("floorTxPerSecond", floorTps);
    row.addProperty("ratioToFloor", EndToEndBench.round(floorTps == 0 ? 0 : txRate / floorTps, 3));
  }

  /**
   * C workers each submit their list in order (each stops at its first failure, since its later
   * entries depend on it); the window ends when it is over or when the first worker runs out.
   */
  JsonObject timed(String mode, int c, List<List<String>> work, String function, int paymentsPerTx, boolean profile)
      throws Exception {
    return timed(mode, c, work, function, paymentsPerTx, profile, window);
  }

  private JsonObject timed(String mode, int c, List<List<String>> work, String function, int paymentsPerTx, boolean profile,
      Duration window) throws Exception {
    Map<String, AtomicInteger> failures = new ConcurrentSkipListMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(c);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    long[] firstStop = {Long.MAX_VALUE};
    List<long[]> commits = Collections.synchronizedList(new ArrayList<>());
    List<Future<Object>> fs = new ArrayList<>();
    for (List<String> list : work.subList(0, c)) {
      fs.add(pool.submit(() -> {
        go.await();
        for (String req : list) {
          if (System.nanoTime() >= deadline[0]) {
            return null;
          }
          long t = System.nanoTime();
          try {
            b.hospitalGw.submit(function, req);
          } catch (LedgerCallException e) {
            failures.computeIfAbsent(e.kind() + " " + e.errorCode(), k -> new AtomicInteger()).incrementAndGet();
            break;
          }
          long end = System.nanoTime();
          commits.add(new long[] {end, (end - t) / 1_000_000});
        }
        synchronized (firstStop) {
          firstStop[0] = Math.min(firstStop[0], System.nanoTime());
        }
        return null;
      }));
    }
    String load0 = EndToEndBench.loadAverage();
    Map<String, Double> threads0 = probe.threadCpu();
    JsonObject jit0 = probe.jitCounters();
    if (profile && probe.profiles()) {
      probe.startProfile();
    }
    EndToEndBench.Cpu before = EndToEndBench.Cpu.sample(b.runDir);
    long start = System.nanoTime();
    deadline[0] = start + window.toNanos();
    go.countDown();
    while (System.nanoTime() < deadline[0]) {
      synchronized (firstStop) {
        if (firstStop[0] != Long.MAX_VALUE) {
          break;
        }
      }
      Thread.sleep(50);
    }
    EndToEndBench.Cpu after = EndToEndBench.Cpu.sample(b.runDir);
    Map<String, Double> threads1 = probe.threadCpu();
    long end = Math.min(deadline[0], System.nanoTime());
    JsonObject jit1 = probe.jitCounters();
    JsonObject prof = profile && probe.profiles() ? probe.stopProfile(profileDir, mode) : null;
    for (Future<Object> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    List<Long> lat = new ArrayList<>();
    int tx = 0;
    synchronized (commits) {
      for (long[] x : commits) {
        if (x[0] <= end) {
          tx++;
          lat.add(x[1]);
        }
      }
    }
    double seconds = (end - start) / 1e9;
    JsonObject r = EndToEndBench.result(mode, c, seconds, tx * paymentsPerTx, failures, before, after);
    r.addProperty("function", function);
    r.addProperty("paymentsPerTx", paymentsPerTx);
    r.addProperty("transactions", tx);
    r.addProperty("windowEndedEarly", end < deadline[0]);
    r.addProperty("loadAverageBefore", load0);
    r.add("submitToCommitMs", EndToEndBench.percentiles(lat));
    chaincodeDetail(r, tx, threads0, threads1, seconds);
    r.add("chaincodeJit", ChaincodeProbe.jitDelta(jit0, jit1));
    if (prof != null) {
      r.add("chaincodeProfile", prof);
    }
    EndToEndBench.log(EndToEndBench.summary(r));
    return r;
  }

  /**
   * Chaincode CPU per endorsement (two endorsements per transaction: policy 2 of 3) and the share
   * of the chaincode servers' CPU spent in JIT compiler threads and GC during the window.
   */
  private static void chaincodeDetail(JsonObject r, int tx, Map<String, Double> t0, Map<String, Double> t1, double seconds) {
    double chaincode = r.getAsJsonObject("cpuSeconds").get("chaincode").getAsDouble();
    r.addProperty("chaincodeCpuMsPerEndorsement", tx == 0 ? 0 : EndToEndBench.round(1000 * chaincode / (2.0 * tx), 1));
    JsonObject k = new JsonObject();
    double total = 0;
    for (String kind : t1.keySet()) {
      double d = t1.get(kind) - t0.getOrDefault(kind, 0.0);
      k.addProperty(kind, EndToEndBench.round(d, 2));
      total += d;
    }
    k.addProperty("compilerShare", total == 0 ? 0
        : EndToEndBench.round((k.get("compilerC2").getAsDouble() + k.get("compilerC1").getAsDouble()) / total, 3));
    r.add("chaincodeThreadCpuSeconds", k);
  }

  /** Batched in the loop: B payers each call payBatch(hospital, 16 × 1) again and again. */
  private JsonObject batchInLoop(int c) throws Exception {
    Map<String, AtomicInteger> failures = new ConcurrentSkipListMap<>();
    List<Long> payMs = Collections.synchronizedList(new ArrayList<>());
    List<Long> submitMs = b.timeSubmissions();
    ExecutorService pool = Executors.newFixedThreadPool(c);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger batches = new AtomicInteger();
    long[] amounts = new long[Limits.MAX_BATCH_TRANSFERS];
    java.util.Arrays.fill(amounts, 1);
    List<Future<Object>> fs = new ArrayList<>();
    for (AccountClient p : b.patients.subList(0, c)) {
      fs.add(pool.submit(() -> {
        go.await();
        while (System.nanoTime() < deadline[0]) {
          long t = System.nanoTime();
          List<BatchOutcome> out;
          try {
            out = p.payBatch(b.hospital.accountId(), amounts);
          } catch (LedgerCallException e) {
            failures.computeIfAbsent(e.kind() + " " + e.errorCode(), k -> new AtomicInteger()).incrementAndGet();
            continue;
          }
          tallyBatch(out, t, System.nanoTime(), deadline[0], committed, batches, payMs, failures);
        }
        return null;
      }));
    }
    JsonObject r = inLoopWindow("batch-inloop", c, fs, go, deadline, committed, batches, failures);
    pool.shutdown();
    r.add("payBatchLatencyMs", EndToEndBench.percentiles(payMs));
    synchronized (submitMs) {
      r.add("submitToCommitMs", EndToEndBench.percentiles(submitMs));
    }
    EndToEndBench.log(EndToEndBench.summary(r));
    return r;
  }

  /**
   * The measured part of a batched in-the-loop window: its workers ({@code fs}) wait for
   * {@code go}, run until {@code deadline[0]} (set here) and count committed payments and batches.
   * CPU, chaincode thread CPU and JIT counters are sampled around the window; the latencies are
   * the caller's.
   */
  /**
   * Counts one in-the-loop batch: its refused members into {@code failures}, and, if it ended before
   * the window's deadline, its committed payments, one more batch and its latency from {@code start}.
   */
  static void tallyBatch(List<BatchOutcome> out, long start, long end, long deadline, AtomicInteger committed,
      AtomicInteger batches, List<Long> latencyMs, Map<String, AtomicInteger> failures) {
    int yes = 0;
    for (BatchOutcome o : out) {
      if (o.committed() == PaymentStatus.Outcome.YES) {
        yes++;
      } else {
        failures.computeIfAbsent(o.committed() + " " + o.errorCode(), k -> new AtomicInteger()).incrementAndGet();
      }
    }
    if (end <= deadline) {
      committed.addAndGet(yes);
      batches.incrementAndGet();
      latencyMs.add((end - start) / 1_000_000);
    }
  }

  JsonObject inLoopWindow(String mode, int c, List<Future<Object>> fs, CountDownLatch go, long[] deadline,
      AtomicInteger committed, AtomicInteger batches, Map<String, AtomicInteger> failures) throws Exception {
    String load0 = EndToEndBench.loadAverage();
    Map<String, Double> threads0 = probe.threadCpu();
    JsonObject jit0 = probe.jitCounters();
    EndToEndBench.Cpu before = EndToEndBench.Cpu.sample(b.runDir);
    deadline[0] = System.nanoTime() + window.toNanos();
    go.countDown();
    Thread.sleep(window.toMillis());
    EndToEndBench.Cpu after = EndToEndBench.Cpu.sample(b.runDir);
    Map<String, Double> threads1 = probe.threadCpu();
    JsonObject jit1 = probe.jitCounters();
    for (Future<Object> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    double seconds = window.toNanos() / 1e9;
    JsonObject r = EndToEndBench.result(mode, c, seconds, committed.get(), failures, before, after);
    r.addProperty("function", "money:transferBatch");
    r.addProperty("paymentsPerTx", Limits.MAX_BATCH_TRANSFERS);
    r.addProperty("transactions", batches.get());
    r.addProperty("loadAverageBefore", load0);
    chaincodeDetail(r, batches.get(), threads0, threads1, seconds);
    r.add("chaincodeJit", ChaincodeProbe.jitDelta(jit0, jit1));
    return r;
  }

  // ---------------------------------------------------------------- prebuilt batches

  /**
   * One {@code payBatch} of 16 from each of the first {@code c} payers, all at once, untimed: the
   * chaincode's warm-up verifies single transfers only, so this is where the batch verification's
   * code is first run on the servers (how much it still compiles afterwards is in each window's
   * {@code chaincodeThreadCpuSeconds}).
   */
  private void batchWarmUp(int c) throws Exception {
    long t0 = System.nanoTime();
    Map<String, Double> threads0 = probe.threadCpu();
    long[] amounts = new long[Limits.MAX_BATCH_TRANSFERS];
    java.util.Arrays.fill(amounts, 1);
    ExecutorService pool = Executors.newFixedThreadPool(c);
    List<Future<List<BatchOutcome>>> fs = new ArrayList<>();
    for (AccountClient p : b.patients.subList(0, c)) {
      fs.add(pool.submit(() -> p.payBatch(b.hospital.accountId(), amounts)));
    }
    for (Future<List<BatchOutcome>> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    Map<String, Double> threads1 = probe.threadCpu();
    EndToEndBench.log(String.format("batch warm-up: %d batches of %d in %.1f s; chaincode compiler threads %.2f CPU-s",
        c, Limits.MAX_BATCH_TRANSFERS, (System.nanoTime() - t0) / 1e9,
        threads1.get("compilerC2") + threads1.get("compilerC1") - threads0.get("compilerC2") - threads0.get("compilerC1")));
  }

  /** For each of {@code c} payers, {@code n} consecutive batches of their own chain of transfers. */
  private List<List<String>> buildBatches(int c, int n) throws Exception {
    List<List<String>> chains = b.buildChains(c, n * Limits.MAX_BATCH_TRANSFERS);
    List<List<String>> out = new ArrayList<>();
    for (List<String> chain : chains) {
      List<String> batches = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        JsonArray members = new JsonArray();
        for (String req : chain.subList(i * Limits.MAX_BATCH_TRANSFERS, (i + 1) * Limits.MAX_BATCH_TRANSFERS)) {
          members.add(CanonicalJson.parseObject(req));
        }
        JsonObject batch = new JsonObject();
        batch.add("transfers", members);
        batches.add(CanonicalJson.toString(batch));
      }
      out.add(batches);
    }
    return out;
  }

}
