package org.medledger.cli.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medledger.cli.CliException;
import org.medledger.cli.ExitCode;

/**
 * The story's facts, checked: an exit code of 0 means they held on this ledger. The regulator's
 * audit sums to what was issued and paid, the owners' balances add up to what was issued, each
 * party reads exactly its own copy of a payment and of the claimed fee, the claim was settled
 * by a transfer of the record's fee, the read after revocation was denied.
 */
public final class Facts {
  private Facts() {}

  /** Checks the facts {@link Demo#run} returned; DEMO_CHECK_FAILED (exit 1) names every one that did not hold. */
  public static void check(JsonObject facts) throws CliException {
    List<String> failed = new ArrayList<>();
    long issued = 0;
    long paid = 0;
    String settleTx = "";
    for (JsonElement e : facts.getAsJsonArray("steps")) {
      JsonObject x = e.getAsJsonObject();
      if (x.get("kind").getAsString().equals("issue")) {
        issued += x.get("amount").getAsLong();
      } else {
        paid += x.get("amount").getAsLong();
      }
      if (x.get("kind").getAsString().equals("settle")) {
        settleTx = x.get("txId").getAsString();
      }
    }
    JsonObject audit = facts.getAsJsonObject("audit");
    expect(failed, audit.get("issued").getAsLong() == issued, "the audit's issued total is what was issued");
    expect(failed, audit.get("transferred").getAsLong() == paid, "the audit's transferred total is what was paid");
    long held = 0;
    for (Map.Entry<String, JsonElement> b : facts.getAsJsonObject("balances").entrySet()) {
      held += b.getValue().getAsLong();
    }
    expect(failed, held == issued, "the owners' balances add up to what was issued");
    JsonObject visibility = facts.getAsJsonObject("visibility");
    Map<String, String> own = Map.of("alice", "amountPayer", "st-mary", "amountPayee", "regulator", "amountRegulator");
    for (Map.Entry<String, JsonElement> row : visibility.getAsJsonObject("decryptedBy").entrySet()) {
      for (String copy : List.of("amountPayer", "amountPayee", "amountRegulator")) {
        long v = row.getValue().getAsJsonObject().get(copy).getAsLong();
        expect(failed, v == (copy.equals(own.get(row.getKey())) ? 1_200 : -1), row.getKey() + " reads " + copy + " as expected");
      }
    }
    JsonObject records = facts.getAsJsonObject("records");
    long fee = records.get("fee").getAsLong();
    for (Map.Entry<String, JsonElement> e : visibility.getAsJsonObject("claimFeeSeenBy").entrySet()) {
      boolean copy = List.of("st-mary", "insurer", "regulator").contains(e.getKey());
      expect(failed, e.getValue().getAsLong() == (copy ? fee : -1), e.getKey() + " reads the claimed fee as expected");
    }
    expect(failed, records.get("openedByPatientMatches").getAsBoolean(), "alice opens what st-mary wrote");
    expect(failed, records.get("claimStatus").getAsString().equals("SETTLED"), "the claim is settled");
    expect(failed, records.get("claimTransferTx").getAsString().equals(settleTx), "the claim is linked to the settlement");
    expect(failed, records.get("readAfterRevoke").getAsString().equals("GRANT_REVOKED"), "the read after revocation is denied");
    if (!failed.isEmpty()) {
      throw new CliException(ExitCode.INTERNAL, "DEMO_CHECK_FAILED", "the story's facts did not hold: " + String.join("; ", failed));
    }
  }

  private static void expect(List<String> failed, boolean ok, String what) {
    if (!ok) {
      failed.add("not true that " + what);
    }
  }
}
