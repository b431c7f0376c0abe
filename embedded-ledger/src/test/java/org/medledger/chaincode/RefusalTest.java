package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.FactorProof;
import org.medledger.crypto.proof.KeyProof;
import org.medledger.crypto.proof.SmallFactorKeys;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.crypto.testing.TestKeys;

/**
 * Every bad input ends in ENDORSEMENT_FAILURE with its stable code, and nothing is written: the
 * height and every balance stay as they were.
 */
class RefusalTest {
  private Channel ch;
  private Actor alice;
  private long height;

  @BeforeEach
  void setUp() {
    ch = new Channel().configured().withInstitutions();
    alice = ch.patient("alice");
    ch.issue(100_000, ch.insurer);
    assertTrue(ch.pay(ch.insurer, alice, 1_000).isValid());
    height = ch.ledger.height();
  }

  private void refused(TxResult r, ErrorCode code) {
    Channel.assertRefused(r, code);
    assertEquals(height, ch.ledger.height(), "a refused request must not be ordered");
    assertEquals(1_000, ch.holdings(alice));
    assertEquals(99_000, ch.holdings(ch.insurer));
  }

  private TxResult transfer(String request) {
    return ch.submit(ch.hospitalOrg, "money:transfer", request);
  }

  @Test
  void malformedRequests() {
    refused(transfer("not json"), ErrorCode.MALFORMED_REQUEST);
    refused(transfer("{\"body\":{},\"signature\":\"\"} trailing"), ErrorCode.MALFORMED_REQUEST);
    refused(transfer("[1,2]"), ErrorCode.MALFORMED_REQUEST);
    refused(transfer("{\"body\":{\"type\":\"transfer\"},\"body\":{},\"signature\":\"AA==\"}"), ErrorCode.MALFORMED_REQUEST);
    JsonObject body = alice.issueBody(ch.hospital, 1);
    body.addProperty("type", "transfer");
    refused(transfer(alice.sign(body)), ErrorCode.MALFORMED_REQUEST);
    JsonObject extra = alice.foldBody(List.of("x"));
    extra.addProperty("type", "transfer");
    refused(transfer(alice.sign(extra)), ErrorCode.MALFORMED_REQUEST);
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    refused(transfer(deep), ErrorCode.MALFORMED_REQUEST);
    refused(ch.submit(ch.hospitalOrg, "money:nosuch", "{}"), ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void oversizedPayloadsAreRefused() {
    refused(transfer("{\"body\":{\"pad\":\"" + "x".repeat(600 * 1024) + "\"},\"signature\":\"\"}"),
        ErrorCode.PAYLOAD_TOO_LARGE);
    JsonObject b = alice.body("transfer");
    b.addProperty("to", ch.hospital.id);
    b.add("fold", new JsonArray());
    b.addProperty("bundle", Base64.getEncoder().encodeToString(new byte[40 * 1024]));
    refused(transfer(alice.sign(b)), ErrorCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void signaturesAndNonces() {
    String good = ch.transferRequest(alice, ch.hospital, 10);
    JsonObject env = CanonicalJson.parseObject(good);
    byte[] sig = Base64.getDecoder().decode(env.get("signature").getAsString());
    sig[5] ^= 1;
    env.addProperty("signature", Base64.getEncoder().encodeToString(sig));
    refused(transfer(CanonicalJson.toString(env)), ErrorCode.BAD_SIGNATURE);
    JsonObject body = env.getAsJsonObject("body");
    refused(transfer(alice.sign(body, "otherchannel", Actor.CHAINCODE)), ErrorCode.BAD_SIGNATURE);
    refused(transfer(alice.sign(body, Actor.CHANNEL, "otherchaincode")), ErrorCode.BAD_SIGNATURE);
    Actor mallory = Channel.actor("mallory", Role.PATIENT, "HospitalOrgMSP", TestKeys.key2048a());
    refused(transfer(mallory.sign(body)), ErrorCode.BAD_SIGNATURE);

    assertTrue(transfer(good).isValid());
    alice.nonce++;
    height = ch.ledger.height();
    // replayed: same request again
    Channel.assertRefused(transfer(good), ErrorCode.BAD_NONCE);
    // reordered: a request with a later nonce first
    alice.nonce++;
    Channel.assertRefused(transfer(ch.transferRequest(alice, ch.hospital, 10)), ErrorCode.BAD_NONCE);
    assertEquals(height, ch.ledger.height());
  }

  @Test
  void accountsRolesAndOrganisations() {
    JsonObject toNobody = alice.body("transfer");
    toNobody.addProperty("to", "acct-00000000000000000000000000000000");
    toNobody.add("fold", new JsonArray());
    toNobody.addProperty("bundle", "AA==");
    refused(transfer(alice.sign(toNobody)), ErrorCode.UNKNOWN_ACCOUNT);
    refused(ch.submit(ch.regulatorOrg, "money:issue", alice.sign(alice.issueBody(ch.insurer, 5))), ErrorCode.WRONG_ROLE);
    refused(ch.submit(ch.regulatorOrg, "money:issue", ch.regulator.sign(ch.regulator.issueBody(alice, 5))), ErrorCode.WRONG_ROLE);
    refused(ch.submit(ch.hospitalOrg, "money:issue", ch.regulator.sign(ch.regulator.issueBody(ch.insurer, 5))),
        ErrorCode.FORBIDDEN_ORGANISATION);
    refused(ch.submit(ch.regulatorOrg, "money:issue", ch.regulator.sign(ch.regulator.issueBody(ch.insurer, 0))),
        ErrorCode.INVALID_AMOUNT);
    refused(ch.submit(ch.regulatorOrg, "money:issue", ch.regulator.sign(ch.regulator.issueBody(ch.insurer, Long.MAX_VALUE - 100))),
        ErrorCode.SUPPLY_EXCEEDED);
    // institutions only through their own organisation; patients not through outsiders
    Actor fakeInsurer = Channel.actor("fake", Role.INSURER, "HospitalOrgMSP", TestKeys.key2048b());
    refused(ch.submit(ch.hospitalOrg, "accounts:register", fakeInsurer.sign(fakeInsurer.registerBody())),
        ErrorCode.FORBIDDEN_ORGANISATION);
    Actor stray = Channel.actor("stray", Role.PATIENT, "OutsiderMSP", TestKeys.key2048b());
    refused(ch.submit(ch.outsider, "accounts:register", stray.sign(stray.registerBody())), ErrorCode.FORBIDDEN_ORGANISATION);
    Actor second = Channel.actor("second-regulator", Role.REGULATOR, "RegulatorOrgMSP", TestKeys.key2048b());
    refused(ch.submit(ch.regulatorOrg, "accounts:register", second.sign(second.registerBody())), ErrorCode.REGULATOR_EXISTS);
    refused(ch.submit(ch.hospitalOrg, "accounts:register", alice.sign(alice.registerBody())), ErrorCode.ACCOUNT_EXISTS);
    refused(ch.submit(ch.regulatorOrg, "accounts:configure", Channel.CONFIG), ErrorCode.ALREADY_CONFIGURED);
    org.hyperledger.fabric.shim.ChaincodeException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.hyperledger.fabric.shim.ChaincodeException.class, () -> ch.evaluate(ch.hospitalOrg, "money:audit", "10", ""));
    assertTrue(e.getMessage().startsWith("FORBIDDEN_ORGANISATION"), e.getMessage());
  }

  @Test
  void keysAndKeyProofs() {
    Actor small = Channel.actor("small", Role.PATIENT, "HospitalOrgMSP", TestKeys.key1024());
    refused(ch.submit(ch.hospitalOrg, "accounts:register", small.sign(small.registerBody())), ErrorCode.KEY_TOO_SMALL);
    Actor p = Channel.actor("carol", Role.PATIENT, "HospitalOrgMSP", Channel.freshKey());
    JsonObject body = p.registerBody();
    body.addProperty("keyProof", Actor.b64(KeyProof.prove(p.paillier, "some other context".getBytes(), new SecureRandom()).toBytes()));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(body)), ErrorCode.KEY_PROOF_INVALID);
    JsonObject wrongId = p.registerBody();
    wrongId.addProperty("account", alice.id);
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(wrongId)), ErrorCode.MALFORMED_REQUEST);
    JsonObject badKey = p.registerBody();
    byte[] k = p.paillier.publicKey().toBytes();
    k[k.length - 300] ^= 0x40;
    badKey.addProperty("paillierKey", Actor.b64(k));
    TxResult r = ch.submit(ch.hospitalOrg, "accounts:register", p.sign(badKey));
    assertTrue(r.message().startsWith("MALFORMED_KEY") || r.message().startsWith("KEY_PROOF_INVALID"), r.message());
    long height = ch.ledger.height();
    JsonObject noFactorProof = p.registerBody();
    noFactorProof.remove("factorProof");
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(noFactorProof)), ErrorCode.MALFORMED_REQUEST);
    JsonObject otherContext = p.registerBody();
    otherContext.addProperty("factorProof", Actor.b64(FactorProof.prove(p.paillier, RecordDesk.ringPedersen(),
        "some other context".getBytes(), new SecureRandom()).toBytes()));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(otherContext)), ErrorCode.FACTOR_PROOF_INVALID);
    JsonObject otherKey = p.registerBody();
    otherKey.add("factorProof", alice.registerBody().get("factorProof"));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(otherKey)), ErrorCode.FACTOR_PROOF_INVALID);
    JsonObject truncated = p.registerBody();
    byte[] f = Base64.getDecoder().decode(truncated.get("factorProof").getAsString());
    truncated.addProperty("factorProof", Actor.b64(Arrays.copyOf(f, f.length - 1)));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(truncated)), ErrorCode.FACTOR_PROOF_INVALID);
    JsonObject huge = p.registerBody();
    huge.addProperty("factorProof", Actor.b64(new byte[AccountContract.MAX_FACTOR_PROOF_BYTES + 1]));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(huge)), ErrorCode.PAYLOAD_TOO_LARGE);
    assertEquals(height, ch.ledger.height());
    RecordDesk.ok(ch.submit(ch.hospitalOrg, "accounts:register", p.sign(p.registerBody())));
  }

  @Test
  void keyWithASeventeenBitFactorPassesTheKeyProofButIsRefused() {
    // Issue 11: n = r·m with a 17-bit prime r is a Paillier–Blum modulus, so its Π^mod proof
    // verifies and the key registered; a payer could then make the payee's copy of an amount
    // decrypt to T + m (crypto-core KeyGapAttackTest). Registration now requires Π^fac.
    Actor mallory = Channel.actor("mallory", Role.PATIENT, "HospitalOrgMSP", TestKeys.key2048a());
    byte[] context = org.medledger.protocol.Contexts.keyProofContext(Actor.CHANNEL, mallory.id);
    SecureRandom rnd = new SecureRandom();
    SmallFactorKeys.Key bad = SmallFactorKeys.generate(2048, 17, context, rnd);
    bad.keyProof().verify(bad.publicKey(), context); // the gap: Π^mod alone accepts the key
    long height = ch.ledger.height();
    JsonObject body = mallory.registerBody();
    body.addProperty("paillierKey", Actor.b64(bad.publicKey().toBytes()));
    body.addProperty("keyProof", Actor.b64(bad.keyProof().toBytes()));
    body.remove("factorProof");
    refused(ch.submit(ch.hospitalOrg, "accounts:register", mallory.sign(body)), ErrorCode.MALFORMED_REQUEST);
    FactorProof best = bad.encodableFactorProof(RecordDesk.ringPedersen(), context, rnd);
    JsonObject withProof = body.deepCopy();
    withProof.addProperty("factorProof", Actor.b64(best.toBytes()));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", mallory.sign(withProof)), ErrorCode.FACTOR_PROOF_INVALID);
    // A genuine Π^fac proof for an honest key does not transfer to the bad key.
    withProof.add("factorProof", mallory.registerBody().get("factorProof"));
    refused(ch.submit(ch.hospitalOrg, "accounts:register", mallory.sign(withProof)), ErrorCode.FACTOR_PROOF_INVALID);
    assertEquals(height, ch.ledger.height());
  }

  @Test
  void theRegulatorSendsNoFactorProof() {
    Channel fresh = new Channel().configured();
    Actor reg = Channel.actor("regulator", Role.REGULATOR, "RegulatorOrgMSP", TestKeys.key2048c());
    JsonObject body = reg.registerBody();
    body.add("factorProof", alice.registerBody().get("factorProof"));
    Channel.assertRefused(fresh.submit(fresh.regulatorOrg, "accounts:register", reg.sign(body)), ErrorCode.MALFORMED_REQUEST);
    RecordDesk.ok(fresh.submit(fresh.regulatorOrg, "accounts:register", reg.sign(reg.registerBody())));
  }

  @Test
  void creditsAndSelfTransfers() {
    JsonObject self = alice.body("transfer");
    self.addProperty("to", alice.id);
    self.add("fold", new JsonArray());
    self.addProperty("bundle", "AA==");
    refused(transfer(alice.sign(self)), ErrorCode.SELF_TRANSFER);
    JsonObject unknown = alice.foldBody(List.of("no-such-credit"));
    refused(ch.submit(ch.hospitalOrg, "money:fold", alice.sign(unknown)), ErrorCode.UNKNOWN_CREDIT);
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= MoneyContract.MAX_FOLD; i++) {
      many.add("credit-" + i);
    }
    refused(ch.submit(ch.hospitalOrg, "money:fold", alice.sign(alice.foldBody(many))), ErrorCode.TOO_MANY_CREDITS);
  }

  @Test
  void bundlesForAnotherStatementOrDamagedAreRefused() {
    // A valid bundle for a payment to the insurer, presented as a payment to the hospital.
    PaillierPublicKey pk = alice.paillier.publicKey();
    PaillierCiphertext old = pk.add(ch.storedBalance(alice), ch.credits(alice).get(0).ciphertext());
    TransferStatement st = new TransferStatement(pk, ch.insurer.paillier.publicKey(), ch.regulator.paillier.publicKey(), old,
        new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, alice.id, ch.insurer.id, alice.nonce));
    TransferProof forInsurer = TransferProof.prove(st, alice.paillier, 10, new SecureRandom());
    List<String> fold = List.of(ch.credits(alice).get(0).id());
    // Payee keys of the same size: the insurer's copy is read against the hospital's key. It fails
    // decoding when it happens to exceed the hospital's n², and verification otherwise.
    TxResult other = transfer(alice.sign(alice.transferBody(ch.hospital, fold, forInsurer)));
    assertTrue(other.message().startsWith("MALFORMED_PROOF") || other.message().startsWith("TRANSFER_PROOF_INVALID"),
        other.message());
    assertEquals(height, ch.ledger.height());
    // Under a payee key of another size it does not even decode.
    Actor big = Channel.actor("big-clinic", Role.HOSPITAL, "HospitalOrgMSP", TestKeys.key3072());
    ch.register(big);
    height = ch.ledger.height();
    refused(transfer(alice.sign(alice.transferBody(big, fold, forInsurer))), ErrorCode.MALFORMED_PROOF);
    // Same keys, so it decodes; the context differs, so it does not verify.
    TransferStatement st2 = new TransferStatement(pk, ch.hospital.paillier.publicKey(), ch.regulator.paillier.publicKey(), old,
        new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, alice.id, ch.hospital.id, alice.nonce + 1));
    TransferProof wrongNonce = TransferProof.prove(st2, alice.paillier, 10, new SecureRandom());
    refused(transfer(alice.sign(alice.transferBody(ch.hospital, fold, wrongNonce))), ErrorCode.TRANSFER_PROOF_INVALID);
    // Without folding the credit, the old balance differs: the bundle does not verify either.
    TransferStatement st3 = new TransferStatement(pk, ch.hospital.paillier.publicKey(), ch.regulator.paillier.publicKey(), old,
        new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, alice.id, ch.hospital.id, alice.nonce));
    TransferProof good = TransferProof.prove(st3, alice.paillier, 10, new SecureRandom());
    refused(transfer(alice.sign(alice.transferBody(ch.hospital, List.of(), good))), ErrorCode.TRANSFER_PROOF_INVALID);
    byte[] bytes = good.toBytes();
    bytes[bytes.length / 2] ^= 0x10;
    JsonObject damaged = alice.body("transfer");
    damaged.addProperty("to", ch.hospital.id);
    JsonArray f = new JsonArray();
    fold.forEach(f::add);
    damaged.add("fold", f);
    damaged.addProperty("bundle", Actor.b64(bytes));
    TxResult r = transfer(alice.sign(damaged));
    assertTrue(r.message().startsWith("MALFORMED_PROOF") || r.message().startsWith("TRANSFER_PROOF_INVALID"), r.message());
    assertEquals(height, ch.ledger.height());
    // and the honest one goes through
    assertTrue(transfer(alice.sign(alice.transferBody(ch.hospital, fold, good))).isValid());
  }

  @Test
  void bundleWithACiphertextOutsideTheUnitGroupIsRefused() {
    PaillierPublicKey pk = alice.paillier.publicKey();
    PaillierCiphertext old = pk.add(ch.storedBalance(alice), ch.credits(alice).get(0).ciphertext());
    TransferStatement st = new TransferStatement(pk, ch.hospital.paillier.publicKey(), ch.regulator.paillier.publicKey(), old,
        new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, alice.id, ch.hospital.id, alice.nonce));
    byte[] bytes = TransferProof.prove(st, alice.paillier, 10, new SecureRandom()).toBytes();
    // The payee copy is the second ciphertext: header (2) + C_A (4 + 512), then C_B's own header (4).
    PaillierPublicKey hk = ch.hospital.paillier.publicKey();
    byte[] multipleOfN = org.medledger.crypto.internal.Bytes.fixed(hk.n().multiply(java.math.BigInteger.valueOf(3)), 512);
    System.arraycopy(multipleOfN, 0, bytes, 2 + 516 + 4, 512);
    JsonObject b = alice.body("transfer");
    b.addProperty("to", ch.hospital.id);
    JsonArray f = new JsonArray();
    f.add(ch.credits(alice).get(0).id());
    b.add("fold", f);
    b.addProperty("bundle", Actor.b64(bytes));
    TxResult r = transfer(alice.sign(b));
    refused(r, ErrorCode.MALFORMED_PROOF);
    assertTrue(r.message().contains("unit"), r.message());
  }

  @Test
  void queriesValidateTheirArguments() {
    for (String size : new String[] {"0", "101", "-1", "x"}) {
      org.hyperledger.fabric.shim.ChaincodeException e = org.junit.jupiter.api.Assertions.assertThrows(
          org.hyperledger.fabric.shim.ChaincodeException.class, () -> ch.evaluate(ch.hospitalOrg, "money:history", alice.id, size, ""));
      assertTrue(e.getMessage().startsWith("BAD_PAGE"), e.getMessage());
    }
  }

  @Test
  void nothingWorksBeforeConfiguration() {
    Channel fresh = new Channel();
    Actor p = Channel.actor("early", Role.PATIENT, "HospitalOrgMSP", TestKeys.key2048a());
    Channel.assertRefused(fresh.submit(fresh.hospitalOrg, "accounts:register", p.sign(p.registerBody())), ErrorCode.NOT_CONFIGURED);
    Channel.assertRefused(fresh.submit(fresh.hospitalOrg, "accounts:configure", Channel.CONFIG), ErrorCode.FORBIDDEN_ORGANISATION);
    Channel.assertRefused(fresh.submit(fresh.regulatorOrg, "accounts:configure", Channel.CONFIG.replace("medchannel", "other")),
        ErrorCode.MALFORMED_REQUEST);
  }
}
