package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
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
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("ar-EG"));
      StatsBench bench = new StatsBench();
      Channel ch = bench.ch;
      Actor patient = bench.desk.patient("alice");
      ch.issue(100_000, ch.insurer);
      assertTrue(ch.pay(ch.insurer, patient, 10_000).isValid());
      assertTrue(ch.pay(patient, ch.hospital, 700).isValid());
      var t = ch.now().atOffset(ZoneOffset.UTC);
      String month = t.getYear() + "-" + (t.getMonthValue() < 10 ? "0" : "") + t.getMonthValue();
      assertEquals(month, StatsProtocol.monthText(ch.now()));
      String pay = month + ".PAY." + ch.hospital.id;
      assertEquals(1, bench.bucket(pay).get("contributions").getAsLong());
      List<JsonObject> all = bench.buckets("");
      assertTrue(all.stream().anyMatch(b -> b.get("bucketId").getAsString().equals(pay)), all.toString());
    } finally {
      Locale.setDefault(saved);
    }
  }
}
