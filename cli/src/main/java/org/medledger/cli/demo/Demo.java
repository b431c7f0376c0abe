package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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

/**
 * The whole MedLedger story on one ledger (docs/cli.md §5): a 3-of-5 regulator committee is dealt
 * and issues money by an act three members sign, the insurer funds patients, patients pay
 * hospitals, a hospital writes a record, the patient grants the insurer, a claim is settled, the
 * patient revokes, the committee audits through a disclosure request, a member leaves by
 * re-sharing, the patients' visits over two months whose statistics the committee opens, and at each
 * point what each party can and cannot read. Every party is a real
 * client-sdk client holding its own secrets; every amount shown was decrypted by the party it is
 * shown for. {@link #run} returns the facts as JSON (the {@code --json} output and what the tests
 * check), after {@link Facts#check}.
 *
 * <p>The story is {@link #story}: one {@link #phase} per part, each timed into the facts'
 * {@code timings.phases}. A new part is a new phase there, with its facts under its own name and,
 * if it asserts anything, a check in {@link Facts}.
 */
public final class Demo {
  static final long ISSUED = 1_000_000;

  private final Backend backend;
  private final DemoClock clock;
  private final Path chart;
  private final KeySize keySize;
  private final Narrator say;
  private final Cast cast;
  private final Steps steps;
  private final JsonObject phases = new JsonObject();
  private final JsonObject phasesCpu = new JsonObject();
  private Committee committee;
  private final long start = System.nanoTime();

  /**
   * The story on {@code backend}. {@code clock} is the clock the embedded ledger's connections
   * stamp with, which the statistics step moves on so that months pass; null on a Fabric network,
   * whose time is real. {@code chart} is where the statistics chart goes.
   */
  public Demo(Env env, Backend backend, DemoClock clock, Path chart, KeySize keySize, SecureRandom random, boolean narrate) {
    this.backend = backend;
    this.clock = clock;
    this.chart = chart;
    this.keySize = keySize;
    this.say = new Narrator(env, narrate);
    this.cast = new Cast(backend, keySize, random, say, clock != null ? clock : Clock.systemUTC());
    this.steps = new Steps(say);
  }

  public JsonObject run() throws Exception {
    try {
      return story();
    } finally {
      if (committee != null) {
        committee.destroy();
      }
      cast.destroy();
    }
  }

  @FunctionalInterface
  private interface Part<T> {
    T run() throws Exception;
  }

  /**
   * Runs one part of the story and records its wall time under {@code name}, and the CPU time the
   * whole process spent meanwhile (every thread, the embedded ledger's included; -1 where the JVM
   * cannot tell): on a loaded machine the wall time says little, the CPU time what the part costs.
   */
  private <T> T phase(String name, Part<T> part) throws Exception {
    long t = System.nanoTime();
    long cpu = processCpuNanos();
    try {
      return part.run();
    } finally {
      phases.addProperty(name, (System.nanoTime() - t) / 1_000_000);
      phasesCpu.addProperty(name, cpu < 0 ? -1 : (processCpuNanos() - cpu) / 1_000_000);
    }
  }

  /** The CPU time of this process so far, or -1. */
  static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** The story, part by part; each part's facts go into the JSON. */
  private JsonObject story() throws Exception {
    say.say("MedLedger demo on the " + backend.describe());
    say.say("Paillier keys of " + keySize.bits() + " bits (about " + keySize.securityBits() + "-bit security)"
        + (keySize == KeySize.DEFAULT ? "." : "; 'medledger demo --bits 3072' uses the production default."));
    if (clock != null) {
      say.say("The embedded ledger's clock is the demo's: it starts at " + DemoClock.WHEN.format(clock.instant()) + ", two months"
          + " back, and runs on from there; the statistics step moves it on a month, then to the present, so that months pass.");
    }
    requireFreshChannel();
    phase("keys", cast::keys);
    committee = new Committee(cast, say, cast.dealing());
    phase("configure", () -> {
      cast.configure();
      return null;
    });
    phase("register", cast::register);
    Party regulator = cast.get("regulator");
    Party insurer = cast.get("insurer");
    Party stMary = cast.get("st-mary");
    Party cityClinic = cast.get("city-clinic");
    Party alice = cast.get("alice");
    Party bob = cast.get("bob");

    JsonObject issue = phase("issue", () -> committee.issue(steps, regulator, insurer, ISSUED));

    String alicePaysStMary = phase("payments", () -> {
      say.heading("The insurer funds the patients (confidential from here on: only ciphertexts and proofs on the ledger)");
      steps.transfer("fund", insurer, alice, 5_000);
      steps.transfer("fund", insurer, bob, 3_000);
      say.heading("Patients pay hospitals for their care");
      String tx = steps.transfer("pay", alice, stMary, 1_200);
      steps.transfer("pay", bob, cityClinic, 800);
      steps.transfer("pay", alice, cityClinic, 300);
      return tx;
    });

    JsonObject records = phase("records", () -> RecordsStep.run(say, steps, insurer, stMary, alice));
    JsonObject visibility = phase("visibility",
        () -> Visibility.run(say, backend, cast, committee, alicePaysStMary, records.get("claimId").getAsString()));
    JsonObject audit = phase("audit", () -> Audit.run(say, cast, committee, alicePaysStMary));
    JsonObject reshare = phase("reshare", () -> Reshare.run(say, cast, committee, records.get("claimTransferTx").getAsString()));
    JsonObject stats = phase("stats", () -> StatsStep.run(say, cast, committee, clock, chart));

    JsonObject balances = phase("conservation", () -> {
      JsonObject b = new JsonObject();
      long total = 0;
      for (Party p : cast.all()) {
        if (p.role() != Role.REGULATOR && p.role() != Role.COMMITTEE_MEMBER) {
          long x = p.client().balance();
          b.addProperty(p.label(), x);
          total += x;
        }
      }
      say.heading("Money is conserved");
      say.say("    The five balances, each decrypted by its owner, add up to " + Narrator.amount(total) + "; the committee issued "
          + Narrator.amount(ISSUED) + ".");
      return b;
    });

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
    JsonObject c = new JsonObject();
    c.addProperty("threshold", Cast.THRESHOLD);
    c.addProperty("members", Cast.MEMBERS);
    c.addProperty("bits", cast.dealing().publicKey().paillierKey().bits());
    c.add("issue", issue);
    out.add("committee", c);
    out.add("steps", steps.json());
    out.add("balances", balances);
    out.add("visibility", visibility);
    out.add("records", records);
    out.add("audit", audit);
    out.add("reshare", reshare);
    out.add("stats", stats);
    JsonObject timings = new JsonObject();
    timings.addProperty("keysMillis", phases.get("keys").getAsLong());
    timings.addProperty("registerMillis", phases.get("register").getAsLong());
    timings.addProperty("totalMillis", totalMillis);
    timings.add("phases", phases);
    timings.add("phasesCpu", phasesCpu);
    timings.add("keys", cast.keyTimings());
    long cpu = processCpuNanos();
    timings.addProperty("processCpuMillis", cpu < 0 ? -1 : cpu / 1_000_000); // since the JVM started
    timings.addProperty("processors", Runtime.getRuntime().availableProcessors());
    // The one-minute load average when the story ends, as text (the JSON output carries integers only).
    timings.addProperty("loadAverage", String.format(Locale.ROOT, "%.2f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    out.add("timings", timings);
    Facts.check(out);
    say.say("");
    StringBuilder parts = new StringBuilder();
    for (var e : phases.entrySet()) {
      parts.append(parts.length() == 0 ? "" : ", ").append(e.getKey())
          .append(String.format(Locale.ROOT, " %.1f", e.getValue().getAsLong() / 1000.0));
    }
    say.say(String.format(Locale.ROOT, "Done in %.1f s (%s s; CPU time of the process %.1f s on %d cores, load average %s);"
        + " the story's facts were checked.", totalMillis / 1000.0, parts, cpu / 1e9, Runtime.getRuntime().availableProcessors(),
        timings.get("loadAverage").getAsString()));
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
