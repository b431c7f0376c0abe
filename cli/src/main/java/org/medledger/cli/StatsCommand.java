package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medledger.cli.chart.TextTable;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.Disclosure;
import org.medledger.sdk.StatsBucket;
import org.medledger.sdk.StatsClient;
import org.medledger.sdk.StatsResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medledger stats}: encrypted statistics buckets, their opening by the committee, the results (docs/cli.md §4). */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Encrypted statistics: list the buckets the channel aggregates, have the committee open one, publish and show the results (tables, PNG charts).",
    subcommands = {StatsCommand.Buckets.class, StatsCommand.Open.class, StatsCommand.Publish.class, StatsCommand.Show.class})
final class StatsCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: buckets, open, publish or show");
  }

  /**
   * A bucket id as given ({@code yyyy-MM.KIND.account}), its account part a local name or an
   * account id; a malformed one is a usage error, before anything is unlocked or asked.
   */
  static String bucketId(Base cmd, String value) throws Exception {
    StatsProtocol.Bucket b;
    try {
      b = StatsProtocol.parse(value);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("<bucket> takes a bucket id, <yyyy-MM>.<KIND>.<account> with KIND one of ISSUE, FUND,"
          + " PAY, SETTLE, TRANSFER, CHANNEL, RECORDS (e.g. 2026-11.PAY.hosp), got '" + value + "'");
    }
    return new StatsProtocol.Bucket(b.month(), b.kind(), cmd.home().resolve(b.account())).id();
  }

  static YearMonth month(String value) throws CliException {
    try {
      if (value.matches("[0-9]{4}-[0-9]{2}")) {
        return YearMonth.parse(value);
      }
    } catch (DateTimeParseException e) {
      // below
    }
    throw CliException.usage("--month takes a calendar month yyyy-MM (UTC), got '" + value + "'");
  }

  /** A client for what anyone may do (read, fold, publish): no keystore, through RegulatorOrg's gateway. */
  static StatsClient anyone(Base cmd) throws CliException {
    return new StatsClient(AccountSecrets.signingOnly(Role.REGULATOR, cmd.root().random),
        cmd.backend().connect(Organisations.REGULATOR_ORG), cmd.root().random);
  }

  static String count(StatsBucket b) {
    return String.format("%,d", b.contributions()) + (b.countExact() ? "" : "+");
  }

  static JsonObject json(StatsBucket b, Map<String, String> names) {
    JsonObject o = new JsonObject();
    o.addProperty("bucketId", b.id());
    o.addProperty("month", StatsProtocol.monthText(b.month()));
    o.addProperty("kind", b.kind().name());
    o.addProperty("account", b.account());
    if (names.containsKey(b.account())) {
      o.addProperty("name", names.get(b.account()));
    }
    o.addProperty("state", b.state().name());
    o.addProperty("contributions", b.contributions());
    o.addProperty("countExact", b.countExact());
    o.addProperty("folded", b.folded());
    o.addProperty("minContributions", b.minContributions());
    o.addProperty("closesAt", b.closesAt().toString());
    o.addProperty("disclosureId", b.disclosureId().orElse(""));
    return o;
  }

  /** Lists buckets, one page at a time. */
  @Command(name = "buckets", mixinStandardHelpOptions = true,
      description = "List the buckets that hold a contribution: owner, kind, month, contributions, k, state; a page at a time.")
  static final class Buckets extends Base {
    @Option(names = "--month", paramLabel = "<yyyy-MM>", description = "Only this calendar month (UTC).")
    String month;

    @Option(names = "--page-size", paramLabel = "<n>", defaultValue = "50", description = "Buckets per page, 1.." + StatsClient.MAX_PAGE + " (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--bookmark", paramLabel = "<bookmark>", defaultValue = "", description = "Where the previous page ended (it prints the next bookmark).")
    String bookmark;

    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      YearMonth m = month == null ? null : month(month);
      if (pageSize < 1 || pageSize > StatsClient.MAX_PAGE) {
        throw CliException.usage("--page-size must be 1.." + StatsClient.MAX_PAGE + ", got " + pageSize);
      }
      if (bookmark.length() > 1024) {
        throw CliException.usage("--bookmark is too long to be a bookmark");
      }
      StatsClient.Page page = anyone(this).buckets(m, pageSize, bookmark);
      Map<String, String> names = localNames();
      JsonArray a = new JsonArray();
      TextTable t = new TextTable(List.of("bucket", "owner", "kind", "month", "contributions", "k", "state"), false, false,
          false, false, true, true, false);
      for (StatsBucket b : page.buckets()) {
        a.add(json(b, names));
        t.row(List.of(b.id(), names.getOrDefault(b.account(), b.account()), b.kind().name(),
            StatsProtocol.monthText(b.month()), count(b), Integer.toString(b.minContributions()), b.state().name()));
      }
      JsonObject o = new JsonObject();
      o.add("buckets", a);
      o.addProperty("bookmark", page.bookmark());
      String text = page.buckets().isEmpty() ? "No bucket" + (m == null ? "" : " of " + month) + (bookmark.isEmpty() ? "" : " after this bookmark")
          : t.render() + (page.bookmark().isEmpty() ? "" : "more: medledger stats buckets" + (m == null ? "" : " --month " + month)
              + " --page-size " + pageSize + " --bookmark " + page.bookmark() + "\n");
      emit(o, text);
    }
  }

  /** A committee member asks for a bucket's opening. */
  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Committee member: fold a closed bucket's contributions and request its opening, a PUBLIC committee"
          + " disclosure of its aggregate; t members then run 'medledger disclose share', and anyone 'medledger stats publish'.")
  static final class Open extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<member>", description = "The local committee member asking.")
    String name;

    @Option(names = "--reason", paramLabel = "<text>", description = "Why (1-500 characters, public on chain; default: 'statistics: <bucket>').")
    String reason;

    @Parameters(paramLabel = "<bucket>", description = "The bucket: <yyyy-MM>.<KIND>.<account>, the account a local name or an id.")
    String bucket;

    @Override
    void execute() throws Exception {
      String id = bucketId(this, bucket);
      String why = reason == null ? "statistics: " + id : reason;
      if (why.isEmpty() || why.length() > 500) {
        throw CliException.usage("--reason must be 1-500 characters");
      }
      Home.Local local = home().local(name);
      if (local.info().role() != Role.COMMITTEE_MEMBER) {
        throw CliException.local("WRONG_ROLE", "stats open is done by a committee_member account; '" + name + "' is "
            + anAccount(local.info().role()));
      }
      CommitteeClient.Committee c = DiscloseCommand.committee(this);
      if (c.indexOf(local.info().account()) == 0) {
        throw CliException.local("NOT_COMMITTEE_MEMBER", "'" + name + "' is not a member of the current committee (epoch "
            + c.epoch() + "); nothing was sent");
      }
      StatsBucket before = anyone(this).bucket(id);
      refuseForFree(before, root().clock.instant());
      Acting a = acting(name, null, Role.COMMITTEE_MEMBER, "stats open");
      StatsClient client = new StatsClient(a.secrets(), a.connection(), root().random);
      StatsBucket folded = client.foldAll(id);
      Disclosure d = client.requestOpening(id, why);
      Map<String, String> names = localNames();
      JsonObject o = DiscloseCommand.describe(d, names);
      o.addProperty("bucketId", id);
      o.addProperty("contributions", folded.contributions());
      o.addProperty("threshold", c.publicKey().threshold());
      emit(o, "Requested the opening of " + id + " (" + String.format("%,d", folded.contributions())
          + " contributions, folded): PUBLIC disclosure " + d.id() + "\n"
          + "  next: " + c.publicKey().threshold() + " committee members each run 'medledger disclose share --account <member> "
          + d.id() + "',\n"
          + "  then anyone runs 'medledger stats publish " + id + "' and 'medledger stats show " + id + "'");
    }

    /**
     * What the ledger would refuse, refused from its public state before the keystore is unlocked
     * (exit 3, its code). Whether the month is over is judged by this run's clock, which stamps the
     * transactions it sends.
     */
    private static void refuseForFree(StatsBucket b, java.time.Instant now) throws CliException {
      String state = " (state " + b.state() + "); nothing was sent";
      if (now.isBefore(b.closesAt())) {
        throw new CliException(ExitCode.REFUSED, "STATS_NOT_CLOSED", b.id() + " is still collecting: its month is over at "
            + b.closesAt() + state);
      }
      switch (b.state()) {
        case OPENING, OPENED -> throw new CliException(ExitCode.REFUSED, "STATS_ALREADY_OPENED", b.id() + " has been"
            + " opened already (disclosure " + b.disclosureId().orElse("?") + "); a bucket is opened once" + state);
        default -> {
          if (b.contributions() == 0 && b.folded() == 0) {
            throw new CliException(ExitCode.REFUSED, "UNKNOWN_TARGET", b.id() + " holds no contribution" + state);
          }
          if (b.countExact() && !b.reachesK()) {
            throw new CliException(ExitCode.REFUSED, "STATS_BELOW_K", b.id() + " holds " + b.contributions()
                + " contribution(s), fewer than the channel's k = " + b.minContributions() + state);
          }
        }
      }
    }
  }

  /** Anyone: stores the result of a bucket the committee has opened. */
  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Store the result of a bucket whose disclosure t committee members have opened (anyone may; nothing secret).")
  static final class Publish extends Base {
    @Parameters(paramLabel = "<bucket>", description = "The bucket: <yyyy-MM>.<KIND>.<account>.")
    String bucket;

    @Override
    void execute() throws Exception {
      String id = bucketId(this, bucket);
      StatsResult r = anyone(this).publish(id);
      StatsReport report = StatsReport.of(List.of(r), localNames());
      JsonObject o = report.json().get(0).getAsJsonObject();
      emit(o, "Published the result of " + id + ": " + String.format("%,d", r.count()) + " contributions, total "
          + String.format("%,d", r.total()) + " (tx " + r.txId() + ")");
    }
  }

  /** Shows opened results as tables, and a chart. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show the published results of opened buckets (one bucket, one month or all) as tables; --png writes a chart.")
  static final class Show extends Base {
    @Parameters(paramLabel = "<bucket>", arity = "0..1", description = "One bucket (default: every opened bucket).")
    String bucket;

    @Option(names = "--month", paramLabel = "<yyyy-MM>", description = "Every opened bucket of this month (UTC).")
    String month;

    @Option(names = "--png", paramLabel = "<file>", description = "Also write a bar chart to this PNG file.")
    Path png;

    @Option(names = "--chart", paramLabel = "<chart>", description = "Which chart --png draws: ${COMPLETION-CANDIDATES}"
        + " (default: visits when every bucket shown is a RECORDS bucket, else totals).")
    StatsReport.Chart chart;

    @Option(names = "--width", paramLabel = "<px>", defaultValue = "1200", description = "Chart width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "<px>", defaultValue = "700", description = "Chart height (default: ${DEFAULT-VALUE}).")
    int height;

    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      if (bucket != null && month != null) {
        throw CliException.usage("give a <bucket> or --month, not both");
      }
      if ((chart != null || width != 1200 || height != 700) && png == null) {
        throw CliException.usage("--chart, --width and --height go with --png");
      }
      if (png != null && (width < 480 || width > 8000 || height < 320 || height > 8000)) {
        throw CliException.usage("a chart is 480..8000 × 320..8000 pixels, got " + width + " × " + height);
      }
      String id = bucket == null ? null : bucketId(this, bucket);
      YearMonth m = month == null ? null : month(month);
      StatsClient client = anyone(this);
      List<StatsResult> results = new ArrayList<>();
      List<String> waiting = new ArrayList<>();
      if (id != null) {
        StatsBucket b = client.bucket(id);
        if (b.result().isEmpty()) {
          throw CliException.local("NOT_OPENED", id + " has no published result (state " + b.state() + ")"
              + (b.state() == StatsProtocol.State.OPENING ? "; once t members have shared, 'medledger stats publish " + id + "'"
                  : "; a committee member opens it with 'medledger stats open'"));
        }
        results.add(b.result().get());
      } else {
        for (StatsBucket b : client.buckets(m)) {
          b.result().ifPresent(results::add);
          if (b.state() == StatsProtocol.State.OPENING) {
            waiting.add(b.id());
          }
        }
      }
      StatsReport report = StatsReport.of(results, localNames());
      JsonObject o = new JsonObject();
      o.add("results", report.json());
      JsonArray w = new JsonArray();
      waiting.forEach(w::add);
      o.add("opening", w);
      StringBuilder text = new StringBuilder(report.text());
      if (!waiting.isEmpty()) {
        text.append("\nBeing opened (t members share, then 'medledger stats publish <bucket>'): ")
            .append(String.join(", ", waiting)).append('\n');
      }
      if (png != null) {
        if (report.isEmpty()) {
          throw CliException.local("NOT_OPENED", "no opened bucket to draw" + (m == null ? "" : " in " + month) + "; nothing was written");
        }
        StatsReport.Chart which = chart != null ? chart : report.defaultChart();
        report.writePng(which, png, width, height);
        o.addProperty("png", png.toString());
        o.addProperty("chart", which.name());
        text.append("\nWrote the ").append(which.name().toLowerCase(java.util.Locale.ROOT)).append(" chart to ").append(png)
            .append('\n');
      }
      emit(o, text.toString());
    }
  }
}
