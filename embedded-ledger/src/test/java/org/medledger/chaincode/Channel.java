package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * A configured channel on the embedded ledger with the three organisations' gateway identities,
 * and the client-side steps (build, sign, prove) that tests need. Timestamps advance one second
 * per transaction from a fixed start, so runs are reproducible.
 */
final class Channel {
  static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\",\"InsurerOrgMSP\",\"RegulatorOrgMSP\"]}";
  private static final SecureRandom RND = new SecureRandom();

  final EmbeddedLedger ledger;
  final Identity hospitalOrg;
  final Identity insurerOrg;
  final Identity regulatorOrg;
  final Identity outsider;
  private Instant clock = Instant.parse("2026-01-01T08:00:00Z");

  Channel() {
    this(MedLedgerContracts.dispatcher());
  }

  /** A channel whose proposals run through {@code dispatcher} (e.g. Fabric's router instead of ours). */
  Channel(EmbeddedLedger.Dispatcher dispatcher) {
    ledger = EmbeddedLedger.inMemory(Actor.CHANNEL, dispatcher);
    hospitalOrg = ledger.identity("HospitalOrgMSP", "hospital-gateway");
    insurerOrg = ledger.identity("InsurerOrgMSP", "insurer-gateway");
    regulatorOrg = ledger.identity("RegulatorOrgMSP", "regulator-gateway");
    outsider = ledger.identity("OutsiderMSP", "outsider");
  }

  Instant tick() {
    clock = clock.plusSeconds(1);
    return clock;
  }

  /** The timestamp the last transaction carried (an honest client's "now"). */
  Instant now() {
    return clock;
  }

  /** Submits with a chosen timestamp (a client lying about its time); the clock is not moved. */
  TxResult submitAt(Instant at, Identity who, String function, String... args) {
    return ledger.submit(who, at, function, args);
  }

  /** Lets {@code seconds} of transaction time pass without a transaction. */
  void advance(long seconds) {
    clock = clock.plusSeconds(seconds);
  }

  Channel configured() {
    TxResult r = submit(regulatorOrg, "accounts:configure", CONFIG);
    assertTrue(r.isValid(), r.toString());
    return this;
  }

  TxResult submit(Identity who, String function, String... args) {
    return ledger.submit(who, tick(), function, args);
  }

  String evaluate(Identity who, String function, String... args) {
    return new String(ledger.evaluate(who, function, args), StandardCharsets.UTF_8);
  }

  Identity gateway(Actor a) {
    return switch (a.msp) {
      case "HospitalOrgMSP" -> hospitalOrg;
      case "InsurerOrgMSP" -> insurerOrg;
      case "RegulatorOrgMSP" -> regulatorOrg;
      default -> outsider;
    };
  }

  static Actor actor(String name, Role role, String msp, PaillierSecretKey key) {
    return new Actor(name, role, msp, key);
  }

  static PaillierSecretKey freshKey() {
    return new PaillierKeyGenerator(RND).generate(KeySize.BITS_2048);
  }

  /** The standard cast: regulator, insurer, hospital (fixed test keys), registered. */
  Actor regulator;
  Actor insurer;
  Actor hospital;

  /**
   * Registers the regulator, publishes the ring-Pedersen parameters (records:setup, the
   * regulator's nonce 1) and then registers insurer and hospital, which need those parameters for
   * their Π^fac proofs (docs/chaincode.md §3).
   */
  Channel withInstitutions() {
    withRegulator();
    publishRingPedersen();
    insurer = actor("insurer", Role.INSURER, "InsurerOrgMSP", TestKeys.key2048b());
    hospital = actor("hospital", Role.HOSPITAL, "HospitalOrgMSP", TestKeys.key2048a());
    for (Actor a : List.of(insurer, hospital)) {
      register(a);
    }
    return this;
  }

  /** Only the regulator registered: the state before records:setup. */
  Channel withRegulator() {
    regulator = actor("regulator", Role.REGULATOR, "RegulatorOrgMSP", TestKeys.key2048c());
    register(regulator);
    return this;
  }

  /** The regulator's records:setup with the fixed test parameters. */
  void publishRingPedersen() {
    TxResult r = submit(regulatorOrg, "records:setup", regulator.sign(setupBody()));
    assertTrue(r.isValid(), r.toString());
    regulator.nonce++;
  }

  JsonObject setupBody() {
    JsonObject b = regulator.body("record.setup");
    b.addProperty("params", Base64.getEncoder().encodeToString(TestRingPedersen.paramsBytes(2048)));
    b.addProperty("proof", Base64.getEncoder().encodeToString(TestRingPedersen.proofBytes(2048)));
    return b;
  }

  Actor patient(String name) {
    Actor p = actor(name, Role.PATIENT, "HospitalOrgMSP", freshKey());
    register(p);
    return p;
  }

  void register(Actor a) {
    TxResult r = submit(gateway(a), "accounts:register", a.sign(a.registerBody()));
    assertTrue(r.isValid(), r.toString());
    a.nonce = 1;
  }

  TxResult issue(long amount, Actor to) {
    TxResult r = submit(regulatorOrg, "money:issue", regulator.sign(regulator.issueBody(to, amount)));
    if (r.isValid()) {
      regulator.nonce++;
    }
    return r;
  }

  /** A pending credit as listed by money:credits. */
  record Credit(String id, PaillierCiphertext ciphertext) {}

  List<Credit> credits(Actor a) {
    JsonObject page = CanonicalJson.parseObject(evaluate(gateway(a), "money:credits", a.id, "100", ""));
    PaillierPublicKey pk = a.paillier.publicKey();
    List<Credit> out = new ArrayList<>();
    for (JsonElement e : page.getAsJsonArray("items")) {
      JsonObject c = e.getAsJsonObject();
      out.add(new Credit(c.get("id").getAsString(), ct(pk, c.get("ciphertext").getAsString())));
    }
    return out;
  }

  PaillierCiphertext storedBalance(Actor a) {
    JsonObject b = CanonicalJson.parseObject(evaluate(gateway(a), "money:balance", a.id));
    return ct(a.paillier.publicKey(), b.get("balance").getAsString());
  }

  /** What the account holds: folded balance plus every pending credit, decrypted by its owner. */
  long holdings(Actor a) {
    PaillierPublicKey pk = a.paillier.publicKey();
    PaillierCiphertext c = storedBalance(a);
    for (Credit cr : credits(a)) {
      c = pk.add(c, cr.ciphertext());
    }
    return a.paillier.decryptAmount(c);
  }

  /** Builds and signs a transfer that folds every pending credit of the payer. */
  String transferRequest(Actor from, Actor to, long amount) {
    List<Credit> credits = credits(from);
    List<String> ids = new ArrayList<>();
    PaillierPublicKey pk = from.paillier.publicKey();
    PaillierCiphertext old = storedBalance(from);
    for (Credit c : credits) {
      ids.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    TransferStatement st = new TransferStatement(pk, to.paillier.publicKey(), regulator.paillier.publicKey(), old,
        new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, from.id, to.id, from.nonce));
    TransferProof bundle = TransferProof.prove(st, from.paillier, amount, RND);
    return from.sign(from.transferBody(to, ids, bundle));
  }

  TxResult pay(Actor from, Actor to, long amount) {
    TxResult r = submit(gateway(from), "money:transfer", transferRequest(from, to, amount));
    if (r.isValid()) {
      from.nonce++;
    }
    return r;
  }

  Endorsement endorseTransfer(Actor from, Actor to, long amount) {
    return ledger.endorse(gateway(from), tick(), "money:transfer", transferRequest(from, to, amount));
  }

  static PaillierCiphertext ct(PaillierPublicKey pk, String b64) {
    return PaillierCiphertext.fromBytes(Base64.getDecoder().decode(b64), pk);
  }

  static void assertRefused(TxResult r, ErrorCode code) {
    assertEquals(org.medledger.embedded.TxStatus.ENDORSEMENT_FAILURE, r.status(), r.toString());
    assertEquals(code.name(), new String(r.payload(), StandardCharsets.UTF_8), r.message());
    assertTrue(r.message().startsWith(code.name() + ": "), r.message());
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }
}
