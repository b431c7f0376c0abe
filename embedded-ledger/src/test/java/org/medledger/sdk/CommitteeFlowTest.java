package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.sdk.CommitteeChannel.refused;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;

/**
 * The regulator committee end to end on the embedded ledger (docs/client-sdk.md §12): a 3-of-5
 * committee issues money by a committee act, opens a PUBLIC disclosure of a patient's payment that
 * two shares cannot open and the third does, opens a PRIVATE one whose plaintext only the requester
 * combines, and the patient lists both in its disclosure trail.
 */
class CommitteeFlowTest {

  @Test
  void threeOfFiveCommitteeIssuesDisclosesAndLeavesATrail() throws Exception {
    CommitteeChannel ch = new CommitteeChannel();
    String insurerId = ch.insurer.accountId();

    // The regulator's single key no longer issues; two members cannot; three can, once.
    AccountClient singleKey = new AccountClient(ch.regulatorSecrets, ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND);
    refused("COMMITTEE_ACT", () -> singleKey.issue(insurerId, 10_000));
    refused("NOT_ENOUGH_SIGNATURES", () -> ch.act(ch.member(1).issueAct(insurerId, 10_000), 1, 2));
    CommitteeAct issue = ch.member(1).issueAct(insurerId, 10_000);
    JsonObject issued = ch.act(issue, 2, 4, 5);
    assertEquals("ISSUE", issued.get("kind").getAsString());
    assertEquals(10_000, ch.insurer.balance());
    refused("BAD_SEQUENCE", () -> ch.member(2).submit(issue));
    assertEquals(10_000, ch.insurer.balance());

    ch.insurer.pay(ch.patient.accountId(), 5_000);
    Transfer visit = ch.patient.pay(ch.hospital.accountId(), 1_234);

    // PUBLIC: two shares leave it OPEN with no plaintext, the third opens it for the whole channel.
    Disclosure d = ch.member(1).open(Target.TRANSFER, visit.txId(), "", "audit of hospital billing, case 17", Mode.PUBLIC);
    assertEquals("OPEN", d.status());
    assertEquals(List.of(ch.patient.accountId(), ch.hospital.accountId()), d.concerned());
    assertEquals("OPEN", ch.member(1).share(d.id(), ch.share(1)).status());
    Disclosure two = ch.member(3).share(d.id(), ch.share(3));
    assertEquals("OPEN", two.status());
    assertTrue(two.plaintext().isEmpty());
    assertEquals(List.of(ch.member(1).accountId(), ch.member(3).accountId()), two.sharedBy());
    Disclosure opened = ch.member(5).share(d.id(), ch.share(5));
    assertEquals("OPENED", opened.status());
    assertEquals(BigInteger.valueOf(1_234), opened.plaintext().orElseThrow());
    assertEquals(opened.plaintext(), ch.member(2).disclosure(d.id()).plaintext());
    refused("DISCLOSURE_CLOSED", () -> ch.member(2).share(d.id(), ch.share(2)));

    // PRIVATE: the chain records digests only; the requester combines the shares it received.
    Transfer funding = ch.insurer.history().stream().filter(t -> t.kind().equals("TRANSFER")).findFirst().orElseThrow();
    Disclosure p = ch.member(2).open(Target.TRANSFER, funding.txId(), "", "suspected double billing", Mode.PRIVATE);
    byte[] s1 = ch.member(1).sharePrivately(p.id(), ch.share(1));
    byte[] s4 = ch.member(4).sharePrivately(p.id(), ch.share(4));
    ClientRefusalException few = assertThrows(ClientRefusalException.class, () -> ch.member(2).combine(p.id(), List.of(s1, s4)));
    assertEquals(ClientError.NOT_ENOUGH_SHARES, few.errorCode());
    byte[] s2 = ch.member(2).sharePrivately(p.id(), ch.share(2));
    // Sent in the version-2 encoding (with the proof's commitments); the digest is over those bytes.
    assertEquals(2, s1[1]);
    assertEquals(org.medledger.protocol.CommitteeProtocol.shareDigest(s1), org.medledger.protocol.CanonicalJson.parseObject(
        ch.gateway("RegulatorOrgMSP").evaluate("committee:getDisclosure", p.id())).getAsJsonArray("shares").get(0)
        .getAsJsonObject().get("digest").getAsString());
    Disclosure shared = ch.member(2).disclosure(p.id());
    assertEquals("SHARED", shared.status());
    assertTrue(shared.plaintext().isEmpty(), "a PRIVATE request puts no plaintext on chain");
    assertEquals(BigInteger.valueOf(5_000), ch.member(2).combine(p.id(), List.of(s1, s4, s2)));
    // A share that is not the one its member recorded (here: member 1's share of the PUBLIC request).
    byte[] other = ch.shareBytes(ch.share(1), ch.dealing.publicKey(), d.id(), d.id());
    ClientRefusalException mismatch = assertThrows(ClientRefusalException.class,
        () -> ch.member(2).combine(p.id(), List.of(other, s4, s2)));
    assertEquals(ClientError.SHARE_MISMATCH, mismatch.errorCode());
    ClientRefusalException mode = assertThrows(ClientRefusalException.class, () -> ch.member(3).share(p.id(), ch.share(3)));
    assertEquals(ClientError.WRONG_MODE, mode.errorCode());

    // The patient sees both looks at its payments; the insurer only the one at its own.
    CommitteeClient patientView = new CommitteeClient(ch.patientSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    List<Disclosure> trail = patientView.trail();
    assertEquals(List.of(d.id(), p.id()), trail.stream().map(Disclosure::id).toList());
    assertEquals("audit of hospital billing, case 17", trail.get(0).reason());
    assertEquals(ch.member(1).accountId(), trail.get(0).requester());
    assertEquals("OPENED", trail.get(0).status());
    assertEquals("SHARED", trail.get(1).status());
    CommitteeClient insurerView = new CommitteeClient(ch.insurerSecrets, ch.gateway("InsurerOrgMSP"), CommitteeChannel.RND);
    assertEquals(List.of(p.id()), insurerView.trail().stream().map(Disclosure::id).toList());
    CommitteeClient hospitalView = new CommitteeClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    assertEquals(List.of(d.id()), hospitalView.trail().stream().map(Disclosure::id).toList());
    assertEquals(2, ch.member(4).disclosures().size());
    assertFalse(ch.member(4).disclosures().get(1).plaintext().isPresent());
  }

  @Test
  void aClaimFeeIsNotADisclosureTargetButItsSettlingTransferIs() throws Exception {
    CommitteeChannel ch = new CommitteeChannel();
    RecordClient hospital = new RecordClient(ch.hospitalSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    RecordClient.Written rec = hospital.writeDocument(ch.patient.accountId(), "lab",
        "synthetic lab result 42".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String claimId = hospital.fileClaim(rec.recordId(), ch.insurer.accountId(), 250);
    // An honest claim too: its feeRegulator is unproven (CommitteeReviewTest shows why that matters).
    refused("UNPROVEN_TARGET", () -> ch.member(4).open(Target.CLAIM_FEE, claimId, "", "fee plausibility check",
        Mode.PUBLIC));
    CommitteeClient patientView = new CommitteeClient(ch.patientSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    assertTrue(patientView.trail().isEmpty());
    assertTrue(ch.member(4).disclosures().isEmpty());
  }

  @Test
  void aFreshlyDealt2048BitCommitteeKeyWorksOnChain() throws Exception {
    // A real dealing: two 1024-bit safe primes searched for (seconds), not the fixed test primes.
    CommitteeChannel ch = new CommitteeChannel(true);
    assertEquals(2048, ch.dealing.publicKey().paillierKey().bits());
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 900), 1, 2, 3);
    Transfer t = ch.insurer.pay(ch.patient.accountId(), 321);
    Disclosure d = ch.member(3).open(Target.TRANSFER, t.txId(), "", "fresh key", Mode.PUBLIC);
    ch.member(1).share(d.id(), ch.share(1));
    ch.member(2).share(d.id(), ch.share(2));
    assertEquals(BigInteger.valueOf(321), ch.member(3).share(d.id(), ch.share(3)).plaintext().orElseThrow());
  }
}
