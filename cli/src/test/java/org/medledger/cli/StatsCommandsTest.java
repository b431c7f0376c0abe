package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.protocol.Role;

/**
 * Encrypted statistics through the CLI on a persisted embedded ledger (docs/cli.md §4 stats), each
 * command a fresh run, the ledger's clock moved from October into November: payments and records
 * with contributions fill October's buckets; a bucket is refused while its month runs, below k,
 * and a second time, with the ledger's codes and nothing written; a 2-of-3 committee opens two
 * buckets through 'stats open' and 'disclose share'; 'stats show' prints the sums and writes the
 * charts.
 */
class StatsCommandsTest {
  @TempDir
  Path dir;

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      now = now.plusMillis(1);
      return now;
    }
  }

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  /** Every file of the ledger directory (but its lock) with its bytes' hash: "nothing was written" if unchanged. */
  private Map<String, Integer> ledgerFiles() throws IOException {
    Map<String, Integer> m = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir.resolve("ledger"))) {
      for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("ledger.lock")).toList()) {
        m.put(dir.resolve("ledger").relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return m;
  }

  private String refused(CliRunner cli, String code, String... args) throws IOException {
    Map<String, Integer> before = ledgerFiles();
    String line = ErrorMessagesTest.fails(cli.run(args), 3, code);
    assertEquals(before, ledgerFiles(), "nothing written by a refused " + String.join(" ", args));
    return line;
  }

  private static JsonObject result(JsonObject show, String bucketId) {
    for (JsonElement e : show.getAsJsonArray("results")) {
      if (e.getAsJsonObject().get("bucketId").getAsString().equals(bucketId)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError(bucketId + " not in " + show);
  }

  @Test
  void contributionsCloseOpenShareAndShowWithTheRefusals() throws Exception {
    CliRunner cli = new CliRunner(dir);
    MovableClock clock = new MovableClock(Instant.parse("2026-10-10T09:00:00Z"));
    cli.clock = clock;
    for (int i = 1; i <= 3; i++) {
      cli.keystore("m" + i, Role.COMMITTEE_MEMBER, i % 2 == 0 ? TestKeys.key2048a() : TestKeys.key2048b());
    }
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    String hosp = cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    cli.keystore("bob", Role.PATIENT, TestKeys.key2048c());
    Path config = dir.resolve("config.json");
    String standard = Organisations.standardConfig(Organisations.CHANNEL, Organisations.CHAINCODE);
    Files.writeString(config, standard.substring(0, standard.length() - 1) + ",\"statsMinContributions\":2}");
    Path params = dir.resolve("rp-params.bin");
    Path proof = dir.resolve("rp-proof.bin");
    Files.write(params, TestRingPedersen.paramsBytes(2048));
    Files.write(proof, TestRingPedersen.proofBytes(2048));
    ok(cli.run("configure", "--config", config.toString()));
    ok(cli.run("committee", "deal", "-t", "2", "--members", "m1,m2,m3", "--rp-params-file", params.toString(),
        "--rp-proof-file", proof.toString()));
    for (String a : new String[] {"ins", "hosp", "alice", "bob"}) {
      ok(cli.run("accounts", "register", "--account", a));
    }

    // October: money and records with contributions.
    ok(cli.run("committee", "issue", "--by", "m1,m3", "--to", "ins", "--amount", "100000"));
    ok(cli.run("fund", "--from", "ins", "--to", "alice", "--amount", "3000"));
    ok(cli.run("fund", "--from", "ins", "--to", "bob", "--amount", "3000"));
    ok(cli.run("pay", "--from", "alice", "--to", "hosp", "--amount", "100"));
    ok(cli.run("pay", "--from", "bob", "--to", "hosp", "--amount", "250"));
    ok(cli.run("pay", "--from", "alice", "--to", "hosp", "--amount", "40"));
    ok(cli.run("settle", "--from", "ins", "--to", "hosp", "--amount", "5"));
    long fees = 0;
    String[][] visits = {{"alice", "IX", "40"}, {"bob", "I21", "71"}, {"alice", "X", "40"}};
    for (int i = 0; i < visits.length; i++) {
      JsonObject w = ok(cli.run("--json", "records", "write", "--account", "hosp", "--patient", visits[i][0], "--type", "visit",
          "--synthetic", "--seed", Integer.toString(i + 1), "--stats-chapter", visits[i][1], "--stats-age", visits[i][2])).json();
      fees += w.get("fee").getAsLong();
      assertTrue(Files.isRegularFile(Path.of(w.get("statsOpening").getAsString())), w.toString());
    }
    String pay = "2026-10.PAY." + hosp;
    String records = "2026-10.RECORDS." + hosp;

    String list = ok(cli.run("stats", "buckets", "--month", "2026-10")).out();
    assertTrue(list.lines().anyMatch(l -> l.matches("2026-10\\.PAY\\.acct-\\S+\\s+hosp\\s+PAY\\s+2026-10\\s+3\\s+2\\s+COLLECTING")), list);
    assertTrue(list.lines().anyMatch(l -> l.matches("2026-10\\.RECORDS\\.acct-\\S+\\s+hosp\\s+RECORDS\\s+2026-10\\s+3\\s+2\\s+COLLECTING")), list);
    assertTrue(list.lines().anyMatch(l -> l.matches("2026-10\\.SETTLE\\.acct-\\S+\\s+hosp\\s+SETTLE\\s+2026-10\\s+1\\s+2\\s+COLLECTING")), list);
    assertFalse(list.contains("2026-10.PAY.acct-") && list.contains("alice"), "a patient's payments are not bucketed");
    // Paging: one bucket a page, the bookmark leads to the next one and to the end.
    JsonObject p1 = ok(cli.run("--json", "stats", "buckets", "--page-size", "1")).json();
    assertEquals(1, p1.getAsJsonArray("buckets").size());
    JsonObject p2 = ok(cli.run("--json", "stats", "buckets", "--page-size", "1", "--bookmark", p1.get("bookmark").getAsString())).json();
    assertFalse(p1.getAsJsonArray("buckets").get(0).equals(p2.getAsJsonArray("buckets").get(0)));
    int total = ok(cli.run("--json", "stats", "buckets")).json().getAsJsonArray("buckets").size();
    assertTrue(total >= 5, "ISSUE, FUND, PAY, SETTLE, RECORDS: " + total);

    refused(cli, "STATS_NOT_CLOSED", "stats", "open", "--account", "m1", "2026-10.PAY.hosp");

    // November: October is closed.
    clock.now = Instant.parse("2026-11-02T08:00:00Z");
    refused(cli, "STATS_BELOW_K", "stats", "open", "--account", "m1", "2026-10.SETTLE.hosp");
    refused(cli, "UNKNOWN_TARGET", "stats", "open", "--account", "m1", "2026-10.CHANNEL.hosp");
    JsonObject opened = ok(cli.run("--json", "stats", "open", "--account", "m1", "2026-10.PAY.hosp")).json();
    String disclosure = opened.get("disclosureId").getAsString();
    assertEquals("STATS_BUCKET", opened.get("targetKind").getAsString());
    assertEquals(pay, opened.get("targetId").getAsString());
    assertEquals(3, opened.get("contributions").getAsLong());
    refused(cli, "STATS_ALREADY_OPENED", "stats", "open", "--account", "m2", pay);
    ErrorMessagesTest.fails(cli.run("stats", "show", pay), 6, "NOT_OPENED");
    String line = refused(cli, "STATS_NOT_OPENED", "stats", "publish", pay);
    assertTrue(line.contains("refused by the ledger") && line.endsWith("; t committee members share first ('medledger disclose"
        + " share <disclosure>')"), line);
    ok(cli.run("disclose", "share", "--account", "m2", disclosure));
    refused(cli, "STATS_NOT_OPENED", "stats", "publish", pay);
    ok(cli.run("disclose", "share", "--account", "m3", disclosure));
    JsonObject published = ok(cli.run("--json", "stats", "publish", pay)).json();
    assertEquals("390", published.get("total").getAsString());
    assertEquals(3, published.get("count").getAsLong());

    String recordsDisclosure = ok(cli.run("--json", "stats", "open", "--account", "m3", "--reason", "visits in October",
        records)).json().get("disclosureId").getAsString();
    ok(cli.run("disclose", "share", "--account", "m1", recordsDisclosure));
    ok(cli.run("disclose", "share", "--account", "m3", recordsDisclosure));
    String waiting = ok(cli.run("stats", "show", "--month", "2026-10")).out();
    assertTrue(waiting.contains("Being opened") && waiting.contains(records), waiting);
    ok(cli.run("stats", "publish", "2026-10.RECORDS.hosp"));

    // The results: tables, JSON, charts.
    Path totals = dir.resolve("totals.png");
    String shown = ok(cli.run("stats", "show", "--month", "2026-10", "--png", totals.toString())).out();
    assertTrue(shown.lines().anyMatch(l -> l.matches("2026-10\\s+hosp\\s+PAY\\s+3\\s+390")), shown);
    assertTrue(shown.lines().anyMatch(l -> l.matches("IX I00–I99\\s+2\\s+2")), "two visits in chapter IX: " + shown);
    assertTrue(shown.lines().anyMatch(l -> l.matches("X J00–J99\\s+1\\s+1")), shown);
    assertTrue(shown.lines().anyMatch(l -> l.matches("35–44\\s+2\\s+2")), shown);
    assertTrue(shown.lines().anyMatch(l -> l.matches("65–74\\s+1\\s+1")), shown);
    assertTrue(shown.contains("Wrote the totals chart to " + totals), shown);
    BufferedImage img = ImageIO.read(totals.toFile());
    assertEquals(1200, img.getWidth());
    assertEquals(700, img.getHeight());
    JsonObject json = ok(cli.run("--json", "stats", "show", "--month", "2026-10")).json();
    JsonObject rec = result(json, records);
    assertEquals(3, rec.get("count").getAsLong());
    assertEquals(Long.toString(fees), rec.get("total").getAsString(), "the fees of the three records");
    assertEquals(2, rec.getAsJsonObject("chapters").get("IX").getAsLong());
    assertEquals(1, rec.getAsJsonObject("chapters").get("X").getAsLong());
    assertEquals(0, rec.getAsJsonObject("chapters").get("I").getAsLong());
    assertEquals("390", result(json, pay).get("total").getAsString());
    assertEquals(0, json.getAsJsonArray("opening").size());
    Path visitsPng = dir.resolve("visits.png");
    ok(cli.run("stats", "show", records, "--png", visitsPng.toString(), "--width", "800", "--height", "500"));
    BufferedImage v = ImageIO.read(visitsPng.toFile());
    assertEquals(800, v.getWidth());
    assertEquals(500, v.getHeight());
    byte[] first = Files.readAllBytes(visitsPng);
    ok(cli.run("stats", "show", "2026-10.RECORDS.hosp", "--png", visitsPng.toString(), "--chart", "VISITS", "--width", "800",
        "--height", "500"));
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(visitsPng)), "the same results draw the same file");
    ErrorMessagesTest.fails(cli.run("stats", "show", "--month", "2026-09", "--png", dir.resolve("none.png").toString()), 6,
        "NOT_OPENED");
    assertFalse(Files.exists(dir.resolve("none.png")));
    String buckets = ok(cli.run("stats", "buckets", "--month", "2026-10")).out();
    assertTrue(buckets.lines().anyMatch(l -> l.matches("2026-10\\.PAY\\.acct-\\S+\\s+hosp\\s+PAY\\s+2026-10\\s+3\\s+2\\s+OPENED")), buckets);
    assertTrue(buckets.lines().anyMatch(l -> l.matches("2026-10\\.SETTLE\\.acct-\\S+\\s+hosp\\s+SETTLE\\s+2026-10\\s+1\\s+2\\s+CLOSED")), buckets);
  }
}
