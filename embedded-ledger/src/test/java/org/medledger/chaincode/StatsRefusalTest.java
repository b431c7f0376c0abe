package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.MaliciousContributions;
import org.medledger.crypto.stats.StatsContribution;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;

/**
 * Every statistics input an attacker controls (docs/chaincode.md §11): malformed or misbound record
 * contributions, contributions by a non-hospital, bucket ids that are not exactly one bucket, fold
 * batches, bookmarks and months — each refused with its stable code and nothing written (the ledger
 * height and the buckets unchanged). And a bucket is never a hot key: concurrent payments to one
 * hospital share no key in their write sets and all commit.
 */
class StatsRefusalTest {
  private StatsBench bench;
  private Channel ch;
  private Actor patient;

  @BeforeEach
  void setUp() {
    bench = new StatsBench();
    ch = bench.ch;
    patient = bench.desk.patient("alice");
  }

  private void refused(TxResult r, ErrorCode code) {
    Channel.assertRefused(r, code);
  }

  /** Runs {@code attempt}, which must be refused with {@code code} without changing height or buckets. */
  private void refusedUnchanged(ErrorCode code, Supplier<TxResult> attempt) {
    long height = ch.ledger.height();
    List<JsonObject> before = bench.buckets("");
    refused(attempt.get(), code);
    assertEquals(height, ch.ledger.height(), "a refused request must not be ordered");
    assertEquals(before, bench.buckets(""));
  }

  private StatsContribution malicious(Actor author, BigInteger[] cat, BigInteger[] bands, BigInteger fee) {
    return MaliciousContributions.of(bench.committee(), bench.context(author, bench.nextRecordId(author), bench.nextMonth()),
        cat, bands, fee, StatsBench.RND);
  }

  @Test
  void malformedContributionsAreRefusedAndNothingIsWritten() {
    Actor h = ch.hospital;
    BigInteger fee = BigInteger.valueOf(1_000);
    BigInteger[] cat = MaliciousContributions.vector(IcdChapter.COUNT, 3);
    BigInteger[] band = MaliciousContributions.vector(AgeBand.COUNT, 4);
    BigInteger[] negative = MaliciousContributions.vector(IcdChapter.COUNT, 0, 2);
    negative[1] = BigInteger.ONE.negate();
    List<StatsContribution> bad = List.of(
        malicious(h, MaliciousContributions.vector(IcdChapter.COUNT, 3, 5), band, fee), // two ones
        malicious(h, MaliciousContributions.vector(IcdChapter.COUNT, 4, 4), band, fee), // a 2
        malicious(h, negative, band, fee), // a −1 (and two ones: still sums to 1)
        malicious(h, cat, MaliciousContributions.vector(AgeBand.COUNT, 1, 2), fee), // two age bands
        malicious(h, cat, band, BigInteger.ONE.shiftLeft(40)), // fee 2^40
        malicious(h, cat, band, BigInteger.ONE.negate()), // fee −1
        // Honest proofs bound to another record, hospital or month.
        StatsContribution.prove(bench.committee(), bench.context(h, "rec-other", bench.nextMonth()), IcdChapter.I,
            AgeBand.Y0_4, 5, StatsBench.RND),
        StatsContribution.prove(bench.committee(), bench.context(ch.insurer, bench.nextRecordId(h), bench.nextMonth()),
            IcdChapter.I, AgeBand.Y0_4, 5, StatsBench.RND),
        StatsContribution.prove(bench.committee(), bench.context(h, bench.nextRecordId(h), "2025-12"), IcdChapter.I,
            AgeBand.Y0_4, 5, StatsBench.RND));
    // Control: the same unchecked prover with honest inputs is accepted.
    StatsContribution control = malicious(h, cat, band, fee);
    for (StatsContribution c : bad) {
      refusedUnchanged(ErrorCode.STATS_CONTRIBUTION_INVALID, () -> bench.writeWithStats(h, patient, c.toBytes()));
    }
    refusedUnchanged(ErrorCode.STATS_CONTRIBUTION_INVALID, () -> bench.writeWithStats(h, patient, new byte[] {0x40, 1, 2}));
    byte[] truncated = java.util.Arrays.copyOf(control.toBytes(), control.toBytes().length - 1);
    refusedUnchanged(ErrorCode.STATS_CONTRIBUTION_INVALID, () -> bench.writeWithStats(h, patient, truncated));
    refusedUnchanged(ErrorCode.PAYLOAD_TOO_LARGE, () -> bench.writeWithStats(h, patient, new byte[RecordStats.MAX_STATS_BYTES + 1]));
    assertTrue(bench.writeWithStats(h, patient, control.toBytes()).isValid());
    assertEquals(1, bench.buckets("").size());

    // A valid contribution replayed into the hospital's next record: bound to the first record id.
    refusedUnchanged(ErrorCode.STATS_CONTRIBUTION_INVALID, () -> bench.writeWithStats(h, patient, control.toBytes()));
    // Another hospital cannot take it either, nor can it sign for the first.
    Actor h2 = bench.desk.register("hospital-2", Role.HOSPITAL, "HospitalOrgMSP");
    refusedUnchanged(ErrorCode.STATS_CONTRIBUTION_INVALID, () -> bench.writeWithStats(h2, patient, control.toBytes()));
    // A non-hospital cannot write a record, with or without a contribution.
    StatsContribution byPatient = StatsContribution.prove(bench.committee(),
        bench.context(patient, bench.nextRecordId(patient), bench.nextMonth()), IcdChapter.I, AgeBand.Y0_4, 5, StatsBench.RND);
    refusedUnchanged(ErrorCode.WRONG_ROLE, () -> bench.writeWithStats(patient, patient, byPatient.toBytes()));
    // A correction carries no contribution (the visit was counted with the original).
    RecordDesk.Draft first = bench.desk.write(h, patient, "visit", "original");
    RecordDesk.Draft corr = bench.desk.draft(h, patient, "visit", "corrected".getBytes(StandardCharsets.UTF_8), first.recordId());
    corr.body().addProperty("stats", java.util.Base64.getEncoder().encodeToString(control.toBytes()));
    refusedUnchanged(ErrorCode.MALFORMED_REQUEST, () -> bench.desk.submit(h, "records:correct", corr.body()));
    assertEquals(1, bench.bucket(bench.buckets("").get(0).get("bucketId").getAsString()).get("contributions").getAsLong());
  }

  @Test
  void bucketQueriesFoldsAndBookmarksAreRefusedUnlessExactlyOneClosedBucket() {
    ch.issue(100_000, ch.insurer);
    assertTrue(ch.pay(ch.insurer, patient, 10_000).isValid());
    assertTrue(ch.pay(patient, ch.hospital, 700).isValid());
    String pay = new StatsProtocol.Bucket(StatsProtocol.month(ch.now()), StatsProtocol.Kind.PAY, ch.hospital.id).id();
    assertEquals("COLLECTING", bench.bucket(pay).get("state").getAsString());
    refusedUnchanged(ErrorCode.STATS_NOT_CLOSED, () -> bench.fold(pay, "10"));

    ch.advance(40L * 24 * 3600);
    String h = ch.hospital.id;
    for (String notOne : List.of("2026-01.*." + h, "2026-01.PAY.*", "2026-1.PAY." + h, "2026-01.pay." + h,
        "2026-01.PAY." + h + "," + h, "2026-01..2026-02.PAY." + h, "2026-01.PAY", "2026-13.PAY." + h, "2026-01.PAY. " + h,
        "2026-01.PAY." + h + "\u0000", "26-01.PAY." + h, "2026-01.PAY." + "x".repeat(129), "")) {
      refusedUnchanged(ErrorCode.STATS_BAD_BUCKET, () -> bench.fold(notOne, "10"));
      Channel.assertRefused(evaluate("stats:getBucket", notOne), ErrorCode.STATS_BAD_BUCKET);
    }
    for (String batch : List.of("0", "501", "-1", "01", "1e2", " 5", "abc", "")) {
      refusedUnchanged(ErrorCode.BAD_PAGE, () -> bench.fold(pay, batch));
    }
    // A bucket with no contribution does not exist.
    refusedUnchanged(ErrorCode.STATS_BAD_BUCKET, () -> bench.fold("2026-01.SETTLE." + h, "10"));
    // Listing: months, page sizes and bookmarks.
    Channel.assertRefused(evaluate("stats:listBuckets", "2026-1", "10", ""), ErrorCode.STATS_BAD_BUCKET);
    Channel.assertRefused(evaluate("stats:listBuckets", "", "0", ""), ErrorCode.BAD_PAGE);
    Channel.assertRefused(evaluate("stats:listBuckets", "", "101", ""), ErrorCode.BAD_PAGE);
    Channel.assertRefused(evaluate("stats:listBuckets", "", "10", "zzz"), ErrorCode.BAD_BOOKMARK);
    Channel.assertRefused(evaluate("stats:listBuckets", "2026-01", "10", "2026-02.PAY." + h), ErrorCode.BAD_BOOKMARK);
    Channel.assertRefused(evaluate("stats:listBuckets", "", "10", "2026-01.PAY." + h + "\uDBFF\uDFFF"), ErrorCode.BAD_BOOKMARK);

    assertEquals(1, bench.foldAll(pay, 10));
    JsonObject folded = bench.bucket(pay);
    assertEquals("FOLDED", folded.get("state").getAsString());
    assertEquals(1, folded.get("folded").getAsLong());
    refusedUnchanged(ErrorCode.STATS_NOTHING_TO_FOLD, () -> bench.fold(pay, "10"));
    refusedUnchanged(ErrorCode.STATS_NOT_OPENED, () -> ch.submit(ch.insurerOrg, "stats:publish", pay));
    assertEquals(BigInteger.valueOf(700), bench.decryptAggregate(pay));

    // Folding does not seal (only a committee member's signed opening request does, StatsFlowTest):
    // a payment back-dated into the folded month commits and is folded by the next fold.
    String backDated = ch.transferRequest(patient, ch.hospital, 5);
    assertTrue(ch.submitAt(Instant.parse("2026-01-31T23:00:00Z"), ch.gateway(patient), "money:transfer", backDated).isValid());
    patient.nonce++;
    JsonObject after = bench.bucket(pay);
    assertEquals(1, after.get("folded").getAsLong());
    assertEquals(1, after.get("unfolded").getAsLong());
    assertEquals(1, bench.foldAll(pay, 10));
    assertEquals(2, bench.bucket(pay).get("folded").getAsLong());
    assertEquals(BigInteger.valueOf(705), bench.decryptAggregate(pay));
  }

  @Test
  void concurrentPaymentsAndRecordsForOneHospitalShareNoKeyAndAllCommit() {
    ch.issue(100_000, ch.insurer);
    Actor bob = bench.desk.patient("bob");
    for (Actor p : List.of(patient, bob)) {
      assertTrue(ch.pay(ch.insurer, p, 10_000).isValid());
    }
    Endorsement a = ch.endorseTransfer(patient, ch.hospital, 100);
    Endorsement b = ch.endorseTransfer(bob, ch.hospital, 200);
    Endorsement c = ch.endorseTransfer(ch.insurer, ch.hospital, 300);
    RecordDesk.Draft d = bench.desk.draft(ch.hospital, patient, "visit", "v".getBytes(StandardCharsets.UTF_8));
    d.body().addProperty("stats", java.util.Base64.getEncoder().encodeToString(
        bench.honest(ch.hospital, IcdChapter.X, AgeBand.Y25_34, 90).toBytes()));
    Endorsement r = ch.ledger.endorse(ch.hospitalOrg, ch.tick(), "records:write", ch.hospital.sign(d.body()));
    List<Endorsement> all = List.of(a, b, c, r);
    for (int i = 0; i < all.size(); i++) {
      assertTrue(all.get(i).succeeded(), all.get(i).toString());
      for (String k : all.get(i).readKeys()) {
        assertFalse(k.contains("stats"), "a contribution reads no statistics key: " + k);
      }
      for (int j = i + 1; j < all.size(); j++) {
        Set<String> common = new java.util.HashSet<>(all.get(i).writtenKeys());
        common.retainAll(all.get(j).writtenKeys());
        // The insurer pays twice (its own balance and nonce), nothing else is shared.
        assertTrue(common.isEmpty(), "shared written keys: " + common);
      }
    }
    for (TxResult res : ch.ledger.commitBlock(all)) {
      assertEquals(TxStatus.VALID, res.status(), res.toString());
    }
    String month = StatsProtocol.monthText(ch.now());
    assertEquals(2, bench.bucket(month + ".PAY." + ch.hospital.id).get("contributions").getAsLong());
    assertEquals(1, bench.bucket(month + ".SETTLE." + ch.hospital.id).get("contributions").getAsLong());
    assertEquals(1, bench.bucket(month + ".RECORDS." + ch.hospital.id).get("contributions").getAsLong());
  }

  private TxResult evaluate(String function, String... args) {
    // Queries are refused the same way; run them as a submit to get the code in a TxResult.
    return ch.submit(ch.hospitalOrg, function, args);
  }
}
