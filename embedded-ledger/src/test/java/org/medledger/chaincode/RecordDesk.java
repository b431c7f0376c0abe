package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.RecordCipher;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * The client side of the records contract for chaincode tests: builds, proves and signs the
 * requests as the SDK does, with hooks to build them wrong. Successful submissions advance the
 * signer's nonce.
 */
final class RecordDesk {
  /** The standard configuration plus the DOCTOR role for the hospital organisation. */
  static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"DOCTOR\",\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\",\"InsurerOrgMSP\",\"RegulatorOrgMSP\"]}";
  static final SecureRandom RND = new SecureRandom();
  private static RingPedersenParams rp;

  /** Fresh 2048-bit keys, generated once per JVM and handed out in order within each desk. */
  private static final List<PaillierSecretKey> KEYS = new java.util.ArrayList<>();

  final Channel ch;
  private int nextKey;

  RecordDesk(Channel ch) {
    this.ch = ch;
  }

  /** The desk's next key: distinct within one channel, shared between tests to save key generation. */
  PaillierSecretKey key() {
    synchronized (KEYS) {
      while (KEYS.size() <= nextKey) {
        KEYS.add(Channel.freshKey());
      }
      return KEYS.get(nextKey++);
    }
  }

  /** Registers a new account of {@code role} through {@code msp}'s gateway. */
  Actor register(String name, Role role, String msp) {
    Actor a = Channel.actor(name, role, msp, key());
    ch.register(a);
    return a;
  }

  Actor patient(String name) {
    return register(name, Role.PATIENT, "HospitalOrgMSP");
  }

  /** A configured channel with the regulator registered, the parameters published, insurer and hospital registered. */
  static RecordDesk open() {
    Channel ch = new Channel();
    TxResult r = ch.submit(ch.regulatorOrg, "accounts:configure", CONFIG);
    assertTrue(r.isValid(), r.toString());
    ch.withInstitutions();
    return new RecordDesk(ch); // withInstitutions published the parameters
  }

  static synchronized RingPedersenParams ringPedersen() {
    if (rp == null) {
      rp = TestRingPedersen.params(2048);
    }
    return rp;
  }

  static TxResult ok(TxResult r) {
    assertTrue(r.isValid(), r.toString());
    return r;
  }

  /** Submits {@code body} signed by {@code who} through its gateway; advances its nonce if it committed. */
  TxResult submit(Actor who, String function, JsonObject body) {
    return submitSigned(who, function, who.sign(body));
  }

  TxResult submitSigned(Actor who, String function, String request) {
    TxResult r = ch.submit(ch.gateway(who), function, request);
    if (r.isValid()) {
      who.nonce++;
    }
    return r;
  }

  JsonObject evaluate(String function, String... args) {
    return CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, function, args));
  }

  JsonObject setupBody() {
    return ch.setupBody();
  }

  // --------------------------------------------------------------------------- records

  /** A record as its author built it: the id, the plaintext and the signed body. */
  record Draft(String recordId, byte[] plaintext, EncryptedRecord record, JsonObject body) {}

  Draft draft(Actor author, Actor patient, String type, byte[] data) {
    return draft(author, patient, type, data, "");
  }

  /** An honest write (or, with {@code replaces}, correction) body for the author's current nonce. */
  Draft draft(Actor author, Actor patient, String type, byte[] data, String replaces) {
    String id = RecordProtocol.recordId(Actor.CHANNEL, Actor.CHAINCODE, author.id, author.nonce);
    PaillierPublicKey pk = patient.paillier.publicKey();
    RecordCipher.Sealed sealed = RecordCipher.encrypt(data, id, pk, RND);
    RecordProof proof = RecordProof.prove(pk, sealed.record(), sealed.opening(),
        RecordProtocol.recordProofContext(Actor.CHANNEL, Actor.CHAINCODE, author.id, patient.id, type, replaces), RND);
    JsonObject b = author.body(replaces.isEmpty() ? "record.write" : "record.correct");
    b.addProperty("recordId", id);
    b.addProperty("patient", patient.id);
    b.addProperty("recordType", type);
    b.addProperty("record", b64(sealed.record().toBytes()));
    b.addProperty("proof", b64(proof.toBytes(pk)));
    b.addProperty("commitment", RecordProtocol.commitment(data));
    if (!replaces.isEmpty()) {
      b.addProperty("replaces", replaces);
    }
    return new Draft(id, data, sealed.record(), b);
  }

  Draft write(Actor author, Actor patient, String type, String text) {
    Draft d = draft(author, patient, type, text.getBytes(StandardCharsets.UTF_8));
    ok(submit(author, "records:write", d.body()));
    return d;
  }

  Draft correct(Actor author, Actor patient, String type, String text, String replaces) {
    Draft d = draft(author, patient, type, text.getBytes(StandardCharsets.UTF_8), replaces);
    ok(submit(author, "records:correct", d.body()));
    return d;
  }

  /** The record as stored, decoded under the patient's key. */
  EncryptedRecord stored(Actor patient, String recordId) {
    JsonObject r = evaluate("records:getRecord", recordId);
    byte[] enc = Base64.getDecoder().decode(r.getAsJsonObject("request").getAsJsonObject("body").get("record").getAsString());
    return EncryptedRecord.fromBytes(enc, patient.paillier.publicKey(), 10_000);
  }

  /** What the patient reads from its own stored record. */
  String open(Actor patient, String recordId) {
    return new String(RecordCipher.decrypt(stored(patient, recordId), patient.paillier), StandardCharsets.UTF_8);
  }

  // --------------------------------------------------------------------------- grants

  String nextGrantId(Actor patient) {
    return RecordProtocol.grantId(Actor.CHANNEL, Actor.CHAINCODE, patient.id, patient.nonce);
  }

  /** An honest copy of the patient's record for the grantee under {@code grantId}. */
  JsonObject copy(Actor patient, Actor grantee, String grantId, String recordId) {
    ReencryptionProof.Reencrypted re = ReencryptionProof.reencrypt(patient.paillier, grantee.paillier.publicKey(),
        stored(patient, recordId), ringPedersen(),
        RecordProtocol.reencryptionContext(Actor.CHANNEL, Actor.CHAINCODE, grantId, grantee.id, recordId), RND);
    return copyJson(recordId, re.record(), re.proof());
  }

  static JsonObject copyJson(String recordId, EncryptedRecord copy, ReencryptionProof proof) {
    JsonObject c = new JsonObject();
    c.addProperty("recordId", recordId);
    c.addProperty("copy", b64(copy.toBytes()));
    c.addProperty("proof", b64(proof.toBytes()));
    return c;
  }

  JsonObject grantBody(Actor patient, Actor grantee, String scope, String target, long expiresAt, List<JsonObject> copies) {
    JsonObject b = patient.body("record.grant");
    b.addProperty("grantId", nextGrantId(patient));
    b.addProperty("grantee", grantee.id);
    b.addProperty("scope", scope);
    b.addProperty("target", target);
    b.addProperty("expiresAt", expiresAt);
    JsonArray a = new JsonArray();
    copies.forEach(a::add);
    b.add("copies", a);
    return b;
  }

  /** Grants one record with its copy; returns the grant id. */
  String grantRecord(Actor patient, Actor grantee, String recordId, long expiresAt) {
    String id = nextGrantId(patient);
    ok(submit(patient, "records:grant",
        grantBody(patient, grantee, "RECORD", recordId, expiresAt, List.of(copy(patient, grantee, id, recordId)))));
    return id;
  }

  /** Grants a type of records with copies of the named ones; returns the grant id. */
  String grantCategory(Actor patient, Actor grantee, String type, long expiresAt, String... recordIds) {
    String id = nextGrantId(patient);
    List<JsonObject> copies = new java.util.ArrayList<>();
    for (String r : recordIds) {
      copies.add(copy(patient, grantee, id, r));
    }
    ok(submit(patient, "records:grant", grantBody(patient, grantee, "CATEGORY", type, expiresAt, copies)));
    return id;
  }

  JsonObject shareBody(Actor patient, String grantId, List<JsonObject> copies) {
    JsonObject b = patient.body("record.share");
    b.addProperty("grantId", grantId);
    JsonArray a = new JsonArray();
    copies.forEach(a::add);
    b.add("copies", a);
    return b;
  }

  JsonObject revokeBody(Actor patient, String grantId) {
    JsonObject b = patient.body("record.revoke");
    b.addProperty("grantId", grantId);
    return b;
  }

  // --------------------------------------------------------------------------- reads

  JsonObject readBody(Actor reader, String grantId, String recordId) {
    JsonObject b = reader.body("record.read");
    b.addProperty("grantId", grantId);
    b.addProperty("recordId", recordId);
    return b;
  }

  /** A read that commits (granted or denied); returns the chaincode's response. */
  JsonObject read(Actor reader, String grantId, String recordId) {
    TxResult r = ok(submit(reader, "records:read", readBody(reader, grantId, recordId)));
    return CanonicalJson.parseObject(r.payloadText());
  }

  /** Decrypts a granted read's copy with the grantee's key. */
  static String decryptCopy(Actor grantee, JsonObject response) {
    EncryptedRecord copy = EncryptedRecord.fromBytes(Base64.getDecoder().decode(response.get("copy").getAsString()),
        grantee.paillier.publicKey(), 10_000);
    return new String(RecordCipher.decrypt(copy, grantee.paillier), StandardCharsets.UTF_8);
  }

  /** A trail query valid for five minutes from the query time (the latest commit's). */
  String trailQuery(Actor patient) {
    return trailQuery(patient, ch.ledger.lastTimestamp().getEpochSecond() + 300);
  }

  String trailQuery(Actor patient, long notAfter) {
    JsonObject b = new JsonObject();
    b.addProperty("type", "record.trail");
    b.addProperty("account", patient.id);
    b.addProperty("notAfter", notAfter);
    return patient.sign(b);
  }

  JsonArray trail(Actor patient) {
    return CanonicalJson.parseObject(ch.evaluate(ch.gateway(patient), "records:trail", trailQuery(patient), "100", ""))
        .getAsJsonArray("items");
  }

  // --------------------------------------------------------------------------- claims

  JsonObject claimBody(Actor hospital, String recordId, Actor insurer, long fee) {
    JsonObject b = hospital.body("claim.file");
    b.addProperty("claimId", RecordProtocol.claimId(Actor.CHANNEL, Actor.CHAINCODE, hospital.id, hospital.nonce));
    b.addProperty("recordId", recordId);
    b.addProperty("insurer", insurer.id);
    b.addProperty("feeHospital", b64(hospital.paillier.publicKey().encrypt(fee, RND)));
    b.addProperty("feeInsurer", b64(insurer.paillier.publicKey().encrypt(fee, RND)));
    b.addProperty("feeRegulator", b64(ch.regulator.paillier.publicKey().encrypt(fee, RND)));
    return b;
  }

  JsonObject settleBody(Actor insurer, String claimId, String transferTx, String readTx) {
    JsonObject b = insurer.body("claim.settle");
    b.addProperty("claimId", claimId);
    b.addProperty("transferTx", transferTx);
    b.addProperty("readTx", readTx);
    return b;
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static String b64(PaillierCiphertext c) {
    return b64(c.toBytes());
  }

  Actor doctor(String name) {
    return register(name, Role.DOCTOR, "HospitalOrgMSP");
  }
}
