package org.medledger.crypto.stats;

import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE_SK;
import static org.medledger.crypto.stats.StatsFixtures.RND;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.paillier.PaillierCiphertext;

/**
 * Round trip of aggregation (docs/protocol.md §11.5): for random workloads, folding the packed
 * ciphertexts in any order and opening the aggregate gives exactly the plaintext sums per chapter, per
 * band and of the fees.
 */
class StatsAggregateProperties {
  record Visit(IcdChapter chapter, AgeBand band, long fee) {}

  @Provide
  Arbitrary<List<Visit>> workloads() {
    Arbitrary<Long> fees = Arbitraries.oneOf(Arbitraries.longs().between(0, (1L << 40) - 1),
        Arbitraries.of(0L, (1L << 40) - 1));
    Arbitrary<Visit> visit = Combinators.combine(Arbitraries.of(IcdChapter.class), Arbitraries.of(AgeBand.class), fees)
        .as(Visit::new);
    return visit.list().ofMinSize(0).ofMaxSize(12);
  }

  /** The packed ciphertext an honest contribution yields, built from fresh encryptions (no proof). */
  private static PaillierCiphertext packed(Visit v) {
    PaillierCiphertext[] c = new PaillierCiphertext[SlotLayout.COUNTERS];
    for (int i = 0; i < c.length; i++) {
      boolean one = i == SlotLayout.slot(v.chapter()) || i == SlotLayout.slot(v.band());
      c[i] = COMMITTEE.encrypt(one ? 1 : 0, RND);
    }
    return SlotLayout.packCiphertexts(COMMITTEE, c, COMMITTEE.encrypt(v.fee(), RND));
  }

  private static void check(List<Visit> visits, StatsTally t) {
    Assertions.assertEquals(visits.size(), t.count());
    for (IcdChapter ch : IcdChapter.values()) {
      Assertions.assertEquals(visits.stream().filter(v -> v.chapter() == ch).count(), t.count(ch), ch.name());
    }
    for (AgeBand b : AgeBand.values()) {
      Assertions.assertEquals(visits.stream().filter(v -> v.band() == b).count(), t.count(b), b.name());
    }
    BigInteger fees = visits.stream().map(v -> BigInteger.valueOf(v.fee())).reduce(BigInteger.ZERO, BigInteger::add);
    Assertions.assertEquals(fees, t.feeTotal());
  }

  @Property(tries = 25)
  void aggregateOfARandomWorkloadOpensToThePlaintextSums(@ForAll("workloads") List<Visit> visits) {
    List<PaillierCiphertext> cts = new ArrayList<>();
    for (Visit v : visits) {
      cts.add(packed(v));
    }
    StatsAggregate inOrder = StatsAggregate.empty(COMMITTEE);
    for (PaillierCiphertext c : cts) {
      inOrder = inOrder.plus(c);
    }
    // Folded in two batches in another order: the same bytes.
    List<PaillierCiphertext> shuffled = new ArrayList<>(cts);
    Collections.shuffle(shuffled, RND);
    StatsAggregate first = StatsAggregate.empty(COMMITTEE);
    StatsAggregate second = StatsAggregate.empty(COMMITTEE);
    for (int i = 0; i < shuffled.size(); i++) {
      if (i % 2 == 0) {
        first = first.plus(shuffled.get(i));
      } else {
        second = second.plus(shuffled.get(i));
      }
    }
    Assertions.assertArrayEquals(inOrder.toBytes(), first.merge(second).toBytes());
    check(visits, inOrder.open(COMMITTEE_SK.decrypt(inOrder.ciphertext())));
  }

  @Test
  void verifiedContributionsAggregateToThePlaintextSums() {
    // The same round trip through the real prover and verifier, on a small random workload.
    List<Visit> visits = new ArrayList<>();
    StatsAggregate agg = StatsAggregate.empty(COMMITTEE);
    for (int i = 0; i < 4; i++) {
      Visit v = new Visit(IcdChapter.ofIndex(RND.nextInt(IcdChapter.COUNT)), AgeBand.ofIndex(RND.nextInt(AgeBand.COUNT)),
          RND.nextLong() & ((1L << 40) - 1));
      visits.add(v);
      StatsContext ctx = new StatsContext("medchannel", "medledger", "rec-" + i, "hospital-A", "2026-11");
      StatsContribution c = StatsContribution.prove(COMMITTEE, ctx, v.chapter(), v.band(), v.fee(), RND);
      agg = agg.plus(StatsContribution.fromBytes(c.toBytes(), COMMITTEE).verify(COMMITTEE, ctx));
    }
    check(visits, agg.open(COMMITTEE_SK.decrypt(agg.ciphertext())));
  }
}
