package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.StatsProtocol;

/** Adversarial review of the statistics ledger side (docs/chaincode.md §11). */
class StatsLedgerAttackTest {

  /**
   * A peer's JVM runs in the locale of its host (LANG). Bucket ids and keys must not depend on it:
   * under ar-EG, String.format wrote the month with Arabic-Indic digits, so the bucket key differed
   * from an en-US peer's (endorsement mismatch) and no canonical id could name it.
   */
  @Test
  void bucketIdsDoNotDependOnThePeersLocale() {
    underArabicLocaleWithAFundedPatient((bench, ch, patient) -> {
      assertTrue(ch.pay(patient, ch.hospital, 700).isValid());
      var t = ch.now().atOffset(ZoneOffset.UTC);
      String month = t.getYear() + "-" + (t.getMonthValue() < 10 ? "0" : "") + t.getMonthValue();
      assertEquals(month, StatsProtocol.monthText(ch.now()));
      String pay = month + ".PAY." + ch.hospital.id;
      assertEquals(1, bench.bucket(pay).get("contributions").getAsLong());
      List<JsonObject> all = bench.buckets("");
      assertTrue(all.stream().anyMatch(b -> b.get("bucketId").getAsString().equals(pay)), all.toString());
    });
  }

  /**
   * A payment is never refused for statistics (§11.2): a client that dates its transfer after year
   * 9999 (Fabric does not check the timestamp) must not meet an unexpected exception from the
   * bucket; its payment commits as it did before statistics existed.
   */
  @Test
  void aPaymentDatedPastYear9999StillCommits() {
    // A record contribution cannot name such a month: refused with its code, nothing written.
    paymentCommitsAndContributionIsRefusedAt(Instant.parse("+10000-01-01T00:00:00Z"));
  }

  /**
   * The same promise at the edge of Java's time line: an Instant in the year 1,000,000,000 (or
   * −1,000,000,000) exists, but no LocalDate does, so taking its calendar month threw an unchecked
   * DateTimeException and the payment (and a record write) failed without a code. A Fabric client
   * chooses its timestamp freely; the shim passes any protobuf Timestamp Instant can hold.
   */
  @Test
  void aPaymentDatedAtTheEdgeOfJavasTimeLineStillCommits() {
    for (String at : List.of("+1000000000-06-01T00:00:00Z", "-1000000000-06-01T00:00:00Z")) {
      paymentCommitsAndContributionIsRefusedAt(Instant.parse(at));
    }
  }

  /**
   * On a fresh channel, a patient's payment timestamped {@code at} commits, and a record write
   * with a contribution a second later is refused STATS_CONTRIBUTION_INVALID, nothing written.
   */
  private static void paymentCommitsAndContributionIsRefusedAt(Instant at) {
    StatsBench bench = new StatsBench();
    Channel ch = bench.ch;
    Actor patient = bench.desk.patient("alice");
    ch.issue(100_000, ch.insurer);
    assertTrue(ch.pay(ch.insurer, patient, 10_000).isValid());
    String req = ch.transferRequest(patient, ch.hospital, 5);
    TxResult r = ch.submitAt(at, ch.gateway(patient), "money:transfer", req);
    assertTrue(r.isValid(), at + ": " + r);
    patient.nonce++;
    RecordDesk.Draft d = bench.desk.draft(ch.hospital, patient, "visit", "v".getBytes(StandardCharsets.UTF_8));
    d.body().addProperty("stats", Base64.getEncoder().encodeToString(
        bench.honest(ch.hospital, IcdChapter.X, AgeBand.Y25_34, 90).toBytes()));
    long height = ch.ledger.height();
    Channel.assertRefused(ch.submitAt(at.plusSeconds(1), ch.hospitalOrg, "records:write",
        ch.hospital.sign(d.body())), ErrorCode.STATS_CONTRIBUTION_INVALID);
    assertEquals(height, ch.ledger.height(), at.toString());
  }

  /**
   * Same root cause outside the buckets: the audit order (20 digits of nanoseconds) and the spent-nonce
   * key were String.format'ed in the default locale, so under ar-EG a transfer wrote keys with
   * Arabic-Indic digits (the history, audit and disclosure-trail keys of a stats opening too).
   */
  @Test
  void everyKeyATransferWritesIsAsciiWhateverTheLocale() {
    underArabicLocaleWithAFundedPatient((bench, ch, patient) -> {
      org.medledger.embedded.Endorsement e = ch.endorseTransfer(patient, ch.hospital, 100);
      assertTrue(e.succeeded(), e.toString());
      for (String k : e.writtenKeys()) {
        assertTrue(k.chars().allMatch(c -> c < 0x80), "non-ASCII key: " + k);
      }
    });
  }

  private interface LocaleCase {
    void run(StatsBench bench, Channel ch, Actor patient);
  }

  /** Runs a case with the JVM's default locale ar-EG (Arabic-Indic digits), a patient funded with 10,000. */
  private static void underArabicLocaleWithAFundedPatient(LocaleCase body) {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("ar-EG"));
      StatsBench bench = new StatsBench();
      Channel ch = bench.ch;
      Actor patient = bench.desk.patient("alice");
      ch.issue(100_000, ch.insurer);
      assertTrue(ch.pay(ch.insurer, patient, 10_000).isValid());
      body.run(bench, ch, patient);
    } finally {
      Locale.setDefault(saved);
    }
  }
}
