package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.SlotLayout;
import org.medledger.crypto.stats.StatsTally;
import org.medledger.protocol.Role;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.StatsProtocol.Kind;

/**
 * Aggregates equal the plaintext sums (docs/chaincode.md §11): a random workload of issues, fundings,
 * payments, settlements and records with contributions, across two hospitals and two months, is
 * listed bucket by bucket with the right counts, folded in batches of two, and each aggregate
 * decrypts (with the test regulator's key) to the sum of what went in: amounts for money buckets,
 * per-chapter and per-band counts and the fee total for record buckets.
 */
class StatsPropertyTest {

  /** What the test expects of one bucket. */
  static final class Expected {
    long count;
    BigInteger sum = BigInteger.ZERO;
    final long[] counters = new long[SlotLayout.COUNTERS];
  }

  @Test
  void foldedAggregatesDecryptToThePlaintextSums() {
    long seed = new SecureRandom().nextLong();
    Random rnd = new Random(seed);
    String why = "workload seed " + seed;
    StatsBench bench = new StatsBench();
    Channel ch = bench.ch;
    Actor hospital2 = bench.desk.register("hospital-2", Role.HOSPITAL, "HospitalOrgMSP");
    List<Actor> hospitals = List.of(ch.hospital, hospital2);
    List<Actor> patients = List.of(bench.desk.patient("p1"), bench.desk.patient("p2"));
    Map<String, Expected> expected = new TreeMap<>();

    assertTrue(ch.issue(1_000_000, ch.insurer).isValid());
    money(expected, bench, Kind.ISSUE, ch.insurer, 1_000_000);
    for (Actor p : patients) {
      assertTrue(ch.pay(ch.insurer, p, 100_000).isValid());
      money(expected, bench, Kind.FUND, ch.insurer, 100_000);
    }
    int steps = 12;
    for (int i = 0; i < steps; i++) {
      if (i == steps / 2) {
        ch.advance(31L * 24 * 3600); // into the next month
      }
      Actor h = hospitals.get(rnd.nextInt(2));
      Actor p = patients.get(rnd.nextInt(2));
      switch (rnd.nextInt(3)) {
        case 0 -> {
          long amount = 1 + rnd.nextInt(5_000);
          assertTrue(ch.pay(p, h, amount).isValid(), why);
          money(expected, bench, Kind.PAY, h, amount);
        }
        case 1 -> {
          long amount = 1 + rnd.nextInt(50_000);
          assertTrue(ch.pay(ch.insurer, h, amount).isValid(), why);
          money(expected, bench, Kind.SETTLE, h, amount);
        }
        default -> {
          IcdChapter chapter = IcdChapter.values()[rnd.nextInt(IcdChapter.COUNT)];
          AgeBand band = AgeBand.values()[rnd.nextInt(AgeBand.COUNT)];
          long fee = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> (1L << SlotLayout.FEE_BITS) - 1;
            default -> rnd.nextLong(1L << SlotLayout.FEE_BITS);
          };
          assertTrue(bench.writeWithStats(h, p, bench.honest(h, chapter, band, fee).toBytes()).isValid(), why);
          Expected e = expected.computeIfAbsent(bucketOf(bench, Kind.RECORDS, h), k -> new Expected());
          e.count++;
          e.sum = e.sum.add(BigInteger.valueOf(fee));
          e.counters[SlotLayout.slot(chapter)]++;
          e.counters[SlotLayout.slot(band)]++;
        }
      }
    }

    ch.advance(40L * 24 * 3600); // every bucket's month is over
    ch.submit(ch.insurerOrg, "accounts:getChannel"); // a transaction dated after the jump
    List<JsonObject> listed = bench.buckets("");
    assertEquals(expected.keySet().stream().toList(), listed.stream().map(b -> b.get("bucketId").getAsString()).toList(), why);
    for (JsonObject b : listed) {
      Expected e = expected.get(b.get("bucketId").getAsString());
      assertEquals(e.count, b.get("contributions").getAsLong(), why);
      assertEquals("CLOSED", b.get("state").getAsString(), why);
    }
    for (Map.Entry<String, Expected> x : expected.entrySet()) {
      String id = x.getKey();
      Expected e = x.getValue();
      int txs = bench.foldAll(id, 2);
      assertEquals(Math.max(1, (e.count + 1) / 2), txs, why + ": folds of " + id); // a fold that sees at most 2 finishes
      JsonObject folded = bench.bucket(id);
      assertEquals(e.count, folded.get("folded").getAsLong(), why);
      assertEquals(0, folded.get("unfolded").getAsLong(), why);
      BigInteger m = bench.decryptAggregate(id);
      if (StatsProtocol.parse(id).kind().money()) {
        assertEquals(e.sum, m, why + ": total of " + id);
      } else {
        StatsTally t = SlotLayout.unpack(m, e.count);
        assertArrayEquals(e.counters, t.counters(), why + ": counters of " + id);
        assertEquals(e.sum, t.feeTotal(), why + ": fees of " + id);
      }
    }
  }

  private static String bucketOf(StatsBench bench, Kind kind, Actor account) {
    return new StatsProtocol.Bucket(StatsProtocol.month(bench.ch.now()), kind, account.id).id();
  }

  private static void money(Map<String, Expected> expected, StatsBench bench, Kind kind, Actor account, long amount) {
    Expected e = expected.computeIfAbsent(bucketOf(bench, kind, account), k -> new Expected());
    e.count++;
    e.sum = e.sum.add(BigInteger.valueOf(amount));
  }
}
