package org.medledger.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;

/** The till windows' layout of prebuilt transfers (TillBatches): every transfer still valid when sent. */
class TillBatchesTest {
  private static final String PAYEE = "hospital";

  /** A signed-request-shaped transfer: what TillBatches reads of it (body.account, body.nonce, body.to). */
  private static String request(String payer, long nonce, String to) {
    JsonObject body = new JsonObject();
    body.addProperty("type", "transfer");
    body.addProperty("account", payer);
    body.addProperty("nonce", nonce);
    body.addProperty("to", to);
    JsonObject r = new JsonObject();
    r.add("body", body);
    r.addProperty("signature", "sig-" + payer + "-" + nonce);
    return CanonicalJson.toString(r);
  }

  /** Payer i's chain of n transfers, nonces from 5 + i (payers are at different nonces). */
  private static List<List<String>> chains(int payers, int n) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < payers; i++) {
      List<String> c = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        c.add(request("p" + i, 5 + i + k, PAYEE));
      }
      out.add(c);
    }
    return out;
  }

  private static JsonArray members(String batch) {
    return CanonicalJson.parseObject(batch).getAsJsonArray("transfers");
  }

  private static JsonObject body(JsonArray members, int i) {
    return members.get(i).getAsJsonObject().getAsJsonObject("body");
  }

  @Test
  void eachTillSendsItsOwnSixteenPayersOneTransferEachInNonceOrder() {
    List<List<String>> chains = chains(40, 3); // more payers than the tills need: the first 32 are used
    List<List<String>> tills = TillBatches.batches(chains, 2);
    assertEquals(2, tills.size());
    Set<String> allPayers = new HashSet<>();
    for (int t = 0; t < 2; t++) {
      assertEquals(3, tills.get(t).size());
      for (int k = 0; k < 3; k++) {
        JsonArray m = members(tills.get(t).get(k));
        assertEquals(16, m.size());
        for (int i = 0; i < 16; i++) {
          int p = 16 * t + i;
          JsonObject b = body(m, i);
          assertEquals("p" + p, b.get("account").getAsString());
          assertEquals(5 + p + k, b.get("nonce").getAsLong(), "batch k carries each payer's k-th transfer");
          assertEquals(PAYEE, b.get("to").getAsString());
          // the member is the payer's signed request, unchanged
          assertEquals(chains.get(p).get(k), CanonicalJson.toString(m.get(i).getAsJsonObject()));
          allPayers.add(b.get("account").getAsString());
        }
      }
    }
    assertEquals(32, allPayers.size(), "no payer is in two tills");
    assertEquals(List.of(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31), TillBatches.payersOf(1, 2));
  }

  @Test
  void tooFewPayersOrUnequalChainsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TillBatches.batches(chains(31, 3), 2));
    assertThrows(IllegalArgumentException.class, () -> TillBatches.batches(chains(16, 3), 0));
    List<List<String>> uneven = chains(16, 3);
    uneven.set(7, uneven.get(7).subList(0, 2));
    assertThrows(IllegalArgumentException.class, () -> TillBatches.batches(uneven, 1));
    assertThrows(IllegalArgumentException.class, () -> TillBatches.batches(chains(16, 0), 1));
    assertThrows(IllegalArgumentException.class, () -> TillBatches.payersOf(2, 2));
  }

  @Test
  void checkRefusesBatchesSentOutOfOrder() {
    List<List<String>> tills = TillBatches.batches(chains(16, 3), 1);
    List<String> swapped = new ArrayList<>(tills.get(0));
    swapped.set(0, tills.get(0).get(1));
    swapped.set(1, tills.get(0).get(0));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TillBatches.check(List.of(swapped)));
    assertTrue(e.getMessage().contains("nonce"), e.getMessage());
  }

  @Test
  void checkRefusesAPayerInTwoTills() {
    // Two tills built from the same 16 payers: their batches would be in flight at once.
    List<List<String>> a = TillBatches.batches(chains(16, 2), 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TillBatches.check(List.of(a.get(0), a.get(0))));
    assertTrue(e.getMessage().contains("tills 0 and 1"), e.getMessage());
  }

  @Test
  void checkRefusesAPayerTwiceInABatchAMixedPayeeAShortBatchAndADroppedPayer() {
    JsonArray twice = new JsonArray();
    JsonArray mixed = new JsonArray();
    JsonArray shortBatch = new JsonArray();
    for (int i = 0; i < 16; i++) {
      twice.add(CanonicalJson.parseObject(request(i == 15 ? "p0" : "p" + i, 9, PAYEE)));
      mixed.add(CanonicalJson.parseObject(request("p" + i, 9, i == 3 ? "insurer" : PAYEE)));
      if (i < 15) {
        shortBatch.add(CanonicalJson.parseObject(request("p" + i, 9, PAYEE)));
      }
    }
    assertTrue(assertThrows(IllegalStateException.class, () -> TillBatches.check(List.of(List.of(TillBatches.batch(twice)))))
        .getMessage().contains("twice"));
    assertTrue(assertThrows(IllegalStateException.class, () -> TillBatches.check(List.of(List.of(TillBatches.batch(mixed)))))
        .getMessage().contains("pays"));
    assertTrue(assertThrows(IllegalStateException.class, () -> TillBatches.check(List.of(List.of(TillBatches.batch(shortBatch)))))
        .getMessage().contains("holds 15"));
    // batch 1 replaces payer p15 by a payer the till never had: p15's chain would stop, the newcomer start mid-way
    List<List<String>> ok = TillBatches.batches(chains(17, 2), 1);
    JsonArray second = members(ok.get(0).get(1));
    second.set(15, CanonicalJson.parseObject(request("p16", 22, PAYEE)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TillBatches.check(List.of(List.of(ok.get(0).get(0), TillBatches.batch(second)))));
    assertTrue(e.getMessage().contains("p16"), e.getMessage());
  }

  @Test
  void fundingPlanPaysEveryNewPayerOnceFromFundersInParallel() {
    List<List<Integer>> plan = TillBatches.fundingPlan(32, 96, 32);
    assertEquals(32, plan.size());
    assertEquals(List.of(32, 64, 96), plan.get(0));
    assertEquals(List.of(63, 95, 127), plan.get(31));
    Map<Integer, Integer> times = new HashMap<>();
    for (List<Integer> f : plan) {
      for (int j : f) {
        times.merge(j, 1, Integer::sum);
      }
    }
    assertEquals(96, times.size());
    for (int j = 32; j < 128; j++) {
      assertEquals(1, times.get(j), "payer " + j);
    }
    // fewer new payers than funders: some funders pay nobody
    List<List<Integer>> few = TillBatches.fundingPlan(32, 5, 32);
    assertEquals(List.of(32), few.get(0));
    assertEquals(List.of(), few.get(5));
    assertThrows(IllegalArgumentException.class, () -> TillBatches.fundingPlan(8, 10, 16), "a funder may not be a new payer");
  }

  @Test
  void batchesPerTillCoverOneAndAHalfTimesTheExpectedRate() {
    assertEquals(9, TillBatches.batchesPerTill(24.5, 30, 8)); // 1.5 × 24.5 × 30 / 16 / 8 = 8.6
    assertEquals(3, TillBatches.batchesPerTill(0, 30, 8));
    assertEquals(3, TillBatches.batchesPerTill(2, 30, 8));
  }
}
