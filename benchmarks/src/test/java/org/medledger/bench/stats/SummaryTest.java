package org.medledger.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void orderStatisticsOfUnsortedSamplesFollowCpuTimeHarness() {
    // Sorted: 1 2 3 4 5 6 7 8 9 → n = 9: median s[4] = 5, q1 s[2] = 3, q3 s[6] = 7.
    Summary s = Summary.of(9, 1, 8, 2, 7, 3, 6, 4, 5);
    assertEquals(9, s.n());
    assertEquals(5, s.median());
    assertEquals(3, s.q1());
    assertEquals(7, s.q3());
    assertEquals(1, s.min());
    assertEquals(9, s.max());
    assertEquals(45, s.total());
  }

  @Test
  void evenCountTakesTheUpperMiddleAndDoesNotReorderTheCallersArray() {
    double[] in = {4, 1, 3, 2};
    Summary s = Summary.of(in);
    assertEquals(3, s.median());
    assertEquals(2, s.q1());
    assertEquals(4, s.q3());
    assertEquals(4, in[0]);
    assertEquals(Summary.of(List.of(4.0, 1.0, 3.0, 2.0)), s);
  }

  @Test
  void noSamplesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Summary.of());
    assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
  }

  @Test
  void jsonMembersCarryThePrefixAndAreRoundedToMicroseconds() {
    JsonObject o = new JsonObject();
    Summary.of(0.1234567, 2.0004444).addTo(o, "fold_");
    assertEquals(2.0, o.get("fold_median_ms").getAsDouble());
    assertEquals(0.123, o.get("fold_min_ms").getAsDouble());
    assertEquals(2.124, o.get("fold_total_ms").getAsDouble());
    assertEquals(2, o.get("fold_samples").getAsInt());
  }
}
