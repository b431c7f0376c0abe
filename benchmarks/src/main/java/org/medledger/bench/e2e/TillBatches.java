package org.medledger.bench.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Limits;

/**
 * How the till windows ({@link TillRuns}) lay out prebuilt transfers so that every one is still
 * valid when it is submitted. A transfer's proof is made on its payer's balance ciphertext and
 * carries the payer's next nonce, so a payer's transfers must commit one after the other, in
 * order. The till windows run T tills at once, each sending one batch at a time and waiting for
 * its commit; a batch holds {@link Limits#MAX_BATCH_TRANSFERS} transfers from as many different
 * payers. So:
 * <ul>
 *   <li>till t owns payers {@code [16t, 16t + 16)}, and no other till ever sends their transfers
 *       (two batches in flight at once holding the same payer would spend from the same balance:
 *       the second to be ordered would be refused);
 *   <li>till t's k-th batch holds the k-th transfer of each of its 16 payers: since a till's
 *       batches commit one after the other, each payer's chain commits in nonce order.
 * </ul>
 * So T tills need 16·T payers, and a payer's chain is as long as its till's number of batches.
 */
final class TillBatches {
  static final int PER_BATCH = Limits.MAX_BATCH_TRANSFERS;

  private TillBatches() {}

  /** The payers (indices) till {@code t} owns, of {@code tills} tills. */
  static List<Integer> payersOf(int t, int tills) {
    if (t < 0 || t >= tills) {
      throw new IllegalArgumentException("till " + t + " of " + tills);
    }
    List<Integer> out = new ArrayList<>(PER_BATCH);
    for (int i = 0; i < PER_BATCH; i++) {
      out.add(t * PER_BATCH + i);
    }
    return out;
  }

  /**
   * The tills' batches: {@code chains.get(p)} is payer p's chain of signed transfer requests to one
   * payee (consecutive nonces, each on the balance the one before leaves), all chains equally long
   * and at least 16·{@code tills} of them. Returns, for each till, its batches in sending order
   * ({@code {"transfers":[…]}}, canonical JSON).
   */
  static List<List<String>> batches(List<List<String>> chains, int tills) {
    if (tills < 1 || chains.size() < PER_BATCH * tills) {
      throw new IllegalArgumentException(tills + " tills need " + PER_BATCH * tills + " payers, not " + chains.size());
    }
    int n = chains.get(0).size();
    for (List<String> c : chains) {
      if (c.size() != n || n == 0) {
        throw new IllegalArgumentException("every payer's chain must hold the same number (≥ 1) of transfers");
      }
    }
    List<List<String>> out = new ArrayList<>();
    for (int t = 0; t < tills; t++) {
      List<String> batches = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        JsonArray members = new JsonArray();
        for (int p : payersOf(t, tills)) {
          members.add(CanonicalJson.parseObject(chains.get(p).get(k)));
        }
        batches.add(batch(members));
      }
      out.add(batches);
    }
    check(out);
    return out;
  }

  static String batch(JsonArray members) {
    JsonObject b = new JsonObject();
    b.add("transfers", members);
    return CanonicalJson.toString(b);
  }

  /**
   * Refuses a layout in which a prebuilt transfer could be stale when sent: each batch must hold
   * 16 transfers from 16 different payers to one payee; no payer may appear in two tills; and
   * along a till's batches each payer's nonces must follow one another (k-th batch: first + k).
   *
   * @throws IllegalStateException naming the first violation
   */
  static void check(List<List<String>> tills) {
    Map<String, Integer> tillOf = new HashMap<>();
    String payee = null;
    for (int t = 0; t < tills.size(); t++) {
      Map<String, Long> next = new HashMap<>();
      List<String> batches = tills.get(t);
      for (int k = 0; k < batches.size(); k++) {
        JsonArray members = CanonicalJson.parseObject(batches.get(k)).getAsJsonArray("transfers");
        if (members.size() != PER_BATCH) {
          throw new IllegalStateException("till " + t + " batch " + k + " holds " + members.size() + " transfers");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
          JsonObject body = members.get(i).getAsJsonObject().getAsJsonObject("body");
          String payer = body.get("account").getAsString();
          long nonce = body.get("nonce").getAsLong();
          String to = body.get("to").getAsString();
          if (payee == null) {
            payee = to;
          } else if (!payee.equals(to)) {
            throw new IllegalStateException("till " + t + " batch " + k + " pays " + to + " and " + payee);
          }
          if (!seen.add(payer)) {
            throw new IllegalStateException("till " + t + " batch " + k + " holds payer " + payer + " twice");
          }
          Integer owner = tillOf.putIfAbsent(payer, t);
          if (owner != null && owner != t) {
            throw new IllegalStateException("payer " + payer + " is in tills " + owner + " and " + t);
          }
          Long expected = next.get(payer);
          if (k > 0 && (expected == null || expected != nonce)) {
            throw new IllegalStateException("till " + t + " batch " + k + ": payer " + payer + " nonce " + nonce
                + (expected == null ? " is new" : ", expected " + expected));
          }
          next.put(payer, nonce + 1);
        }
        if (k > 0 && seen.size() != next.size()) {
          throw new IllegalStateException("till " + t + " batch " + k + " leaves out a payer of its earlier batches");
        }
      }
    }
  }

  /**
   * For funding {@code count} new payers (indices {@code first}, {@code first + 1}, …) from
   * {@code funders} funded accounts (indices 0..funders−1): funder f pays new payers
   * {@code first + f}, {@code first + f + funders}, … one after the other (its own chain), the funders
   * in parallel.
   */
  static List<List<Integer>> fundingPlan(int first, int count, int funders) {
    if (funders < 1 || first < funders) {
      throw new IllegalArgumentException("funders 0.." + (funders - 1) + " must come before the first new payer " + first);
    }
    List<List<Integer>> out = new ArrayList<>();
    for (int f = 0; f < funders; f++) {
      List<Integer> mine = new ArrayList<>();
      for (int j = first + f; j < first + count; j += funders) {
        mine.add(j);
      }
      out.add(mine);
    }
    return out;
  }

  /**
   * Batches each till prebuilds for a window of {@code seconds} at up to {@code paymentsPerSecond}
   * (1.5× the rate expected, at least 3), so that the window does not run out.
   */
  static int batchesPerTill(double paymentsPerSecond, long seconds, int tills) {
    return (int) Math.max(3, Math.ceil(1.5 * paymentsPerSecond * seconds / PER_BATCH / tills));
  }
}
