package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.cli.demo.Facts;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedLedger;

/** The demo end to end on a kept embedded ledger, checked by its facts rather than its wording. */
class DemoTest {
  @TempDir
  Path dir;

  @Test
  void theDemoTellsAConsistentStory() throws Exception {
    Path kept = dir.resolve("demo-ledger");
    CliRunner.Run r = new CliRunner(dir).run("--json", "demo", "--keep", kept.toString());
    assertEquals(0, r.exit(), r.toString());
    JsonObject facts = r.json();
    assertEquals(2048, facts.get("paillierBits").getAsInt());
    assertEquals(11, facts.getAsJsonArray("accounts").size(), "a regulator, five parties, five committee members");

    long issued = 0;
    long paid = 0;
    int transfers = 0;
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      JsonObject s = e.getAsJsonObject();
      if (s.get("kind").getAsString().equals("issue")) {
        issued += s.get("amount").getAsLong();
      } else {
        paid += s.get("amount").getAsLong();
        transfers++;
      }
    }
    JsonObject audit = facts.getAsJsonObject("audit");
    assertEquals(issued, audit.get("issued").getAsLong(), "the committee's audit sees every issue");
    assertEquals(transfers, audit.get("transfers").getAsInt(), "the committee's audit lists every transfer");
    assertEquals(1 + transfers, audit.get("transactions").getAsInt());
    assertEquals(1_000_000, issued, "one issue, by the committee");

    long held = 0;
    for (Map.Entry<String, JsonElement> b : facts.getAsJsonObject("balances").entrySet()) {
      held += b.getValue().getAsLong();
    }
    assertEquals(issued, held, "the balances, each decrypted by its owner, add up to what was issued");
    // alice paid st-mary and city-clinic in the story, then three visits of the statistics' second month.
    assertEquals(5_000 - 1_200 - 300 - 450 - 200 - 150, facts.getAsJsonObject("balances").get("alice").getAsLong());
    assertEquals(3_000 - 800 - 300 - 250, facts.getAsJsonObject("balances").get("bob").getAsLong());

    // Of alice's payment to st-mary, each party reads exactly its own copy; no member reads any.
    JsonObject seen = facts.getAsJsonObject("visibility").getAsJsonObject("decryptedBy");
    assertEquals(Set.of("insurer", "st-mary", "city-clinic", "alice", "bob", "member-1", "member-2", "member-3", "member-4",
        "member-5"), seen.keySet(), "every party with a Paillier key tried it; the regulator account holds none");
    Map<String, String> own = Map.of("alice", "amountPayer", "st-mary", "amountPayee");
    for (Map.Entry<String, JsonElement> row : seen.entrySet()) {
      for (String copy : Set.of("amountPayer", "amountPayee", "amountRegulator")) {
        long v = row.getValue().getAsJsonObject().get(copy).getAsLong();
        long expected = copy.equals(own.get(row.getKey())) ? 1_200 : -1;
        assertEquals(expected, v, row.getKey() + " reading " + copy);
      }
    }

    // Records: alice reads what st-mary wrote; the claim is settled by a transfer of the record's fee;
    // after revocation the insurer's read is denied; the trail holds both reads.
    JsonObject records = facts.getAsJsonObject("records");
    long fee = records.get("fee").getAsLong();
    assertTrue(records.get("openedByPatientMatches").getAsBoolean());
    assertEquals("SETTLED", records.get("claimStatus").getAsString());
    JsonObject settle = null;
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      if (e.getAsJsonObject().get("kind").getAsString().equals("settle")) {
        settle = e.getAsJsonObject();
      }
    }
    assertEquals(fee, settle.get("amount").getAsLong());
    assertEquals(records.get("claimTransferTx").getAsString(), settle.get("txId").getAsString());
    assertEquals("GRANT_REVOKED", records.get("readAfterRevoke").getAsString());
    JsonObject feeSeen = facts.getAsJsonObject("visibility").getAsJsonObject("claimFeeSeenBy");
    for (Map.Entry<String, JsonElement> e : feeSeen.entrySet()) {
      boolean holdsCopy = Set.of("st-mary", "insurer").contains(e.getKey());
      assertEquals(holdsCopy ? fee : -1, e.getValue().getAsLong(), e.getKey() + " reading the claimed fee");
    }
    assertEquals(10, feeSeen.size());
    assertEquals(5_000 + 3_000 + 1_200 + 800 + 300 + fee, paid, "the funding, the payments and the settlement");

    // The committee: no member alone, no pair, reads the regulator copy; two different triples do.
    JsonObject committee = facts.getAsJsonObject("committee");
    assertEquals(3, committee.get("threshold").getAsInt());
    assertEquals(5, committee.get("members").getAsInt());
    JsonObject reads = facts.getAsJsonObject("visibility").getAsJsonObject("committee");
    assertEquals(5, reads.getAsJsonObject("alone").size());
    for (Map.Entry<String, JsonElement> e : reads.getAsJsonObject("alone").entrySet()) {
      assertEquals("NOT_ENOUGH_SHARES", e.getValue().getAsString(), e.getKey() + " alone");
    }
    assertEquals("NOT_ENOUGH_SHARES", reads.get("pair").getAsString());
    assertEquals(Map.of("member-1+member-2+member-3", 1_200L, "member-3+member-4+member-5", 1_200L),
        reads.getAsJsonObject("triples").entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
            x -> x.getValue().getAsLong())));

    // Issuing is an act of t members: the regulator account alone and two signatures are refused.
    JsonObject issue = committee.getAsJsonObject("issue");
    assertEquals("COMMITTEE_ACT", issue.get("regulatorAlone").getAsString());
    assertEquals("NOT_ENOUGH_SIGNATURES", issue.get("twoSignatures").getAsString());
    assertEquals(List.of("member-1", "member-2", "member-3"), strings(issue.getAsJsonArray("signers")));

    // The audit's PRIVATE disclosure: two shares are refused, the third opens it to the amount paid;
    // alice, the payer, lists it.
    JsonObject disclosure = audit.getAsJsonObject("disclosure");
    assertEquals("PRIVATE", disclosure.get("mode").getAsString());
    assertEquals(facts.getAsJsonObject("visibility").get("txId").getAsString(), disclosure.get("txId").getAsString());
    assertEquals(List.of("OPEN", "OPEN", "SHARED"), strings(disclosure.getAsJsonArray("statusAfterEachShare")));
    assertEquals("NOT_ENOUGH_SHARES", disclosure.get("combineWithTwo").getAsString());
    assertEquals(1_200, disclosure.get("plaintext").getAsLong());
    assertEquals(List.of("member-1", "member-3", "member-4"), strings(disclosure.getAsJsonArray("sharedBy")));
    assertEquals(List.of("alice", "st-mary"), strings(disclosure.getAsJsonArray("concerned")));
    assertEquals(List.of(disclosure.get("id").getAsString()), strings(disclosure.getAsJsonArray("patientTrail")));

    // member-5 leaves by a re-sharing to 3 of 4; the old shares are refused; the new ones open the settlement.
    JsonObject reshare = facts.getAsJsonObject("reshare");
    assertEquals(reshare.get("epochBefore").getAsLong() + 1, reshare.get("epochAfter").getAsLong());
    assertEquals(3, reshare.get("threshold").getAsInt());
    assertEquals(List.of("member-1", "member-2", "member-3", "member-4"), strings(reshare.getAsJsonArray("members")));
    assertTrue(reshare.get("regulatorKeyUnchanged").getAsBoolean());
    assertEquals("NOT_COMMITTEE_MEMBER", reshare.get("departedShare").getAsString());
    assertEquals("WRONG_COMMITTEE", reshare.get("oldShareByClient").getAsString());
    assertTrue(Set.of("MALFORMED_SHARE", "SHARE_INVALID").contains(reshare.get("oldShareByLedger").getAsString()),
        reshare.toString());
    JsonObject settled = reshare.getAsJsonObject("disclosure");
    assertEquals(records.get("claimTransferTx").getAsString(), settled.get("txId").getAsString());
    assertEquals(fee, settled.get("plaintext").getAsLong());
    assertEquals(List.of("OPEN", "OPEN", "OPENED"), strings(settled.getAsJsonArray("statusAfterEachShare")));

    // Per-phase timings.
    assertEquals(Set.of("keys", "configure", "register", "issue", "payments", "records", "visibility", "audit", "reshare",
        "stats", "conservation"), facts.getAsJsonObject("timings").getAsJsonObject("phases").keySet());
    for (String k : List.of("safePrimePMillis", "safePrimeQMillis", "dealMillis", "ringPedersenMillis", "paillierMillisSum")) {
      assertTrue(facts.getAsJsonObject("timings").getAsJsonObject("keys").has(k), k);
    }
    List<String> trail = new java.util.ArrayList<>();
    for (JsonElement e : audit.getAsJsonArray("trail")) {
      JsonObject x = e.getAsJsonObject();
      trail.add(x.get("reader").getAsString() + ":" + x.get("patient").getAsString() + ":" + x.get("granted").getAsBoolean()
          + ":" + x.get("code").getAsString());
    }
    assertEquals(List.of("insurer:alice:true:", "insurer:alice:false:GRANT_REVOKED"), trail);

    JsonObject stats = checkStats(facts);

    // The demo checks these facts itself (so that 'demo --network' is a test too), and the check can fail.
    Facts.check(facts);
    JsonObject tampered = facts.deepCopy();
    tampered.getAsJsonObject("audit").addProperty("transfers", audit.get("transfers").getAsInt() + 1);
    assertEquals("DEMO_CHECK_FAILED", org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(tampered)).code());
    JsonObject leaky = facts.deepCopy();
    leaky.getAsJsonObject("visibility").getAsJsonObject("decryptedBy").getAsJsonObject("bob").addProperty("amountPayee", 1_200);
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(leaky));
    JsonObject oneReads = facts.deepCopy();
    oneReads.getAsJsonObject("visibility").getAsJsonObject("committee").getAsJsonObject("alone").addProperty("member-4", "");
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(oneReads));
    JsonObject twoOpen = facts.deepCopy();
    twoOpen.getAsJsonObject("audit").getAsJsonObject("disclosure").addProperty("combineWithTwo", "");
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(twoOpen));
    JsonObject staleCounts = facts.deepCopy();
    staleCounts.getAsJsonObject("reshare").addProperty("departedShare", "");
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(staleCounts));
    JsonObject wrongAmount = facts.deepCopy();
    wrongAmount.getAsJsonObject("reshare").getAsJsonObject("disclosure").addProperty("plaintext", fee + 1);
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(wrongAmount));
    JsonObject wrongTotal = facts.deepCopy();
    JsonObject firstOpened = wrongTotal.getAsJsonObject("stats").getAsJsonArray("opened").get(0).getAsJsonObject();
    firstOpened.addProperty("total", firstOpened.get("total").getAsLong() + 1);
    assertEquals("DEMO_CHECK_FAILED", org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
        () -> Facts.check(wrongTotal)).code());
    JsonObject smallOpened = facts.deepCopy();
    smallOpened.getAsJsonObject("stats").getAsJsonObject("belowK").addProperty("code", "");
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(smallOpened));
    JsonObject lostVisit = facts.deepCopy();
    for (JsonElement e : lostVisit.getAsJsonObject("stats").getAsJsonArray("buckets")) {
      if (e.getAsJsonObject().get("kind").getAsString().equals("RECORDS")) {
        e.getAsJsonObject().addProperty("contributions", e.getAsJsonObject().get("contributions").getAsLong() - 1);
        break;
      }
    }
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(lostVisit));
    JsonObject noMonthPassed = facts.deepCopy();
    noMonthPassed.getAsJsonObject("stats").addProperty("monthsPassed", false);
    org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Facts.check(noMonthPassed));

    // The kept ledger holds the story: configure, eleven registrations, the committee's, the issue,
    // the transfers, the records' set-up, write, claim, grant, read, link, revoke and denied read, the
    // audit's request and its three digests, the re-sharing, the second request and its three
    // shares; then the statistics: seven visit records, five payments, three folds, two opening
    // requests, their six shares and two publications. The refused calls (an issue by the regulator
    // alone, by two members, the old shares, the openings of a running month and below k) wrote nothing.
    assertEquals(kept.toString(), facts.get("ledgerDir").getAsString());
    try (EmbeddedLedger ledger = EmbeddedLedger.open(kept, Organisations.CHANNEL, MedLedgerContracts.dispatcher())) {
      assertEquals(1 + 11 + 1 + 1 + transfers + 8 + 4 + 1 + 4 + (7 + 5 + 3 + 2 + 6 + 2), ledger.height());
    }
    assertTrue(Files.exists(kept.resolve("blocks.jsonl")));
    // The chart went to the default place, demo-stats.png in the home.
    assertEquals(dir.resolve("demo-stats.png").toAbsolutePath().normalize().toString(), stats.get("chart").getAsString());
    byte[] png = Files.readAllBytes(dir.resolve("demo-stats.png"));
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG file");
  }

  /**
   * The statistics step on the embedded ledger: two months pass on the demo's clock; last month's
   * st-mary buckets open to the plaintext sums of what the story put in; city-clinic's, below k, is
   * refused; a bucket of the running month was refused before.
   */
  private static JsonObject checkStats(JsonObject facts) {
    JsonObject stats = facts.getAsJsonObject("stats");
    assertEquals(3, stats.get("k").getAsInt(), "the demo's k");
    assertEquals("demo", stats.get("clock").getAsString());
    assertTrue(stats.get("monthsPassed").getAsBoolean());
    java.time.YearMonth story = java.time.YearMonth.parse(stats.get("storyMonth").getAsString());
    java.time.YearMonth last = java.time.YearMonth.parse(stats.get("lastMonth").getAsString());
    assertEquals(story.plusMonths(1), last);
    java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
    assertTrue(last.equals(now.minusMonths(1)) || last.equals(now.minusMonths(2)), "the demo's months are the two before"
        + " the present (or one further back if a month ended during the test): " + last + ", now " + now);
    assertEquals("STATS_NOT_CLOSED", stats.getAsJsonObject("runningMonth").get("code").getAsString());
    assertEquals(7, stats.getAsJsonArray("visits").size());
    assertEquals(5, stats.getAsJsonArray("payments").size());
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (JsonElement e : stats.getAsJsonArray("buckets")) {
      JsonObject b = e.getAsJsonObject();
      counts.put(b.get("month").getAsString() + " " + b.get("kind").getAsString() + " " + b.get("owner").getAsString(),
          b.get("contributions").getAsLong());
      assertEquals(3, b.get("minContributions").getAsInt());
    }
    assertEquals(Map.of(story + " ISSUE insurer", 1L, story + " FUND insurer", 2L, story + " PAY st-mary", 1L,
        story + " PAY city-clinic", 2L, story + " SETTLE st-mary", 1L, story + " RECORDS city-clinic", 2L,
        last + " PAY st-mary", 3L, last + " PAY city-clinic", 2L, last + " RECORDS st-mary", 3L, last + " RECORDS city-clinic", 2L),
        counts, "every bucket of the two months with its count, before the opening");

    Map<String, JsonObject> opened = new java.util.TreeMap<>();
    for (JsonElement e : stats.getAsJsonArray("opened")) {
      opened.put(e.getAsJsonObject().get("kind").getAsString() + " " + e.getAsJsonObject().get("owner").getAsString(),
          e.getAsJsonObject());
    }
    assertEquals(Set.of("RECORDS st-mary", "PAY st-mary"), opened.keySet());
    JsonObject visits = opened.get("RECORDS st-mary");
    assertEquals(last.toString(), visits.get("month").getAsString());
    assertEquals(3, visits.get("count").getAsLong());
    assertEquals(450 + 300 + 200, visits.get("total").getAsLong(), "the fees");
    assertEquals(Map.of("IX", 2L, "X", 1L), longs(visits.getAsJsonObject("chapters")));
    assertEquals(Map.of("55–64", 2L, "25–34", 1L), longs(visits.getAsJsonObject("ageBands")));
    assertEquals(List.of("member-1", "member-2", "member-4"), strings(visits.getAsJsonArray("sharedBy")));
    assertEquals(List.of("OPEN", "OPEN", "OPENED"), strings(visits.getAsJsonArray("statusAfterEachShare")));
    JsonObject paid = opened.get("PAY st-mary");
    assertEquals(3, paid.get("count").getAsLong());
    assertEquals(450 + 300 + 200, paid.get("total").getAsLong(), "the three payments of the visits");
    assertTrue(!paid.has("chapters"));
    JsonObject below = stats.getAsJsonObject("belowK");
    assertEquals("city-clinic", below.get("owner").getAsString());
    assertEquals(2, below.get("contributions").getAsLong());
    assertEquals("STATS_BELOW_K", below.get("code").getAsString());
    return stats;
  }

  private static Map<String, Long> longs(JsonObject o) {
    Map<String, Long> m = new java.util.HashMap<>();
    o.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().getAsLong()));
    return m;
  }

  private static List<String> strings(com.google.gson.JsonArray a) {
    List<String> out = new java.util.ArrayList<>();
    a.forEach(x -> out.add(x.getAsString()));
    return out;
  }

  @Test
  void theNarrationNamesEveryStepAndTheTemporaryLedgerIsRemoved() throws Exception {
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    String before = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
    CliRunner.Run r;
    try {
      r = new CliRunner(dir).run("demo");
    } finally {
      System.setProperty("java.io.tmpdir", before);
    }
    assertEquals(0, r.exit(), r.toString());
    for (String s : new String[] {"committee", "dealing: safe primes", "issues", "funds the patients", "pay hospitals",
        "writes a record", "grants the insurer", "settles the claim", "revokes", "Who can see what", "alone",
        "audits", "disclosure request", "NOT_ENOUGH_SHARES", "re-share", "NOT_COMMITTEE_MEMBER", "WRONG_COMMITTEE",
        "The embedded ledger's clock is the demo's", "k = 3", "The demo's clock moves on", "STATS_NOT_CLOSED", "STATS_BELOW_K",
        "Visits per ICD-10 chapter", "Wrote the chart"}) {
      assertTrue(r.out().contains(s), s + " missing:\n" + r.out());
    }
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "the temporary ledger is deleted");
    }
    assertTrue(Files.size(dir.resolve("demo-stats.png")) > 1000, "the chart is written to the home");
  }
}
