package org.medledger.bench.e2e;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
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
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.BatchOutcome;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.SignedTransfer;
import org.medledger.sdk.Till;

/**
 * The till windows of issue 17's end-to-end run (docs/performance.md, "Issue 17: end to end"): a
 * hospital's till sending, as one {@code money:transferBatch}, 16 transfers signed by 16
 * different patients. T tills run at once, each with its own 16 patients ({@link TillBatches}):
 * <ul>
 *   <li>{@code batch-till-prebuilt}: every transfer built before the window; till t's k-th batch
 *       holds the k-th transfer of each of its patients' chains;
 *   <li>{@code batch-till-inloop}: each till, again and again, reads its 16 patients' balances and
 *       nonces, builds and signs one transfer for each (in the till's thread, as
 *       {@code batch-inloop} builds its 16) and sends them through the SDK's {@link Till}.
 * </ul>
 * The 16·T patients are the benchmark's first patients plus new ones registered here, funded by
 * the first patients and folded, before the windows (untimed).
 */
final class TillRuns {
  /** What each new patient is given: far more than its transfers of 1 in the two windows. */
  private static final long FUND = 100_000;
  private static final long AMOUNT = 1;

  private final EndToEndBench b;
  private final Issue17Runs runs;
  private final Duration window;

  TillRuns(EndToEndBench b, Issue17Runs runs, Duration window) {
    this.b = b;
    this.runs = runs;
    this.window = window;
  }

  /**
   * Makes sure there are 16·{@code tills} patients: new ones get fresh 2048-bit keys, register,
   * receive {@link #FUND} from the first patients (each funder's payments one after the other,
   * the funders in parallel) and fold it. Returns what it did.
   */
  JsonObject setUp(int tills) throws Exception {
    int need = TillBatches.PER_BATCH * tills;
    int have = b.patients.size();
    JsonObject o = new JsonObject();
    o.addProperty("patientsBefore", have);
    o.addProperty("newPatients", Math.max(0, need - have));
    if (have >= need) {
      return o;
    }
    long t0 = System.nanoTime();
    int fresh = need - have;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(Runtime.getRuntime().availableProcessors(), 8));
    try {
      List<Future<AccountSecrets>> keys = new ArrayList<>();
      for (int i = 0; i < fresh; i++) {
        keys.add(pool.submit(() -> b.secrets(Role.PATIENT, new PaillierKeyGenerator(new SecureRandom()).generate(KeySize.BITS_2048))));
      }
      List<AccountSecrets> secrets = new ArrayList<>();
      for (Future<AccountSecrets> f : keys) {
        secrets.add(f.get(30, TimeUnit.MINUTES));
      }
      List<Future<AccountClient>> reg = new ArrayList<>();
      for (AccountSecrets s : secrets) {
        reg.add(pool.submit(() -> {
          AccountClient c = new AccountClient(s, b.patientConnection(), new SecureRandom());
          c.register();
          return c;
        }));
      }
      List<AccountClient> added = new ArrayList<>();
      for (Future<AccountClient> f : reg) {
        added.add(f.get(30, TimeUnit.MINUTES));
      }
      b.patientSecrets.addAll(secrets);
      b.patients.addAll(added);
      long t1 = System.nanoTime();
      LedgerConnection gw = b.hospitalGw;
      String regulatorId = CanonicalJson.parseObject(gw.evaluate("accounts:getChannel")).get("regulator").getAsString();
      PaillierPublicKey regKey = b.key(regulatorId); // with its table, shared by the funders' threads
      List<List<Integer>> plan = TillBatches.fundingPlan(have, fresh, Math.min(have, fresh));
      List<Future<Object>> funding = new ArrayList<>();
      for (int f = 0; f < plan.size(); f++) {
        AccountSecrets funder = b.patientSecrets.get(f);
        List<AccountClient> payees = new ArrayList<>();
        for (int j : plan.get(f)) {
          payees.add(added.get(j - have));
        }
        funding.add(pool.submit(() -> {
          fund(gw, funder, payees, regKey);
          return null;
        }));
      }
      for (Future<Object> f : funding) {
        f.get(30, TimeUnit.MINUTES);
      }
      long t2 = System.nanoTime();
      List<Future<Integer>> folds = new ArrayList<>();
      for (AccountClient c : added) {
        folds.add(pool.submit(c::foldAll));
      }
      for (Future<Integer> f : folds) {
        f.get(30, TimeUnit.MINUTES);
      }
      long t3 = System.nanoTime();
      o.addProperty("registerSeconds", EndToEndBench.round((t1 - t0) / 1e9, 1));
      o.addProperty("fundSeconds", EndToEndBench.round((t2 - t1) / 1e9, 1));
      o.addProperty("foldSeconds", EndToEndBench.round((t3 - t2) / 1e9, 1));
      EndToEndBench.log(String.format("till set-up: %d new patients (keys, registered) in %.1f s, funded by %d patients in %.1f s,"
          + " folded in %.1f s", fresh, (t1 - t0) / 1e9, plan.size(), (t2 - t1) / 1e9, (t3 - t2) / 1e9));
      return o;
    } finally {
      pool.shutdown();
    }
  }

  /** The funder pays {@link #FUND} to each payee in turn, each transfer committed before the next is built. */
  private static void fund(LedgerConnection gw, AccountSecrets funder, List<AccountClient> payees, PaillierPublicKey regKey)
      throws LedgerCallException {
    SecureRandom r = new SecureRandom();
    for (AccountClient p : payees) {
      Payments.State at = Payments.state(gw, funder);
      PaillierPublicKey key = Payments.key(gw, p.accountId());
      Payments.Built t = Payments.transfer(gw, funder, at.balance(), at.nonce(), key, p.accountId(), regKey, FUND, r);
      gw.submit("money:transfer", t.request());
    }
  }

  /**
   * {@code batch-till-prebuilt}: {@code tills} tills, each sending its prebuilt batches of 16
   * patients one after the other. The batches are sized for 1.5× {@code expectedRate} payments per
   * second; one more batch per till is sent first, all at once and untimed (the first batches of
   * 16 different payers the chaincode servers verify).
   */
  JsonObject prebuilt(int tills, double expectedRate, JsonObject setUp) throws Exception {
    int n = TillBatches.batchesPerTill(expectedRate, window.toSeconds(), tills);
    List<List<String>> chains = b.buildChains(TillBatches.PER_BATCH * tills, n + 1);
    List<List<String>> batches = TillBatches.batches(chains, tills);
    int batchBytes = batches.get(0).get(1).length();
    warmUp(batches);
    List<List<String>> timedBatches = new ArrayList<>();
    for (List<String> t : batches) {
      timedBatches.add(t.subList(1, t.size()));
    }
    JsonObject r = runs.timed("batch-till-prebuilt", tills, timedBatches, "money:transferBatch", TillBatches.PER_BATCH, true);
    r.addProperty("distinctPayers", TillBatches.PER_BATCH * tills);
    r.addProperty("prebuiltPerPayer", n);
    r.addProperty("payloadBytes", batchBytes);
    r.add("tillSetUp", setUp);
    return r;
  }

  /** Till t's first batch, for every t at once, untimed; a refusal is logged (that till's window then stops at once). */
  private void warmUp(List<List<String>> batches) throws Exception {
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(batches.size());
    List<Future<String>> fs = new ArrayList<>();
    for (List<String> t : batches) {
      fs.add(pool.submit(() -> {
        try {
          b.hospitalGw.submit("money:transferBatch", t.get(0));
          return null;
        } catch (LedgerCallException e) {
          return e.kind() + " " + e.errorCode() + ": " + e.getMessage();
        }
      }));
    }
    List<String> failed = new ArrayList<>();
    for (Future<String> f : fs) {
      String e = f.get(10, TimeUnit.MINUTES);
      if (e != null) {
        failed.add(e);
      }
    }
    pool.shutdown();
    EndToEndBench.log(String.format("till warm-up: %d batches of 16 payers in %.1f s; refused: %s", batches.size(),
        (System.nanoTime() - t0) / 1e9, failed));
  }

  /**
   * {@code batch-till-inloop}: each of {@code tills} tills reads its 16 patients' state, builds one
   * transfer of 1 for each and sends them with {@link Till#submit}, again and again.
   */
  JsonObject inLoop(int tills) throws Exception {
    Map<String, AtomicInteger> failures = new ConcurrentSkipListMap<>();
    List<Long> roundMs = Collections.synchronizedList(new ArrayList<>());
    List<Long> submitMs = b.timeSubmissions();
    LedgerConnection gw = b.hospitalGw;
    String hospitalId = b.hospital.accountId();
    String regulatorId = CanonicalJson.parseObject(gw.evaluate("accounts:getChannel")).get("regulator").getAsString();
    PaillierPublicKey payee = b.key(hospitalId);
    PaillierPublicKey reg = b.key(regulatorId);
    ExecutorService pool = Executors.newFixedThreadPool(tills);
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger rounds = new AtomicInteger();
    List<Future<Object>> fs = new ArrayList<>();
    for (int t = 0; t < tills; t++) {
      List<AccountSecrets> mine = new ArrayList<>();
      for (int p : TillBatches.payersOf(t, tills)) {
        mine.add(b.patientSecrets.get(p));
      }
      Till till = new Till(b.patientConnection());
      fs.add(pool.submit(() -> {
        SecureRandom r = new SecureRandom();
        go.await();
        while (System.nanoTime() < deadline[0]) {
          long t0 = System.nanoTime();
          List<SignedTransfer> batch = new ArrayList<>();
          try {
            for (AccountSecrets s : mine) {
              Payments.State at = Payments.state(gw, s);
              PaillierCiphertext balance = at.balance();
              Payments.Built x = Payments.transfer(gw, s, balance, at.nonce(), payee, hospitalId, reg, AMOUNT, r);
              batch.add(new SignedTransfer(s.accountId(), hospitalId, at.nonce(), x.request()));
            }
          } catch (LedgerCallException e) {
            failures.computeIfAbsent("read " + e.kind() + " " + e.errorCode(), k -> new AtomicInteger()).incrementAndGet();
            continue;
          }
          List<BatchOutcome> out = till.submit(batch);
          Issue17Runs.tallyBatch(out, t0, System.nanoTime(), deadline[0], committed, rounds, roundMs, failures);
        }
        return null;
      }));
    }
    JsonObject r = runs.inLoopWindow("batch-till-inloop", tills, fs, go, deadline, committed, rounds, failures);
    r.addProperty("distinctPayers", TillBatches.PER_BATCH * tills);
    r.add("payBatchLatencyMs", EndToEndBench.percentiles(roundMs));
    synchronized (submitMs) {
      r.add("submitToCommitMs", EndToEndBench.percentiles(submitMs));
    }
    pool.shutdown();
    EndToEndBench.log(EndToEndBench.summary(r));
    return r;
  }
}
