package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/**
 * The fault run (docs/client-sdk.md, "The fault run"; issue 12): patients pay one hospital in a
 * loop through {@link AccountClient#pay}, over the hospital's gateway peer, while the gateway peer,
 * an endorsing peer (the insurer's), the Raft leader and the gateway peer's chaincode server are
 * each killed with SIGKILL and restarted in turn (test-network/network.sh kill, restart), and the
 * load goes on until more than one page of the hospital's credits has committed. Every call's
 * answer is logged. Afterwards the network must converge (every node running, one height
 * and one last block hash), every UNKNOWN is looked up through the SDK, and for every payment:
 * YES ⇒ on the ledger exactly once, under the transaction id returned; NO ⇒ absent; UNKNOWN ⇒
 * committed at most once, and if committed, under a transaction id the exception named. Each
 * patient's nonce moved once per committed payment, the regulator's audit holds no payment the log
 * lacks, and money is conserved: the issued total equals the sum of every account's balance
 * (stored balance plus every pending credit).
 *
 * <p>Runs only with {@code -Dfaults.network.dir=<run dir>} on a freshly deployed network of its
 * own (it configures the channel and registers its regulator): {@code scripts/fault-test}.
 * {@code -Dfaults.mode=long} runs more patients, three rounds and longer outages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {
  private static final long ISSUED = 100_000_000;
  /** Enough for the largest run: payments 1, 2, …, n cost n(n+1)/2, and n stops at maxPaymentsPerPatient. */
  private static final long FUND = 5_000_000;
  /** The page size of money:credits as the SDK reads it. */
  private static final int CREDIT_PAGE = 100;

  /** The two sizes of the run. */
  private record Mode(String name, int patients, int rounds, Duration warmUp, Duration down, Duration recover,
      int maxPaymentsPerPatient) {}

  private static final Mode SHORT = new Mode("short", 4, 1, Duration.ofSeconds(15), Duration.ofSeconds(8),
      Duration.ofSeconds(12), 200);
  private static final Mode LONG = new Mode("long", 8, 3, Duration.ofSeconds(20), Duration.ofSeconds(20),
      Duration.ofSeconds(30), 2000);

  /** A fault: what is killed, and how its node is found when its turn comes. */
  private record Fault(String label, String fixedNode) {}

  private static final String GATEWAY_PEER = "peer-hospital";
  private static final List<Fault> FAULTS = List.of(new Fault("gateway peer", GATEWAY_PEER),
      new Fault("endorsing peer", "peer-insurer"), new Fault("Raft leader", null),
      new Fault("chaincode server", "ccaas-hospital"));

  /** One injection as it happened. */
  private record Injection(String label, String node, int inFlightAtKill, long oldestMs, long killMs, long restartedMs,
      long endMs) {}

  private final SecureRandom rnd = new SecureRandom();
  private final List<GatewayConnection> connections = new ArrayList<>();
  private final List<FaultPayment> log = Collections.synchronizedList(new ArrayList<>());
  private final List<Injection> injections = new ArrayList<>();
  private FaultInFlight inFlight;
  private volatile String phase = "warm-up";
  private volatile boolean stop;
  private String skip;
  private Mode mode;
  private Path runDir;
  private FaultNetwork net;
  private long t0;

  @BeforeAll
  void network() throws Exception {
    String dir = System.getProperty("faults.network.dir", "");
    if (dir.isBlank()) {
      skip = "FaultInjectionIT SKIPPED: no network given; run scripts/fault-test (it sets -Dfaults.network.dir)";
    } else if (!Files.isRegularFile(Path.of(dir, "gateway", "hospital.json"))) {
      skip = "FaultInjectionIT SKIPPED: " + dir + "/gateway/hospital.json not found (is the network up and deployed?)";
    }
    if (skip != null) {
      say(skip);
      return;
    }
    runDir = Path.of(dir);
    mode = "long".equals(System.getProperty("faults.mode", "short")) ? LONG : SHORT;
    net = new FaultNetwork(Path.of(System.getProperty("faults.network.sh", "../test-network/network.sh")), runDir);
  }

  @AfterAll
  void close() {
    connections.forEach(GatewayConnection::close);
  }

  private GatewayConnection connect(String org) throws Exception {
    GatewayConnection c = GatewayConnection.builder().material(GatewayMaterial.read(runDir.resolve("gateway/" + org + ".json")))
        .evaluateTimeout(Duration.ofSeconds(15)).endorseTimeout(Duration.ofSeconds(30)).submitTimeout(Duration.ofSeconds(15))
        .commitStatusTimeout(Duration.ofSeconds(30)).connect();
    connections.add(c);
    return c;
  }

  private AccountClient account(Role role, LedgerConnection gw, PaillierSecretKey key) throws LedgerCallException {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountSecrets secrets = new AccountSecrets(role, seed, key);
    AccountClient c = new AccountClient(secrets, gw, rnd);
    c.register();
    if (role == Role.REGULATOR) {
      // records:setup before the other registrations: their Π^fac proofs are made against it.
      new RecordClient(secrets, gw, rnd).publishRingPedersen(
          org.medledger.crypto.testing.TestRingPedersen.paramsBytes(2048), org.medledger.crypto.testing.TestRingPedersen.proofBytes(2048));
    }
    return c;
  }

  private long ms() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void say(String s) {
    System.out.println("[FaultInjectionIT] " + s);
  }

  @Test
  void paymentsKeepTheirWordWhileNodesAreKilled() throws Exception {
    Assumptions.assumeTrue(skip == null, skip); // reported as skipped, with the reason
    long wall0 = System.nanoTime();
    GatewayConnection hospitalGw = connect("hospital");
    GatewayConnection insurerGw = connect("insurer");
    GatewayConnection regulatorGw = connect("regulator");
    regulatorGw.submit("accounts:configure", RecordStory.CONFIG);
    AccountClient regulator = account(Role.REGULATOR, regulatorGw, TestKeys.key2048c());
    AccountClient hospital = account(Role.HOSPITAL, hospitalGw, TestKeys.key2048a());
    AccountClient insurer = account(Role.INSURER, insurerGw, TestKeys.key2048b());
    // The patients' calls all go through the hospital's gateway peer: the one the faults kill first.
    inFlight = new FaultInFlight(hospitalGw);
    LedgerConnection patientGw = inFlight;
    List<AccountClient> patients = new ArrayList<>();
    for (int i = 0; i < mode.patients(); i++) {
      patients.add(account(Role.PATIENT, patientGw, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048)));
    }
    regulator.issue(insurer.accountId(), ISSUED);
    for (AccountClient p : patients) {
      insurer.pay(p.accountId(), FUND);
    }
    long[] nonceBefore = new long[patients.size()];
    for (int i = 0; i < patients.size(); i++) {
      nonceBefore[i] = nonce(hospitalGw, patients.get(i).accountId());
    }
    say(String.format("%s run: %d patients registered and funded in %.1f s", mode.name(), patients.size(),
        (System.nanoTime() - wall0) / 1e9));

    // Load: each patient pays the hospital 1, 2, 3, … so that every ledger entry names its payment.
    t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(patients.size());
    List<Future<?>> payers = new ArrayList<>();
    for (int i = 0; i < patients.size(); i++) {
      int n = i;
      payers.add(pool.submit(() -> payLoop(n, patients.get(n), hospital.accountId())));
    }
    try {
      schedule();
    } finally {
      stop = true;
      pool.shutdown();
    }
    assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES), "the payers did not stop within 10 minutes");
    for (Future<?> f : payers) {
      f.get();
    }
    long loadMs = ms();

    // Convergence: every node up, one height and one last block hash everywhere.
    StringBuilder why = new StringBuilder();
    long c0 = System.nanoTime();
    boolean converged = false;
    while (!converged && System.nanoTime() - c0 < Duration.ofMinutes(3).toNanos()) {
      converged = net.converged(why);
      if (!converged) {
        Thread.sleep(2000);
      }
    }
    double convergeS = (System.nanoTime() - c0) / 1e9;
    List<String> failures = new ArrayList<>();
    if (!converged) {
      failures.add("the nodes did not converge within 3 minutes: " + why);
    }

    FaultLedgerCheck check = new FaultLedgerCheck(regulator, hospital, insurer, patients, List.of(hospitalGw, insurerGw, regulatorGw));
    check.verify(new ArrayList<>(log), nonceBefore, ISSUED, FUND, failures);

    String report = report(loadMs, convergeS, why.toString(), check, failures, (System.nanoTime() - wall0) / 1e9);
    say(report);
    Path out = Path.of(System.getProperty("faults.report", "target/fault-run.txt"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    assertTrue(failures.isEmpty(), failures.size() + " check(s) failed:\n  " + String.join("\n  ", failures));
  }

  private void payLoop(int n, AccountClient patient, String hospital) {
    for (int seq = 1; !stop && seq <= mode.maxPaymentsPerPatient(); seq++) {
      long start = ms();
      FaultPayment p;
      // A payment counts for the phase in which its call ended: one in flight at a kill counts for that fault.
      try {
        Transfer record = patient.pay(hospital, seq);
        p = FaultPayment.committed(n, seq, phase, start, ms() - start, record);
      } catch (LedgerCallException e) {
        p = FaultPayment.failed(n, seq, phase, start, ms() - start, e);
      } catch (ClientRefusalException | RuntimeException e) {
        p = FaultPayment.broken(n, seq, phase, start, ms() - start, e);
      }
      log.add(p);
      if (p.outcome() != FaultPayment.Outcome.YES) {
        try {
          Thread.sleep(250); // a failing node makes calls fail fast: do not spin
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Warm-up, then each fault in turn: kill while a payment is in flight, stay down, restart, recover. */
  private void schedule() throws Exception {
    Thread.sleep(mode.warmUp().toMillis());
    for (int round = 1; round <= mode.rounds(); round++) {
      for (Fault f : FAULTS) {
        String node = f.fixedNode() != null ? f.fixedNode() : net.leader(Duration.ofSeconds(60));
        // Kill while transfers are in flight; the gateway peer while one waits for its commit status:
        // in flight for over 60 % of the median committed submission (endorsement comes first).
        long median = inFlight.medianCommittedMs();
        long age = node.equals(GATEWAY_PEER) && median > 0 ? median * 6 / 10 : 0;
        long wait = System.nanoTime();
        while (inFlight.oldestMs() < age || inFlight.count() == 0) {
          if (System.nanoTime() - wait > Duration.ofSeconds(20).toNanos()) {
            break;
          }
          Thread.sleep(10);
        }
        int flying = inFlight.count();
        long oldest = inFlight.oldestMs();
        phase = f.label() + " (" + node + ")";
        long kill = ms();
        net.kill(node);
        say(String.format("[%6.1f s] round %d: killed the %s, %s, with %d transfer(s) in flight, the oldest for %d ms "
            + "(median committed submission %d ms)", kill / 1e3, round, f.label(), node, flying, oldest, median));
        Thread.sleep(mode.down().toMillis());
        net.restart(node);
        long restarted = ms();
        say(String.format("[%6.1f s] %s restarted and listening", restarted / 1e3, node));
        Thread.sleep(mode.recover().toMillis());
        injections.add(new Injection(f.label(), node, flying, oldest, kill, restarted, ms()));
      }
    }
    phase = "after the faults";
    Thread.sleep(mode.recover().toMillis());
    // More than one page (100) of the hospital's pending credits, so that balance() must read them all.
    long more = System.nanoTime();
    while (committedCalls() <= CREDIT_PAGE && System.nanoTime() - more < Duration.ofSeconds(120).toNanos()) {
      Thread.sleep(500);
    }
  }

  private long committedCalls() {
    synchronized (log) {
      return log.stream().filter(p -> p.outcome() == FaultPayment.Outcome.YES).count();
    }
  }

  private static long nonce(LedgerConnection gw, String account) throws LedgerCallException {
    return CanonicalJson.parseObject(gw.evaluate("accounts:getNonce", account)).get("next").getAsLong();
  }

  private String report(long loadMs, double convergeS, String heights, FaultLedgerCheck check, List<String> failures,
      double totalS) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("fault run (%s) finished %s: %d patients, %d payments attempted in %.1f s of load, %.1f s in all%n",
        mode.name(), Instant.now(), mode.patients(), log.size(), loadMs / 1e3, totalS));
    for (Injection i : injections) {
      b.append(String.format("  %-16s %-15s killed at %6.1f s with %d in flight (oldest %d ms), listening again at %6.1f s, "
          + "window to %6.1f s%n", i.label(), i.node(), i.killMs() / 1e3, i.inFlightAtKill(), i.oldestMs(), i.restartedMs() / 1e3,
          i.endMs() / 1e3));
    }
    b.append("outcomes by phase (the phase in which the call to pay returned or threw):\n");
    Map<String, Map<String, Integer>> byPhase = new java.util.LinkedHashMap<>();
    Map<String, Integer> total = new TreeMap<>();
    synchronized (log) {
      List<FaultPayment> sorted = new ArrayList<>(log);
      sorted.sort((x, y) -> Long.compare(x.startMs() + x.ms(), y.startMs() + y.ms()));
      for (FaultPayment p : sorted) {
        byPhase.computeIfAbsent(p.phase(), k -> new TreeMap<>()).merge(p.label(), 1, Integer::sum);
        total.merge(p.outcome().name(), 1, Integer::sum);
      }
    }
    byPhase.forEach((ph, m) -> b.append(String.format("  %-36s %s%n", ph, m)));
    b.append(String.format("  %-36s %s%n", "all", total));
    b.append(String.format("UNKNOWN resolved afterwards: %d committed, %d absent%n", check.unknownCommitted, check.unknownAbsent));
    b.append(String.format("converged in %.1f s: %s%n", convergeS, heights));
    b.append(String.format("ledger: %d payments committed (audit), %d moved; issued %d; balances sum %s%n", check.committed,
        check.moved, check.issued, check.balanceSum));
    b.append(failures.isEmpty() ? "every check held\n" : failures.size() + " check(s) failed:\n  " + String.join("\n  ", failures) + "\n");
    return b.toString();
  }
}
