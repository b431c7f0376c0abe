package org.medledger.bench.e2e;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.ForwardingConnection;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.GatewayConnection;
import org.medledger.sdk.GatewayMaterial;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.Transfer;

/**
 * End-to-end benchmark on a freshly deployed test network (test-network/network.sh up, deploy):
 * committed confidential payments per second from C concurrent patients to one hospital, their
 * latency, and the CPU each process group spends per committed payment. See docs/performance.md
 * ("End to end on the test network") and benchmarks/e2e.sh.
 *
 * <p>Two modes per concurrency: {@code inloop}, where each payer runs {@link AccountClient#pay}
 * (reads its state, builds the proof, submits, waits for the commit) again and again; and
 * {@code prebuilt}, where each payer's chain of signed transfers (consecutive nonces, each on the
 * balance the previous one leaves) is built before the timed window, so that the window holds
 * only submission, endorsement (two chaincode verifications), ordering and commit.
 *
 * <p>Arguments: {@code <run dir> [concurrency list, e.g. 1,4,8] [seconds per window] [results
 * json] [image dir]}.
 */
public final class EndToEndBench {
  private static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\"]}";
  private static final long FUND = 10_000_000;
  private static final long AMOUNT = 1;

  private final SecureRandom rnd = new SecureRandom();
  final Path runDir;
  private final List<GatewayConnection> connections = new ArrayList<>();
  GatewayConnection hospitalGw;
  private GatewayConnection insurerGw;
  private GatewayConnection regulatorGw;
  AccountClient hospital;
  final List<AccountSecrets> patientSecrets = new ArrayList<>();
  final List<AccountClient> patients = new ArrayList<>();
  /** The patients' connection: the hospital's gateway, timing each transfer submission. */
  private Timed patientGw;

  /** From now on, the patients' transfer submissions are timed into the list returned. */
  List<Long> timeSubmissions() {
    List<Long> ms = Collections.synchronizedList(new ArrayList<>());
    patientGw.ms = ms;
    return ms;
  }

  /** The patients' connection (timed by {@link #timeSubmissions}), for a till submitting their transfers. */
  LedgerConnection patientConnection() {
    return patientGw;
  }

  /** Issue 17's plan ({@link Issue17Runs}) instead of the default windows, when set. */
  private Issue17Plan issue17;

  /** {@code --issue17}: single and batch concurrency, the chaincode probe, where profiles go. */
  record Issue17Plan(int single, int batch, int floor, ChaincodeProbe probe, Path profileDir) {}

  private EndToEndBench(Path runDir) {
    this.runDir = runDir;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: EndToEndBench <network run dir> [concurrencies, e.g. 1,4,8] [seconds] [results json] [image dir]");
      System.exit(2);
    }
    Path run = Path.of(args[0]);
    List<Integer> conc = new ArrayList<>();
    for (String s : (args.length > 1 ? args[1] : "1,4,8").split(",")) {
      conc.add(Integer.parseInt(s.trim()));
    }
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 45;
    Path json = Path.of(args.length > 3 ? args[3] : "benchmarks/results/e2e.json");
    Path img = Path.of(args.length > 4 ? args[4] : "docs/img");
    EndToEndBench b = new EndToEndBench(run);
    if (args.length > 5 && args[5].equals("issue17")) {
      // conc is "single,batch,floor"; args[6]: async-profiler's native library ("" for none); args[7]: profile dir
      Path lib = args.length > 6 && !args[6].isEmpty() ? Path.of(args[6]) : null;
      Path dir = Path.of(args.length > 7 ? args[7] : "benchmarks/results/profiles");
      b.issue17 = new Issue17Plan(conc.get(0), conc.get(1), conc.get(2), new ChaincodeProbe(run, lib), dir);
    }
    try {
      JsonObject result = b.run(conc, Duration.ofSeconds(seconds));
      Files.createDirectories(json.toAbsolutePath().getParent());
      Files.writeString(json, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(result) + "\n");
      Charts.write(result, img);
      log("wrote " + json + " and charts in " + img);
    } finally {
      b.connections.forEach(GatewayConnection::close);
    }
    System.exit(0); // gRPC threads
  }

  static void log(String s) {
    System.out.println("[e2e " + Instant.now().toString().substring(11, 19) + "] " + s);
  }

  private GatewayConnection connect(String org) throws Exception {
    GatewayConnection c = GatewayConnection.builder().material(GatewayMaterial.read(runDir.resolve("gateway/" + org + ".json")))
        .endorseTimeout(Duration.ofMinutes(2)).commitStatusTimeout(Duration.ofMinutes(2)).connect();
    connections.add(c);
    return c;
  }

  AccountSecrets secrets(Role role, PaillierSecretKey key) {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    return new AccountSecrets(role, seed, key);
  }

  private JsonObject run(List<Integer> concurrencies, Duration window) throws Exception {
    int payers = issue17 != null ? Math.max(issue17.single(), issue17.batch()) : Collections.max(concurrencies);
    JsonObject out = new JsonObject();
    out.add("machine", machine());
    JsonObject params = new JsonObject();
    params.addProperty("keyBits", 2048);
    params.addProperty("payers", payers);
    params.addProperty("windowSeconds", window.toSeconds());
    params.addProperty("amountPerPayment", AMOUNT);
    params.addProperty("endorsementPolicy", "OutOf(2, hospital, insurer, regulator peers)");
    params.addProperty("orderers", System.getenv().getOrDefault("MEDLEDGER_ORDERERS", readSetting("ORDERERS", "?")));
    params.addProperty("batchTimeout", "500ms");
    params.addProperty("maxMessageCount", 50);
    out.add("parameters", params);

    hospitalGw = connect("hospital");
    insurerGw = connect("insurer");
    regulatorGw = connect("regulator");
    long t0 = System.nanoTime();
    try {
      new PublicLedger(regulatorGw).configure(CONFIG);
    } catch (LedgerCallException e) {
      throw new IllegalStateException("the channel is already configured: run on a freshly deployed network ("
          + e.errorCode() + ")", e);
    }
    AccountSecrets regulatorSecrets = secrets(Role.REGULATOR, TestKeys.key2048c());
    AccountClient regulator = new AccountClient(regulatorSecrets, regulatorGw, rnd);
    regulator.register();
    // records:setup before every other registration: their Π^fac proofs are made against it.
    new RecordClient(regulatorSecrets, regulatorGw, rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    AccountClient insurer = new AccountClient(secrets(Role.INSURER, TestKeys.key2048b()), insurerGw, rnd);
    insurer.register();
    hospital = new AccountClient(secrets(Role.HOSPITAL, TestKeys.key2048a()), hospitalGw, rnd);
    hospital.register();
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(cores, 8));
    List<Future<AccountSecrets>> keys = new ArrayList<>();
    for (int i = 0; i < payers; i++) {
      keys.add(pool.submit(() -> secrets(Role.PATIENT, new PaillierKeyGenerator(new SecureRandom()).generate(KeySize.BITS_2048))));
    }
    for (Future<AccountSecrets> f : keys) {
      patientSecrets.add(f.get());
    }
    patientGw = new Timed(hospitalGw);
    List<Future<AccountClient>> reg = new ArrayList<>();
    for (AccountSecrets s : patientSecrets) {
      reg.add(pool.submit(() -> {
        AccountClient c = new AccountClient(s, patientGw, new SecureRandom());
        c.register();
        return c;
      }));
    }
    for (Future<AccountClient> f : reg) {
      patients.add(f.get(10, TimeUnit.MINUTES));
    }
    regulator.issue(insurer.accountId(), FUND * payers);
    for (AccountClient p : patients) {
      insurer.pay(p.accountId(), FUND);
    }
    List<Future<Object>> folds = new ArrayList<>();
    for (AccountClient p : patients) {
      folds.add(pool.submit(() -> {
        p.foldAll();
        return null;
      }));
    }
    for (Future<Object> f : folds) {
      f.get();
    }
    // Warm-up: one payment from every patient, all at once. Each client builds its fixed-base tables
    // of the hospital's and the regulator's keys (seconds each, once per client), each chaincode
    // server its table of the hospital's key, and the JVMs compile the hot code.
    long w0 = System.nanoTime();
    List<Future<Transfer>> warm = new ArrayList<>();
    for (AccountClient p : patients) {
      warm.add(pool.submit(() -> p.pay(hospital.accountId(), AMOUNT)));
    }
    for (Future<Transfer> f : warm) {
      f.get(10, TimeUnit.MINUTES);
    }
    log(String.format("warm-up: %d payments, one per patient, in %.1f s", payers, (System.nanoTime() - w0) / 1e9));
    out.addProperty("warmUpSeconds", round((System.nanoTime() - w0) / 1e9, 1));
    pool.shutdown();
    log(String.format("set up: configured, 3 institutions and %d patients registered, funded and folded in %.1f s",
        payers, (System.nanoTime() - t0) / 1e9));

    if (issue17 != null) {
      out.addProperty("plan", "issue17");
      out.add("chaincodeThreadCpuSecondsBeforeWindows", threadCpu(issue17.probe()));
      out.add("chaincodeJitBeforeWindows", issue17.probe().jitCounters());
      Issue17Runs runs = new Issue17Runs(this, issue17.probe(), issue17.profileDir(), window);
      out.add("runs", runs.run(issue17.single(), issue17.batch(), issue17.floor()));
      if (runs.tillError() != null) {
        out.addProperty("tillError", runs.tillError());
      }
      out.addProperty("finished", Instant.now().toString());
      out.addProperty("loadAverageAtEnd", loadAverage());
      return out;
    }
    JsonArray runs = new JsonArray();
    for (int c : concurrencies) {
      JsonObject in = inLoopWindow(c, window);
      runs.add(in);
      int perPayer = in.get("committed").getAsInt() / c;
      runs.add(prebuilt(c, window, Math.max(20, 3 * perPayer + 10)));
    }
    out.add("runs", runs);
    out.addProperty("finished", Instant.now().toString());
    out.addProperty("loadAverageAtEnd", loadAverage());
    return out;
  }

  /** The chaincode servers' CPU by thread kind since they started (set-up, warm-up, everything before the windows). */
  private static JsonObject threadCpu(ChaincodeProbe probe) throws IOException {
    JsonObject o = new JsonObject();
    probe.threadCpu().forEach((k, v) -> o.addProperty(k, round(v, 2)));
    return o;
  }

  // ---------------------------------------------------------------- in-loop mode

  JsonObject inLoopWindow(int c, Duration window) throws Exception {
    List<Long> submitMs = Collections.synchronizedList(new ArrayList<>());
    List<Long> payMs = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> failures = new ConcurrentSkipListMap<>();
    List<AccountClient> clients = patients.subList(0, c);
    patientGw.ms = submitMs;
    ExecutorService pool = Executors.newFixedThreadPool(c);
    CountDownLatch go = new CountDownLatch(1);
    long[] window0 = new long[1];
    long[] deadline = new long[1];
    AtomicInteger committed = new AtomicInteger();
    List<Future<Object>> fs = new ArrayList<>();
    for (AccountClient p : clients) {
      fs.add(pool.submit(() -> {
        go.await();
        while (System.nanoTime() < deadline[0]) {
          long t = System.nanoTime();
          try {
            p.pay(hospital.accountId(), AMOUNT);
          } catch (LedgerCallException e) {
            failures.computeIfAbsent(e.kind() + " " + e.errorCode(), k -> new AtomicInteger()).incrementAndGet();
            continue;
          }
          long end = System.nanoTime();
          if (end <= deadline[0]) {
            committed.incrementAndGet();
            payMs.add((end - t) / 1_000_000);
          }
        }
        return null;
      }));
    }
    Cpu before = Cpu.sample(runDir);
    window0[0] = System.nanoTime();
    deadline[0] = window0[0] + window.toNanos();
    go.countDown();
    Thread.sleep(window.toMillis());
    Cpu after = Cpu.sample(runDir);
    for (Future<Object> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    double seconds = window.toNanos() / 1e9;
    JsonObject r = result("inloop", c, seconds, committed.get(), failures, before, after);
    r.add("payLatencyMs", percentiles(payMs));
    synchronized (submitMs) {
      r.add("submitToCommitMs", percentiles(submitMs));
    }
    log(summary(r));
    return r;
  }

  /** Times each money:transfer submission (endorse, order, commit). */
  private static final class Timed extends ForwardingConnection {
    volatile List<Long> ms = Collections.synchronizedList(new ArrayList<>());

    Timed(LedgerConnection inner) {
      super(inner);
    }

    @Override
    public String submit(String function, String... args) throws LedgerCallException {
      long t = System.nanoTime();
      String out = inner.submit(function, args);
      if (function.startsWith("money:transfer")) { // money:transfer, money:transferBatch
        ms.add((System.nanoTime() - t) / 1_000_000);
      }
      return out;
    }

    /** Tells no commit status, as this connection always has. */
    @Override
    public Optional<String> commitStatus(String txId) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- prebuilt mode

  /**
   * Builds {@code n} consecutive transfers for a patient: nonces from the ledger's next one, each
   * on the balance the previous transfer leaves (the chaincode computes the same ciphertext), no
   * credits to fold (patients only pay, and every credit was folded).
   */
  List<String> chain(AccountSecrets s, int n, PaillierPublicKey payee, PaillierPublicKey reg, String payeeId)
      throws LedgerCallException {
    Payments.State at = Payments.state(hospitalGw, s);
    PaillierCiphertext balance = at.balance();
    List<String> out = new ArrayList<>(n);
    SecureRandom r = new SecureRandom();
    for (long nonce = at.nonce(); out.size() < n; nonce++) {
      Payments.Built t = Payments.transfer(hospitalGw, s, balance, nonce, payee, payeeId, reg, AMOUNT, r);
      out.add(t.request());
      balance = t.newBalance();
    }
    return out;
  }

  PaillierPublicKey key(String account) throws LedgerCallException {
    return Payments.key(hospitalGw, account).precompute();
  }

  private JsonObject prebuilt(int c, Duration window, int perPayer) throws Exception {
    List<List<String>> chains = buildChains(c, perPayer);
    return prebuiltWindow(c, window, perPayer, chains);
  }

  /** For each of the first {@code c} patients, a chain of {@code perPayer} signed transfers to the hospital. */
  List<List<String>> buildChains(int c, int perPayer) throws Exception {
    String regulatorId = CanonicalJson.parseObject(hospitalGw.evaluate("accounts:getChannel")).get("regulator").getAsString();
    PaillierPublicKey payee = key(hospital.accountId());
    PaillierPublicKey reg = key(regulatorId);
    long b0 = System.nanoTime();
    ExecutorService builders = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    List<Future<List<String>>> built = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      AccountSecrets s = patientSecrets.get(i);
      built.add(builders.submit(() -> chain(s, perPayer, payee, reg, hospital.accountId())));
    }
    List<List<String>> chains = new ArrayList<>();
    for (Future<List<String>> f : built) {
      chains.add(f.get());
    }
    builders.shutdown();
    log(String.format("prebuilt %d transfers for %d payers in %.1f s", perPayer * c, c, (System.nanoTime() - b0) / 1e9));
    return chains;
  }

  private JsonObject prebuiltWindow(int c, Duration window, int perPayer, List<List<String>> chains) throws Exception {

    List<Long> submitMs = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> failures = new ConcurrentSkipListMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(c);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    /** The window ends early when the first payer runs out of prebuilt transfers or stops on a failure. */
    long[] firstStop = {Long.MAX_VALUE};
    List<long[]> commits = Collections.synchronizedList(new ArrayList<>()); // {end time, latency}
    List<Future<Object>> fs = new ArrayList<>();
    for (List<String> chain : chains) {
      fs.add(pool.submit(() -> {
        go.await();
        for (String req : chain) {
          if (System.nanoTime() >= deadline[0]) {
            return null;
          }
          long t = System.nanoTime();
          try {
            hospitalGw.submit("money:transfer", req);
          } catch (LedgerCallException e) {
            failures.computeIfAbsent(e.kind() + " " + e.errorCode(), k -> new AtomicInteger()).incrementAndGet();
            break; // the rest of this chain depends on this transfer
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
    Cpu before = Cpu.sample(runDir);
    long start = System.nanoTime();
    deadline[0] = start + window.toNanos();
    go.countDown();
    Cpu after = null;
    while (System.nanoTime() < deadline[0]) {
      synchronized (firstStop) {
        if (firstStop[0] != Long.MAX_VALUE) {
          break;
        }
      }
      Thread.sleep(50);
    }
    after = Cpu.sample(runDir);
    long end = Math.min(deadline[0], System.nanoTime());
    for (Future<Object> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    List<Long> lat = new ArrayList<>();
    int committed = 0;
    synchronized (commits) {
      for (long[] x : commits) {
        if (x[0] <= end) {
          committed++;
          lat.add(x[1]);
        }
      }
    }
    double seconds = (end - start) / 1e9;
    JsonObject r = result("prebuilt", c, seconds, committed, failures, before, after);
    r.addProperty("prebuiltPerPayer", perPayer);
    r.addProperty("windowEndedEarly", end < deadline[0]);
    r.add("submitToCommitMs", percentiles(lat));
    log(summary(r));
    return r;
  }

  // ---------------------------------------------------------------- results

  static JsonObject result(String mode, int c, double seconds, int committed, Map<String, AtomicInteger> failures,
      Cpu before, Cpu after) {
    JsonObject r = new JsonObject();
    r.addProperty("mode", mode);
    r.addProperty("concurrency", c);
    r.addProperty("seconds", round(seconds, 2));
    r.addProperty("committed", committed);
    r.addProperty("throughputTps", round(committed / seconds, 2));
    JsonObject f = new JsonObject();
    failures.forEach((k, v) -> f.addProperty(k, v.get()));
    r.add("failures", f);
    JsonObject cpu = new JsonObject();
    JsonObject perTx = new JsonObject();
    double total = 0;
    for (String g : Cpu.GROUPS) {
      double s = after.seconds(g) - before.seconds(g);
      cpu.addProperty(g, round(s, 2));
      perTx.addProperty(g, committed == 0 ? 0 : round(1000 * s / committed, 1));
      total += s;
    }
    double machineBusy = after.machineBusy - before.machineBusy;
    cpu.addProperty("machineBusy", round(machineBusy, 2));
    cpu.addProperty("otherProcesses", round(machineBusy - total, 2));
    cpu.addProperty("machineCapacity", round(seconds * Runtime.getRuntime().availableProcessors(), 2));
    r.add("cpuSeconds", cpu);
    r.add("cpuMsPerCommitted", perTx);
    r.addProperty("loadAverage", loadAverage());
    return r;
  }

  static String summary(JsonObject r) {
    return String.format("%s c=%d: %d committed in %.1f s = %.2f tx/s; submit->commit %s; cpu ms/tx %s; failures %s",
        r.get("mode").getAsString(), r.get("concurrency").getAsInt(), r.get("committed").getAsInt(), r.get("seconds").getAsDouble(),
        r.get("throughputTps").getAsDouble(), r.get("submitToCommitMs"), r.get("cpuMsPerCommitted"), r.get("failures"));
  }

  static JsonObject percentiles(List<Long> values) {
    List<Long> v = new ArrayList<>(values);
    Collections.sort(v);
    JsonObject o = new JsonObject();
    o.addProperty("n", v.size());
    if (v.isEmpty()) {
      return o;
    }
    for (int p : new int[] {50, 90, 99}) {
      o.addProperty("p" + p, v.get(Math.min(v.size() - 1, (int) Math.ceil(p / 100.0 * v.size()) - 1)));
    }
    o.addProperty("max", v.get(v.size() - 1));
    return o;
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  static String loadAverage() {
    try {
      String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return p[0] + " " + p[1] + " " + p[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private String readSetting(String name, String dflt) {
    try {
      for (String line : Files.readAllLines(runDir.resolve("settings"))) {
        if (line.contains(name)) {
          return line.substring(line.indexOf('=') + 1).trim();
        }
      }
    } catch (IOException e) {
      return dflt;
    }
    return dflt;
  }

  private static JsonObject machine() {
    JsonObject m = new JsonObject();
    m.addProperty("cores", Runtime.getRuntime().availableProcessors());
    m.addProperty("cpu", cpuModel());
    m.addProperty("memoryMb", ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() / (1024 * 1024) : -1);
    m.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.addProperty("loadAverageAtStart", loadAverage());
    m.addProperty("started", Instant.now().toString());
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  /** CPU seconds (user + system) of the network's processes by group, this JVM, and the whole machine. */
  static final class Cpu {
    static final List<String> GROUPS = List.of("client", "chaincode", "peer", "orderer");
    private final Map<String, Double> byGroup = new LinkedHashMap<>();
    double machineBusy;

    double seconds(String group) {
      return byGroup.getOrDefault(group, 0.0);
    }

    static Cpu sample(Path runDir) throws IOException {
      Cpu c = new Cpu();
      double tick = 100.0; // USER_HZ: 100 on every Linux architecture the network runs on
      c.byGroup.put("client", ticks(Path.of("/proc/self/stat")) / tick);
      try (var files = Files.list(runDir.resolve("pids"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
          String name = f.getFileName().toString();
          String group = name.startsWith("ccaas-") ? "chaincode" : name.startsWith("peer-") ? "peer"
              : name.startsWith("orderer") ? "orderer" : null;
          if (group == null) {
            continue;
          }
          String pid = Files.readAllLines(f).get(0).trim();
          Path stat = Path.of("/proc", pid, "stat");
          if (Files.exists(stat)) {
            c.byGroup.merge(group, ticks(stat) / tick, Double::sum);
          }
        }
      }
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(cpu[i]);
        }
      }
      c.machineBusy = busy / tick;
      return c;
    }

    private static long ticks(Path stat) throws IOException {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }
  }
}
