package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.SignedRequest;
import org.medledger.embedded.LedgerEvent;
import org.medledger.embedded.StateProbe;
import org.medledger.embedded.TxResult;

/** The records story on the embedded ledger: write, correct, grant, read, share, revoke, expire, claim. */
class RecordFlowTest {
  private static final String VISIT = "{\"name\":\"Ada Example\",\"fee\":12000,\"prescription\":\"amoxicillin 500 mg\"}";

  @Test
  void writeCorrectAndReadBackAsThePatient() {
    RecordDesk d = RecordDesk.open();
    Channel ch = d.ch;
    Actor alice = d.patient("alice");
    RecordDesk.Draft v1 = d.write(ch.hospital, alice, "visit", VISIT);
    assertEquals(VISIT, d.open(alice, v1.recordId()));

    JsonObject stored = d.evaluate("records:getRecord", v1.recordId());
    assertEquals(alice.id, stored.get("patient").getAsString());
    assertEquals(ch.hospital.id, stored.get("author").getAsString());
    assertEquals("visit", stored.get("recordType").getAsString());
    assertEquals(1, stored.get("version").getAsInt());
    assertFalse(stored.has("replaces"));
    // The author's signature is stored with the body it covers, and anyone can re-check it.
    JsonObject request = stored.getAsJsonObject("request");
    byte[] sig = java.util.Base64.getDecoder().decode(request.get("signature").getAsString());
    byte[] msg = SignedRequest.signingBytes(Actor.CHANNEL, Actor.CHAINCODE, request.getAsJsonObject("body"));
    assertTrue(AccountKeys.verify(ch.hospital.signing.generatePublicKey().getEncoded(), msg, sig));

    String fixed = VISIT.replace("12000", "12500");
    RecordDesk.Draft v2 = d.correct(ch.hospital, alice, "visit", fixed, v1.recordId());
    RecordDesk.Draft v3 = d.correct(ch.hospital, alice, "visit", fixed + " ", v2.recordId());
    assertEquals(fixed, d.open(alice, v2.recordId()));
    assertEquals(VISIT, d.open(alice, v1.recordId()), "the original is never changed");

    JsonArray list = d.evaluate("records:listRecords", alice.id, "100", "").getAsJsonArray("items");
    assertEquals(3, list.size());
    JsonObject first = list.get(0).getAsJsonObject();
    assertEquals(v2.recordId(), first.get("supersededBy").getAsString());
    JsonObject second = list.get(1).getAsJsonObject();
    assertEquals(v1.recordId(), second.get("replaces").getAsString());
    assertEquals(2, second.get("version").getAsInt());
    JsonObject third = list.get(2).getAsJsonObject();
    assertEquals(3, third.get("version").getAsInt());
    assertFalse(third.has("supersededBy"));
    assertEquals(v3.recordId(), third.get("recordId").getAsString());
  }

  @Test
  void grantReadRevokeAndTheTrail() {
    RecordDesk d = RecordDesk.open();
    Channel ch = d.ch;
    Actor alice = d.patient("alice");
    RecordDesk.Draft rec = d.write(ch.hospital, alice, "visit", VISIT);
    String grant = d.grantRecord(alice, ch.insurer, rec.recordId(), 0);

    JsonObject read = d.read(ch.insurer, grant, rec.recordId());
    assertEquals("GRANTED", read.get("outcome").getAsString(), read.toString());
    assertEquals(VISIT, RecordDesk.decryptCopy(ch.insurer, read));
    assertEquals(rec.body().get("commitment").getAsString(), read.getAsJsonObject("record").get("commitment").getAsString());
    String readTx = read.get("txId").getAsString();

    TxResult revoke = d.submit(alice, "records:revoke", d.revokeBody(alice, grant));
    assertTrue(revoke.isValid(), revoke.toString());
    assertEquals(revoke.txId(), CanonicalJson.parseObject(revoke.payloadText()).getAsJsonObject("revoked").get("txId").getAsString());
    Map<String, String> before = StateProbe.snapshot(ch.ledger);
    JsonObject denied = d.read(ch.insurer, grant, rec.recordId());
    assertEquals("DENIED", denied.get("outcome").getAsString());
    assertEquals("GRANT_REVOKED", denied.get("code").getAsString());
    assertFalse(denied.has("copy"));
    // A logged denial writes its log entry, its index entries, the grant's denial count and the
    // reader's nonce, nothing else.
    assertEquals(java.util.Set.of("access", "alltrail", "nonce", "ptrail", AccessLog.DENIALS),
        StateProbe.objectTypes(StateProbe.changed(before, StateProbe.snapshot(ch.ledger))));

    JsonArray trail = d.trail(alice);
    assertEquals(2, trail.size());
    assertEquals(readTx, trail.get(0).getAsJsonObject().get("txId").getAsString());
    assertEquals("GRANTED", trail.get(0).getAsJsonObject().get("outcome").getAsString());
    assertEquals(ch.insurer.id, trail.get(1).getAsJsonObject().get("reader").getAsString());
    assertEquals("GRANT_REVOKED", trail.get(1).getAsJsonObject().get("code").getAsString());
    JsonArray audit = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", "", "100", ""))
        .getAsJsonArray("items");
    assertEquals(trail, audit);
    JsonArray forAlice = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", alice.id, "1", ""))
        .getAsJsonArray("items");
    assertEquals(trail.get(0), forAlice.get(0), "pages of one");

    JsonObject g = d.evaluate("records:getGrant", grant);
    assertEquals(revoke.txId(), g.getAsJsonObject("revoked").get("txId").getAsString());
    JsonArray insurerGrants = d.evaluate("records:listGrants", ch.insurer.id, "100", "").getAsJsonArray("items");
    assertEquals(1, insurerGrants.size());
    assertEquals(grant, insurerGrants.get(0).getAsJsonObject().get("grantId").getAsString());
  }

  @Test
  void categoryGrantCoversLaterRecordsOnceShared() {
    RecordDesk d = RecordDesk.open();
    Channel ch = d.ch;
    Actor alice = d.patient("alice");
    Actor doctor = d.doctor("dr-who");
    RecordDesk.Draft p1 = d.write(ch.hospital, alice, "prescription", "rx one");
    RecordDesk.Draft lab = d.write(ch.hospital, alice, "lab", "lab result");
    String grant = d.grantCategory(alice, doctor, "prescription", 0, p1.recordId());
    assertEquals("rx one", RecordDesk.decryptCopy(doctor, d.read(doctor, grant, p1.recordId())));
    assertEquals("OUT_OF_SCOPE", d.read(doctor, grant, lab.recordId()).get("code").getAsString());

    RecordDesk.Draft p2 = d.write(ch.hospital, alice, "prescription", "rx two");
    assertEquals("NO_COPY", d.read(doctor, grant, p2.recordId()).get("code").getAsString(), "in scope, not yet shared");
    TxResult share = d.submit(alice, "records:share", d.shareBody(alice, grant, List.of(d.copy(alice, doctor, grant, p2.recordId()))));
    assertTrue(share.isValid(), share.toString());
    assertEquals("rx two", RecordDesk.decryptCopy(doctor, d.read(doctor, grant, p2.recordId())));
    // A correction of a covered record is in scope too, once shared.
    RecordDesk.Draft p2b = d.correct(ch.hospital, alice, "prescription", "rx two, corrected", p2.recordId());
    d.submit(alice, "records:share", d.shareBody(alice, grant, List.of(d.copy(alice, doctor, grant, p2b.recordId()))));
    JsonObject read = d.read(doctor, grant, p2.recordId());
    assertEquals(p2b.recordId(), read.getAsJsonObject("record").get("supersededBy").getAsString(), "the reader learns there is a newer version");
    assertEquals("rx two, corrected", RecordDesk.decryptCopy(doctor, d.read(doctor, grant, p2b.recordId())));

    List<String> copied = new ArrayList<>();
    for (JsonElement e : d.evaluate("records:listCopies", grant, "100", "").getAsJsonArray("items")) {
      copied.add(e.getAsJsonObject().get("recordId").getAsString());
      assertFalse(e.getAsJsonObject().has("copy"), "listings carry no ciphertexts");
    }
    assertEquals(3, copied.size());
    assertTrue(copied.containsAll(List.of(p1.recordId(), p2.recordId(), p2b.recordId())));
  }

  @Test
  void expiryIsCheckedAgainstTheTransactionTime() {
    RecordDesk d = RecordDesk.open();
    Channel ch = d.ch;
    Actor alice = d.patient("alice");
    RecordDesk.Draft rec = d.write(ch.hospital, alice, "visit", VISIT);
    // The channel clock advances one second per transaction; the grant lives for five more.
    long expiry = ch.tick().getEpochSecond() + 6;
    String grant = d.grantRecord(alice, ch.hospital, rec.recordId(), expiry);
    assertEquals("GRANTED", d.read(ch.hospital, grant, rec.recordId()).get("outcome").getAsString());
    while (ch.tick().isBefore(Instant.ofEpochSecond(expiry))) {
      // let time pass
    }
    JsonObject late = d.read(ch.hospital, grant, rec.recordId());
    assertEquals("GRANT_EXPIRED", late.get("code").getAsString());
    assertTrue(Instant.parse(late.get("timestamp").getAsString()).isAfter(Instant.ofEpochSecond(expiry - 1)));
  }

  @Test
  void claimIsFiledReadWithConsentSettledByATransferAndLinked() {
    RecordDesk d = RecordDesk.open();
    Channel ch = d.ch;
    Actor alice = d.patient("alice");
    assertTrue(ch.issue(1_000_000, ch.insurer).isValid());
    RecordDesk.Draft rec = d.write(ch.hospital, alice, "visit", VISIT);
    String claimId = CanonicalJson.parseObject(RecordDesk.ok(
        d.submit(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, rec.recordId(), ch.insurer, 12_000)))
        .payloadText()).get("claimId").getAsString();
    JsonObject filed = d.evaluate("records:getClaim", claimId);
    assertEquals("FILED", filed.get("status").getAsString());
    assertEquals(12_000, ch.insurer.paillier.decryptAmount(
        Channel.ct(ch.insurer.paillier.publicKey(), filed.get("feeInsurer").getAsString())));
    assertEquals(12_000, ch.regulator.paillier.decryptAmount(
        Channel.ct(ch.regulator.paillier.publicKey(), filed.get("feeRegulator").getAsString())));

    String grant = d.grantRecord(alice, ch.insurer, rec.recordId(), 0);
    JsonObject read = d.read(ch.insurer, grant, rec.recordId());
    assertTrue(RecordDesk.decryptCopy(ch.insurer, read).contains("\"fee\":12000"));
    TxResult pay = ch.pay(ch.insurer, ch.hospital, 12_000);
    assertTrue(pay.isValid(), pay.toString());
    TxResult settle = d.submit(ch.insurer, "records:settleClaim",
        d.settleBody(ch.insurer, claimId, pay.txId(), read.get("txId").getAsString()));
    assertTrue(settle.isValid(), settle.toString());
    assertEquals("SETTLED", CanonicalJson.parseObject(settle.payloadText()).get("status").getAsString(),
        "the response shows the status this transaction writes");

    JsonObject settled = d.evaluate("records:getClaim", claimId);
    assertEquals("SETTLED", settled.get("status").getAsString());
    assertEquals(pay.txId(), settled.getAsJsonObject("closed").get("transferTx").getAsString());
    assertEquals(read.get("txId").getAsString(), settled.getAsJsonObject("closed").get("readTx").getAsString());
    assertEquals(rec.recordId(), settled.get("recordId").getAsString());
    for (Actor party : List.of(ch.hospital, ch.insurer, alice)) {
      JsonArray mine = d.evaluate("records:listClaims", party.id, "100", "").getAsJsonArray("items");
      assertEquals(1, mine.size(), party.name);
      assertEquals(settled, mine.get(0));
    }
    // The linked transfer is the confidential payment: the hospital holds the fee.
    assertEquals(12_000, ch.holdings(ch.hospital));
    JsonObject transfer = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "money:getTransaction", pay.txId()));
    assertEquals(12_000, ch.regulator.paillier.decryptAmount(
        Channel.ct(ch.regulator.paillier.publicKey(), transfer.get("amountRegulator").getAsString())));
  }

  @Test
  void eventsNameTheRecordButCarryNoContent() {
    RecordDesk d = RecordDesk.open();
    Channel ch = d.ch;
    Actor alice = d.patient("alice");
    long from = ch.ledger.height();
    RecordDesk.Draft rec = d.write(ch.hospital, alice, "visit", VISIT);
    String grant = d.grantRecord(alice, ch.insurer, rec.recordId(), 0);
    d.read(ch.insurer, grant, rec.recordId());
    List<String> names = new ArrayList<>();
    for (LedgerEvent e : ch.ledger.events(from)) {
      names.add(e.name());
      String payload = new String(e.payload(), StandardCharsets.UTF_8);
      assertFalse(payload.contains("Ada") || payload.contains("copy") || payload.length() > 400, payload);
    }
    assertEquals(List.of("medledger.RecordWritten", "medledger.AccessGranted", "medledger.RecordRead"), names);
  }
}
