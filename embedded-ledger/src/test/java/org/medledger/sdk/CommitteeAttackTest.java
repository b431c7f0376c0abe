package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.sdk.CommitteeChannel.refused;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;
import org.medledger.sdk.internal.Requests;

/**
 * The malicious-share suite on chain (docs/chaincode.md §10.3): every share the committee contract
 * must refuse — a wrong value, a share of another ciphertext, one made for another request, another
 * member's share or proof, a replay, a non-member's, a malformed one, one in the wrong mode — is
 * refused with its stable code and writes nothing (neither the request's shares nor the member's
 * nonce move). With t − 1 honest shares a request stays closed. Committee registration and committee
 * acts are attacked the same way.
 */
class CommitteeAttackTest {
  private static CommitteeChannel ch;
  private static Transfer visit;
  private static Transfer funding;
  private static ThresholdPublicKey pk;

  @BeforeAll
  static void channel() throws Exception {
    ch = new CommitteeChannel();
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 10_000), 1, 2, 3);
    funding = ch.insurer.pay(ch.patient.accountId(), 4_000);
    visit = ch.patient.pay(ch.hospital.accountId(), 700);
    pk = ch.dealing.publicKey();
  }

  private static Requests requests(int member) {
    return new Requests(ch.memberSecrets.get(member - 1), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND);
  }

  /** Member {@code member}'s signed share request with its next nonce. */
  private static String shareRequest(int member, String disclosureId, String field, String value) throws LedgerCallException {
    Requests r = requests(member);
    JsonObject b = r.body("disclosure.share", r.nonce());
    b.addProperty("disclosureId", disclosureId);
    b.addProperty(field, value);
    return r.sign(b);
  }

  private static String submitShare(int member, String disclosureId, byte[] share) throws LedgerCallException {
    return ch.gateway("RegulatorOrgMSP").submit("committee:share", shareRequest(member, disclosureId, "share", Requests.b64(share)));
  }

  /** Refused with {@code code}, and neither the request's shares nor the member's nonce moved. */
  private static void refusedAndNothingWritten(String code, int member, String disclosureId, byte[] share) throws Exception {
    List<String> before = ch.member(1).disclosure(disclosureId).sharedBy();
    long nonce = requests(member).nonce();
    refused(code, () -> submitShare(member, disclosureId, share));
    assertEquals(before, ch.member(1).disclosure(disclosureId).sharedBy());
    assertEquals(nonce, requests(member).nonce());
  }

  private static Disclosure openPublic(String reason) throws LedgerCallException {
    return ch.member(2).open(Target.TRANSFER, visit.txId(), "", reason, Mode.PUBLIC);
  }

  private static byte[] honest(int member, String id) throws LedgerCallException {
    return ch.shareBytes(ch.share(member), pk, id, id);
  }

  @Test
  void wrongShareValueIsRefused() throws Exception {
    Disclosure d = openPublic("wrong value");
    byte[] s = honest(1, d.id());
    // c_1·(1+n) mod n²: a plaintext off by one under member 1's unchanged proof.
    BigInteger n = pk.paillierKey().n();
    BigInteger nSq = n.multiply(n);
    BigInteger ci = new BigInteger(1, Arrays.copyOfRange(s, 6, 6 + 512));
    byte[] shifted = ci.multiply(n.add(BigInteger.ONE)).mod(nSq).toByteArray();
    byte[] forged = s.clone();
    Arrays.fill(forged, 6, 6 + 512, (byte) 0);
    int len = Math.min(shifted.length, 512);
    System.arraycopy(shifted, shifted.length - len, forged, 6 + 512 - len, len);
    refusedAndNothingWritten("SHARE_INVALID", 1, d.id(), forged);
    submitShare(1, d.id(), s); // the honest share is still accepted
    assertEquals(List.of(ch.member(1).accountId()), ch.member(1).disclosure(d.id()).sharedBy());
  }

  /** Offset of the commitment a in a version-2 share of a 2048-bit key (header 4, index 2, c_i 512, e 16, z). */
  private static int commitmentOffset(byte[] v2) {
    return v2.length - 2 * 512;
  }

  @Test
  void sharesAreSentAndStoredInTheVersion2Encoding() throws Exception {
    Disclosure d = openPublic("encoding");
    Disclosure after = ch.member(1).share(d.id(), ch.share(1));
    assertEquals(List.of(ch.member(1).accountId()), after.sharedBy());
    JsonObject stored = org.medledger.protocol.CanonicalJson.parseObject(
        ch.gateway("RegulatorOrgMSP").evaluate("committee:getDisclosure", d.id()));
    byte[] bytes = java.util.Base64.getDecoder().decode(
        stored.getAsJsonArray("shares").get(0).getAsJsonObject().get("share").getAsString());
    assertEquals(0x32, bytes[0]);
    assertEquals(2, bytes[1], "the SDK sends, and the chain stores, the share with its commitments");
    assertTrue(org.medledger.crypto.threshold.DecryptionShare.fromBytes(bytes, pk).hasCommitments());
  }

  @Test
  void tamperedCommitmentsAreRefused() throws Exception {
    Disclosure d = openPublic("tampered commitments");
    byte[] s = honest(1, d.id());
    assertEquals(2, s[1]);
    int at = commitmentOffset(s);
    // a·(1+n): still in Z*_{n²}, but no longer the commitment the challenge was derived from.
    BigInteger n = pk.paillierKey().n();
    BigInteger nSq = n.multiply(n);
    BigInteger a = new BigInteger(1, Arrays.copyOfRange(s, at, at + 512));
    byte[] forged = s.clone();
    writeFixed(forged, at, a.multiply(n.add(BigInteger.ONE)).mod(nSq));
    refusedAndNothingWritten("SHARE_INVALID", 1, d.id(), forged);
    // b swapped for member 2's b of the same request (its own proof's commitment).
    byte[] of2 = honest(2, d.id());
    byte[] swapped = s.clone();
    System.arraycopy(of2, at + 512, swapped, at + 512, 512);
    refusedAndNothingWritten("SHARE_INVALID", 1, d.id(), swapped);
    // a = n²: outside the range the decoder accepts.
    byte[] huge = s.clone();
    writeFixed(huge, at, nSq);
    refusedAndNothingWritten("MALFORMED_SHARE", 1, d.id(), huge);
    // a = 0: decodes, but is not in Z*_{n²}.
    byte[] zero = s.clone();
    Arrays.fill(zero, at, at + 512, (byte) 0);
    refusedAndNothingWritten("SHARE_INVALID", 1, d.id(), zero);
    // Commitments cut off: the version-2 header with a version-1 body.
    byte[] truncated = Arrays.copyOf(s, at);
    refusedAndNothingWritten("MALFORMED_SHARE", 1, d.id(), truncated);
    submitShare(1, d.id(), s); // the honest share is still accepted
    assertEquals(List.of(ch.member(1).accountId()), ch.member(1).disclosure(d.id()).sharedBy());
  }

  @Test
  void aVersion1ShareIsStillAcceptedAndCombinesWithVersion2Shares() throws Exception {
    Disclosure d = openPublic("mixed encodings");
    byte[] v1 = ch.shareBytesV1(ch.share(2), pk, d.id(), d.id());
    assertEquals(1, v1[1]);
    submitShare(2, d.id(), v1);
    // A forged version-1 share (c_i·(1+n)) is refused as before.
    byte[] v1of4 = ch.shareBytesV1(ch.share(4), pk, d.id(), d.id());
    BigInteger n = pk.paillierKey().n();
    BigInteger ci = new BigInteger(1, Arrays.copyOfRange(v1of4, 6, 6 + 512));
    byte[] forged = v1of4.clone();
    writeFixed(forged, 6, ci.multiply(n.add(BigInteger.ONE)).mod(n.multiply(n)));
    refusedAndNothingWritten("SHARE_INVALID", 4, d.id(), forged);
    submitShare(4, d.id(), honest(4, d.id()));
    submitShare(5, d.id(), honest(5, d.id()));
    Disclosure opened = ch.member(1).disclosure(d.id());
    assertEquals("OPENED", opened.status());
    assertEquals(BigInteger.valueOf(700), opened.plaintext().orElseThrow());
  }

  /** Writes {@code v} big-endian into the 512 bytes at {@code at}. */
  private static void writeFixed(byte[] out, int at, BigInteger v) {
    byte[] b = v.toByteArray();
    Arrays.fill(out, at, at + 512, (byte) 0);
    int len = Math.min(b.length, 512);
    System.arraycopy(b, b.length - len, out, at + 512 - len, len);
  }

  @Test
  void shareOfAnotherCiphertextIsRefused() throws Exception {
    Disclosure d = openPublic("other ciphertext");
    Disclosure other = ch.member(3).open(Target.TRANSFER, funding.txId(), "", "funding", Mode.PUBLIC);
    // Member 1's share of the funding transfer's ciphertext, bound to request d.
    refusedAndNothingWritten("SHARE_INVALID", 1, d.id(), ch.shareBytes(ch.share(1), pk, other.id(), d.id()));
  }

  @Test
  void shareMadeForAnotherRequestIsRefused() throws Exception {
    Disclosure d = openPublic("replay across requests, 1");
    Disclosure e = openPublic("replay across requests, 2");
    byte[] forD = honest(4, d.id());
    submitShare(4, d.id(), forD);
    // The same ciphertext, the same member, but the proof is bound to d: refused for e.
    refusedAndNothingWritten("SHARE_INVALID", 4, e.id(), forD);
  }

  @Test
  void anotherMembersShareOrProofIsRefused() throws Exception {
    Disclosure d = openPublic("borrowed share");
    byte[] of2 = honest(2, d.id());
    refusedAndNothingWritten("SHARE_NOT_YOURS", 1, d.id(), of2);
    byte[] relabelled = of2.clone();
    relabelled[4] = 0;
    relabelled[5] = 1; // member 2's value and proof, labelled as member 1's
    refusedAndNothingWritten("SHARE_INVALID", 1, d.id(), relabelled);
  }

  @Test
  void replayedShareIsRefused() throws Exception {
    Disclosure d = openPublic("replay");
    String request = shareRequest(5, d.id(), "share", Requests.b64(honest(5, d.id())));
    ch.gateway("RegulatorOrgMSP").submit("committee:share", request);
    refused("BAD_NONCE", () -> ch.gateway("RegulatorOrgMSP").submit("committee:share", request));
    refusedAndNothingWritten("DUPLICATE_SHARE", 5, d.id(), honest(5, d.id()));
  }

  @Test
  void nonMemberShareIsRefused() throws Exception {
    Disclosure d = openPublic("outsider");
    // Member account 6 is registered as a COMMITTEE_MEMBER but is not in the committee; its
    // "share" is made with member 1's key share.
    refusedAndNothingWritten("NOT_COMMITTEE_MEMBER", 6, d.id(), honest(1, d.id()));
    Requests patient = new Requests(ch.patientSecrets, ch.gateway("HospitalOrgMSP"), CommitteeChannel.RND);
    JsonObject b = patient.body("disclosure.share", patient.nonce());
    b.addProperty("disclosureId", d.id());
    b.addProperty("share", Requests.b64(honest(1, d.id())));
    refused("NOT_COMMITTEE_MEMBER", () -> ch.gateway("HospitalOrgMSP").submit("committee:share", patient.sign(b)));
    refused("NOT_COMMITTEE_MEMBER", () -> new CommitteeClient(ch.patientSecrets, ch.gateway("HospitalOrgMSP"),
        CommitteeChannel.RND).open(Target.TRANSFER, visit.txId(), "", "curious", Mode.PUBLIC));
  }

  @Test
  void malformedShareWrongModeAndUnknownRequestAreRefused() throws Exception {
    Disclosure d = openPublic("malformed");
    refusedAndNothingWritten("MALFORMED_SHARE", 1, d.id(), new byte[] {0x32, 1, 8, 0, 0, 1});
    long nonce = requests(1).nonce();
    refused("WRONG_MODE", () -> ch.gateway("RegulatorOrgMSP").submit("committee:share",
        shareRequest(1, d.id(), "digest", CommitteeProtocol.shareDigest(honest(1, d.id())))));
    Disclosure p = ch.member(2).open(Target.TRANSFER, visit.txId(), "", "private", Mode.PRIVATE);
    refused("WRONG_MODE", () -> submitShare(1, p.id(), honest(1, p.id())));
    refused("UNKNOWN_DISCLOSURE", () -> submitShare(1, "disc-00000000000000000000000000000000", honest(1, d.id())));
    refused("MALFORMED_REQUEST", () -> ch.gateway("RegulatorOrgMSP").submit("committee:share",
        shareRequest(1, p.id(), "digest", "not-hex")));
    assertEquals(nonce, requests(1).nonce());
  }

  @Test
  void tMinusOneSharesLeaveTheRequestClosed() throws Exception {
    Disclosure d = openPublic("t - 1");
    submitShare(1, d.id(), honest(1, d.id()));
    submitShare(2, d.id(), honest(2, d.id()));
    Disclosure two = ch.member(1).disclosure(d.id());
    assertEquals("OPEN", two.status());
    assertTrue(two.plaintext().isEmpty());
    submitShare(3, d.id(), honest(3, d.id()));
    assertEquals(BigInteger.valueOf(700), ch.member(1).disclosure(d.id()).plaintext().orElseThrow());
  }

  /**
   * The t-th share is verified only inside the combination (docs/chaincode.md §10.3): a bad one is
   * still SHARE_INVALID, and neither the share, the status, a plaintext nor the nonce is written.
   */
  @Test
  void aBadTthShareIsRefusedAndNothingWritten() throws Exception {
    Disclosure d = openPublic("bad t-th share");
    submitShare(1, d.id(), honest(1, d.id()));
    submitShare(2, d.id(), honest(2, d.id()));
    byte[] s = honest(3, d.id());
    BigInteger n = pk.paillierKey().n();
    BigInteger nSq = n.multiply(n);
    byte[] wrongValue = s.clone();
    writeFixed(wrongValue, 6, new BigInteger(1, Arrays.copyOfRange(s, 6, 6 + 512)).multiply(n.add(BigInteger.ONE)).mod(nSq));
    refusedAndNothingWritten("SHARE_INVALID", 3, d.id(), wrongValue);
    byte[] tampered = s.clone();
    int at = commitmentOffset(s);
    writeFixed(tampered, at, new BigInteger(1, Arrays.copyOfRange(s, at, at + 512)).multiply(n.add(BigInteger.ONE)).mod(nSq));
    refusedAndNothingWritten("SHARE_INVALID", 3, d.id(), tampered);
    refusedAndNothingWritten("SHARE_INVALID", 3, d.id(), ch.shareBytes(ch.share(3), pk, d.id(), "disc-" + "0".repeat(32)));
    byte[] v1 = ch.shareBytesV1(ch.share(3), pk, d.id(), d.id());
    writeFixed(v1, 6, new BigInteger(1, Arrays.copyOfRange(v1, 6, 6 + 512)).multiply(n.add(BigInteger.ONE)).mod(nSq));
    refusedAndNothingWritten("SHARE_INVALID", 3, d.id(), v1);
    Disclosure still = ch.member(1).disclosure(d.id());
    assertEquals("OPEN", still.status());
    assertTrue(still.plaintext().isEmpty());
    JsonObject stored = org.medledger.protocol.CanonicalJson.parseObject(
        ch.gateway("RegulatorOrgMSP").evaluate("committee:getDisclosure", d.id()));
    assertEquals(2, stored.getAsJsonArray("shares").size(), "no share of member 3 is stored");
    submitShare(3, d.id(), s); // the honest t-th share opens the request
    assertEquals(BigInteger.valueOf(700), ch.member(1).disclosure(d.id()).plaintext().orElseThrow());
  }

  /**
   * A member's own acts (open, share) go through an organisation that may register
   * COMMITTEE_MEMBER, like committee acts and the regulator's acts: a member's signed request sent
   * through another organisation's gateway is FORBIDDEN_ORGANISATION, and nothing is written.
   */
  @Test
  void membersOpenAndShareOnlyThroughACommitteeOrganisation() throws Exception {
    for (String msp : List.of("HospitalOrgMSP", "InsurerOrgMSP")) {
      long nonce = requests(1).nonce();
      CommitteeClient elsewhere = new CommitteeClient(ch.memberSecrets.get(0), ch.gateway(msp), CommitteeChannel.RND);
      refused("FORBIDDEN_ORGANISATION", () -> elsewhere.open(Target.TRANSFER, visit.txId(), "", "elsewhere", Mode.PUBLIC));
      assertEquals(nonce, requests(1).nonce());
      Disclosure d = openPublic("shared elsewhere");
      Disclosure p = ch.member(2).open(Target.TRANSFER, visit.txId(), "", "shared elsewhere, private", Mode.PRIVATE);
      refused("FORBIDDEN_ORGANISATION", () -> ch.gateway(msp).submit("committee:share",
          shareRequest(1, d.id(), "share", Requests.b64(honest(1, d.id())))));
      refused("FORBIDDEN_ORGANISATION", () -> ch.gateway(msp).submit("committee:share",
          shareRequest(1, p.id(), "digest", CommitteeProtocol.shareDigest(honest(1, p.id())))));
      assertEquals(List.of(), ch.member(1).disclosure(d.id()).sharedBy());
      assertEquals(List.of(), ch.member(1).disclosure(p.id()).sharedBy());
      assertEquals(nonce, requests(1).nonce());
      ch.member(1).share(d.id(), ch.share(1)); // through RegulatorOrgMSP it is accepted
      assertEquals(List.of(ch.member(1).accountId()), ch.member(1).disclosure(d.id()).sharedBy());
    }
  }

  @Test
  void openRefusesUnknownTargetsAndBadReasons() throws Exception {
    refused("UNKNOWN_TARGET", () -> ch.member(1).open(Target.TRANSFER, "no-such-tx", "", "r", Mode.PUBLIC));
    refused("UNKNOWN_TARGET", () -> ch.member(1).open(Target.CLAIM_FEE, "claim-00000000000000000000000000000000", "",
        "r", Mode.PUBLIC));
    refused("UNKNOWN_TARGET", () -> ch.member(1).open(Target.CHANNEL_DEPOSIT, "chan-00000001", ch.patient.accountId(),
        "r", Mode.PUBLIC));
    // An issue's amount is public: there is no regulator copy to disclose.
    String issueTx = ch.insurer.history().stream().filter(t -> t.kind().equals("ISSUE")).findFirst().orElseThrow().txId();
    refused("UNKNOWN_TARGET", () -> ch.member(1).open(Target.TRANSFER, issueTx, "", "r", Mode.PUBLIC));
    refused("MALFORMED_REQUEST", () -> ch.member(1).open(Target.TRANSFER, visit.txId(), "", "x".repeat(501), Mode.PUBLIC));
    refused("MALFORMED_REQUEST", () -> ch.member(1).open(Target.TRANSFER, visit.txId(), ch.patient.accountId(), "r",
        Mode.PUBLIC));
  }

  @Test
  void committeeRegistrationIsOnceAndChecked() throws Exception {
    refused("COMMITTEE_EXISTS", () -> ch.regulator.registerCommittee(pk, ch.memberIds(0, 5)));
    Requests member = requests(1);
    JsonObject b = member.body("committee.register", member.nonce());
    b.addProperty("publicKey", Requests.b64(pk.toBytes()));
    b.addProperty("threshold", 3);
    com.google.gson.JsonArray ids = new com.google.gson.JsonArray();
    ch.memberIds(0, 5).forEach(ids::add);
    b.add("members", ids);
    refused("WRONG_ROLE", () -> ch.gateway("RegulatorOrgMSP").submit("committee:register", member.sign(b)));
  }

  @Test
  void committeeActsNeedTDistinctCurrentMembers() throws Exception {
    String insurer = ch.insurer.accountId();
    refused("NOT_ENOUGH_SIGNATURES", () -> ch.act(ch.member(1).issueAct(insurer, 5), 1, 2));
    // Member account 6 is not in the committee.
    CommitteeAct withOutsider = ch.member(1).issueAct(insurer, 5);
    ch.member(1).sign(withOutsider);
    ch.member(2).sign(withOutsider);
    ch.members.get(5).sign(withOutsider);
    refused("NOT_COMMITTEE_MEMBER", () -> ch.member(1).submit(withOutsider));
    // A signature over another body (the amount changed after signing).
    CommitteeAct a = ch.member(1).issueAct(insurer, 5);
    CommitteeAct b = ch.member(1).issueAct(insurer, 6);
    ch.member(1).sign(a);
    ch.member(2).sign(a);
    byte[] msg = CommitteeProtocol.actSigningBytes("medchannel", "medledger", b.bodyObject());
    org.bouncycastle.crypto.signers.Ed25519Signer signer = new org.bouncycastle.crypto.signers.Ed25519Signer();
    signer.init(true, ch.memberSecrets.get(2).signingKey(org.medledger.crypto.SecretAccess.explicit()));
    signer.update(msg, 0, msg.length);
    a.add(ch.member(3).accountId(), signer.generateSignature()); // member 3 signed b, not a
    refused("BAD_SIGNATURE", () -> ch.member(1).submit(a));
    long before = ch.insurer.balance();
    CommitteeAct ok = ch.member(1).issueAct(insurer, 5);
    ch.act(ok, 3, 4, 5);
    refused("BAD_SEQUENCE", () -> ch.member(1).submit(ok));
    assertEquals(before + 5, ch.insurer.balance());
  }
}
