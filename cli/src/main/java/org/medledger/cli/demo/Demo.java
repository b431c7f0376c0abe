package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.Locale;
import org.medledger.cli.Backend;
import org.medledger.cli.CliException;
import org.medledger.cli.Env;
import org.medledger.cli.Organisations;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.protocol.Role;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.Transfer;

/**
 * The whole MedLedger story on one ledger (docs/cli.md §5): the regulator issues, the insurer
 * funds patients, patients pay hospitals, a hospital writes a record, the patient grants the
 * insurer, a claim is settled, the patient revokes, the regulator audits, and at each point what
 * each party can and cannot read. Every party is a real client-sdk client holding its
 * own secrets; every amount shown was decrypted by the party it is shown for. {@link #run} returns
 * the facts as JSON (the {@code --json} output and what the tests check), after {@link Facts#check}.
 */
public final class Demo {
  static final long ISSUED = 1_000_000;

  private final Backend backend;
  private final KeySize keySize;
  private final Narrator say;
  private final Cast cast;
  private final Steps steps;
  private final long start = System.nanoTime();

  public Demo(Env env, Backend backend, KeySize keySize, SecureRandom random, boolean narrate) {
    this.backend = backend;
    this.keySize = keySize;
    this.say = new Narrator(env, narrate);
    this.cast = new Cast(backend, keySize, random, say);
    this.steps = new Steps(say);
  }

  public JsonObject run() throws Exception {
    try {
      return story();
    } finally {
      cast.destroy();
    }
  }

  /** The story, step by step; each step's facts go into the JSON. */
  private JsonObject story() throws Exception {
    say.say("MedLedger demo on the " + backend.describe());
    say.say("Paillier keys of " + keySize.bits() + " bits (about " + keySize.securityBits() + "-bit security)"
        + (keySize == KeySize.DEFAULT ? "." : "; 'medledger demo --bits 3072' uses the production default."));
    requireFreshChannel();
    long keysMillis = cast.keys();
    cast.configure();
    long registerMillis = cast.register();
    Party regulator = cast.get("regulator");
    Party insurer = cast.get("insurer");
    Party stMary = cast.get("st-mary");
    Party cityClinic = cast.get("city-clinic");
    Party alice = cast.get("alice");
    Party bob = cast.get("bob");

    say.heading("The regulator issues " + Narrator.amount(ISSUED) + " to the insurer (issues are public: the amount is on the ledger)");
    Transfer issue = regulator.client().issue(insurer.account(), ISSUED);
    steps.add("issue", regulator.label(), insurer.label(), ISSUED, issue.txId(), 0);

    say.heading("The insurer funds the patients (confidential from here on: only ciphertexts and proofs on the ledger)");
    steps.transfer("fund", insurer, alice, 5_000);
    steps.transfer("fund", insurer, bob, 3_000);

    say.heading("Patients pay hospitals for their care");
    String alicePaysStMary = steps.transfer("pay", alice, stMary, 1_200);
    steps.transfer("pay", bob, cityClinic, 800);
    steps.transfer("pay", alice, cityClinic, 300);

    JsonObject records = RecordsStep.run(say, steps, insurer, stMary, alice);

    JsonObject visibility = Visibility.run(say, backend, cast, alicePaysStMary, records.get("claimId").getAsString());
    JsonObject audit = Audit.run(say, cast, regulator);

    JsonObject balances = new JsonObject();
    long total = 0;
    for (Party p : cast.all()) {
      if (p.role() != Role.REGULATOR) {
        long b = p.client().balance();
        balances.addProperty(p.label(), b);
        total += b;
      }
    }
    say.heading("Money is conserved");
    say.say("    The five balances, each decrypted by its owner, add up to " + Narrator.amount(total) + "; the regulator issued "
        + Narrator.amount(ISSUED) + ".");

    long totalMillis = (System.nanoTime() - start) / 1_000_000;

    JsonObject out = new JsonObject();
    out.addProperty("ledger", backend.describe());
    out.addProperty("paillierBits", keySize.bits());
    JsonArray accounts = new JsonArray();
    for (Party p : cast.all()) {
      JsonObject a = new JsonObject();
      a.addProperty("label", p.label());
      a.addProperty("role", p.role().name());
      a.addProperty("account", p.account());
      a.addProperty("organisation", p.org());
      accounts.add(a);
    }
    out.add("accounts", accounts);
    out.add("steps", steps.json());
    out.add("balances", balances);
    out.add("visibility", visibility);
    out.add("records", records);
    out.add("audit", audit);
    JsonObject timings = new JsonObject();
    timings.addProperty("keysMillis", keysMillis);
    timings.addProperty("registerMillis", registerMillis);
    timings.addProperty("totalMillis", totalMillis);
    out.add("timings", timings);
    Facts.check(out);
    say.say("");
    say.say(String.format(Locale.ROOT, "Done in %.1f s (keys %.1f s, registration %.1f s); the story's facts were checked.",
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
}
