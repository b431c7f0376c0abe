package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.sdk.internal.Requests;

/**
 * Findings of the adversarial review of the committee contract (issue 13), each a test that failed
 * before its fix (docs/chaincode.md §10.3).
 */
class CommitteeReviewTest {

  /**
   * A claim's fee under the regulator key is not proven (docs/records.md §5): the hospital can file
   * a claim whose {@code feeRegulator} is a re-randomised copy of any other payment's regulator
   * ciphertext. Opening a CLAIM_FEE disclosure of that claim would decrypt the other payment while
   * its payer and payee never see the request in their trails. The contract must refuse claim fees
   * as disclosure targets (UNPROVEN_TARGET) and write nothing.
   */
  @Test
  void aClaimFeeCannotSmuggleAnotherPaymentPastItsTrail() throws Exception {
    CommitteeChannel ch = new CommitteeChannel();
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 10_000), 1, 2, 3);
    AccountSecrets otherSecrets = AccountSecrets.generate(Role.PATIENT, TestKeys.key2048a(), CommitteeChannel.RND);
    new AccountClient(otherSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND).register();
    // A payment neither the claim's patient nor its hospital takes part in.
    Transfer victim = ch.insurer.pay(otherSecrets.accountId(), 777);

    RecordClient hospital = new RecordClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    RecordClient.Written rec = hospital.writeDocument(ch.patient.accountId(), "lab",
        "synthetic lab result 7".getBytes(StandardCharsets.UTF_8));
    Requests rq = new Requests(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    PaillierPublicKey reg = rq.key(rq.regulator());
    JsonObject record = rq.transactionRecord(victim.txId()).orElseThrow();
    PaillierCiphertext copied = reg.rerandomize(
        Requests.ciphertext(reg, record.get("amountRegulator").getAsString()), CommitteeChannel.RND);
    String response = rq.submit("records:fileClaim", nonce -> {
      JsonObject b = rq.body("claim.file", nonce);
      b.addProperty("claimId", RecordProtocol.claimId("medchannel", "medledger", rq.accountId(), nonce));
      b.addProperty("recordId", rec.recordId());
      b.addProperty("insurer", ch.insurer.accountId());
      b.addProperty("feeHospital", Requests.b64(ch.hospitalSecrets.paillier().publicKey().encrypt(250, rq.random()).toBytes()));
      b.addProperty("feeInsurer", Requests.b64(rq.key(ch.insurer.accountId()).encrypt(250, rq.random()).toBytes()));
      b.addProperty("feeRegulator", Requests.b64(copied.toBytes()));
      return b;
    });
    String claimId = com.google.gson.JsonParser.parseString(response).getAsJsonObject().get("claimId").getAsString();

    long nonce = new Requests(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND).nonce();
    Disclosure d;
    try {
      d = ch.member(1).open(Target.CLAIM_FEE, claimId, "", "fee plausibility check", Mode.PUBLIC);
    } catch (LedgerCallException e) {
      assertEquals("UNPROVEN_TARGET", e.errorCode(), e.getMessage());
      assertEquals(nonce, new Requests(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND).nonce());
      assertTrue(ch.member(1).disclosures().isEmpty());
      return;
    }
    ch.member(1).share(d.id(), ch.share(1));
    ch.member(2).share(d.id(), ch.share(2));
    Disclosure opened = ch.member(3).share(d.id(), ch.share(3));
    List<Disclosure> trail = new CommitteeClient(otherSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND).trail();
    fail("a CLAIM_FEE disclosure opened " + opened.plaintext().orElseThrow() + " (the amount of " + victim.txId()
        + ") while the payee's disclosure trail holds " + trail.size() + " entries");
  }

  /**
   * The transfer that settles a claim pays for the patient's care: a TRANSFER disclosure of it must
   * enter the claim's patient's trail, not only the insurer's and the hospital's.
   */
  @Test
  void aClaimSettlingTransferEntersThePatientsTrail() throws Exception {
    CommitteeChannel ch = new CommitteeChannel();
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 5_000_000), 1, 2, 3);
    RecordClient hospital = new RecordClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    RecordClient patient = new RecordClient(ch.patientSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    RecordClient insurer = new RecordClient(ch.insurerSecrets, ch.gateway("InsurerOrgMSP"), CommitteeChannel.RND);
    org.medledger.sdk.synthetic.SyntheticRecords synthetic = new org.medledger.sdk.synthetic.SyntheticRecords(13);
    MedicalRecord r = synthetic.next();
    RecordClient.Written w = hospital.write(ch.patient.accountId(), "visit", r);
    String grant = patient.grantRecord(ch.insurer.accountId(), w.recordId(), null);
    RecordClient.ClaimInfo claim = hospital.claim(hospital.fileClaim(w.recordId(), ch.insurer.accountId(), r.fee()));
    RecordClient.ClaimInfo settled = insurer.settleClaim(claim.claimId(), grant);
    assertEquals("SETTLED", settled.status());

    Disclosure d = ch.member(2).open(Target.TRANSFER, settled.transferTx(), "", "claim payment audit", Mode.PRIVATE);
    assertEquals(List.of(ch.insurer.accountId(), ch.hospital.accountId(), ch.patient.accountId()), d.concerned());
    List<Disclosure> trail = new CommitteeClient(ch.patientSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND)
        .trail();
    assertEquals(List.of(d.id()), trail.stream().map(Disclosure::id).toList());
  }

  /**
   * The reason is shown to patients in their trails: "without control characters" must cover DEL,
   * the C1 controls and invisible format characters (bidi overrides, zero-width), which would let
   * a requester show a patient another text than the one stored.
   */
  @Test
  void aReasonWithInvisibleOrControlCharactersIsRefused() throws Exception {
    CommitteeChannel ch = new CommitteeChannel();
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 10_000), 1, 2, 3);
    Transfer t = ch.insurer.pay(ch.patient.accountId(), 100);
    long nonce = new Requests(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND).nonce();
    for (String reason : List.of("routine audit\u202E", "audit\u007F", "audit\u0085", "au\u200Bdit")) {
      CommitteeChannel.refused("MALFORMED_REQUEST", () -> ch.member(1).open(Target.TRANSFER, t.txId(), "", reason,
          Mode.PUBLIC));
    }
    assertEquals(nonce, new Requests(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND).nonce());
    assertTrue(ch.member(1).disclosures().isEmpty());
    // Ordinary text in any script stays accepted.
    assertEquals("Prüfung der Abrechnung — 監査", ch.member(1).open(Target.TRANSFER, t.txId(), "",
        "Prüfung der Abrechnung — 監査", Mode.PUBLIC).reason());
  }
}
