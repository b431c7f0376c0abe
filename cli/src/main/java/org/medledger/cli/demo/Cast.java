package org.medledger.cli.demo;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medledger.cli.Backend;
import org.medledger.cli.Organisations;
import org.medledger.cli.Progress;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.RecordClient;

/**
 * The story's parties and the channel's set-up: each party makes its own keys (in parallel with
 * the regulator's ring-Pedersen parameters), RegulatorOrg configures the channel, and every
 * account registers with its proofs.
 */
final class Cast {
  private static final String[][] CAST = {
    {"regulator", "REGULATOR", Organisations.REGULATOR_ORG},
    {"insurer", "INSURER", Organisations.INSURER_ORG},
    {"st-mary", "HOSPITAL", Organisations.HOSPITAL_ORG},
    {"city-clinic", "HOSPITAL", Organisations.HOSPITAL_ORG},
    {"alice", "PATIENT", Organisations.HOSPITAL_ORG},
    {"bob", "PATIENT", Organisations.HOSPITAL_ORG},
  };

  private final Backend backend;
  private final KeySize keySize;
  private final SecureRandom random;
  private final Narrator say;
  private final Map<String, Party> parties = new LinkedHashMap<>();
  private RingPedersenParams.Generated ringPedersen;

  Cast(Backend backend, KeySize keySize, SecureRandom random, Narrator say) {
    this.backend = backend;
    this.keySize = keySize;
    this.random = random;
    this.say = say;
  }

  Party get(String label) {
    return parties.get(label);
  }

  Collection<Party> all() {
    return parties.values();
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

  void destroy() {
    parties.values().forEach(p -> p.secrets().destroy());
  }

  /** Every party's keys, generated in parallel; returns the milliseconds it took. */
  long keys() throws Exception {
    say.heading("Each party makes its own keys: an Ed25519 signing key and a Paillier key; secrets never leave its client");
    int threads = Parallel.threads(CAST.length);
    List<Object> made;
    long millis;
    // The regulator's ring-Pedersen set-up (two safe primes) runs alongside the Paillier keys.
    try (Progress p = Progress.start(say.env(), "    generating " + CAST.length + " " + keySize.bits() + "-bit Paillier keys and the"
        + " ring-Pedersen parameters, " + threads + " at a time")) {
      made = Parallel.run(threads, CAST.length + 1, i -> i == CAST.length
          ? RingPedersenParams.generate(ringPedersenSize(), new SecureRandom())
          : new PaillierKeyGenerator(new SecureRandom()).generate(keySize));
      millis = p.succeeded();
    }
    ringPedersen = (RingPedersenParams.Generated) made.get(CAST.length);
    for (int i = 0; i < CAST.length; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      AccountSecrets s = new AccountSecrets(Role.valueOf(CAST[i][1]), seed, (PaillierSecretKey) made.get(i));
      LedgerConnection conn = backend.connect(CAST[i][2]);
      parties.put(CAST[i][0], new Party(CAST[i][0], s.role(), CAST[i][2], s, new AccountClient(s, conn, new SecureRandom()),
          new RecordClient(s, conn, new SecureRandom())));
    }
    say.say(String.format(Locale.ROOT, "    %d key pairs, and the regulator's %d-bit ring-Pedersen parameters, in %.1f s",
        CAST.length, ringPedersenSize().bits(), millis / 1000.0));
    return millis;
  }

  void configure() throws Exception {
    say.heading("RegulatorOrg, the channel's administrator, sets which organisation registers which role");
    LedgerConnection admin = backend.connect(Organisations.REGULATOR_ORG);
    try {
      new PublicLedger(admin).configure(Organisations.standardConfig(admin.channel(), admin.chaincode()));
      say.say("    hospitals through HospitalOrg, the insurer through InsurerOrg, the regulator through RegulatorOrg;"
          + " patients through any of them");
    } catch (LedgerCallException e) {
      if (!"ALREADY_CONFIGURED".equals(e.errorCode())) {
        throw e;
      }
      say.say("    (the channel was configured already)");
    }
  }

  /**
   * The regulator registers first and publishes the channel's ring-Pedersen parameters; every other
   * account then registers with its key proof and its no-small-factor proof (Π^fac) against them.
   * Returns the milliseconds it took.
   */
  long register() throws Exception {
    say.heading("The regulator registers with a proof that its Paillier key is well formed (checked by the chaincode)");
    Party regulator = parties.get("regulator");
    long t = System.nanoTime();
    regulator.client().register();
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
    long millis = (System.nanoTime() - t) / 1_000_000;
    all.add(0, regulator);
    for (Party p : all) {
      say.say(String.format("    %-12s %-10s %s  via %s", p.label(), p.role(), p.account(), p.org()));
    }
    say.say("    The ledger knows only these pseudonyms; the names are labels of this demo.");
    return millis;
  }

  /** The demo's N̂: 2048 bits with 2048-bit keys (about a second to set up), the 3072-bit default otherwise. */
  RingPedersenParams.Size ringPedersenSize() {
    return keySize == KeySize.BITS_2048 ? RingPedersenParams.Size.BITS_2048 : RingPedersenParams.Size.DEFAULT;
  }
}
