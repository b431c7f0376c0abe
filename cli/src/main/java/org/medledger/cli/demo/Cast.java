package org.medledger.cli.demo;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.medledger.cli.Backend;
import org.medledger.cli.Organisations;
import org.medledger.cli.Progress;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.proof.SafePrimes;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.RecordClient;

/**
 * The story's parties and the channel's set-up. Each party makes its own keys; the regulator is a
 * 3-of-5 committee: the dealer searches for two safe primes and deals the committee key, whose
 * public half is the regulator account's Paillier key and whose shares go to five member accounts,
 * each with its own signing and Paillier keys. All of it (the dealing's safe primes, the
 * ring-Pedersen parameters' safe primes, ten Paillier keys) runs in parallel, as many at a time as
 * there are cores. Then RegulatorOrg configures the channel, every account registers with its
 * proofs, and the regulator registers the committee.
 */
final class Cast {
  static final int THRESHOLD = 3;
  static final int MEMBERS = 5;
  /** The parties with a Paillier key of their own, in the order of the story; the members follow. */
  private static final String[][] CAST = {
    {"insurer", "INSURER", Organisations.INSURER_ORG},
    {"st-mary", "HOSPITAL", Organisations.HOSPITAL_ORG},
    {"city-clinic", "HOSPITAL", Organisations.HOSPITAL_ORG},
    {"alice", "PATIENT", Organisations.HOSPITAL_ORG},
    {"bob", "PATIENT", Organisations.HOSPITAL_ORG},
    {"member-1", "COMMITTEE_MEMBER", Organisations.REGULATOR_ORG},
    {"member-2", "COMMITTEE_MEMBER", Organisations.REGULATOR_ORG},
    {"member-3", "COMMITTEE_MEMBER", Organisations.REGULATOR_ORG},
    {"member-4", "COMMITTEE_MEMBER", Organisations.REGULATOR_ORG},
    {"member-5", "COMMITTEE_MEMBER", Organisations.REGULATOR_ORG},
  };

  private final Backend backend;
  private final KeySize keySize;
  private final SecureRandom random;
  private final Narrator say;
  private final Clock clock;
  private final Map<String, Party> parties = new LinkedHashMap<>();
  private volatile RingPedersenParams.Generated ringPedersen;
  private volatile ThresholdDealer.Dealing dealing;
  private final JsonObject keyTimings = new JsonObject();

  /** {@code clock}: the ledger's, by which the members' clients judge whether a statistics bucket's month is over. */
  Cast(Backend backend, KeySize keySize, SecureRandom random, Narrator say, Clock clock) {
    this.backend = backend;
    this.keySize = keySize;
    this.random = random;
    this.say = say;
    this.clock = clock;
  }

  Party get(String label) {
    return parties.get(label);
  }

  Collection<Party> all() {
    return parties.values();
  }

  /** The committee's members in share-index order. */
  List<Party> members() {
    return parties.values().stream().filter(p -> p.role() == Role.COMMITTEE_MEMBER).toList();
  }

  /** The dealing (public key, key proof, the members' shares); the shares are handed to {@link Committee}. */
  ThresholdDealer.Dealing dealing() {
    return dealing;
  }

  /** How long each part of the key generation took (the facts' {@code timings.keys}). */
  JsonObject keyTimings() {
    return keyTimings;
  }

  /** The party's label if {@code account} is one of the cast, else the account id. */
  String labelOf(String account) {
    for (Party p : parties.values()) {
      if (p.account().equals(account)) {
        return p.label();
      }
    }
    return account;
  }

  List<String> labelsOf(List<String> accounts) {
    return accounts.stream().map(this::labelOf).toList();
  }

  void destroy() {
    parties.values().forEach(p -> p.secrets().destroy());
    if (dealing != null) {
      dealing.shares().forEach(s -> s.destroy());
    }
  }

  /**
   * Every party's keys and the committee's dealing, in parallel; returns the milliseconds it took.
   * The longest searches start first (the ring-Pedersen parameters' two safe primes, then each of
   * the dealing's two), the Paillier keys fill in, and the dealing proper runs once its primes are
   * there.
   */
  long keys() throws Exception {
    say.heading("Each party makes its own keys (an Ed25519 signing key and a Paillier key); the regulator is a "
        + THRESHOLD + "-of-" + MEMBERS + " committee whose key is dealt to five members; secrets never leave their client");
    AccountSecrets regulator = AccountSecrets.signingOnly(Role.REGULATOR, random);
    LedgerConnection regulatorConn = backend.connect(Organisations.REGULATOR_ORG);
    int threads = Runtime.getRuntime().availableProcessors();
    int half = keySize.bits() / 2;
    AtomicInteger primes = new AtomicInteger();
    AtomicInteger keys = new AtomicInteger();
    long millis;
    List<PaillierSecretKey> made = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try (Progress p = Progress.start(say.env(), "    generating " + CAST.length + " " + keySize.bits() + "-bit Paillier keys, the"
        + " ring-Pedersen parameters and the committee's key, " + threads + " at a time")) {
      Runnable tick = () -> p.detail(String.format(Locale.ROOT, "committee: safe primes %d/2%s; ring-Pedersen: %s; Paillier keys %d/%d",
          primes.get(), dealing != null ? ", dealt" : "", ringPedersen != null ? "done" : "searching", keys.get(), CAST.length));
      tick.run();
      CompletableFuture<RingPedersenParams.Generated> rp = timed(pool, "ringPedersenMillis",
          () -> RingPedersenParams.generate(ringPedersenSize(), new SecureRandom()), r -> {
            ringPedersen = r;
            tick.run();
          });
      CompletableFuture<BigInteger> sp = timed(pool, "safePrimePMillis", () -> SafePrimes.generate(half, new SecureRandom()), x -> {
        primes.incrementAndGet();
        tick.run();
      });
      CompletableFuture<BigInteger> sq = timed(pool, "safePrimeQMillis", () -> SafePrimes.generate(half, new SecureRandom()), x -> {
        primes.incrementAndGet();
        tick.run();
      });
      List<CompletableFuture<PaillierSecretKey>> paillier = new ArrayList<>();
      long[] paillierMillis = new long[CAST.length];
      for (int i = 0; i < CAST.length; i++) {
        int index = i;
        paillier.add(CompletableFuture.supplyAsync(() -> {
          long t = System.nanoTime();
          PaillierSecretKey k = new PaillierKeyGenerator(new SecureRandom()).generate(keySize);
          paillierMillis[index] = (System.nanoTime() - t) / 1_000_000;
          keys.incrementAndGet();
          tick.run();
          return k;
        }, pool));
      }
      CompletableFuture<ThresholdDealer.Dealing> dealt = sp.thenCombineAsync(sq, (a, b) -> {
        long t = System.nanoTime();
        ThresholdDealer.Dealing d = deal(a, b, regulator.accountId(), regulatorConn.channel());
        synchronized (keyTimings) {
          keyTimings.addProperty("dealMillis", (System.nanoTime() - t) / 1_000_000);
        }
        dealing = d;
        tick.run();
        return d;
      }, pool);
      try {
        CompletableFuture.allOf(paillier.toArray(new CompletableFuture<?>[0])).join();
        rp.join();
        dealt.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof Exception ex) {
          throw ex;
        }
        throw e;
      }
      paillier.forEach(f -> made.add(f.join()));
      long sum = 0;
      for (long m : paillierMillis) {
        sum += m;
      }
      millis = p.succeeded();
      synchronized (keyTimings) {
        keyTimings.addProperty("paillierKeys", CAST.length);
        keyTimings.addProperty("paillierMillisSum", sum);
        keyTimings.addProperty("wallMillis", millis);
        keyTimings.addProperty("threads", threads);
      }
    } finally {
      pool.shutdownNow();
    }
    CommitteeClient regulatorCommittee = committeeClient(regulator, regulatorConn);
    parties.put("regulator", new Party("regulator", Role.REGULATOR, Organisations.REGULATOR_ORG, regulator, regulatorConn,
        new AccountClient(regulator, regulatorConn, new SecureRandom()), new RecordClient(regulator, regulatorConn, new SecureRandom()),
        regulatorCommittee));
    for (int i = 0; i < CAST.length; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      AccountSecrets s = new AccountSecrets(Role.valueOf(CAST[i][1]), seed, made.get(i));
      LedgerConnection conn = backend.connect(CAST[i][2]);
      parties.put(CAST[i][0], new Party(CAST[i][0], s.role(), CAST[i][2], s, conn, new AccountClient(s, conn, new SecureRandom()),
          new RecordClient(s, conn, new SecureRandom()), committeeClient(s, conn)));
    }
    say.say(String.format(Locale.ROOT, "    %d key pairs, the regulator's %d-bit ring-Pedersen parameters and the committee's %d-bit"
        + " key in %.1f s", CAST.length, ringPedersenSize().bits(), keySize.bits(), millis / 1000.0));
    say.say(String.format(Locale.ROOT, "    the dealing: safe primes p and q (%d bits) found in %.1f s and %.1f s, then dealt in %.1f s:"
        + " n = pq, the secret exponent Shamir-shared %d-of-%d, one verification key per member, a proof that n is well formed",
        half, keyTimings.get("safePrimePMillis").getAsLong() / 1000.0, keyTimings.get("safePrimeQMillis").getAsLong() / 1000.0,
        keyTimings.get("dealMillis").getAsLong() / 1000.0, THRESHOLD, MEMBERS));
    say.say("    each member's key share stays with that member; the dealer forgets p, q and the polynomial (docs/protocol.md §10.5),"
        + " and the regulator account holds no Paillier secret at all");
    return millis;
  }

  private CommitteeClient committeeClient(AccountSecrets s, LedgerConnection conn) {
    return CommitteeClient.builder().secrets(s).ledger(conn).random(new SecureRandom()).clock(clock).build();
  }

  /** The dealing from the two safe primes, as {@link ThresholdDealer#deal} makes it (it refuses primes too close together). */
  private ThresholdDealer.Dealing deal(BigInteger p, BigInteger q, String regulatorAccount, String channel) {
    int half = keySize.bits() / 2;
    if (p.equals(q) || p.subtract(q).abs().bitLength() < half - 100) { // astronomically unlikely: search afresh
      return CommitteeClient.deal(keySize, THRESHOLD, MEMBERS, channel, regulatorAccount, new SecureRandom());
    }
    return CommitteeClient.dealFromSafePrimes(p, q, THRESHOLD, MEMBERS, channel, regulatorAccount, new SecureRandom());
  }

  private <T> CompletableFuture<T> timed(ExecutorService pool, String name, Supplier<T> work, java.util.function.Consumer<T> done) {
    return CompletableFuture.supplyAsync(() -> {
      long t = System.nanoTime();
      T x = work.get();
      synchronized (keyTimings) {
        keyTimings.addProperty(name, (System.nanoTime() - t) / 1_000_000);
      }
      done.accept(x);
      return x;
    }, pool);
  }

  void configure() throws Exception {
    say.heading("RegulatorOrg, the channel's administrator, sets which organisation registers which role, and the k of the statistics");
    LedgerConnection admin = backend.connect(Organisations.REGULATOR_ORG);
    try {
      String standard = Organisations.standardConfig(admin.channel(), admin.chaincode());
      // The standard configuration with the demo's k (its keys stay in order: statsMinContributions sorts last).
      new PublicLedger(admin).configure(standard.substring(0, standard.length() - 1) + ",\"statsMinContributions\":"
          + StatsStep.K + "}");
      say.say("    hospitals through HospitalOrg, the insurer through InsurerOrg, the regulator and its committee members through"
          + " RegulatorOrg; patients through any of them; statistics buckets open from k = " + StatsStep.K + " contributions"
          + " (the default is 10; lowered so that the demo stays quick)");
    } catch (LedgerCallException e) {
      if (!"ALREADY_CONFIGURED".equals(e.errorCode())) {
        throw e;
      }
      say.say("    (the channel was configured already)");
    }
  }

  /**
   * The regulator registers first, with the committee's public key and the dealer's key proof, and
   * publishes the channel's ring-Pedersen parameters; every other account then registers with its
   * key proof and its no-small-factor proof (Π^fac) against them; last, the regulator registers
   * the committee (its key, t and the members in share-index order). Returns the milliseconds it took.
   */
  long register() throws Exception {
    say.heading("The regulator registers with the committee's public key and the dealer's proof that it is well formed"
        + " (checked by the chaincode)");
    Party regulator = parties.get("regulator");
    long t = System.nanoTime();
    regulator.committee().registerRegulator(dealing);
    say.heading("The regulator publishes the channel's ring-Pedersen parameters (key registrations and consent grants are proven against them)");
    regulator.records().publishRingPedersen(ringPedersen.params().toBytes(), ringPedersen.proof().toBytes());
    say.say("    " + ringPedersenSize().bits() + "-bit N̂ with its proof; the factors were dropped after the set-up");
    say.heading("Every other account registers with a key proof and a proof that its key has no small factor");
    List<Party> all = new ArrayList<>(parties.values());
    all.remove(regulator);
    Parallel.run(Parallel.threads(all.size()), all.size(), i -> {
      all.get(i).client().register();
      return null;
    });
    all.add(0, regulator);
    for (Party p : all) {
      say.say(String.format("    %-12s %-16s %s  via %s", p.label(), p.role(), p.account(), p.org()));
    }
    say.say("    The ledger knows only these pseudonyms; the names are labels of this demo.");
    say.heading("The regulator registers the committee: its key, t = " + THRESHOLD + " and the five members in share-index order");
    CommitteeClient.Committee c = regulator.committee().registerCommittee(dealing.publicKey(),
        members().stream().map(Party::account).toList());
    say.say(String.format("    %d-of-%d, epoch %d; from now on issuing money and re-sharing are acts %d members sign, and a"
        + " payment's regulator copy opens only with %d members' decryption shares", c.publicKey().threshold(), c.members().size(),
        c.epoch(), THRESHOLD, THRESHOLD));
    return (System.nanoTime() - t) / 1_000_000;
  }

  /** The demo's N̂: 2048 bits with 2048-bit keys (about a second to set up), the 3072-bit default otherwise. */
  RingPedersenParams.Size ringPedersenSize() {
    return keySize == KeySize.BITS_2048 ? RingPedersenParams.Size.BITS_2048 : RingPedersenParams.Size.DEFAULT;
  }
}
