package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.RecordAccessDeniedException;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.Transfer;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * The whole MedLedger story on one ledger (docs/cli.md §5): the regulator issues, the insurer
 * funds patients, patients pay hospitals, a hospital writes a record, the patient grants the
 * insurer, a claim is settled, the patient revokes, the regulator audits, and at each point what
 * each party can and cannot read. Every party is a real client-sdk client holding its
 * own secrets; every amount shown was decrypted by the party it is shown for. {@link #run} returns
 * the facts as JSON (the {@code --json} output and what the tests check).
 */
final class Demo {
  /** One participant: a local label that never reaches the ledger, its secrets and its clients. */
  record Party(String label, Role role, String org, AccountSecrets secrets, AccountClient client, RecordClient records) {
    String account() {
      return secrets.accountId();
    }
  }

  static final long ISSUED = 1_000_000;

  private final Env env;
  private final Backend backend;
  private final KeySize keySize;
  private final SecureRandom random;
  private final boolean narrate;
  private final Map<String, Party> parties = new LinkedHashMap<>();
  private RingPedersenParams.Generated ringPedersen;
  private final JsonArray steps = new JsonArray();
  private final long start = System.nanoTime();
  private int stepNumber;

  Demo(Env env, Backend backend, KeySize keySize, SecureRandom random, boolean narrate) {
    this.env = env;
    this.backend = backend;
    this.keySize = keySize;
    this.random = random;
    this.narrate = narrate;
  }

  JsonObject run() throws Exception {
    try {
      return story();
    } finally {
      parties.values().forEach(p -> p.secrets().destroy());
    }
  }

  private JsonObject story() throws Exception {
    say("MedLedger demo on the " + backend.describe());
    say("Paillier keys of " + keySize.bits() + " bits (about " + keySize.securityBits() + "-bit security)"
        + (keySize == KeySize.DEFAULT ? "." : "; 'medledger demo --bits 3072' uses the production default."));
    requireFreshChannel();
    long keysMillis = keys();
    configure();
    long registerMillis = register();
    Party regulator = parties.get("regulator");
    Party insurer = parties.get("insurer");
    Party stMary = parties.get("st-mary");
    Party cityClinic = parties.get("city-clinic");
    Party alice = parties.get("alice");
    Party bob = parties.get("bob");

    heading("The regulator issues " + amount(ISSUED) + " to the insurer (issues are public: the amount is on the ledger)");
    Transfer issue = regulator.client().issue(insurer.account(), ISSUED);
    step("issue", regulator, insurer, ISSUED, issue.txId(), 0);

    heading("The insurer funds the patients (confidential from here on: only ciphertexts and proofs on the ledger)");
    transfer("fund", insurer, alice, 5_000);
    transfer("fund", insurer, bob, 3_000);

    heading("Patients pay hospitals for their care");
    String alicePaysStMary = transfer("pay", alice, stMary, 1_200);
    transfer("pay", bob, cityClinic, 800);
    transfer("pay", alice, cityClinic, 300);

    JsonObject records = records(insurer, stMary, alice);

    JsonObject visibility = visibility(alicePaysStMary, records.get("claimId").getAsString());
    JsonObject audit = audit(regulator);

    JsonObject balances = new JsonObject();
    long total = 0;
    for (Party p : parties.values()) {
      if (p.role() != Role.REGULATOR) {
        long b = p.client().balance();
        balances.addProperty(p.label(), b);
        total += b;
      }
    }
    heading("Money is conserved");
    say("    The five balances, each decrypted by its owner, add up to " + amount(total) + "; the regulator issued "
        + amount(ISSUED) + ".");

    long totalMillis = (System.nanoTime() - start) / 1_000_000;

    JsonObject out = new JsonObject();
    out.addProperty("ledger", backend.describe());
    out.addProperty("paillierBits", keySize.bits());
    JsonArray accounts = new JsonArray();
    for (Party p : parties.values()) {
      JsonObject a = new JsonObject();
      a.addProperty("label", p.label());
      a.addProperty("role", p.role().name());
      a.addProperty("account", p.account());
      a.addProperty("organisation", p.org());
      accounts.add(a);
    }
    out.add("accounts", accounts);
    out.add("steps", steps);
    out.add("balances", balances);
    out.add("visibility", visibility);
    out.add("records", records);
    out.add("audit", audit);
    JsonObject timings = new JsonObject();
    timings.addProperty("keysMillis", keysMillis);
    timings.addProperty("registerMillis", registerMillis);
    timings.addProperty("totalMillis", totalMillis);
    out.add("timings", timings);
    check(out);
    say("");
    say(String.format(Locale.ROOT, "Done in %.1f s (keys %.1f s, registration %.1f s); the story's facts were checked.",
        totalMillis / 1000.0, keysMillis / 1000.0, registerMillis / 1000.0));
    return out;
  }

  /** A channel has one regulator for good: the story needs a channel without one. */
  private void requireFreshChannel() throws CliException, LedgerCallException {
    LedgerConnection any = backend.connect(Organisations.REGULATOR_ORG);
    String regulator;
    try {
      regulator = new PublicLedger(any).channelInfo().regulator().orElse("");
    } catch (LedgerCallException e) {
      if ("NOT_CONFIGURED".equals(e.errorCode())) {
        return;
      }
      throw e;
    }
    if (!regulator.isEmpty()) {
      throw CliException.local("CHANNEL_IN_USE", "the channel has a regulator already (" + regulator + "), and a channel has"
          + " one for good: the demo needs a fresh network ('test-network/network.sh down', 'up', 'deploy')");
    }
  }

  /**
   * The story's facts, checked: an exit code of 0 means they held on this ledger. The regulator's
   * audit sums to what was issued and paid, the owners' balances add up to what was issued, each
   * party reads exactly its own copy of a payment and of the claimed fee, the claim was settled
   * by a transfer of the record's fee, the read after revocation was denied.
   */
  static void check(JsonObject facts) throws CliException {
    List<String> failed = new ArrayList<>();
    long issued = 0;
    long paid = 0;
    String settleTx = "";
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      JsonObject x = e.getAsJsonObject();
      if (x.get("kind").getAsString().equals("issue")) {
        issued += x.get("amount").getAsLong();
      } else {
        paid += x.get("amount").getAsLong();
      }
      if (x.get("kind").getAsString().equals("settle")) {
        settleTx = x.get("txId").getAsString();
      }
    }
    JsonObject audit = facts.getAsJsonObject("audit");
    expect(failed, audit.get("issued").getAsLong() == issued, "the audit's issued total is what was issued");
    expect(failed, audit.get("transferred").getAsLong() == paid, "the audit's transferred total is what was paid");
    long held = 0;
    for (Map.Entry<String, JsonElement> b : facts.getAsJsonObject("balances").entrySet()) {
      held += b.getValue().getAsLong();
    }
    expect(failed, held == issued, "the owners' balances add up to what was issued");
    JsonObject visibility = facts.getAsJsonObject("visibility");
    Map<String, String> own = Map.of("alice", "amountPayer", "st-mary", "amountPayee", "regulator", "amountRegulator");
    for (Map.Entry<String, JsonElement> row : visibility.getAsJsonObject("decryptedBy").entrySet()) {
      for (String copy : List.of("amountPayer", "amountPayee", "amountRegulator")) {
        long v = row.getValue().getAsJsonObject().get(copy).getAsLong();
        expect(failed, v == (copy.equals(own.get(row.getKey())) ? 1_200 : -1), row.getKey() + " reads " + copy + " as expected");
      }
    }
    JsonObject records = facts.getAsJsonObject("records");
    long fee = records.get("fee").getAsLong();
    for (Map.Entry<String, JsonElement> e : visibility.getAsJsonObject("claimFeeSeenBy").entrySet()) {
      boolean copy = List.of("st-mary", "insurer", "regulator").contains(e.getKey());
      expect(failed, e.getValue().getAsLong() == (copy ? fee : -1), e.getKey() + " reads the claimed fee as expected");
    }
    expect(failed, records.get("openedByPatientMatches").getAsBoolean(), "alice opens what st-mary wrote");
    expect(failed, records.get("claimStatus").getAsString().equals("SETTLED"), "the claim is settled");
    expect(failed, records.get("claimTransferTx").getAsString().equals(settleTx), "the claim is linked to the settlement");
    expect(failed, records.get("readAfterRevoke").getAsString().equals("GRANT_REVOKED"), "the read after revocation is denied");
    if (!failed.isEmpty()) {
      throw new CliException(ExitCode.INTERNAL, "DEMO_CHECK_FAILED", "the story's facts did not hold: " + String.join("; ", failed));
    }
  }

  private static void expect(List<String> failed, boolean ok, String what) {
    if (!ok) {
      failed.add("not true that " + what);
    }
  }

  // --- the story's steps ---

  private long keys() throws Exception {
    heading("Each party makes its own keys: an Ed25519 signing key and a Paillier key; secrets never leave its client");
    String[][] cast = {
      {"regulator", "REGULATOR", Organisations.REGULATOR_ORG},
      {"insurer", "INSURER", Organisations.INSURER_ORG},
      {"st-mary", "HOSPITAL", Organisations.HOSPITAL_ORG},
      {"city-clinic", "HOSPITAL", Organisations.HOSPITAL_ORG},
      {"alice", "PATIENT", Organisations.HOSPITAL_ORG},
      {"bob", "PATIENT", Organisations.HOSPITAL_ORG},
    };
    int threads = Math.max(1, Math.min(cast.length, Runtime.getRuntime().availableProcessors()));
    List<Object> made;
    long millis;
    // The regulator's ring-Pedersen set-up (two safe primes) runs alongside the Paillier keys.
    try (Progress p = Progress.start(env, "    generating " + cast.length + " " + keySize.bits() + "-bit Paillier keys and the"
        + " ring-Pedersen parameters, " + threads + " at a time")) {
      made = parallel(threads, cast.length + 1, i -> i == cast.length
          ? RingPedersenParams.generate(ringPedersenSize(), new SecureRandom())
          : new PaillierKeyGenerator(new SecureRandom()).generate(keySize));
      millis = p.succeeded();
    }
    ringPedersen = (RingPedersenParams.Generated) made.get(cast.length);
    List<PaillierSecretKey> keys = new ArrayList<>();
    for (int i = 0; i < cast.length; i++) {
      keys.add((PaillierSecretKey) made.get(i));
    }
    for (int i = 0; i < cast.length; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      AccountSecrets s = new AccountSecrets(Role.valueOf(cast[i][1]), seed, keys.get(i));
      LedgerConnection conn = backend.connect(cast[i][2]);
      parties.put(cast[i][0], new Party(cast[i][0], s.role(), cast[i][2], s, new AccountClient(s, conn, new SecureRandom()),
          new RecordClient(s, conn, new SecureRandom())));
    }
    say(String.format(Locale.ROOT, "    %d key pairs, and the regulator's %d-bit ring-Pedersen parameters, in %.1f s",
        cast.length, ringPedersenSize().bits(), millis / 1000.0));
    return millis;
  }

  private void configure() throws Exception {
    heading("RegulatorOrg, the channel's administrator, sets which organisation registers which role");
    LedgerConnection admin = backend.connect(Organisations.REGULATOR_ORG);
    try {
      new PublicLedger(admin).configure(Organisations.standardConfig(admin.channel(), admin.chaincode()));
      say("    hospitals through HospitalOrg, the insurer through InsurerOrg, the regulator through RegulatorOrg;"
          + " patients through any of them");
    } catch (LedgerCallException e) {
      if (!"ALREADY_CONFIGURED".equals(e.errorCode())) {
        throw e;
      }
      say("    (the channel was configured already)");
    }
  }

  /**
   * The regulator registers first and publishes the channel's ring-Pedersen parameters; every other
   * account then registers with its key proof and its no-small-factor proof (Π^fac) against them.
   */
  private long register() throws Exception {
    heading("The regulator registers with a proof that its Paillier key is well formed (checked by the chaincode)");
    Party regulator = parties.get("regulator");
    long t = System.nanoTime();
    regulator.client().register();
    heading("The regulator publishes the channel's ring-Pedersen parameters (key registrations and consent grants are proven against them)");
    regulator.records().publishRingPedersen(ringPedersen.params().toBytes(), ringPedersen.proof().toBytes());
    say("    " + ringPedersenSize().bits() + "-bit N̂ with its proof; the factors were dropped after the set-up");
    heading("Every other account registers with a key proof and a proof that its key has no small factor");
    List<Party> all = new ArrayList<>(parties.values());
    all.remove(regulator);
    int threads = Math.max(1, Math.min(all.size(), Runtime.getRuntime().availableProcessors()));
    parallel(threads, all.size(), i -> {
      all.get(i).client().register();
      return null;
    });
    long millis = (System.nanoTime() - t) / 1_000_000;
    all.add(0, regulator);
    for (Party p : all) {
      say(String.format("    %-12s %-10s %s  via %s", p.label(), p.role(), p.account(), p.org()));
    }
    say("    The ledger knows only these pseudonyms; the names are labels of this demo.");
    return millis;
  }

  /**
   * Records, consent and a claim: st-mary writes a record about alice; alice opens it; st-mary
   * claims its fee from the insurer; alice grants the insurer; the insurer settles (a logged read,
   * a fee check, a confidential transfer); alice revokes, and the insurer's next read is denied
   * and logged.
   */
  private JsonObject records(Party insurer, Party stMary, Party alice) throws Exception {
    heading("st-mary writes a record about alice: a synthetic Table 1 record, encrypted under alice's key");
    MedicalRecord visit = new SyntheticRecords(2026).next();
    long t = System.nanoTime();
    RecordClient.Written w = stMary.records().write(alice.account(), "visit", visit);
    say(String.format(Locale.ROOT, "    record %s (visit, version %d), tx %s  (encrypt, prove, commit %.2f s)", w.recordId(),
        w.version(), w.txId().substring(0, 12), (System.nanoTime() - t) / 1e9));
    say("    on the ledger: ciphertext segments under alice's key, a proof, st-mary's signed commitment; no content");
    RecordClient.Opened own = alice.records().open(w.recordId());
    MedicalRecord opened = own.medicalRecord();
    say("    alice opens it with her key: " + opened.name() + " (" + opened.idNumber() + "), fee " + amount(opened.fee())
        + ", \"" + opened.prescription() + "\"");

    heading("st-mary claims the visit's fee from the insurer (the fee is encrypted for st-mary, the insurer and the regulator)");
    String claimId = stMary.records().fileClaim(w.recordId(), insurer.account(), visit.fee());
    say("    claim " + claimId);

    heading("alice consents: she grants the insurer access to this record (re-encrypted for the insurer, with a proof)");
    t = System.nanoTime();
    String grantId = alice.records().grantRecord(insurer.account(), w.recordId(), null);
    say(String.format(Locale.ROOT, "    grant %s  (re-encrypt, prove, commit %.2f s)", grantId, (System.nanoTime() - t) / 1e9));

    heading("The insurer settles the claim: reads the record under the grant (logged), checks the fee, pays st-mary");
    t = System.nanoTime();
    RecordClient.ClaimInfo settled = insurer.records().settleClaim(claimId, grantId);
    step("settle", insurer, stMary, settled.fee(), settled.transferTx(), (System.nanoTime() - t) / 1_000_000);
    say("    claim " + settled.status() + ": linked to read " + settled.readTx().substring(0, 12) + " and transfer "
        + settled.transferTx().substring(0, 12));

    heading("alice revokes the grant; the insurer's next read is denied, and the denial is logged");
    alice.records().revoke(grantId);
    String denied;
    try {
      insurer.records().read(grantId, w.recordId());
      denied = "";
    } catch (RecordAccessDeniedException e) {
      denied = e.code();
      say("    denied: " + e.code() + " (tx " + e.txId().substring(0, 12) + ")");
    }
    say("    what the insurer read before stays read; revocation stops further reads (docs/records.md §3)");

    JsonObject out = new JsonObject();
    out.addProperty("recordId", w.recordId());
    out.addProperty("fee", visit.fee());
    out.addProperty("openedByPatientMatches", opened.equals(visit));
    out.addProperty("claimId", claimId);
    out.addProperty("grantId", grantId);
    out.addProperty("claimStatus", settled.status());
    out.addProperty("claimTransferTx", settled.transferTx());
    out.addProperty("readAfterRevoke", denied);
    return out;
  }

  private String transfer(String kind, Party from, Party to, long amount) throws LedgerCallException, ClientRefusalException {
    long t = System.nanoTime();
    String tx = from.client().pay(to.account(), amount).txId();
    step(kind, from, to, amount, tx, (System.nanoTime() - t) / 1_000_000);
    return tx;
  }

  private void step(String kind, Party from, Party to, long amount, String tx, long millis) {
    JsonObject s = new JsonObject();
    s.addProperty("kind", kind);
    s.addProperty("from", from.label());
    s.addProperty("to", to.label());
    s.addProperty("amount", amount);
    s.addProperty("txId", tx);
    s.addProperty("millis", millis);
    steps.add(s);
    say(String.format(Locale.ROOT, "    %-6s %-11s -> %-11s %10s   tx %s%s", kind, from.label(), to.label(), amount(amount),
        tx.substring(0, 12), millis > 0 ? String.format(Locale.ROOT, "  (proof and commit %.2f s)", millis / 1000.0) : ""));
  }

  /**
   * What each party can read of one payment: the ledger holds three ciphertexts of the amount, and
   * each party tries its own key on each of them.
   */
  private JsonObject visibility(String txId, String claimId) throws Exception {
    Party alice = parties.get("alice");
    Party stMary = parties.get("st-mary");
    heading("Who can see what");
    LedgerConnection anyone = backend.connect(Organisations.INSURER_ORG);
    PublicLedger publicLedger = new PublicLedger(anyone);
    PublicLedger.LedgerTransaction record = publicLedger.transaction(txId)
        .orElseThrow(() -> new IllegalStateException("transaction " + txId + " is not on the ledger"));
    say("    What the ledger stores for alice's payment to st-mary (tx " + txId.substring(0, 12) + "), readable by every peer:");
    say("      from " + record.from() + " to " + record.to() + " at " + record.timestamp());
    String[] copies = {"amountPayer", "amountPayee", "amountRegulator"};
    Map<String, String> copyOf = Map.of("amountPayer", record.amountPayer(), "amountPayee", record.amountPayee(),
        "amountRegulator", record.amountRegulator());
    for (String c : copies) {
      say(String.format("      %-16s %s", c, AccountsCommand.ciphertextPreview(copyOf.get(c))));
    }
    say("      proofDigest      " + record.proofDigest().substring(0, 16) + "...   (no plain amount anywhere)");
    say("    Each party applies its own Paillier key to the three copies:");
    say(String.format("      %-12s  %-12s  %-12s  %s", "", "payer copy", "payee copy", "regulator copy"));
    JsonObject matrix = new JsonObject();
    for (Party p : parties.values()) {
      JsonObject row = new JsonObject();
      StringBuilder line = new StringBuilder(String.format("      %-12s", p.label()));
      for (String c : copies) {
        Long v = tryDecrypt(p.secrets().paillier(), copyOf.get(c));
        row.addProperty(c, v == null ? -1 : v);
        line.append(String.format("  %-12s", v == null ? "unreadable" : amount(v)));
      }
      matrix.add(p.label(), row);
      say(line.toString().stripTrailing());
    }
    say("    alice and st-mary read the amount from their own copy, the regulator from its copy, nobody else at all.");

    String aliceBalance = publicLedger.storedBalance(alice.account()).balance();
    say("    st-mary decrypts its own balance: " + amount(stMary.client().balance()) + "; alice's balance it sees only as "
        + AccountsCommand.ciphertextPreview(aliceBalance) + ", under alice's key");
    say("    alice decrypts hers: " + amount(alice.client().balance()) + "; her history, from her own copies:");
    for (Transfer e : alice.client().history()) {
      say(String.format("      %-8s %-11s -> %-11s %10s", e.kind(), labelOf(e.from()), labelOf(e.to()),
          e.amount().isPresent() ? amount(e.amount().getAsLong()) : "(unreadable)"));
    }
    say("    The claim's fee, as each party's client decrypts it from the claim:");
    JsonObject fees = new JsonObject();
    StringBuilder line = new StringBuilder("     ");
    for (Party p : parties.values()) {
      long fee = p.records().claim(claimId).fee();
      fees.addProperty(p.label(), fee);
      line.append(String.format(" %s: %s;", p.label(), fee >= 0 ? amount(fee) : "no copy"));
    }
    say(line.substring(0, line.length() - 1));
    say("    alice's record: alice opens it with her key; the insurer read it under her grant, logged; st-mary wrote it"
        + " but holds no key for it; nobody else can read it.");
    JsonObject out = new JsonObject();
    out.addProperty("txId", txId);
    out.addProperty("from", "alice");
    out.addProperty("to", "st-mary");
    out.add("decryptedBy", matrix);
    out.add("claimFeeSeenBy", fees);
    return out;
  }

  private JsonObject audit(Party regulator) throws LedgerCallException {
    heading("The regulator audits: every amount, decrypted from the regulator's copy");
    long issued = 0;
    long transferred = 0;
    JsonArray amounts = new JsonArray();
    List<Transfer> entries = regulator.client().audit();
    for (Transfer e : entries) {
      long a = e.amount().orElse(-1);
      say(String.format("    %-8s %-11s -> %-11s %10s", e.kind(), labelOf(e.from()), labelOf(e.to()), amount(a)));
      if (e.kind().equals("ISSUE")) {
        issued += a;
      } else if (e.kind().equals("TRANSFER")) {
        transferred += a;
        amounts.add(a);
      }
    }
    say("    issued " + amount(issued) + ", moved between accounts " + amount(transferred) + " in " + amounts.size() + " transfers");
    say("    and the access trail of every patient's records:");
    JsonArray trail = new JsonArray();
    for (RecordClient.Access x : regulator.records().auditTrail("")) {
      say(String.format("    %-8s %-11s read %s of %s%s", x.granted() ? "GRANTED" : "DENIED", labelOf(x.reader()),
          x.recordId().substring(0, Math.min(16, x.recordId().length())), labelOf(x.patient()),
          x.granted() ? "" : " (" + x.code() + ")"));
      JsonObject e = new JsonObject();
      e.addProperty("reader", labelOf(x.reader()));
      e.addProperty("patient", labelOf(x.patient()));
      e.addProperty("granted", x.granted());
      e.addProperty("code", x.code());
      trail.add(e);
    }
    JsonObject a = new JsonObject();
    a.add("trail", trail);
    a.addProperty("transactions", entries.size());
    a.addProperty("issued", issued);
    a.addProperty("transferred", transferred);
    a.add("transferAmounts", amounts);
    return a;
  }

  // --- helpers ---

  /** The demo's N̂: 2048 bits with 2048-bit keys (about a second to set up), the 3072-bit default otherwise. */
  private RingPedersenParams.Size ringPedersenSize() {
    return keySize == KeySize.BITS_2048 ? RingPedersenParams.Size.BITS_2048 : RingPedersenParams.Size.DEFAULT;
  }

  /** The amount in a ciphertext if it was made for this key; null when it was not (it decodes or decrypts to nothing). */
  static Long tryDecrypt(PaillierSecretKey key, String base64) {
    try {
      return key.decryptAmount(PaillierCiphertext.fromBytes(Base64.getDecoder().decode(base64), key.publicKey()));
    } catch (CryptoException e) {
      return null;
    }
  }

  private String labelOf(String account) {
    for (Party p : parties.values()) {
      if (p.account().equals(account)) {
        return p.label();
      }
    }
    return account;
  }

  @FunctionalInterface
  interface Task<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code count} tasks on {@code threads} threads; results in index order; the first failure is thrown. */
  static <T> List<T> parallel(int threads, int count, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.run(index)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception ex) {
            throw ex;
          }
          throw e;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private void heading(String text) {
    say("");
    say(String.format("%2d. %s", ++stepNumber, text));
  }

  private void say(String line) {
    if (narrate) {
      env.out().println(line);
      env.out().flush();
    }
  }

  private static String amount(long a) {
    return String.format("%,d", a);
  }
}
