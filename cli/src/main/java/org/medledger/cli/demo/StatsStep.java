package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.medledger.cli.CliException;
import org.medledger.cli.StatsReport;
import org.medledger.cli.chart.TextTable;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.protocol.StatsProtocol;
import org.medledger.sdk.Disclosure;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.StatsBucket;
import org.medledger.sdk.StatsClient;
import org.medledger.sdk.StatsResult;
import org.medledger.sdk.StatsVisit;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * Encrypted statistics (docs/chaincode.md §11): the patients visit the two hospitals over two
 * months; every record the hospitals write carries a statistical contribution (ICD-10 chapter, age
 * band, fee, under the committee key, proven), and every payment adds its amount into the payee's
 * bucket. A member's request to open a bucket of the running month is refused (STATS_NOT_CLOSED).
 * On the embedded ledger the demo's clock then moves on to the present, so the second month is
 * over: the committee folds and opens last month's buckets that hold k contributions (a request,
 * t shares each verified on chain, publish), refuses the one that holds fewer (STATS_BELOW_K),
 * prints the table and writes the chart. On a Fabric network no month can be made to pass: the
 * buckets are listed with their counts and the opening stays refused until the month is over.
 */
final class StatsStep {
  /**
   * The demo's k (the channel configuration's {@code statsMinContributions}; the default is 10): low
   * so that the demo stays quick, since each visit's contribution costs about a second of CPU to
   * prove and verify and each payment more.
   */
  static final int K = 3;

  /** One visit: the hospital writes its record (with a contribution); if {@code paid}, the patient pays the fee. */
  private record Visit(String hospital, String patient, IcdChapter chapter, int age, long fee, boolean paid) {}

  /** The first month's visits: city-clinic's, which bob and alice paid in the story (800 and 300). */
  private static final List<Visit> FIRST = List.of(
      new Visit("city-clinic", "bob", IcdChapter.X, 34, 800, false),
      new Visit("city-clinic", "alice", IcdChapter.XIII, 57, 300, false));
  /** The second month's: three at st-mary and two at city-clinic, each paid. */
  private static final List<Visit> SECOND = List.of(
      new Visit("st-mary", "alice", IcdChapter.IX, 57, 450, true),
      new Visit("st-mary", "bob", IcdChapter.X, 34, 300, true),
      new Visit("st-mary", "alice", IcdChapter.IX, 57, 200, true),
      new Visit("city-clinic", "bob", IcdChapter.XIX, 34, 250, true),
      new Visit("city-clinic", "alice", IcdChapter.XIII, 57, 150, true));
  private static final List<String> SHARERS = List.of("member-1", "member-2", "member-4");
  private static final String REQUESTER = "member-3";

  private final Narrator say;
  private final Cast cast;
  private final Committee committee;
  private final DemoClock clock;
  private final Path chart;
  private final SyntheticRecords synthetic = new SyntheticRecords(2027);
  private final JsonArray visits = new JsonArray();
  private final JsonArray payments = new JsonArray();

  private StatsStep(Narrator say, Cast cast, Committee committee, DemoClock clock, Path chart) {
    this.say = say;
    this.cast = cast;
    this.committee = committee;
    this.clock = clock;
    this.chart = chart;
  }

  /**
   * Runs the step; {@code clock} is the embedded ledger's (null on a Fabric network: real time),
   * {@code chart} where the chart goes. Returns the facts ({@code stats}).
   */
  static JsonObject run(Narrator say, Cast cast, Committee committee, DemoClock clock, Path chart) throws Exception {
    return new StatsStep(say, cast, committee, clock, chart).run();
  }

  private JsonObject run() throws Exception {
    Party requester = cast.get(REQUESTER);
    StatsClient stats = new StatsClient(requester.secrets(), requester.connection(), new SecureRandom());
    YearMonth first = month(requester);
    say.heading("Encrypted statistics: the chaincode adds every payment's amount and every visit's statistical contribution,"
        + " under the committee's key, into buckets (institution, kind, calendar month); the committee opens only whole"
        + " buckets, of a month that is over, holding at least k contributions");
    say.say("    This demo configured k = " + K + " (statsMinContributions in the channel configuration; the default is 10) so that"
        + " it stays quick: a visit's contribution takes about a second of CPU to prove and verify.");
    say.say("    " + StatsProtocol.monthText(first) + ": city-clinic writes up the two visits bob and alice paid above; each record"
        + " carries a contribution (ICD-10 chapter, age band, fee) encrypted under the committee key, with a proof that the"
        + " chapter and band are one-hot and the fee in range, which the chaincode checks");
    visit(FIRST);

    if (clock != null) {
      clock.advanceTo(DemoClock.firstOf(first.plusMonths(1)).plusSeconds(9 * 3600));
      say.heading("The demo's clock moves on to " + DemoClock.WHEN.format(clock.instant()) + ": the patients visit both hospitals again"
          + " and pay for each visit");
    } else {
      say.heading("The patients visit both hospitals again and pay for each visit (on a Fabric network the ledger's time is"
          + " real time: the demo cannot make a month pass, so these visits fall in " + StatsProtocol.monthText(month(requester))
          + " too)");
    }
    visit(SECOND);
    YearMonth second = month(requester);

    Party stMary = cast.get("st-mary");
    Party cityClinic = cast.get("city-clinic");
    String recordsStMary = StatsClient.bucketId(stMary.account(), StatsProtocol.Kind.RECORDS, second);
    String payStMary = StatsClient.bucketId(stMary.account(), StatsProtocol.Kind.PAY, second);
    String recordsCity = StatsClient.bucketId(cityClinic.account(), StatsProtocol.Kind.RECORDS, second);

    JsonObject running = new JsonObject();
    running.addProperty("bucketId", recordsStMary);
    running.addProperty("code", Committee.refusal(() -> stats.requestOpening(recordsStMary, reason(recordsStMary))));
    say.heading(REQUESTER + " asks to open st-mary's RECORDS bucket of " + StatsProtocol.monthText(second) + " while the month"
        + " runs: refused, " + running.get("code").getAsString());
    say.say("    The buckets and their counts (anyone may list them; the amounts stay ciphertexts):");
    JsonArray buckets = list(stats, new TreeSet<>(List.of(first, second)));

    JsonObject out = new JsonObject();
    // The ledger's k, as the buckets report it (the demo configured K; a channel configured before keeps its own).
    out.addProperty("k", buckets.isEmpty() ? K : buckets.get(0).getAsJsonObject().get("minContributions").getAsInt());
    out.addProperty("clock", clock != null ? "demo" : "real");
    out.addProperty("monthsPassed", clock != null);
    out.addProperty("storyMonth", StatsProtocol.monthText(first));
    out.addProperty("lastMonth", StatsProtocol.monthText(second));
    out.add("visits", visits);
    out.add("payments", payments);
    out.add("runningMonth", running);
    out.add("buckets", buckets);
    JsonArray opened = new JsonArray();
    out.add("opened", opened);
    if (clock == null) {
      say.say("    On a network the committee opens " + StatsProtocol.monthText(second) + "'s buckets once the month is over:"
          + " 'medledger stats open', 'disclose share', 'stats publish' and 'stats show --png' (docs/cli.md §4).");
      out.addProperty("chart", "");
      return out;
    }

    clock.advanceTo(clock.underlying());
    say.heading("The demo's clock moves on to the present, " + DemoClock.WHEN.format(clock.instant()) + ": "
        + StatsProtocol.monthText(second) + " is over, and the committee opens last month's buckets");
    List<StatsResult> results = new ArrayList<>();
    for (String id : List.of(recordsStMary, payStMary)) {
      opened.add(open(stats, id, results));
    }
    StatsBucket small = stats.foldAll(recordsCity);
    JsonObject belowK = new JsonObject();
    belowK.addProperty("bucketId", recordsCity);
    belowK.addProperty("month", StatsProtocol.monthText(second));
    belowK.addProperty("owner", cityClinic.label());
    belowK.addProperty("kind", StatsProtocol.Kind.RECORDS.name());
    belowK.addProperty("contributions", small.contributions());
    belowK.addProperty("code", Committee.refusal(() -> stats.requestOpening(recordsCity, reason(recordsCity))));
    out.add("belowK", belowK);
    say.say("    city-clinic's RECORDS bucket of " + StatsProtocol.monthText(second) + " holds " + small.contributions()
        + " contributions, fewer than k = " + out.get("k").getAsInt() + ": " + REQUESTER + "'s request is refused, "
        + belowK.get("code").getAsString()
        + " (nothing written)");

    StatsReport report = StatsReport.of(results, names());
    say.say("");
    report.text().lines().forEach(l -> say.say("    " + l));
    out.addProperty("chart", writeChart(report).toString());
    say.say("    Wrote the chart of the visits per ICD-10 chapter to " + chart);
    return out;
  }

  /** The month (UTC) of a transaction {@code p} would send now, as the SDK dates a contribution. */
  private static YearMonth month(Party p) {
    return StatsProtocol.month(p.connection().queryTime());
  }

  private static String reason(String bucketId) {
    return "monthly statistics: " + bucketId;
  }

  private Map<String, String> names() {
    Map<String, String> names = new LinkedHashMap<>();
    for (Party p : cast.all()) {
      names.put(p.account(), p.label());
    }
    return names;
  }

  /**
   * The hospitals write {@code list}'s records, each with its contribution (the two hospitals in
   * parallel), then the patients pay the visits marked paid (the two patients in parallel).
   */
  private void visit(List<Visit> list) throws Exception {
    List<String> hospitals = list.stream().map(Visit::hospital).distinct().toList();
    List<List<JsonObject>> written = Parallel.run(Parallel.threads(hospitals.size()), hospitals.size(), i -> {
      List<JsonObject> done = new ArrayList<>();
      for (Visit v : list) {
        if (v.hospital().equals(hospitals.get(i))) {
          done.add(write(v));
        }
      }
      return done;
    });
    for (List<JsonObject> w : written) {
      for (JsonObject o : w) {
        visits.add(o);
        say.say(String.format(Locale.ROOT, "    %-11s writes %-7s visit: chapter %-5s age band %-5s fee %6s   record %s  (%.2f s)",
            o.get("hospital").getAsString(), o.get("patient").getAsString() + "'s", o.get("chapter").getAsString(),
            o.get("ageBand").getAsString(), Narrator.amount(o.get("fee").getAsLong()), shorten(o.get("recordId").getAsString()),
            o.get("millis").getAsLong() / 1000.0));
      }
    }
    List<String> payers = list.stream().filter(Visit::paid).map(Visit::patient).distinct().toList();
    List<List<JsonObject>> paid = Parallel.run(Parallel.threads(Math.max(1, payers.size())), payers.size(), i -> {
      List<JsonObject> done = new ArrayList<>();
      for (Visit v : list) {
        if (v.paid() && v.patient().equals(payers.get(i))) {
          done.add(pay(v));
        }
      }
      return done;
    });
    for (List<JsonObject> p : paid) {
      for (JsonObject o : p) {
        payments.add(o);
        say.say(String.format(Locale.ROOT, "    pay    %-11s -> %-11s %10s   tx %s  (into %s's PAY bucket)", o.get("from").getAsString(),
            o.get("to").getAsString(), Narrator.amount(o.get("amount").getAsLong()), o.get("txId").getAsString().substring(0, 12),
            o.get("to").getAsString()));
      }
    }
  }

  private JsonObject write(Visit v) throws Exception {
    Party hospital = cast.get(v.hospital());
    Party patient = cast.get(v.patient());
    MedicalRecord r;
    synchronized (synthetic) {
      r = synthetic.next();
    }
    MedicalRecord record = new MedicalRecord(r.name(), r.idNumber(), r.phone(), r.email(), r.address(), v.fee(), r.prescription());
    StatsVisit visit = StatsVisit.of(v.chapter(), v.age(), v.fee());
    YearMonth month = month(hospital);
    long t = System.nanoTime();
    StatsClient.Contributed c = hospital.records().write(patient.account(), "visit", record, visit);
    long millis = (System.nanoTime() - t) / 1_000_000;
    JsonObject o = new JsonObject();
    o.addProperty("month", StatsProtocol.monthText(month));
    o.addProperty("hospital", v.hospital());
    o.addProperty("patient", v.patient());
    o.addProperty("chapter", v.chapter().numeral());
    o.addProperty("ageBand", visit.band().label());
    o.addProperty("fee", v.fee());
    o.addProperty("recordId", c.written().recordId());
    o.addProperty("txId", c.written().txId());
    o.addProperty("millis", millis);
    return o;
  }

  private JsonObject pay(Visit v) throws Exception {
    Party from = cast.get(v.patient());
    Party to = cast.get(v.hospital());
    YearMonth month = month(from);
    String tx = from.client().pay(to.account(), v.fee()).txId();
    JsonObject o = new JsonObject();
    o.addProperty("month", StatsProtocol.monthText(month));
    o.addProperty("from", v.patient());
    o.addProperty("to", v.hospital());
    o.addProperty("amount", v.fee());
    o.addProperty("txId", tx);
    return o;
  }

  /** Lists the buckets of {@code months}, prints them and returns them as facts. */
  private JsonArray list(StatsClient stats, TreeSet<YearMonth> months) throws Exception {
    JsonArray a = new JsonArray();
    TextTable t = new TextTable(List.of("month", "owner", "kind", "contributions", "k", "state"), false, false, false, true, true,
        false);
    for (YearMonth m : months) {
      for (StatsBucket b : stats.buckets(m)) {
        String owner = cast.labelOf(b.account());
        t.row(List.of(StatsProtocol.monthText(b.month()), owner, b.kind().name(), String.format(Locale.ROOT, "%,d", b.contributions())
            + (b.countExact() ? "" : "+"), Integer.toString(b.minContributions()), b.state().name()));
        JsonObject o = new JsonObject();
        o.addProperty("bucketId", b.id());
        o.addProperty("month", StatsProtocol.monthText(b.month()));
        o.addProperty("owner", owner);
        o.addProperty("kind", b.kind().name());
        o.addProperty("contributions", b.contributions());
        o.addProperty("minContributions", b.minContributions());
        o.addProperty("state", b.state().name());
        a.add(o);
      }
    }
    t.render().lines().forEach(l -> say.say("      " + l));
    return a;
  }

  /**
   * Opens bucket {@code id}: folds it (anyone may), {@value #REQUESTER} requests the PUBLIC
   * disclosure of its aggregate (this seals it), three current members share (each share verified
   * on chain; the third decrypts), and the result is published (added to {@code results}). Returns the facts.
   */
  private JsonObject open(StatsClient stats, String id, List<StatsResult> results) throws Exception {
    StatsBucket folded = stats.foldAll(id);
    Disclosure d = stats.requestOpening(id, reason(id));
    JsonArray statuses = new JsonArray();
    JsonArray sharedBy = new JsonArray();
    for (String label : SHARERS) {
      Disclosure after = cast.get(label).committee().share(d.id(), committee.share(label));
      statuses.add(after.status());
      sharedBy.add(label);
    }
    StatsResult r = stats.publish(id);
    results.add(r);
    StatsProtocol.Bucket b = StatsProtocol.parse(id);
    JsonObject o = new JsonObject();
    o.addProperty("bucketId", id);
    o.addProperty("month", b.monthText());
    o.addProperty("owner", cast.labelOf(b.account()));
    o.addProperty("kind", b.kind().name());
    o.addProperty("folded", folded.folded());
    o.addProperty("disclosureId", d.id());
    o.addProperty("requester", REQUESTER);
    o.add("sharedBy", sharedBy);
    o.add("statusAfterEachShare", statuses);
    o.addProperty("count", r.count());
    o.addProperty("total", r.total().longValueExact());
    r.tally().ifPresent(tally -> {
      JsonObject chapters = new JsonObject();
      for (IcdChapter c : IcdChapter.values()) {
        if (tally.count(c) != 0) {
          chapters.addProperty(c.numeral(), tally.count(c));
        }
      }
      o.add("chapters", chapters);
      JsonObject bands = new JsonObject();
      for (AgeBand band : AgeBand.values()) {
        if (tally.count(band) != 0) {
          bands.addProperty(band.label(), tally.count(band));
        }
      }
      o.add("ageBands", bands);
    });
    say.say(String.format(Locale.ROOT, "    %s's %s bucket: %d contributions folded; %s requests its opening (PUBLIC, sealed);"
        + " %s share, each verified on chain (%s); published: count %d, total %s", o.get("owner").getAsString(), b.kind().name(),
        folded.folded(), REQUESTER, String.join(", ", SHARERS), String.join(" → ", strings(statuses)), r.count(),
        Narrator.amount(r.total().longValueExact())));
    return o;
  }

  private static String shorten(String id) {
    return id.length() <= 20 ? id : id.substring(0, 20) + "…";
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.getAsString()));
    return out;
  }

  /** Writes the visits chart of {@code report} to {@link #chart} (DemoCommand made its directory). */
  private Path writeChart(StatsReport report) throws CliException {
    report.writePng(StatsReport.Chart.VISITS, chart, 1200, 700);
    return chart;
  }
}
