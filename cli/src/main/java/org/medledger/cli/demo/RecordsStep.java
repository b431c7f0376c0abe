package org.medledger.cli.demo;

import com.google.gson.JsonObject;
import java.util.Locale;
import org.medledger.sdk.MedicalRecord;
import org.medledger.sdk.RecordAccessDeniedException;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * Records, consent and a claim: st-mary writes a record about alice; alice opens it; st-mary
 * claims its fee from the insurer; alice grants the insurer; the insurer settles (a logged read,
 * a fee check, a confidential transfer); alice revokes, and the insurer's next read is denied
 * and logged.
 */
final class RecordsStep {
  private RecordsStep() {}

  static JsonObject run(Narrator say, Steps steps, Party insurer, Party stMary, Party alice) throws Exception {
    say.heading("st-mary writes a record about alice: a synthetic Table 1 record, encrypted under alice's key");
    MedicalRecord visit = new SyntheticRecords(2026).next();
    long t = System.nanoTime();
    RecordClient.Written w = stMary.records().write(alice.account(), "visit", visit);
    say.say(String.format(Locale.ROOT, "    record %s (visit, version %d), tx %s  (encrypt, prove, commit %.2f s)", w.recordId(),
        w.version(), w.txId().substring(0, 12), (System.nanoTime() - t) / 1e9));
    say.say("    on the ledger: ciphertext segments under alice's key, a proof, st-mary's signed commitment; no content");
    RecordClient.Opened own = alice.records().open(w.recordId());
    MedicalRecord opened = own.medicalRecord();
    say.say("    alice opens it with her key: " + opened.name() + " (" + opened.idNumber() + "), fee " + Narrator.amount(opened.fee())
        + ", \"" + opened.prescription() + "\"");

    say.heading("st-mary claims the visit's fee from the insurer (the fee is encrypted for st-mary, the insurer and the regulator)");
    String claimId = stMary.records().fileClaim(w.recordId(), insurer.account(), visit.fee());
    say.say("    claim " + claimId);

    say.heading("alice consents: she grants the insurer access to this record (re-encrypted for the insurer, with a proof)");
    t = System.nanoTime();
    String grantId = alice.records().grantRecord(insurer.account(), w.recordId(), null);
    say.say(String.format(Locale.ROOT, "    grant %s  (re-encrypt, prove, commit %.2f s)", grantId, (System.nanoTime() - t) / 1e9));

    say.heading("The insurer settles the claim: reads the record under the grant (logged), checks the fee, pays st-mary");
    t = System.nanoTime();
    RecordClient.ClaimInfo settled = insurer.records().settleClaim(claimId, grantId);
    steps.add("settle", insurer.label(), stMary.label(), settled.fee(), settled.transferTx(), (System.nanoTime() - t) / 1_000_000);
    say.say("    claim " + settled.status() + ": linked to read " + settled.readTx().substring(0, 12) + " and transfer "
        + settled.transferTx().substring(0, 12));

    say.heading("alice revokes the grant; the insurer's next read is denied, and the denial is logged");
    alice.records().revoke(grantId);
    String denied;
    try {
      insurer.records().read(grantId, w.recordId());
      denied = "";
    } catch (RecordAccessDeniedException e) {
      denied = e.code();
      say.say("    denied: " + e.code() + " (tx " + e.txId().substring(0, 12) + ")");
    }
    say.say("    what the insurer read before stays read; revocation stops further reads (docs/records.md §3)");

    JsonObject out = new JsonObject();
    out.addProperty("recordId", w.recordId());
    out.addProperty("fee", visit.fee());
    out.addProperty("openedByPatientMatches", opened.equals(visit));
    out.addProperty("claimId", claimId);
    out.addProperty("grantId", grantId);
    out.addProperty("claimStatus", settled.status());
    out.addProperty("claimTransferTx", settled.transferTx());
    out.addProperty("readAfterRevoke", denied);
    return out;
  }
}
