package org.medledger.cli;

import com.google.gson.JsonArray;
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
import org.medledger.chaincode.api.CanonicalJson;
import org.medledger.chaincode.api.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;

/**
 * The whole MedLedger story on one ledger (docs/cli.md §4): the regulator issues, the insurer
 * funds patients, patients pay hospitals, the insurer settles, the regulator audits, and at each
 * point what each party can and cannot read. Every party is a real client-sdk client holding its
 * own secrets; every amount shown was decrypted by the party it is shown for. {@link #run} returns
 * the facts as JSON (the {@code --json} output and what the tests check).
 */
final class Demo {
  /** One participant: a local label that never reaches the ledger, its secrets and its client. */
  record Party(String label, Role role, String org, AccountSecrets secrets, AccountClient client) {
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
    JsonObject issue = CanonicalJson.parseObject(regulator.client().issue(insurer.account(), ISSUED));
    step("issue", regulator, insurer, ISSUED, issue.get("txId").getAsString(), 0);

    heading("The insurer funds the patients (confidential from here on: only ciphertexts and proofs on the ledger)");
    transfer("fund", insurer, alice, 5_000);
    transfer("fund", insurer, bob, 3_000);

    heading("Patients pay hospitals for their care");
    String alicePaysStMary = transfer("pay", alice, stMary, 1_200);
    transfer("pay", bob, cityClinic, 800);
    transfer("pay", alice, cityClinic, 300);

    heading("The insurer settles with st-mary");
    transfer("settle", insurer, stMary, 2_000);

    JsonObject visibility = visibility(alicePaysStMary);
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
    say("");
    say(String.format(Locale.ROOT, "Done in %.1f s (keys %.1f s, registration %.1f s).", totalMillis / 1000.0,
        keysMillis / 1000.0, registerMillis / 1000.0));

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
    out.add("audit", audit);
    JsonObject timings = new JsonObject();
    timings.addProperty("keysMillis", keysMillis);
    timings.addProperty("registerMillis", registerMillis);
    timings.addProperty("totalMillis", totalMillis);
    out.add("timings", timings);
    return out;
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
    List<PaillierSecretKey> keys = new ArrayList<>();
    long millis;
    try (Progress p = Progress.start(env, "    generating " + cast.length + " " + keySize.bits() + "-bit Paillier keys, "
        + threads + " at a time")) {
      keys.addAll(parallel(threads, cast.length, i -> new PaillierKeyGenerator(new SecureRandom()).generate(keySize)));
      millis = p.succeeded();
    }
    for (int i = 0; i < cast.length; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      AccountSecrets s = new AccountSecrets(Role.valueOf(cast[i][1]), seed, keys.get(i));
      LedgerConnection conn = backend.connect(cast[i][2]);
      parties.put(cast[i][0], new Party(cast[i][0], s.role(), cast[i][2], s, new AccountClient(s, conn, new SecureRandom())));
    }
    say(String.format(Locale.ROOT, "    %d key pairs in %.1f s", cast.length, millis / 1000.0));
    return millis;
  }

  private void configure() throws Exception {
    heading("RegulatorOrg, the channel's administrator, sets which organisation registers which role");
    LedgerConnection admin = backend.connect(Organisations.REGULATOR_ORG);
    try {
      admin.submit("accounts:configure", Organisations.standardConfig(admin.channel(), admin.chaincode()));
      say("    hospitals through HospitalOrg, the insurer through InsurerOrg, the regulator through RegulatorOrg;"
          + " patients through any of them");
    } catch (LedgerCallException e) {
      if (!"ALREADY_CONFIGURED".equals(e.errorCode())) {
        throw e;
      }
      say("    (the channel was configured already)");
    }
  }

  private long register() throws Exception {
    heading("Each account registers with a proof that its Paillier key is well formed (checked by the chaincode)");
    List<Party> all = new ArrayList<>(parties.values());
    long t = System.nanoTime();
    int threads = Math.max(1, Math.min(all.size(), Runtime.getRuntime().availableProcessors()));
    parallel(threads, all.size(), i -> {
      all.get(i).client().register();
      return null;
    });
    long millis = (System.nanoTime() - t) / 1_000_000;
    for (Party p : all) {
      say(String.format("    %-12s %-10s %s  via %s", p.label(), p.role(), p.account(), p.org()));
    }
    say("    The ledger knows only these pseudonyms; the names are labels of this demo.");
    return millis;
  }

  private String transfer(String kind, Party from, Party to, long amount) throws LedgerCallException {
    long t = System.nanoTime();
    JsonObject record = CanonicalJson.parseObject(from.client().pay(to.account(), amount));
    String tx = record.get("txId").getAsString();
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
  private JsonObject visibility(String txId) throws Exception {
    Party alice = parties.get("alice");
    Party stMary = parties.get("st-mary");
    heading("Who can see what");
    LedgerConnection anyone = backend.connect(Organisations.INSURER_ORG);
    JsonObject record = CanonicalJson.parseObject(anyone.evaluate("money:getTransaction", txId));
    say("    What the ledger stores for alice's payment to st-mary (tx " + txId.substring(0, 12) + "), readable by every peer:");
    say("      from " + record.get("from").getAsString() + " to " + record.get("to").getAsString() + " at "
        + record.get("timestamp").getAsString());
    String[] copies = {"amountPayer", "amountPayee", "amountRegulator"};
    for (String c : copies) {
      say(String.format("      %-16s %s", c, AccountsCommand.ciphertextPreview(record.get(c).getAsString())));
    }
    say("      proofDigest      " + record.get("proofDigest").getAsString().substring(0, 16) + "...   (no plain amount anywhere)");
    say("    Each party applies its own Paillier key to the three copies:");
    say(String.format("      %-12s  %-12s %-12s %-12s", "", "payer copy", "payee copy", "regulator copy"));
    JsonObject matrix = new JsonObject();
    for (Party p : parties.values()) {
      JsonObject row = new JsonObject();
      StringBuilder line = new StringBuilder(String.format("      %-12s", p.label()));
      for (String c : copies) {
        Long v = tryDecrypt(p.secrets().paillier(), record.get(c).getAsString());
        row.addProperty(c, v == null ? -1 : v);
        line.append(String.format("  %-12s", v == null ? "unreadable" : amount(v)));
      }
      matrix.add(p.label(), row);
      say(line.toString().stripTrailing());
    }
    say("    alice and st-mary read the amount from their own copy, the regulator from its copy, nobody else at all.");

    String aliceBalance = CanonicalJson.parseObject(anyone.evaluate("money:balance", alice.account())).get("balance").getAsString();
    say("    st-mary decrypts its own balance: " + amount(stMary.client().balance()) + "; alice's balance it sees only as "
        + AccountsCommand.ciphertextPreview(aliceBalance) + ", under alice's key");
    say("    alice decrypts hers: " + amount(alice.client().balance()) + "; her history, from her own copies:");
    for (AccountClient.Entry e : alice.client().history()) {
      say(String.format("      %-8s %-11s -> %-11s %10s", e.kind(), labelOf(e.from()), labelOf(e.to()),
          e.amount() >= 0 ? amount(e.amount()) : "(unreadable)"));
    }
    JsonObject out = new JsonObject();
    out.addProperty("txId", txId);
    out.addProperty("from", "alice");
    out.addProperty("to", "st-mary");
    out.add("decryptedBy", matrix);
    return out;
  }

  private JsonObject audit(Party regulator) throws LedgerCallException {
    heading("The regulator audits: every amount, decrypted from the regulator's copy");
    long issued = 0;
    long transferred = 0;
    JsonArray amounts = new JsonArray();
    List<AccountClient.Entry> entries = regulator.client().audit();
    for (AccountClient.Entry e : entries) {
      say(String.format("    %-8s %-11s -> %-11s %10s", e.kind(), labelOf(e.from()), labelOf(e.to()), amount(e.amount())));
      if (e.kind().equals("ISSUE")) {
        issued += e.amount();
      } else if (e.kind().equals("TRANSFER")) {
        transferred += e.amount();
        amounts.add(e.amount());
      }
    }
    say("    issued " + amount(issued) + ", moved between accounts " + amount(transferred) + " in " + amounts.size() + " transfers");
    JsonObject a = new JsonObject();
    a.addProperty("transactions", entries.size());
    a.addProperty("issued", issued);
    a.addProperty("transferred", transferred);
    a.add("transferAmounts", amounts);
    return a;
  }

  // --- helpers ---

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
