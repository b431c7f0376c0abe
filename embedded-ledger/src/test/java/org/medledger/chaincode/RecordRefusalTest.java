package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.embedded.StateProbe;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.SegmentLayout;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * Every bad input to the records contract is refused with its stable code and writes nothing:
 * the height and the whole world state stay as they were. Unauthorised reads are the one
 * exception by design: they commit a logged denial that writes only the log.
 */
class RecordRefusalTest {
  /** Long enough for three segments at 2048 bits, so that a segment can be dropped. */
  private static final String RECORD = "{\"name\":\"Ada Example\",\"fee\":4200,\"prescription\":\"" + "rest. ".repeat(60) + "\"}";
  private RecordDesk d;
  private Channel ch;
  private Actor alice;
  private Actor bob;
  private RecordDesk.Draft rec;
  private String grant;
  private long height;
  private Map<String, String> state;

  @BeforeEach
  void setUp() {
    d = RecordDesk.open();
    ch = d.ch;
    alice = d.patient("alice");
    bob = d.patient("bob");
    rec = d.write(ch.hospital, alice, "visit", RECORD);
    grant = d.grantRecord(alice, ch.insurer, rec.recordId(), 0);
    mark();
  }

  private void mark() {
    height = ch.ledger.height();
    state = StateProbe.snapshot(ch.ledger);
  }

  private void refused(TxResult r, ErrorCode code) {
    Channel.assertRefused(r, code);
    assertEquals(height, ch.ledger.height(), "a refused request is not ordered");
    assertEquals(state, StateProbe.snapshot(ch.ledger), "a refused request writes nothing");
  }

  private void refusedEither(TxResult r, Set<ErrorCode> codes) {
    String code = new String(r.payload(), StandardCharsets.UTF_8);
    assertTrue(codes.stream().anyMatch(c -> c.name().equals(code)), r.toString());
    refused(r, ErrorCode.valueOf(code));
  }

  private void refusedQuery(ErrorCode code, String function, String... args) {
    ChaincodeException e = assertThrows(ChaincodeException.class, () -> ch.ledger.evaluate(ch.hospitalOrg, function, args));
    assertEquals(code.name(), new String(e.getPayload(), StandardCharsets.UTF_8), e.getMessage());
  }

  private TxResult write(Actor who, JsonObject body) {
    return ch.submit(ch.gateway(who), "records:write", who.sign(body));
  }

  private TxResult send(Actor who, String function, JsonObject body) {
    return ch.submit(ch.gateway(who), function, who.sign(body));
  }

  private Actor register(String name, Role role, String msp) {
    return d.register(name, role, msp);
  }

  @Test
  void writesFromTheWrongPartyOrAboutTheWrongAccount() {
    JsonObject unknownPatient = d.draft(ch.hospital, alice, "visit", new byte[] {1}).body();
    unknownPatient.addProperty("patient", "acct-00000000000000000000000000000000");
    refused(write(ch.hospital, unknownPatient), ErrorCode.UNKNOWN_ACCOUNT);
    refused(write(ch.hospital, d.draft(ch.hospital, ch.insurer, "visit", new byte[] {1}).body()), ErrorCode.WRONG_ROLE);
    refused(write(ch.insurer, d.draft(ch.insurer, alice, "visit", new byte[] {1}).body()), ErrorCode.WRONG_ROLE);

    // The author's signature, forged: the body names the hospital, another key signs it.
    Actor mallory = Channel.actor("mallory", Role.HOSPITAL, "HospitalOrgMSP", TestKeys.key2048a());
    refused(write(mallory, d.draft(ch.hospital, alice, "visit", new byte[] {1}).body()), ErrorCode.BAD_SIGNATURE);
    JsonObject otherChannel = d.draft(ch.hospital, alice, "visit", new byte[] {1}).body();
    refused(ch.submit(ch.hospitalOrg, "records:write", ch.hospital.sign(otherChannel, "otherchannel", Actor.CHAINCODE)),
        ErrorCode.BAD_SIGNATURE);

    JsonObject good = d.draft(ch.hospital, alice, "visit", new byte[] {1}).body();
    RecordDesk.ok(write(ch.hospital, good));
    ch.hospital.nonce++;
    mark();
    refused(write(ch.hospital, good), ErrorCode.BAD_NONCE);
  }

  @Test
  void writesWithBadSegmentsOrProofs() {
    // A proof made for other segments (same id, same author, another encryption).
    RecordDesk.Draft a = d.draft(ch.hospital, alice, "visit", "first".getBytes(StandardCharsets.UTF_8));
    RecordDesk.Draft b = d.draft(ch.hospital, alice, "visit", "second".getBytes(StandardCharsets.UTF_8));
    JsonObject swapped = a.body().deepCopy();
    swapped.add("proof", b.body().get("proof"));
    refused(write(ch.hospital, swapped), ErrorCode.RECORD_PROOF_INVALID);
    // A proof bound to another record type (the context).
    JsonObject retyped = d.draft(ch.hospital, alice, "lab", new byte[] {1}).body();
    retyped.addProperty("recordType", "visit");
    refused(write(ch.hospital, retyped), ErrorCode.RECORD_PROOF_INVALID);
    // A segment changed after proving: homomorphically add 1.
    JsonObject tampered = a.body().deepCopy();
    PaillierPublicKey pk = alice.paillier.publicKey();
    List<PaillierCiphertext> segs = new ArrayList<>(a.record().segments());
    segs.set(0, pk.addPlain(segs.get(0), BigInteger.ONE));
    tampered.addProperty("record", RecordDesk.b64(new EncryptedRecord(a.recordId(), pk.bits(), segs).toBytes()));
    refused(write(ch.hospital, tampered), ErrorCode.RECORD_PROOF_INVALID);
    // Segments encrypted under another patient's key.
    JsonObject forBob = d.draft(ch.hospital, bob, "visit", new byte[] {1}).body();
    forBob.addProperty("patient", alice.id);
    refusedEither(write(ch.hospital, forBob), Set.of(ErrorCode.MALFORMED_RECORD, ErrorCode.RECORD_PROOF_INVALID));
    // Segments bound to another record id.
    JsonObject otherId = a.body().deepCopy();
    otherId.addProperty("recordId", RecordProtocol.recordId(Actor.CHANNEL, Actor.CHAINCODE, ch.hospital.id, 999));
    refused(write(ch.hospital, otherId), ErrorCode.MALFORMED_REQUEST);
    JsonObject badCommitment = a.body().deepCopy();
    badCommitment.addProperty("commitment", "XYZ");
    refused(write(ch.hospital, badCommitment), ErrorCode.MALFORMED_REQUEST);
    JsonObject badType = a.body().deepCopy();
    badType.addProperty("recordType", "Visit Notes");
    refused(write(ch.hospital, badType), ErrorCode.MALFORMED_REQUEST);
    JsonObject badProof = a.body().deepCopy();
    badProof.addProperty("proof", "AAAA");
    refused(write(ch.hospital, badProof), ErrorCode.MALFORMED_PROOF);
  }

  @Test
  void oversizedRecordsAreRefusedAtTheSegmentBoundary() {
    int largest = SegmentLayout.segmentCount(RecordProtocol.MAX_RECORD_BYTES, 2048) * SegmentLayout.payloadBytes(2048) - 32;
    assertTrue(largest >= RecordProtocol.MAX_RECORD_BYTES && largest < RecordProtocol.MAX_RECORD_BYTES + 200);
    refused(write(ch.hospital, d.draft(ch.hospital, alice, "visit", new byte[largest + 1]).body()), ErrorCode.RECORD_TOO_LARGE);
    refused(write(ch.hospital, d.draft(ch.hospital, alice, "visit", new byte[20 * 1024]).body()), ErrorCode.RECORD_TOO_LARGE);
    RecordDesk.ok(write(ch.hospital, d.draft(ch.hospital, alice, "visit", new byte[largest]).body()));
  }

  @Test
  void correctionsOnlyByTheAuthorOfTheLatestVersion() {
    Actor hospital2 = register("hospital2", Role.HOSPITAL, "HospitalOrgMSP");
    mark();
    refused(send(hospital2, "records:correct", d.draft(hospital2, alice, "visit", new byte[] {2}, rec.recordId()).body()),
        ErrorCode.NOT_RECORD_AUTHOR);
    String unknown = RecordProtocol.recordId(Actor.CHANNEL, Actor.CHAINCODE, ch.hospital.id, 12345);
    refused(send(ch.hospital, "records:correct", d.draft(ch.hospital, alice, "visit", new byte[] {2}, unknown).body()),
        ErrorCode.UNKNOWN_RECORD);
    refused(send(ch.hospital, "records:correct", d.draft(ch.hospital, bob, "visit", new byte[] {2}, rec.recordId()).body()),
        ErrorCode.NOT_RECORD_PATIENT);
    refused(send(ch.hospital, "records:correct", d.draft(ch.hospital, alice, "lab", new byte[] {2}, rec.recordId()).body()),
        ErrorCode.MALFORMED_REQUEST);
    d.correct(ch.hospital, alice, "visit", "v2", rec.recordId());
    mark();
    refused(send(ch.hospital, "records:correct", d.draft(ch.hospital, alice, "visit", new byte[] {3}, rec.recordId()).body()),
        ErrorCode.RECORD_SUPERSEDED);
  }

  @Test
  void grantsNotSignedByThePatientOrForItsRecords() {
    String id = d.nextGrantId(alice);
    JsonObject body = d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0,
        List.of(d.copy(alice, ch.hospital, id, rec.recordId())));
    Actor mallory = Channel.actor("mallory", Role.PATIENT, "HospitalOrgMSP", TestKeys.key2048a());
    refused(send(mallory, "records:grant", body), ErrorCode.BAD_SIGNATURE);
    JsonObject byHospital = body.deepCopy();
    byHospital.addProperty("account", ch.hospital.id);
    byHospital.addProperty("nonce", ch.hospital.nonce);
    byHospital.addProperty("grantId", RecordProtocol.grantId(Actor.CHANNEL, Actor.CHAINCODE, ch.hospital.id, ch.hospital.nonce));
    refused(send(ch.hospital, "records:grant", byHospital), ErrorCode.WRONG_ROLE);
    // Bob grants Alice's record.
    String bobGrant = d.nextGrantId(bob);
    refused(send(bob, "records:grant", d.grantBody(bob, ch.hospital, "RECORD", rec.recordId(), 0,
        List.of(d.copy(alice, ch.hospital, bobGrant, rec.recordId())))), ErrorCode.NOT_RECORD_PATIENT);
    // ... or puts a copy of it under a category grant of his own.
    refused(send(bob, "records:grant", d.grantBody(bob, ch.hospital, "CATEGORY", "visit", 0,
        List.of(d.copy(alice, ch.hospital, bobGrant, rec.recordId())))), ErrorCode.NOT_RECORD_PATIENT);

    JsonObject unknownGrantee = body.deepCopy();
    unknownGrantee.addProperty("grantee", "acct-00000000000000000000000000000000");
    refused(send(alice, "records:grant", unknownGrantee), ErrorCode.UNKNOWN_ACCOUNT);
    JsonObject toPatient = body.deepCopy();
    toPatient.addProperty("grantee", bob.id);
    refused(send(alice, "records:grant", toPatient), ErrorCode.WRONG_ROLE);
    JsonObject toSelf = body.deepCopy();
    toSelf.addProperty("grantee", alice.id);
    refused(send(alice, "records:grant", toSelf), ErrorCode.WRONG_ROLE);
    JsonObject expired = body.deepCopy();
    expired.addProperty("expiresAt", ch.tick().getEpochSecond());
    refused(send(alice, "records:grant", expired), ErrorCode.GRANT_EXPIRED);
    JsonObject badScope = body.deepCopy();
    badScope.addProperty("scope", "EVERYTHING");
    refused(send(alice, "records:grant", badScope), ErrorCode.MALFORMED_REQUEST);
    JsonObject badId = body.deepCopy();
    badId.addProperty("grantId", RecordProtocol.grantId(Actor.CHANNEL, Actor.CHAINCODE, alice.id, alice.nonce + 1));
    refused(send(alice, "records:grant", badId), ErrorCode.MALFORMED_REQUEST);
    RecordDesk.ok(send(alice, "records:grant", body));
  }

  @Test
  void grantsWhoseCopiesDoNotProve() {
    String id = d.nextGrantId(alice);
    JsonObject honest = d.copy(alice, ch.hospital, id, rec.recordId());
    // A copy proven for another grant id (the proof's context).
    JsonObject otherContext = d.copy(alice, ch.hospital, d.nextGrantId(bob), rec.recordId());
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0, List.of(otherContext))),
        ErrorCode.REENCRYPTION_PROOF_INVALID);
    // A copy with one segment changed after proving (the proof is for other segments).
    EncryptedRecord copy = EncryptedRecord.fromBytes(Base64.getDecoder().decode(honest.get("copy").getAsString()),
        ch.hospital.paillier.publicKey(), 100);
    List<PaillierCiphertext> segs = new ArrayList<>(copy.segments());
    segs.set(segs.size() - 1, ch.hospital.paillier.publicKey().addPlain(segs.get(segs.size() - 1), BigInteger.TWO));
    JsonObject tampered = honest.deepCopy();
    tampered.addProperty("copy", RecordDesk.b64(new EncryptedRecord(copy.recordId(), copy.keyBits(), copy.layoutBits(), segs).toBytes()));
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0, List.of(tampered))),
        ErrorCode.REENCRYPTION_PROOF_INVALID);
    // A copy missing a segment.
    JsonObject shorter = honest.deepCopy();
    shorter.addProperty("copy", RecordDesk.b64(new EncryptedRecord(copy.recordId(), copy.keyBits(), copy.layoutBits(),
        segs.subList(0, segs.size() - 1)).toBytes()));
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0, List.of(shorter))),
        ErrorCode.MALFORMED_RECORD);
    JsonObject badProof = honest.deepCopy();
    badProof.addProperty("proof", "AAAA");
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0, List.of(badProof))),
        ErrorCode.MALFORMED_PROOF);
    // Copies outside the scope, duplicated, too many.
    RecordDesk.Draft lab = d.write(ch.hospital, alice, "lab", "lab");
    mark();
    String id2 = d.nextGrantId(alice);
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0,
        List.of(d.copy(alice, ch.hospital, id2, lab.recordId())))), ErrorCode.OUT_OF_SCOPE);
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "CATEGORY", "visit", 0,
        List.of(d.copy(alice, ch.hospital, id2, lab.recordId())))), ErrorCode.OUT_OF_SCOPE);
    JsonObject c = d.copy(alice, ch.hospital, id2, rec.recordId());
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "CATEGORY", "visit", 0, List.of(c, c))),
        ErrorCode.MALFORMED_REQUEST);
    List<JsonObject> nine = new ArrayList<>();
    for (int i = 0; i <= RecordProtocol.MAX_COPIES_PER_TX; i++) {
      nine.add(c);
    }
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "CATEGORY", "visit", 0, nine)),
        ErrorCode.TOO_MANY_COPIES);
    refused(send(alice, "records:grant", d.grantBody(alice, ch.hospital, "RECORD", rec.recordId(), 0, List.of())),
        ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void aGranteeKeyShorterThanTheRecordLayoutIsRefused() {
    Actor carol = Channel.actor("carol", Role.PATIENT, "HospitalOrgMSP", TestKeys.key3072());
    ch.register(carol);
    RecordDesk.Draft big = d.write(ch.hospital, carol, "visit", "cut for 3072 bits");
    mark();
    String id = d.nextGrantId(carol);
    // The honest client cannot even build the copy; a hand-made request is refused by the chaincode.
    assertThrows(org.medledger.crypto.MalformedInputException.class, () -> d.copy(carol, ch.hospital, id, big.recordId()));
    JsonObject junk = new JsonObject();
    junk.addProperty("recordId", big.recordId());
    junk.addProperty("copy", "AAAA");
    junk.addProperty("proof", "AAAA");
    refused(send(carol, "records:grant", d.grantBody(carol, ch.hospital, "RECORD", big.recordId(), 0, List.of(junk))),
        ErrorCode.GRANTEE_KEY_TOO_SMALL);
  }

  @Test
  void shareAndRevokeOnlyOnOwnActiveGrants() {
    String cat = d.grantCategory(alice, ch.hospital, "visit", ch.tick().getEpochSecond() + 30);
    mark();
    JsonObject copy = d.copy(alice, ch.hospital, cat, rec.recordId());
    refused(send(bob, "records:share", d.shareBody(bob, cat, List.of(copy))), ErrorCode.NOT_RECORD_PATIENT);
    String unknown = RecordProtocol.grantId(Actor.CHANNEL, Actor.CHAINCODE, alice.id, 999);
    refused(send(alice, "records:share", d.shareBody(alice, unknown, List.of(copy))), ErrorCode.UNKNOWN_GRANT);
    refused(send(alice, "records:share", d.shareBody(alice, cat, List.of())), ErrorCode.MALFORMED_REQUEST);
    RecordDesk.ok(send(alice, "records:share", d.shareBody(alice, cat, List.of(copy))));
    alice.nonce++;
    mark();
    refused(send(alice, "records:share", d.shareBody(alice, cat, List.of(copy))), ErrorCode.COPY_EXISTS);
    refused(send(alice, "records:share", d.shareBody(alice, grant,
        List.of(d.copy(alice, ch.insurer, grant, rec.recordId())))), ErrorCode.COPY_EXISTS);

    refused(send(bob, "records:revoke", d.revokeBody(bob, grant)), ErrorCode.NOT_RECORD_PATIENT);
    refused(send(alice, "records:revoke", d.revokeBody(alice, unknown)), ErrorCode.UNKNOWN_GRANT);
    RecordDesk.ok(send(alice, "records:revoke", d.revokeBody(alice, grant)));
    alice.nonce++;
    mark();
    refused(send(alice, "records:revoke", d.revokeBody(alice, grant)), ErrorCode.GRANT_REVOKED);
    refused(send(alice, "records:share", d.shareBody(alice, grant, List.of(copy))), ErrorCode.GRANT_REVOKED);

    while (ch.tick().getEpochSecond() < d.evaluate("records:getGrant", cat).get("expiresAt").getAsLong()) {
      // let the category grant expire
    }
    RecordDesk.Draft later = d.write(ch.hospital, alice, "visit", "later");
    mark();
    refused(send(alice, "records:share", d.shareBody(alice, cat, List.of(d.copy(alice, ch.hospital, cat, later.recordId())))),
        ErrorCode.GRANT_EXPIRED);
  }

  @Test
  void unauthenticatedReadsAreRefusedAndUnauthorisedOnesLogged() {
    Actor mallory = Channel.actor("mallory", Role.INSURER, "InsurerOrgMSP", TestKeys.key2048b());
    refused(send(mallory, "records:read", d.readBody(ch.insurer, grant, rec.recordId())), ErrorCode.BAD_SIGNATURE);
    JsonObject badId = d.readBody(ch.insurer, grant, rec.recordId());
    badId.addProperty("grantId", "grant-1");
    refused(send(ch.insurer, "records:read", badId), ErrorCode.MALFORMED_REQUEST);
    JsonObject stale = d.readBody(ch.insurer, grant, rec.recordId());
    stale.addProperty("nonce", ch.insurer.nonce + 1);
    refused(send(ch.insurer, "records:read", stale), ErrorCode.BAD_NONCE);

    String unknownGrant = RecordProtocol.grantId(Actor.CHANNEL, Actor.CHAINCODE, alice.id, 999);
    String unknownRecord = RecordProtocol.recordId(Actor.CHANNEL, Actor.CHAINCODE, ch.hospital.id, 999);
    record Denial(Actor reader, String grantId, String recordId, ErrorCode code, Set<String> writes) {}
    Set<String> stranger = Set.of("access", "alltrail", "nonce");
    Set<String> grantee = Set.of("access", "alltrail", "nonce", "ptrail", AccessLog.DENIALS);
    for (Denial x : List.of(
        new Denial(ch.hospital, grant, rec.recordId(), ErrorCode.NOT_GRANTEE, stranger), // a foreign grant
        new Denial(ch.insurer, unknownGrant, rec.recordId(), ErrorCode.UNKNOWN_GRANT, stranger),
        new Denial(ch.insurer, grant, unknownRecord, ErrorCode.UNKNOWN_RECORD, grantee))) {
      mark();
      JsonObject r = d.read(x.reader(), x.grantId(), x.recordId());
      assertEquals("DENIED", r.get("outcome").getAsString());
      assertEquals(x.code().name(), r.get("code").getAsString());
      assertEquals(height + 1, ch.ledger.height(), "the denial is committed");
      assertEquals(x.writes(), StateProbe.objectTypes(StateProbe.changed(state, StateProbe.snapshot(ch.ledger))));
    }
    // Alice's trail lists what her grantee did; strangers' attempts are in the regulator's trail only.
    JsonArray trail = d.trail(alice);
    assertEquals(List.of("UNKNOWN_RECORD"), trail.asList().stream().map(e -> e.getAsJsonObject().get("code").getAsString()).toList());
    JsonArray audit = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", "", "100", ""))
        .getAsJsonArray("items");
    assertEquals(List.of("NOT_GRANTEE", "UNKNOWN_GRANT", "UNKNOWN_RECORD"),
        audit.asList().stream().map(e -> e.getAsJsonObject().get("code").getAsString()).toList());
    assertEquals(ch.hospital.id, audit.get(0).getAsJsonObject().get("reader").getAsString(), "attributed to the signed reader");
  }

  /**
   * Issue 11: any account could commit DENIED entries to any patient's trail. Strangers now cannot
   * write to it at all, and a grantee's denials are listed at most {@link AccessLog#MAX_DENIALS_PER_GRANT}
   * times per grant, counted beyond that.
   */
  @Test
  void nobodyCanFloodAPatientsTrail() {
    Actor mallory = d.register("mallory", Role.INSURER, "InsurerOrgMSP");
    for (int i = 0; i < 5; i++) {
      assertEquals("NOT_GRANTEE", d.read(mallory, grant, rec.recordId()).get("code").getAsString());
    }
    assertEquals(0, d.trail(alice).size(), "a stranger writes nothing to the patient's trail");
    RecordDesk.ok(send(alice, "records:revoke", d.revokeBody(alice, grant)));
    alice.nonce++;
    int attempts = AccessLog.MAX_DENIALS_PER_GRANT + 4;
    for (int i = 0; i < attempts; i++) {
      assertEquals("GRANT_REVOKED", d.read(ch.insurer, grant, rec.recordId()).get("code").getAsString());
    }
    JsonArray trail = d.trail(alice);
    assertEquals(AccessLog.MAX_DENIALS_PER_GRANT, trail.size());
    assertEquals(attempts, d.evaluate("records:getGrant", grant).get("deniedReads").getAsLong());
    JsonArray audit = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "records:auditTrail", "", "100", ""))
        .getAsJsonArray("items");
    assertEquals(5 + attempts, audit.size(), "the regulator's trail keeps every attempt");
  }

  @Test
  void setupOnlyOnceByTheRegulatorWithAValidProof() {
    refused(ch.submit(ch.regulatorOrg, "records:setup", ch.regulator.sign(d.setupBody())), ErrorCode.RECORDS_ALREADY_SET_UP);
    JsonObject byInsurer = ch.insurer.body("record.setup");
    byInsurer.add("params", d.setupBody().get("params"));
    byInsurer.add("proof", d.setupBody().get("proof"));
    refused(ch.submit(ch.regulatorOrg, "records:setup", ch.insurer.sign(byInsurer)), ErrorCode.WRONG_ROLE);

    // Before records:setup only the regulator can exist: every other role needs the parameters
    // for its Π^fac proof (docs/chaincode.md §3).
    Channel fresh = new Channel();
    RecordDesk.ok(fresh.submit(fresh.regulatorOrg, "accounts:configure", RecordDesk.CONFIG));
    fresh.withRegulator();
    long h = fresh.ledger.height();
    Map<String, String> s = StateProbe.snapshot(fresh.ledger);
    Actor dave = Channel.actor("dave", Role.PATIENT, "HospitalOrgMSP", new RecordDesk(fresh).key());
    Channel.assertRefused(fresh.submit(fresh.hospitalOrg, "accounts:register", dave.sign(dave.registerBody())),
        ErrorCode.RECORDS_NOT_SET_UP);
    Channel.assertRefused(fresh.submit(fresh.hospitalOrg, "records:setup", fresh.regulator.sign(fresh.setupBody())),
        ErrorCode.FORBIDDEN_ORGANISATION);
    byte[] proof = TestRingPedersen.proofBytes(2048);
    proof[proof.length - 7] ^= 1;
    JsonObject forged = fresh.setupBody();
    forged.addProperty("proof", RecordDesk.b64(proof));
    Channel.assertRefused(fresh.submit(fresh.regulatorOrg, "records:setup", fresh.regulator.sign(forged)),
        ErrorCode.RING_PEDERSEN_INVALID);
    assertEquals(h, fresh.ledger.height());
    assertEquals(s, StateProbe.snapshot(fresh.ledger));
    fresh.publishRingPedersen();
    RecordDesk.ok(fresh.submit(fresh.hospitalOrg, "accounts:register", dave.sign(dave.registerBody())));
  }

  @Test
  void claimsAndSettlementsThatDoNotMatch() {
    assertTrue(ch.issue(100_000, ch.insurer).isValid());
    Actor hospital2 = register("hospital2", Role.HOSPITAL, "HospitalOrgMSP");
    Actor insurer2 = register("insurer2", Role.INSURER, "InsurerOrgMSP");
    TxResult early = ch.pay(ch.insurer, ch.hospital, 4_200); // before the claim exists
    String earlyRead = d.read(ch.insurer, grant, rec.recordId()).get("txId").getAsString(); // likewise
    mark();
    refused(send(hospital2, "records:fileClaim", d.claimBody(hospital2, rec.recordId(), ch.insurer, 4_200)),
        ErrorCode.NOT_RECORD_AUTHOR);
    refused(send(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, rec.recordId(), hospital2, 4_200)),
        ErrorCode.WRONG_ROLE);
    JsonObject badFee = d.claimBody(ch.hospital, rec.recordId(), ch.insurer, 4_200);
    badFee.addProperty("feeInsurer", RecordDesk.b64(new byte[4 + 512]));
    refused(send(ch.hospital, "records:fileClaim", badFee), ErrorCode.MALFORMED_CIPHERTEXT);
    JsonObject body = d.claimBody(ch.hospital, rec.recordId(), ch.insurer, 4_200);
    String claimId = body.get("claimId").getAsString();
    RecordDesk.ok(send(ch.hospital, "records:fileClaim", body));
    ch.hospital.nonce++;
    mark();
    refused(send(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, rec.recordId(), ch.insurer, 4_200)),
        ErrorCode.CLAIM_EXISTS);

    JsonObject denied = d.read(ch.insurer, RecordProtocol.grantId(Actor.CHANNEL, Actor.CHAINCODE, alice.id, 999), rec.recordId());
    JsonObject granted = d.read(ch.insurer, grant, rec.recordId());
    TxResult toAlice = ch.pay(ch.insurer, alice, 4_200);
    TxResult pay = ch.pay(ch.insurer, ch.hospital, 4_200);
    String readTx = granted.get("txId").getAsString();
    mark();
    refused(send(insurer2, "records:settleClaim", d.settleBody(insurer2, claimId, pay.txId(), readTx)), ErrorCode.NOT_CLAIM_PARTY);
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, "no-such-tx", readTx)),
        ErrorCode.UNKNOWN_TRANSFER);
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, toAlice.txId(), readTx)),
        ErrorCode.SETTLEMENT_MISMATCH);
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, early.txId(), readTx)),
        ErrorCode.SETTLEMENT_MISMATCH);
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, pay.txId(),
        denied.get("txId").getAsString())), ErrorCode.NO_CONSENTED_READ);
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, pay.txId(), pay.txId())),
        ErrorCode.NO_CONSENTED_READ);
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, pay.txId(), earlyRead)),
        ErrorCode.NO_CONSENTED_READ);
    RecordDesk.ok(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, pay.txId(), readTx)));
    ch.insurer.nonce++;
    mark();
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, claimId, pay.txId(), readTx)), ErrorCode.CLAIM_CLOSED);
    JsonObject reject = ch.insurer.body("claim.reject");
    reject.addProperty("claimId", claimId);
    reject.addProperty("reason", "late");
    refused(send(ch.insurer, "records:rejectClaim", reject), ErrorCode.CLAIM_CLOSED);

    // One transfer settles one claim; a claim on a corrected record is refused.
    RecordDesk.Draft other = d.write(ch.hospital, alice, "visit", "second visit");
    JsonObject second = d.claimBody(ch.hospital, other.recordId(), ch.insurer, 4_200);
    RecordDesk.ok(send(ch.hospital, "records:fileClaim", second));
    ch.hospital.nonce++;
    String grant2 = d.grantRecord(alice, ch.insurer, other.recordId(), 0);
    String read2 = d.read(ch.insurer, grant2, other.recordId()).get("txId").getAsString();
    mark();
    refused(send(ch.insurer, "records:settleClaim", d.settleBody(ch.insurer, second.get("claimId").getAsString(), pay.txId(),
        read2)), ErrorCode.TRANSFER_ALREADY_LINKED);
    d.correct(ch.hospital, alice, "visit", "second visit, fixed", other.recordId());
    mark();
    refused(send(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, other.recordId(), ch.insurer, 1)),
        ErrorCode.RECORD_SUPERSEDED);
  }

  @Test
  void aCorrectionCannotCarryASecondClaimForTheSameRecord() {
    JsonObject first = d.claimBody(ch.hospital, rec.recordId(), ch.insurer, 4_200);
    RecordDesk.ok(send(ch.hospital, "records:fileClaim", first));
    ch.hospital.nonce++;
    RecordDesk.Draft v2 = d.correct(ch.hospital, alice, "visit", RECORD.replace("4200", "4300"), rec.recordId());
    mark();
    refused(send(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, v2.recordId(), ch.insurer, 4_300)),
        ErrorCode.CLAIM_EXISTS);
    RecordDesk.Draft v3 = d.correct(ch.hospital, alice, "visit", RECORD.replace("4200", "4400"), v2.recordId());
    JsonObject stored = CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "records:getRecord", v3.recordId()));
    assertEquals(rec.recordId(), stored.get("root").getAsString());
    assertEquals(3, stored.get("version").getAsLong());
    mark();
    refused(send(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, v3.recordId(), ch.insurer, 4_400)),
        ErrorCode.CLAIM_EXISTS);
    // A record with no claim in its chain is still claimable after a correction.
    RecordDesk.Draft other = d.write(ch.hospital, alice, "visit", "another visit");
    RecordDesk.Draft otherV2 = d.correct(ch.hospital, alice, "visit", "another visit, fixed", other.recordId());
    RecordDesk.ok(send(ch.hospital, "records:fileClaim", d.claimBody(ch.hospital, otherV2.recordId(), ch.insurer, 1)));
  }

  @Test
  void aTrailQueryIsRefusedOutsideItsValidity() {
    Instant now = ch.ledger.lastTimestamp();
    long t = now.getEpochSecond();
    mark();
    for (long notAfter : new long[] {t - 1, t + RecordProtocol.MAX_QUERY_VALIDITY_SECONDS + 1}) {
      ChaincodeException e = assertThrows(ChaincodeException.class, () -> ch.ledger.evaluate(ch.hospitalOrg, now,
          "records:trail", d.trailQuery(alice, notAfter), "10", ""));
      assertEquals(ErrorCode.QUERY_EXPIRED.name(), new String(e.getPayload(), StandardCharsets.UTF_8), e.getMessage());
    }
    JsonObject noExpiry = new JsonObject();
    noExpiry.addProperty("type", "record.trail");
    noExpiry.addProperty("account", alice.id);
    ChaincodeException e = assertThrows(ChaincodeException.class, () -> ch.ledger.evaluate(ch.hospitalOrg, now,
        "records:trail", alice.sign(noExpiry), "10", ""));
    assertEquals(ErrorCode.MALFORMED_REQUEST.name(), new String(e.getPayload(), StandardCharsets.UTF_8));
    // The bounds themselves are accepted.
    for (long notAfter : new long[] {t, t + RecordProtocol.MAX_QUERY_VALIDITY_SECONDS}) {
      ch.ledger.evaluate(ch.hospitalOrg, now, "records:trail", d.trailQuery(alice, notAfter), "10", "");
    }
    assertEquals(height, ch.ledger.height());
    assertEquals(state, StateProbe.snapshot(ch.ledger));
  }

  @Test
  void queriesAreBoundedAndTheTrailIsOnlyForThePatientAndTheRegulator() {
    refusedQuery(ErrorCode.FORBIDDEN_ORGANISATION, "records:auditTrail", "", "10", "");
    refusedQuery(ErrorCode.FORBIDDEN_ORGANISATION, "records:auditTrail", alice.id, "10", "");
    refusedQuery(ErrorCode.BAD_PAGE, "records:listRecords", alice.id, "0", "");
    refusedQuery(ErrorCode.BAD_PAGE, "records:listRecords", alice.id, "101", "");
    refusedQuery(ErrorCode.UNKNOWN_ACCOUNT, "records:listRecords", "acct-00000000000000000000000000000000", "10", "");
    refusedQuery(ErrorCode.UNKNOWN_RECORD, "records:getRecord", "rec-0");
    refusedQuery(ErrorCode.UNKNOWN_GRANT, "records:getGrant", "grant-0");
    refusedQuery(ErrorCode.UNKNOWN_CLAIM, "records:getClaim", "claim-0");
    ChaincodeException e = assertThrows(ChaincodeException.class,
        () -> ch.ledger.evaluate(ch.regulatorOrg, "records:auditTrail", "not-an-account", "10", ""));
    assertEquals("MALFORMED_REQUEST", new String(e.getPayload(), StandardCharsets.UTF_8));
    // Bob's key cannot list Alice's trail, and a hospital has no trail to list.
    JsonObject q = new JsonObject();
    q.addProperty("type", "record.trail");
    q.addProperty("account", alice.id);
    q.addProperty("notAfter", ch.ledger.lastTimestamp().getEpochSecond() + 60);
    refusedQuery(ErrorCode.BAD_SIGNATURE, "records:trail", bob.sign(q), "10", "");
    refusedQuery(ErrorCode.WRONG_ROLE, "records:trail", d.trailQuery(ch.hospital), "10", "");
    assertEquals(0, d.trail(alice).size());
    assertEquals(height, ch.ledger.height());
    assertEquals(List.of(rec.recordId()), CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "records:listRecords", alice.id,
        "10", "")).getAsJsonArray("items").asList().stream().map(x -> x.getAsJsonObject().get("recordId").getAsString()).toList());
  }
}
