package org.medledger.cli.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
