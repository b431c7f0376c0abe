package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.sdk.Disclosure;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.Transfer;

/**
 * The committee's audit. A member lists every transaction through RegulatorOrg (issues with their
 * public amounts, transfers only as ciphertexts) and the access trail of every patient's records.
 * Then one payment is disclosed: a member opens a PRIVATE disclosure request with a reason stored
 * on chain; two other members' decryption shares reach the requester and cannot open it
 * (NOT_ENOUGH_SHARES); the third's does. The patient concerned lists the request in her trail.
 */
final class Audit {
  static final String REASON = "audit of st-mary's billing: alice's visit payment";

  private Audit() {}

  static JsonObject run(Narrator say, Cast cast, Committee committee, String auditedTx) throws Exception {
    Party auditor = cast.get("member-1");
    say.heading("The committee audits: member-1 lists every transaction (RegulatorOrg's view); the amounts of transfers are"
        + " ciphertexts under the committee's key, which no member can read alone");
    long issued = 0;
    int transfers = 0;
    List<Transfer> entries = auditor.client().audit();
    for (Transfer e : entries) {
      say.say(String.format("    %-8s %-11s -> %-11s %10s", e.kind(), cast.labelOf(e.from()), cast.labelOf(e.to()),
          e.amount().isPresent() ? Narrator.amount(e.amount().getAsLong()) : "(sealed)"));
      if (e.kind().equals("ISSUE")) {
        issued += e.amount().orElse(-1);
      } else if (e.kind().equals("TRANSFER")) {
        transfers++;
      }
    }
    say.say("    issued " + Narrator.amount(issued) + " (public); " + transfers + " transfers, their amounts sealed");
    say.say("    and the access trail of every patient's records:");
    JsonArray trail = new JsonArray();
    for (RecordClient.Access x : auditor.records().auditTrail("")) {
      say.say(String.format("    %-8s %-11s read %s of %s%s", x.granted() ? "GRANTED" : "DENIED", cast.labelOf(x.reader()),
          x.recordId().substring(0, Math.min(16, x.recordId().length())), cast.labelOf(x.patient()),
          x.granted() ? "" : " (" + x.code() + ")"));
      JsonObject e = new JsonObject();
      e.addProperty("reader", cast.labelOf(x.reader()));
      e.addProperty("patient", cast.labelOf(x.patient()));
      e.addProperty("granted", x.granted());
      e.addProperty("code", x.code());
      trail.add(e);
    }
    JsonObject a = new JsonObject();
    a.add("trail", trail);
    a.addProperty("transactions", entries.size());
    a.addProperty("issued", issued);
    a.addProperty("transfers", transfers);
    a.add("disclosure", disclose(say, cast, committee, auditedTx));
    return a;
  }

  private static JsonObject disclose(Narrator say, Cast cast, Committee committee, String txId) throws Exception {
    Party requester = cast.get("member-2");
    say.heading("member-2 asks the committee to disclose alice's payment to st-mary: a PRIVATE disclosure request (only"
        + " member-2 learns the amount; its reason and who shared are on chain)");
    Disclosure d = requester.committee().open(CommitteeProtocol.Target.TRANSFER, txId, "", REASON, CommitteeProtocol.Mode.PRIVATE);
    say.say("    request " + d.id().substring(0, Math.min(24, d.id().length())) + "…  reason \"" + d.reason() + "\"");
    List<byte[]> received = new ArrayList<>();
    List<String> sharers = List.of("member-1", "member-3", "member-4");
    JsonArray statuses = new JsonArray();
    String withTwo = "";
    long plaintext = -1;
    for (String label : sharers) {
      Party m = cast.get(label);
      received.add(m.committee().sharePrivately(d.id(), committee.share(label)));
      String status = requester.committee().disclosure(d.id()).status();
      statuses.add(status);
      if (received.size() == committee.publicKey().threshold() - 1) {
        withTwo = Committee.refusal(() -> requester.committee().combine(d.id(), received));
        say.say("    " + String.join(" and ", sharers.subList(0, received.size())) + " send their decryption shares to member-2"
            + " (digests on chain, status " + status + "): combining them is refused, " + withTwo);
      }
    }
    plaintext = requester.committee().combine(d.id(), received).longValueExact();
    Disclosure done = requester.committee().disclosure(d.id());
    say.say("    " + sharers.get(2) + "'s share is the third (status " + done.status() + "): member-2 checks each against its digest"
        + " on chain, verifies the proofs and combines them: " + Narrator.amount(plaintext));

    Party alice = cast.get("alice");
    List<Disclosure> aliceTrail = alice.committee().trail();
    say.say("    alice lists the disclosures of her payments (a signed query):");
    JsonArray seen = new JsonArray();
    for (Disclosure x : aliceTrail) {
      say.say(String.format("      %s by %s, shared by %s: \"%s\" (%s)", x.targetKind(), cast.labelOf(x.requester()),
          String.join(", ", cast.labelsOf(x.sharedBy())), x.reason(), x.status()));
      seen.add(x.id());
    }
    JsonObject o = new JsonObject();
    o.addProperty("id", d.id());
    o.addProperty("txId", txId);
    o.addProperty("mode", d.mode().name());
    o.addProperty("requester", requester.label());
    o.add("statusAfterEachShare", statuses);
    o.addProperty("combineWithTwo", withTwo);
    o.addProperty("plaintext", plaintext);
    JsonArray by = new JsonArray();
    cast.labelsOf(done.sharedBy()).forEach(by::add);
    o.add("sharedBy", by);
    JsonArray concerned = new JsonArray();
    cast.labelsOf(done.concerned()).forEach(concerned::add);
    o.add("concerned", concerned);
    o.add("patientTrail", seen);
    return o;
  }
}
