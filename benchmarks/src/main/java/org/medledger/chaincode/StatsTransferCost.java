package org.medledger.chaincode;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.medledger.bench.CpuTimeHarness;
import org.medledger.bench.stats.Meter;
import org.medledger.bench.stats.Summary;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;

/**
 * What a transfer's statistical contribution costs the chaincode (docs/performance.md, "Statistical
 * contributions"), without any switch in the contracts: a transfer does not add into its bucket, it
 * writes its contribution as its own key (docs/chaincode.md §11.1) and the homomorphic add happens
 * when the bucket is folded. So, per key size, in one run:
 *
 * <ul>
 *   <li>{@code transfer_tx}: the whole {@code money:transfer} endorsement through the in-memory stub
 *       (as {@code ChaincodeTransferBench.endorse}: keys cached, a patient paying a hospital, so it
 *       writes a PAY contribution);
 *   <li>{@code contribution_write}: the contribution write itself, {@code StatsBuckets.transfer} with
 *       the same accounts and a ciphertext under the committee key, timed around that call inside an
 *       endorsement of a benchmark-only function (the accounts are read before the timer starts,
 *       as the transfer has read them already);
 *   <li>the fold's share per contribution: {@code stats:fold} endorsed over 500 and over 1 contribution
 *       of a PAY bucket (contributions written by the same production call, each a fresh encryption
 *       under the committee key, as a transfer's {@code amountRegulator} is), the slope (t500 − t1)
 *       / 499; and over 500 ISSUE contributions ((1+n)^amount, r = 1, written by real
 *       {@code money:issue} transactions), which fold cheaper;
 *   <li>the bytes: the transfer's whole write set and its contribution key, recorded by a stub proxy
 *       in one untimed endorsement.
 * </ul>
 *
 * Times are thread CPU time ({@link CpuTimeHarness#measure}); the contract, the stub and the
 * ledger run on the calling thread.
 *
 * <p>Usage: {@code StatsTransferCost out.json bits...}
 */
public final class StatsTransferCost {
  static final String CONTRIBUTE = "bench:contribute";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final SecureRandom RND = new SecureRandom();
  private static final Instant NEXT_MONTH = Instant.parse("2026-02-01T00:00:01Z");

  private final int bits;
  private final List<Double> writeCpu = new ArrayList<>();
  private final List<Double> writeWall = new ArrayList<>();
  /** Keys and value sizes written by the next endorsement when set (a stub proxy records them). */
  private Map<String, Integer> recording;
  private Channel ch;
  private Actor patient;

  StatsTransferCost(int bits) {
    this.bits = bits;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    JsonObject o = new JsonObject();
    o.addProperty("what", "the chaincode's added cost per transfer for statistics: the contribution write inside"
        + " money:transfer, and the fold's share per contribution, thread CPU time, embedded ledger stub");
    o.addProperty("date", Instant.now().toString());
    o.addProperty("java", Runtime.version().toString());
    o.addProperty("load_average_start", Meter.loadAverage());
    JsonArray rows = new JsonArray();
    for (int i = 1; i < args.length; i++) {
      rows.add(new StatsTransferCost(Integer.parseInt(args[i])).run());
    }
    o.add("results", rows);
    o.addProperty("load_average_end", Meter.loadAverage());
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n", StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The channel's dispatcher: the contracts, the benchmark-only contribution write, a write recorder. */
  private byte[] dispatch(EmbeddedLedger.Dispatcher contracts, Context ctx, String function, List<String> args) {
    if (recording != null) {
      ctx = new Context(recordingStub(ctx.getStub(), recording));
    }
    if (function.equals(CONTRIBUTE)) {
      return contribute(ctx, args);
    }
    return contracts.invoke(ctx, function, args);
  }

  /**
   * {@link #CONTRIBUTE}(payer, payee, ciphertext): the contribution write of a transfer, exactly as
   * {@code money:transfer} makes it, timed alone.
   */
  private byte[] contribute(Context ctx, List<String> args) {
    Ledger ledger = new Ledger(ctx);
    Account payer = ledger.account(args.get(0));
    Account payee = ledger.account(args.get(1));
    PaillierCiphertext c = MoneyContract.ciphertext(Contracts.regulator(ledger).publicKey(), args.get(2));
    String tx = ledger.txId();
    long w0 = System.nanoTime();
    long c0 = THREADS.getCurrentThreadCpuTime();
    StatsBuckets.transfer(ledger, payer, payee, tx, c, false);
    long c1 = THREADS.getCurrentThreadCpuTime();
    long w1 = System.nanoTime();
    writeCpu.add((c1 - c0) / 1e6);
    writeWall.add((w1 - w0) / 1e6);
    return new byte[0];
  }

  /** A stub that records each key written (value size; 0 for a delete) and otherwise is {@code stub}. */
  static ChaincodeStub recordingStub(ChaincodeStub stub, Map<String, Integer> into) {
    return (ChaincodeStub) Proxy.newProxyInstance(ChaincodeStub.class.getClassLoader(), new Class<?>[] {ChaincodeStub.class},
        (proxy, m, a) -> {
          if (m.getName().equals("putState") && a.length == 2) {
            into.put((String) a[0], ((byte[]) a[1]).length);
          } else if (m.getName().equals("delState") && a.length == 1) {
            into.put((String) a[0], 0);
          }
          try {
            return m.invoke(stub, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  JsonObject run() throws Exception {
    EmbeddedLedger.Dispatcher contracts = MedLedgerContracts.dispatcher();
    ch = new Channel((ctx, f, a) -> dispatch(contracts, ctx, f, a)).configured();
    PaillierKeyGenerator gen = new PaillierKeyGenerator(RND);
    KeySize size = KeySize.ofBits(bits);
    ch.regulator = Channel.actor("regulator", Role.REGULATOR, "RegulatorOrgMSP", gen.generate(size));
    ch.insurer = Channel.actor("insurer", Role.INSURER, "InsurerOrgMSP", gen.generate(size));
    ch.hospital = Channel.actor("hospital", Role.HOSPITAL, "HospitalOrgMSP", gen.generate(size));
    ch.register(ch.regulator);
    ch.publishRingPedersen();
    for (Actor a : new Actor[] {ch.insurer, ch.hospital}) {
      ch.register(a);
    }
    patient = Channel.actor("patient", Role.PATIENT, "HospitalOrgMSP", gen.generate(size));
    ch.register(patient);
    ch.issue(1_000_000, ch.insurer);
    if (!ch.pay(ch.insurer, patient, 10_000).isValid()) {
      throw new IllegalStateException("set-up transfer failed");
    }
    String request = ch.transferRequest(patient, ch.hospital, 1_234);
    String amount = MoneyContract.b64(ch.regulator.paillier.publicKey().encrypt(BigInteger.valueOf(1_234), RND));
    JsonObject o = new JsonObject();
    o.addProperty("bits", bits);

    // The whole transfer endorsement; and once with its write set recorded.
    double[] transfer = CpuTimeHarness.measure(() -> endorseOk("money:transfer", request), 30, 40);
    Summary.of(transfer).addTo(o, "transfer_tx_cpu_");
    recording = new TreeMap<>();
    endorseOk("money:transfer", request);
    Map<String, Integer> written = recording;
    recording = null;
    JsonObject bytes = new JsonObject();
    int total = 0;
    for (Map.Entry<String, Integer> e : written.entrySet()) {
      int b = e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue();
      total += b;
      if (e.getKey().startsWith("\u0000" + StatsBuckets.CONTRIBUTION + "\u0000")) {
        bytes.addProperty("contribution_key_bytes", e.getKey().getBytes(StandardCharsets.UTF_8).length);
        bytes.addProperty("contribution_value_bytes", e.getValue());
        bytes.addProperty("contribution_bytes", b);
      }
    }
    bytes.addProperty("transfer_write_set_keys", written.size());
    bytes.addProperty("transfer_write_set_bytes", total);
    bytes.addProperty("what", "UTF-8 bytes of each written key plus its value, as the stub receives them");
    o.add("bytes", bytes);

    // The contribution write alone, through the stub, inside an endorsement.
    CpuTimeHarness.measure(() -> endorseOk(CONTRIBUTE, patient.id, ch.hospital.id, amount), 2_000, 0);
    writeCpu.clear();
    writeWall.clear();
    CpuTimeHarness.measure(() -> endorseOk(CONTRIBUTE, patient.id, ch.hospital.id, amount), 0, 2_000);
    Summary.of(writeCpu).addTo(o, "contribution_write_cpu_");
    Summary.of(writeWall).addTo(o, "contribution_write_wall_");

    // 500 PAY contributions (the production write, fresh encryptions) and 500 more issues, committed.
    for (int i = 0; i < 500; i++) {
      String c = MoneyContract.b64(ch.regulator.paillier.publicKey().encrypt(BigInteger.valueOf(1 + i), RND));
      TxResult r = ch.submit(ch.gateway(patient), CONTRIBUTE, patient.id, ch.hospital.id, c);
      if (!r.isValid()) {
        throw new IllegalStateException(r.toString());
      }
      if (!ch.issue(1 + i, ch.insurer).isValid()) {
        throw new IllegalStateException("issue refused");
      }
    }
    String month = StatsProtocol.monthText(ch.now());
    String pay = month + "." + StatsProtocol.Kind.PAY.name() + "." + ch.hospital.id;
    String issue = month + "." + StatsProtocol.Kind.ISSUE.name() + "." + ch.insurer.id;
    double[] fold500 = CpuTimeHarness.measure(() -> fold(pay, 500, 500), 3, 9);
    double[] fold1 = CpuTimeHarness.measure(() -> fold(pay, 1, 1), 3, 9);
    double[] fold500Issue = CpuTimeHarness.measure(() -> fold(issue, 500, 500), 3, 9);
    Summary.of(fold500).addTo(o, "fold_tx_500_pay_cpu_");
    Summary.of(fold1).addTo(o, "fold_tx_1_pay_cpu_");
    Summary.of(fold500Issue).addTo(o, "fold_tx_500_issue_cpu_");
    double slope = (Summary.of(fold500).median() - Summary.of(fold1).median()) / 499;
    double slopeIssue = (Summary.of(fold500Issue).median() - Summary.of(fold1).median()) / 499;
    o.addProperty("fold_cpu_ms_per_contribution_pay", round(slope));
    o.addProperty("fold_cpu_ms_per_contribution_issue", round(slopeIssue));
    double t = Summary.of(transfer).median();
    double w = Summary.of(writeCpu).median();
    JsonObject ratios = new JsonObject();
    ratios.addProperty("contribution_write / transfer_tx", round(w / t));
    ratios.addProperty("fold share / transfer_tx", round(slope / t));
    ratios.addProperty("(contribution_write + fold share) / transfer_tx", round((w + slope) / t));
    ratios.addProperty("transfer_tx without the write (derived: transfer_tx − contribution_write), ms", round(t - w));
    o.add("ratios", ratios);
    System.out.printf("bits=%d transfer_tx=%.3f ms write=%.4f ms fold/contribution pay=%.4f issue=%.4f ms (fold500 pay=%.2f"
        + " issue=%.2f fold1=%.2f) bytes=%s%n", bits, t, w, slope, slopeIssue, Summary.of(fold500).median(),
        Summary.of(fold500Issue).median(), Summary.of(fold1).median(), bytes);
    return o;
  }

  /** Endorses a fold of {@code batch} after the month and checks it folded {@code expect}. */
  private void fold(String bucketId, int batch, int expect) {
    Endorsement e = ch.ledger.endorse(ch.hospitalOrg, NEXT_MONTH, "stats:fold", bucketId, Integer.toString(batch));
    if (!e.succeeded() || !new String(e.payload(), StandardCharsets.UTF_8).contains("\"folded\":" + expect + ",")) {
      throw new IllegalStateException("fold: " + e + " " + (e.succeeded() ? new String(e.payload(), StandardCharsets.UTF_8) : ""));
    }
  }

  private void endorseOk(String function, String... args) {
    Endorsement e = ch.ledger.endorse(ch.hospitalOrg, ch.tick(), function, args);
    if (!e.succeeded()) {
      throw new IllegalStateException(function + " refused: " + e.errorMessage());
    }
  }

  private static double round(double v) {
    return Math.round(v * 10000.0) / 10000.0;
  }
}
