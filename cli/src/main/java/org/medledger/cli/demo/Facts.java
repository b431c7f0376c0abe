package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.medledger.cli.CliException;
import org.medledger.cli.ExitCode;

/**
 * The story's facts, checked: an exit code of 0 means they held on this ledger.
 *
 * <ul>
 *   <li>Money: the audit sees what was issued and every transfer; the owners' balances add up to
 *       what was issued; the claim was settled by a transfer of the record's fee; the read after
 *       revocation was denied.
 *   <li>Who reads what: each party with a key reads exactly its own copy of a payment and of the
 *       claimed fee, no member included; the regulator copy: each member's share alone and a pair
 *       are refused (NOT_ENOUGH_SHARES), any three give the amount.
 *   <li>The committee: the regulator account alone cannot issue (COMMITTEE_ACT), nor two members
 *       (NOT_ENOUGH_SIGNATURES), t members can; the audit's disclosure is refused with two shares and
 *       opened by the third, to the amount paid, and the patient lists it; after the re-sharing the
 *       regulator key is unchanged, the departed member's share and a staying member's old share are
 *       refused (by the ledger: MALFORMED_SHARE or SHARE_INVALID), and the new shares open the
 *       settlement to its fee.
 *   <li>Statistics: every RECORDS and PAY bucket lists exactly the contributions the story made to
 *       it (each visit's record, each payment); opening a bucket of the running month is refused
 *       (STATS_NOT_CLOSED). Where months pass (the embedded ledger, on the demo's clock; only there),
 *       last month's opened buckets hold at least k contributions and their published results are
 *       the plaintext sums (count, total, visits per chapter and per age band), opened by t shares,
 *       and the bucket below k is refused (STATS_BELOW_K); on a Fabric network nothing is opened.
 * </ul>
 */
public final class Facts {
  private Facts() {}

  /** Checks the facts {@link Demo#run} returned; DEMO_CHECK_FAILED (exit 1) names every one that did not hold. */
  public static void check(JsonObject facts) throws CliException {
    List<String> failed = new ArrayList<>();
    long issued = 0;
    long paid = 0;
    int transfers = 0;
    String settleTx = "";
    Map<String, Long> amountOf = new java.util.HashMap<>();
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      JsonObject x = e.getAsJsonObject();
      amountOf.put(x.get("txId").getAsString(), x.get("amount").getAsLong());
      if (x.get("kind").getAsString().equals("issue")) {
        issued += x.get("amount").getAsLong();
      } else {
        paid += x.get("amount").getAsLong();
        transfers++;
      }
      if (x.get("kind").getAsString().equals("settle")) {
        settleTx = x.get("txId").getAsString();
      }
    }
    JsonObject audit = facts.getAsJsonObject("audit");
    expect(failed, audit.get("issued").getAsLong() == issued, "the audit's issued total is what was issued");
    expect(failed, audit.get("transfers").getAsInt() == transfers, "the audit lists every transfer");
    long held = 0;
    for (Map.Entry<String, JsonElement> b : facts.getAsJsonObject("balances").entrySet()) {
      held += b.getValue().getAsLong();
    }
    expect(failed, held == issued, "the owners' balances add up to what was issued");
    JsonObject visibility = facts.getAsJsonObject("visibility");
    JsonObject records = facts.getAsJsonObject("records");
    checkVisibility(failed, visibility, records.get("fee").getAsLong(), facts);
    expect(failed, records.get("openedByPatientMatches").getAsBoolean(), "alice opens what st-mary wrote");
    expect(failed, records.get("claimStatus").getAsString().equals("SETTLED"), "the claim is settled");
    expect(failed, records.get("claimTransferTx").getAsString().equals(settleTx), "the claim is linked to the settlement");
    expect(failed, records.get("readAfterRevoke").getAsString().equals("GRANT_REVOKED"), "the read after revocation is denied");
    checkCommittee(failed, facts, amountOf, settleTx);
    checkStats(failed, facts);
    if (!failed.isEmpty()) {
      throw new CliException(ExitCode.INTERNAL, "DEMO_CHECK_FAILED", "the story's facts did not hold: " + String.join("; ", failed));
    }
  }

  private static void checkVisibility(List<String> failed, JsonObject visibility, long fee, JsonObject facts) {
    Map<String, String> own = Map.of("alice", "amountPayer", "st-mary", "amountPayee");
    JsonObject rows = visibility.getAsJsonObject("decryptedBy");
    for (Map.Entry<String, JsonElement> row : rows.entrySet()) {
      for (String copy : List.of("amountPayer", "amountPayee", "amountRegulator")) {
        long v = row.getValue().getAsJsonObject().get(copy).getAsLong();
        expect(failed, v == (copy.equals(own.get(row.getKey())) ? 1_200 : -1), row.getKey() + " reads " + copy + " as expected");
      }
    }
    int members = facts.getAsJsonObject("committee").get("members").getAsInt();
    int threshold = facts.getAsJsonObject("committee").get("threshold").getAsInt();
    for (int i = 1; i <= members; i++) {
      expect(failed, rows.has("member-" + i), "member-" + i + " tried its own key on the three copies");
    }
    for (Map.Entry<String, JsonElement> e : visibility.getAsJsonObject("claimFeeSeenBy").entrySet()) {
      boolean copy = List.of("st-mary", "insurer").contains(e.getKey());
      expect(failed, e.getValue().getAsLong() == (copy ? fee : -1), e.getKey() + " reads the claimed fee as expected");
    }
    JsonObject committee = visibility.getAsJsonObject("committee");
    JsonObject alone = committee.getAsJsonObject("alone");
    expect(failed, alone.size() == members, "every member tried its key share alone");
    for (Map.Entry<String, JsonElement> e : alone.entrySet()) {
      expect(failed, e.getValue().getAsString().equals("NOT_ENOUGH_SHARES"), e.getKey() + "'s key share alone is refused");
    }
    expect(failed, threshold > 2 && committee.get("pair").getAsString().equals("NOT_ENOUGH_SHARES"), "two key shares are refused");
    JsonObject triples = committee.getAsJsonObject("triples");
    expect(failed, triples.size() >= 2, "two different sets of t members decrypted");
    for (Map.Entry<String, JsonElement> e : triples.entrySet()) {
      expect(failed, e.getKey().split("\\+").length == threshold && e.getValue().getAsLong() == 1_200,
          e.getKey() + " together read the regulator copy");
    }
  }

  private static void checkCommittee(List<String> failed, JsonObject facts, Map<String, Long> amountOf, String settleTx) {
    JsonObject committee = facts.getAsJsonObject("committee");
    int threshold = committee.get("threshold").getAsInt();
    JsonObject issue = committee.getAsJsonObject("issue");
    expect(failed, issue.get("regulatorAlone").getAsString().equals("COMMITTEE_ACT"), "the regulator account alone cannot issue");
    expect(failed, issue.get("twoSignatures").getAsString().equals("NOT_ENOUGH_SIGNATURES"), "two members cannot issue");
    expect(failed, distinct(issue.getAsJsonArray("signers")) == threshold, "t members signed the issue");
    expect(failed, amountOf.containsKey(issue.get("txId").getAsString()), "the committee's issue is a step of the story");

    JsonObject d = facts.getAsJsonObject("audit").getAsJsonObject("disclosure");
    expect(failed, d.get("combineWithTwo").getAsString().equals("NOT_ENOUGH_SHARES"), "two shares do not open the audit's request");
    expect(failed, d.getAsJsonArray("statusAfterEachShare").toString().equals("[\"OPEN\",\"OPEN\",\"SHARED\"]"),
        "the audit's request is shared by the third member, not before");
    expect(failed, amountOf.getOrDefault(d.get("txId").getAsString(), -2L) == d.get("plaintext").getAsLong(),
        "the audit's disclosure opens to the amount paid");
    expect(failed, distinct(d.getAsJsonArray("sharedBy")) == threshold, "t members shared for the audit's request");
    expect(failed, d.getAsJsonArray("concerned").toString().contains("\"alice\""), "alice is concerned by the audit's request");
    expect(failed, d.getAsJsonArray("patientTrail").toString().contains("\"" + d.get("id").getAsString() + "\""),
        "alice lists the audit's request in her trail");

    JsonObject r = facts.getAsJsonObject("reshare");
    expect(failed, r.get("epochAfter").getAsLong() == r.get("epochBefore").getAsLong() + 1, "the re-sharing starts a new epoch");
    expect(failed, r.get("regulatorKeyUnchanged").getAsBoolean(), "the re-sharing keeps the regulator key");
    expect(failed, !r.getAsJsonArray("members").toString().contains("\"" + r.get("left").getAsString() + "\""),
        "the member who left is not in the new committee");
    expect(failed, r.get("departedShare").getAsString().equals("NOT_COMMITTEE_MEMBER"), "the departed member's share is refused");
    expect(failed, r.get("oldShareByClient").getAsString().equals("WRONG_COMMITTEE"), "a member's client refuses its old share");
    // An old share is refused by its size (MALFORMED_SHARE: the response bound grew with the re-sharing) or, of the same
    // size, by its proof (SHARE_INVALID); either way the chaincode refuses it and writes nothing.
    expect(failed, Set.of("MALFORMED_SHARE", "SHARE_INVALID").contains(r.get("oldShareByLedger").getAsString()),
        "the ledger refuses a member's old share");
    JsonObject rd = r.getAsJsonObject("disclosure");
    expect(failed, rd.get("txId").getAsString().equals(settleTx) && rd.get("plaintext").getAsLong() == amountOf.getOrDefault(settleTx, -2L),
        "the new committee opens the settlement to its fee");
    expect(failed, rd.getAsJsonArray("statusAfterEachShare").toString().equals("[\"OPEN\",\"OPEN\",\"OPENED\"]"),
        "the settlement's request opens with the third new share, not before");
  }

  /** What the story put into each RECORDS and PAY bucket ({@code month.KIND.owner}): count, total, chapters, age bands. */
  private static final class Expected {
    long count;
    long total;
    final Map<String, Long> chapters = new TreeMap<>();
    final Map<String, Long> bands = new TreeMap<>();
  }

  private static void checkStats(List<String> failed, JsonObject facts) {
    JsonObject s = facts.getAsJsonObject("stats");
    int k = s.get("k").getAsInt();
    boolean embedded = facts.get("ledger").getAsString().startsWith("embedded");
    boolean passed = s.get("monthsPassed").getAsBoolean();
    expect(failed, passed == embedded, "months pass on the embedded ledger, on the demo's clock, and only there");
    expect(failed, s.getAsJsonObject("runningMonth").get("code").getAsString().equals("STATS_NOT_CLOSED"),
        "opening a bucket of the running month is refused");
    Map<String, Expected> expected = new TreeMap<>();
    for (JsonElement e : s.getAsJsonArray("visits")) {
      JsonObject v = e.getAsJsonObject();
      Expected x = expected.computeIfAbsent(v.get("month").getAsString() + ".RECORDS." + v.get("hospital").getAsString(),
          key -> new Expected());
      x.count++;
      x.total += v.get("fee").getAsLong();
      x.chapters.merge(v.get("chapter").getAsString(), 1L, Long::sum);
      x.bands.merge(v.get("ageBand").getAsString(), 1L, Long::sum);
    }
    List<JsonObject> pays = new ArrayList<>();
    s.getAsJsonArray("payments").forEach(e -> pays.add(e.getAsJsonObject()));
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      JsonObject x = e.getAsJsonObject();
      if (x.get("kind").getAsString().equals("pay")) { // the story's payments, in the month the statistics step began
        JsonObject p = x.deepCopy();
        p.addProperty("month", s.get("storyMonth").getAsString());
        pays.add(p);
      }
    }
    for (JsonObject p : pays) {
      Expected x = expected.computeIfAbsent(p.get("month").getAsString() + ".PAY." + p.get("to").getAsString(), key -> new Expected());
      x.count++;
      x.total += p.get("amount").getAsLong();
    }
    Map<String, Long> listed = new TreeMap<>();
    for (JsonElement e : s.getAsJsonArray("buckets")) {
      JsonObject b = e.getAsJsonObject();
      if (Set.of("RECORDS", "PAY").contains(b.get("kind").getAsString())) {
        listed.put(b.get("month").getAsString() + "." + b.get("kind").getAsString() + "." + b.get("owner").getAsString(),
            b.get("contributions").getAsLong());
      }
    }
    expect(failed, expected.keySet().equals(listed.keySet()), "the RECORDS and PAY buckets listed are those the story filled");
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      expect(failed, listed.getOrDefault(e.getKey(), -1L) == e.getValue().count, e.getKey() + " lists every contribution made to it");
    }
    JsonArray opened = s.getAsJsonArray("opened");
    if (!passed) {
      expect(failed, opened.isEmpty() && s.get("chart").getAsString().isEmpty(), "nothing is opened while the month runs");
      return;
    }
    int threshold = facts.getAsJsonObject("reshare").get("threshold").getAsInt();
    List<String> statuses = new ArrayList<>();
    for (int i = 1; i < threshold; i++) {
      statuses.add("OPEN");
    }
    statuses.add("OPENED");
    Set<String> kinds = new HashSet<>();
    for (JsonElement e : opened) {
      JsonObject o = e.getAsJsonObject();
      String key = o.get("month").getAsString() + "." + o.get("kind").getAsString() + "." + o.get("owner").getAsString();
      Expected x = expected.getOrDefault(key, new Expected());
      kinds.add(o.get("kind").getAsString());
      expect(failed, o.get("month").getAsString().equals(s.get("lastMonth").getAsString()), key + " is a bucket of last month");
      expect(failed, o.get("count").getAsLong() >= k && o.get("count").getAsLong() == x.count && o.get("folded").getAsLong() == x.count,
          key + " opens with its " + x.count + " contributions, at least k");
      expect(failed, o.get("total").getAsLong() == x.total, key + "'s published total is the sum of what was put in");
      if (o.get("kind").getAsString().equals("RECORDS")) {
        expect(failed, counts(o.getAsJsonObject("chapters")).equals(x.chapters), key + "'s visits per chapter are the visits'");
        expect(failed, counts(o.getAsJsonObject("ageBands")).equals(x.bands), key + "'s visits per age band are the visits'");
      }
      expect(failed, distinct(o.getAsJsonArray("sharedBy")) == threshold, key + " was opened by t members' shares");
      expect(failed, o.getAsJsonArray("statusAfterEachShare").toString().equals(new com.google.gson.Gson().toJson(statuses)),
          key + " opens with the t-th share, not before");
    }
    expect(failed, kinds.equals(Set.of("RECORDS", "PAY")), "the committee opened last month's RECORDS and PAY buckets");
    JsonObject below = s.getAsJsonObject("belowK");
    String belowKey = below.get("month").getAsString() + "." + below.get("kind").getAsString() + "." + below.get("owner").getAsString();
    long belowCount = below.get("contributions").getAsLong();
    expect(failed, below.get("code").getAsString().equals("STATS_BELOW_K") && belowCount < k, "a bucket below k is refused");
    expect(failed, expected.containsKey(belowKey) && expected.get(belowKey).count == belowCount,
        belowKey + ", below k, holds what the story put in");
    expect(failed, !s.get("chart").getAsString().isEmpty(), "the chart was written");
  }

  private static Map<String, Long> counts(JsonObject o) {
    Map<String, Long> m = new TreeMap<>();
    if (o != null) {
      o.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().getAsLong()));
    }
    return m;
  }

  private static int distinct(com.google.gson.JsonArray a) {
    Set<String> s = new HashSet<>();
    a.forEach(x -> s.add(x.getAsString()));
    return s.size();
  }

  private static void expect(List<String> failed, boolean ok, String what) {
    if (!ok) {
      failed.add("not true that " + what);
    }
  }
}
