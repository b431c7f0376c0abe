package org.medledger.bench.stats;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.crypto.testing.TestSafePrimes;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol.Kind;
import org.medledger.protocol.StatsProtocol.State;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.CommitteeAct;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.Disclosure;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.StatsBucket;
import org.medledger.sdk.StatsClient;
import org.medledger.sdk.StatsResult;
import org.medledger.sdk.SteppingClock;

/**
 * Opening a bucket of 10,000 contributions end to end on the embedded ledger (docs/performance.md,
 * "Statistical contributions"), through the SDK and the contracts as a client would drive them:
 *
 * <ol>
 *   <li>a channel whose regulator is a 3-of-5 committee (2048 bits, dealt from the fixed test safe
 *       primes), k the default (10);
 *   <li><b>writing</b> (measured, not part of the opening): {@code committee:issue} acts, each
 *       signed by three members, to one insurer in March; each issue writes its ISSUE contribution as
 *       its own key ((1+n)^amount, r = 1);
 *   <li>in April, the <b>opening</b>: the bucket query, {@code stats:fold} in batches of 500 until it
 *       is FOLDED, a member's signed opening request ({@code committee:open}, PUBLIC, STATS_BUCKET),
 *       three members' verified shares ({@code committee:share}; the third is verified with the
 *       others as one batch and combined), {@code stats:publish}; the published count and total are
 *       checked against what was issued.
 * </ol>
 *
 * A smaller bucket (another insurer) is opened first, untimed, to warm the JIT up. Each stage is
 * measured in wall time, thread CPU time (client, contract and ledger run on the calling thread)
 * and process CPU time; the contract invocation inside it (the endorsement simulation) is measured
 * by {@link TimedDispatcher}. State sizes are read raw from the world state.
 *
 * <p>Usage: {@code StatsOpenBench out.json [contributions=10000] [warm-up contributions=1000]}
 */
public final class StatsOpenBench {
  static final String CHANNEL = "medchannel";
  static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],"
      + "\"RegulatorOrgMSP\":[\"COMMITTEE_MEMBER\",\"REGULATOR\"]},\"patientMsps\":[\"HospitalOrgMSP\"]}";
  static final YearMonth MONTH = YearMonth.of(2026, 3);
  static final int THRESHOLD = 3;
  static final int MEMBERS = 5;
  /** Benchmark-only queries (not contracts): raw value of one key; count and bytes of a key range. */
  static final String STATE_TOOL = "bench:state";
  static final String SIZES_TOOL = "bench:sizes";

  private final SecureRandom rnd = new SecureRandom();
  private final SteppingClock clock = new SteppingClock("2026-03-01T00:00:00Z");
  private final TimedDispatcher timed = new TimedDispatcher(MedLedgerContracts.dispatcher(),
      Map.of(STATE_TOOL, StatsOpenBench::rawState, SIZES_TOOL, StatsOpenBench::sizes));
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory(CHANNEL, timed);
  private final Identity reader = ledger.identity("RegulatorOrgMSP", "bench-reader");
  private final LedgerConnection regulatorGw = gateway("RegulatorOrgMSP");
  private final LedgerConnection insurerGw = gateway("InsurerOrgMSP");
  private final List<AccountSecrets> memberSecrets = new ArrayList<>();
  private final List<CommitteeClient> members = new ArrayList<>();
  private ThresholdDealer.Dealing dealing;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int warm = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    JsonObject result = new StatsOpenBench().run(n, warm);
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n", StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  private LedgerConnection gateway(String msp) {
    return new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
  }

  JsonObject run(int n, int warm) throws Exception {
    JsonObject o = new JsonObject();
    o.addProperty("what", "opening one money bucket of n contributions end to end on the embedded ledger"
        + " (in-process, one thread), 2048 bits, 3-of-5 committee, fold batches of 500");
    o.addProperty("date", Instant.now().toString());
    o.addProperty("java", Runtime.version().toString());
    o.addProperty("cores", Runtime.getRuntime().availableProcessors());
    o.addProperty("load_average_start", Meter.loadAverage());
    List<String> insurers = setUp();
    o.addProperty("threshold", THRESHOLD + "-of-" + MEMBERS);
    o.addProperty("bits", 2048);

    Random amounts = new Random(14);
    // Warm-up: another insurer's bucket, written and opened first, not reported but checked.
    long warmTotal = write(insurers.get(0), warm, amounts, null);
    long total = write(insurers.get(1), n, amounts, o);
    o.addProperty("load_average_after_writing", Meter.loadAverage());
    clock.jumpTo(Instant.parse("2026-04-01T00:00:00Z"));
    open(insurers.get(0), warm, warmTotal, null);
    open(insurers.get(1), n, total, o);
    o.addProperty("load_average_end", Meter.loadAverage());
    return o;
  }

  /** The committee channel; returns the two insurers' account ids (warm-up, measured). */
  private List<String> setUp() throws Exception {
    regulatorGw.submit("accounts:configure", CONFIG);
    AccountSecrets regulatorSecrets = AccountSecrets.signingOnly(Role.REGULATOR, rnd);
    CommitteeClient regulator = CommitteeClient.builder().secrets(regulatorSecrets).ledger(regulatorGw).random(rnd)
        .clock(clock).build();
    BigInteger[] pq = TestSafePrimes.pair(1024);
    dealing = CommitteeClient.dealFromSafePrimes(pq[0], pq[1], THRESHOLD, MEMBERS, CHANNEL, regulatorSecrets.accountId(), rnd);
    regulator.registerRegulator(dealing);
    new RecordClient(regulatorSecrets, regulatorGw, rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    for (int i = 0; i < MEMBERS; i++) {
      AccountSecrets s = AccountSecrets.generate(Role.COMMITTEE_MEMBER, i % 2 == 0 ? TestKeys.key2048a() : TestKeys.key2048b(), rnd);
      new AccountClient(s, regulatorGw, rnd).register();
      memberSecrets.add(s);
      members.add(CommitteeClient.builder().secrets(s).ledger(regulatorGw).random(rnd).clock(clock).build());
    }
    List<String> insurers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      AccountSecrets s = AccountSecrets.generate(Role.INSURER, TestKeys.key2048b(), rnd);
      new AccountClient(s, insurerGw, rnd).register();
      insurers.add(s.accountId());
    }
    regulator.registerCommittee(dealing.publicKey(), memberSecrets.stream().map(AccountSecrets::accountId).toList());
    return insurers;
  }

  // ------------------------------------------------------------------------------- writing

  /**
   * {@code n} committee issues to {@code insurer}, each an act signed by members 1–3; returns the sum
   * issued. With {@code report}, adds the "writing" figures to it.
   */
  private long write(String insurer, int n, Random amounts, JsonObject report) throws Exception {
    long total = 0;
    List<Double> stepWall = new ArrayList<>();
    List<Double> stepCpu = new ArrayList<>();
    int mark = timed.mark();
    Meter.Reading start = Meter.read();
    for (int i = 0; i < n; i++) {
      long amount = 1 + amounts.nextInt(1_000);
      Meter.Reading r0 = Meter.read();
      CommitteeAct act = members.get(0).issueAct(insurer, amount);
      for (int m = 0; m < THRESHOLD; m++) {
        members.get(m).sign(act);
      }
      members.get(0).submit(act);
      Meter.Interval step = r0.to(Meter.read());
      stepWall.add(step.wallMs());
      stepCpu.add(step.threadCpuMs());
      total += amount;
    }
    Meter.Interval all = start.to(Meter.read());
    if (report != null) {
      JsonObject w = new JsonObject();
      w.addProperty("how", "committee:issue acts (read the committee, 3 Ed25519 signatures, submit), one per contribution,"
          + " to one insurer; each writes its ISSUE contribution (1+n)^amount (r = 1) as its own key");
      w.addProperty("transactions", n);
      all.addTo(w);
      Summary.of(stepWall).addTo(w, "per_issue_wall_");
      Summary.of(stepCpu).addTo(w, "per_issue_thread_cpu_");
      List<TimedDispatcher.Call> issues = timed.since(mark, "committee:issue");
      Summary.of(issues.stream().map(TimedDispatcher.Call::cpuMs).toList()).addTo(w, "chaincode_issue_cpu_");
      Summary.of(issues.stream().map(TimedDispatcher.Call::wallMs).toList()).addTo(w, "chaincode_issue_wall_");
      List<TimedDispatcher.Call> other = timed.since(mark).stream().filter(c -> !c.function().equals("committee:issue")).toList();
      w.addProperty("queries", other.size());
      w.addProperty("queries_cpu_ms", Summary.round(other.stream().mapToDouble(TimedDispatcher.Call::cpuMs).sum()));
      report.add("writing", w);
    }
    return total;
  }

  // ------------------------------------------------------------------------------- opening

  /** One stage: its interval and the contract invocations inside it. */
  private record Stage(Meter.Interval interval, List<TimedDispatcher.Call> calls) {}

  @FunctionalInterface
  private interface Step<T> {
    T run() throws Exception;
  }

  private <T> T stage(Step<T> step, List<Stage> into) throws Exception {
    int mark = timed.mark();
    Meter.Reading r0 = Meter.read();
    T out = step.run();
    Meter.Interval i = r0.to(Meter.read());
    into.add(new Stage(i, timed.since(mark)));
    return out;
  }

  /** A stage's JSON row: the interval, the submitted transaction's invocation and the queries. */
  private static JsonObject row(String name, Stage s, String tx) {
    JsonObject o = new JsonObject();
    o.addProperty("stage", name);
    s.interval().addTo(o);
    double queries = 0;
    int nq = 0;
    TimedDispatcher.Call txCall = null;
    for (TimedDispatcher.Call c : s.calls()) {
      if (tx != null && c.function().equals(tx) && c.ok()) {
        txCall = c;
      } else {
        queries += c.cpuMs();
        nq++;
      }
    }
    if (txCall != null) {
      o.addProperty("chaincode_tx", tx);
      o.addProperty("chaincode_wall_ms", Summary.round(txCall.wallMs()));
      o.addProperty("chaincode_cpu_ms", Summary.round(txCall.cpuMs()));
    }
    o.addProperty("queries", nq);
    o.addProperty("queries_cpu_ms", Summary.round(queries));
    return o;
  }

  /**
   * Opens the ISSUE bucket of {@code insurer} for {@link #MONTH}, checks the published count and
   * total; with {@code report}, adds the "opening" stages and the state sizes to it.
   */
  private void open(String insurer, long count, long total, JsonObject report) throws Exception {
    String bucketId = StatsClient.bucketId(insurer, Kind.ISSUE, MONTH);
    String[] attrs = {MONTH.toString(), Kind.ISSUE.name(), insurer};
    StatsClient anyone = new StatsClient(memberSecrets.get(MEMBERS - 1), regulatorGw, rnd);
    StatsClient requester = StatsClient.builder().secrets(memberSecrets.get(0)).ledger(regulatorGw).random(rnd).build();
    JsonObject sizes = new JsonObject();
    JsonObject unfolded = sizes("statsc", attrs);
    sizes.add("contributions_before_folding", unfolded);
    JsonArray rows = new JsonArray();
    List<Stage> stages = new ArrayList<>();

    StatsBucket b = stage(() -> anyone.bucket(bucketId), stages);
    rows.add(row("query", stages.get(stages.size() - 1), null));
    JsonArray stateAfterFold = new JsonArray();
    List<Double> foldCpu = new ArrayList<>();
    List<Double> foldWall = new ArrayList<>();
    List<Double> foldChaincodeCpu = new ArrayList<>();
    Meter.Interval folds = new Meter.Interval(0, 0, 0);
    int index = 0;
    long folded = 0;
    while (b.state() == State.CLOSED || b.state() == State.FOLDING) {
      b = stage(() -> anyone.fold(bucketId), stages);
      Stage s = stages.get(stages.size() - 1);
      JsonObject r = row("fold", s, "stats:fold");
      r.addProperty("index", ++index);
      r.addProperty("contributions", b.folded() - folded);
      folded = b.folded();
      rows.add(r);
      folds = folds.plus(s.interval());
      foldCpu.add(s.interval().threadCpuMs());
      foldWall.add(s.interval().wallMs());
      foldChaincodeCpu.add(r.get("chaincode_cpu_ms").getAsDouble());
      stateAfterFold.add(rawState("statss", attrs).length);
    }
    if (b.state() != State.FOLDED || b.folded() != count) {
      throw new IllegalStateException("after folding: " + b);
    }
    sizes.add("bucket_state_after_each_fold_bytes", stateAfterFold);
    Disclosure d = stage(() -> requester.requestOpening(bucketId, "benchmark: the March issues"), stages);
    rows.add(row("request", stages.get(stages.size() - 1), "committee:open"));
    sizes.addProperty("bucket_state_opening_bytes", rawState("statss", attrs).length);
    sizes.addProperty("disclosure_requested_bytes", rawState("disclosure", d.id()).length);
    for (int m = 1; m <= THRESHOLD; m++) {
      int member = m;
      Disclosure after = stage(() -> members.get(member - 1).share(d.id(), dealing.shares().get(member - 1)), stages);
      JsonObject r = row("share", stages.get(stages.size() - 1), "committee:share");
      r.addProperty("member", member);
      r.addProperty("what", member < THRESHOLD ? "client: partial decryption and proof; chaincode: verifies the share"
          : "client: partial decryption and proof; chaincode: verifies the t shares as one batch and combines them");
      r.addProperty("status_after", after.status());
      rows.add(r);
    }
    sizes.addProperty("disclosure_opened_bytes", rawState("disclosure", d.id()).length);
    sizes.add("shares_stored", sizes("dshare", d.id()));
    StatsResult result = stage(() -> anyone.publish(bucketId), stages);
    rows.add(row("publish", stages.get(stages.size() - 1), "stats:publish"));
    sizes.addProperty("bucket_state_opened_bytes", rawState("statss", attrs).length);
    if (result.count() != count || !result.total().equals(BigInteger.valueOf(total))) {
      throw new IllegalStateException("published " + result.count() + " / " + result.total() + ", expected " + count + " / "
          + total);
    }
    if (report == null) {
      return;
    }
    Meter.Interval whole = new Meter.Interval(0, 0, 0);
    double chaincodeCpu = 0;
    for (Stage s : stages) {
      whole = whole.plus(s.interval());
    }
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.get(i).getAsJsonObject();
      chaincodeCpu += r.has("chaincode_cpu_ms") ? r.get("chaincode_cpu_ms").getAsDouble() : 0;
      chaincodeCpu += r.get("queries_cpu_ms").getAsDouble();
    }
    JsonObject o = new JsonObject();
    o.addProperty("bucket", "ISSUE bucket of one insurer, " + MONTH);
    o.addProperty("contributions", count);
    o.addProperty("k", b.minContributions());
    o.addProperty("fold_batch", 500);
    o.add("stages", rows);
    JsonObject f = new JsonObject();
    f.addProperty("transactions", index);
    folds.addTo(f);
    Summary.of(foldWall).addTo(f, "per_fold_wall_");
    Summary.of(foldCpu).addTo(f, "per_fold_thread_cpu_");
    Summary.of(foldChaincodeCpu).addTo(f, "per_fold_chaincode_cpu_");
    f.addProperty("chaincode_cpu_ms_per_contribution", Summary.round(Summary.of(foldChaincodeCpu).total() / count));
    o.add("folds", f);
    JsonObject w = new JsonObject();
    whole.addTo(w);
    w.addProperty("contract_invocations_cpu_ms", Summary.round(chaincodeCpu));
    w.addProperty("what", "sum of the stages above: query, folds, request, shares, publish (state-size reads excluded)");
    o.add("whole_opening", w);
    JsonObject res = new JsonObject();
    res.addProperty("count", result.count());
    res.addProperty("total", result.total().toString());
    res.addProperty("expected_total", total);
    o.add("result", res);
    o.add("sizes", sizes);
    report.add("opening", o);
  }

  // ------------------------------------------------------------------------------- state sizes

  private byte[] rawState(String type, String... attrs) {
    String[] args = new String[attrs.length + 1];
    args[0] = type;
    System.arraycopy(attrs, 0, args, 1, attrs.length);
    return ledger.evaluate(reader, STATE_TOOL, args);
  }

  private JsonObject sizes(String type, String... attrs) {
    String[] args = new String[attrs.length + 1];
    args[0] = type;
    System.arraycopy(attrs, 0, args, 1, attrs.length);
    return CanonicalJson.parseObject(new String(ledger.evaluate(reader, SIZES_TOOL, args), StandardCharsets.UTF_8));
  }

  /** {@link #STATE_TOOL}: the raw value of the composite key (args: type, attributes...); empty if absent. */
  static byte[] rawState(Context ctx, String function, List<String> args) {
    ChaincodeStub stub = ctx.getStub();
    byte[] v = stub.getState(stub.createCompositeKey(args.get(0), rest(args)).toString());
    return v == null ? new byte[0] : v;
  }

  /**
   * {@link #SIZES_TOOL}: the keys under a composite-key prefix (args: type, attributes...): their
   * number and the UTF-8 bytes of their keys and values.
   */
  static byte[] sizes(Context ctx, String function, List<String> args) {
    long count = 0;
    long keyBytes = 0;
    long valueBytes = 0;
    try (QueryResultsIterator<KeyValue> it = ctx.getStub().getStateByPartialCompositeKey(args.get(0), rest(args))) {
      for (KeyValue kv : it) {
        count++;
        keyBytes += kv.getKey().getBytes(StandardCharsets.UTF_8).length;
        valueBytes += kv.getValue().length;
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    JsonObject o = new JsonObject();
    o.addProperty("keys", count);
    o.addProperty("key_bytes", keyBytes);
    o.addProperty("value_bytes", valueBytes);
    o.addProperty("bytes_per_key", count == 0 ? 0 : (keyBytes + valueBytes) / count);
    return CanonicalJson.toBytes(o);
  }

  private static String[] rest(List<String> args) {
    return args.subList(1, args.size()).toArray(String[]::new);
  }

}
