package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.SecretAccess;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.protocol.Role;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.SignedRequest;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.record.RecordCipher;

/** The record client on the embedded ledger: the whole story, refusals, integrity checks and retries. */
class RecordClientTest {
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  private final Clock clock = new SteppingClock("2026-03-01T09:00:00Z");

  private LedgerConnection gateway(String msp) {
    return new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
  }

  private RecordStory story() throws LedgerCallException {
    gateway("RegulatorOrgMSP").submit("accounts:configure", RecordStory.CONFIG);
    return new RecordStory(this::gateway).institutions();
  }

  @Test
  void theRecordStoryOnTheEmbeddedLedger() throws Exception {
    story().run();
  }

  @Test
  void badInputsAreRefusedWithTheirCodesAndWriteNothing() throws Exception {
    RecordStory s = story();
    RecordClient patient = s.newAccount(Role.PATIENT);
    RecordClient.Written w = s.hospital.write(patient.accountId(), "visit", s.synthetic.next());
    long height = ledger.height();

    LedgerCallException unknown = assertThrows(LedgerCallException.class,
        () -> s.hospital.write("acct-00000000000000000000000000000000", "visit", s.synthetic.next()));
    assertEquals(LedgerCallException.Kind.REFUSED, unknown.kind());
    assertEquals("UNKNOWN_ACCOUNT", unknown.errorCode());
    assertEquals("WRONG_ROLE", assertThrows(LedgerCallException.class,
        () -> s.insurer.write(patient.accountId(), "visit", s.synthetic.next())).errorCode());
    RecordClient hospital2 = s.newAccount(Role.HOSPITAL);
    assertEquals("NOT_RECORD_AUTHOR", assertThrows(LedgerCallException.class,
        () -> hospital2.correct(w.recordId(), s.synthetic.next())).errorCode());
    assertEquals("NOT_RECORD_AUTHOR", assertThrows(LedgerCallException.class,
        () -> hospital2.fileClaim(w.recordId(), s.insurer.accountId(), 100)).errorCode());
    assertEquals(height + 1, ledger.height(), "only hospital2's registration committed");
    // Oversized: refused by the client before anything is encrypted or sent.
    ClientRefusalException big = assertThrows(ClientRefusalException.class,
        () -> s.hospital.write(patient.accountId(), "visit", s.synthetic.next(RecordClient.MAX_DOCUMENT_BYTES + 1)));
    assertTrue(big.getMessage().startsWith("RECORD_TOO_LARGE"), big.getMessage());
    assertEquals(ClientError.RECORD_TOO_LARGE, big.errorCode());
    assertEquals(RecordClient.MAX_DOCUMENT_BYTES + 16, org.medledger.protocol.RecordProtocol.MAX_RECORD_BYTES);
    // Only the patient grants: the hospital cannot, even for a record it wrote.
    assertEquals(ClientError.NOT_RECORD_PATIENT, assertThrows(ClientRefusalException.class,
        () -> s.hospital.grantRecord(s.insurer.accountId(), w.recordId(), null)).errorCode());
    // A grant to another patient, or with an expiry in the past.
    RecordClient other = s.newAccount(Role.PATIENT);
    height = ledger.height();
    assertEquals("WRONG_ROLE", assertThrows(LedgerCallException.class,
        () -> patient.grantRecord(other.accountId(), w.recordId(), null)).errorCode());
    assertEquals("GRANT_EXPIRED", assertThrows(LedgerCallException.class,
        () -> patient.grantRecord(s.insurer.accountId(), w.recordId(), Instant.parse("2026-01-01T00:00:00Z"))).errorCode());
    assertEquals(height, ledger.height(), "refused requests are not ordered");
    assertEquals(List.of(), patient.trail());
  }

  @Test
  void anExpiredGrantIsDeniedAndLogged() throws Exception {
    RecordStory s = story();
    RecordClient patient = s.newAccount(Role.PATIENT);
    RecordClient.Written w = s.hospital.write(patient.accountId(), "lab", s.synthetic.next());
    // Every proposal, query or transaction, reads the stepping clock once: leave room for the
    // grant, its query and the first read before the expiry.
    Instant expiry = clock.instant().plusSeconds(120);
    String grant = patient.grantRecord(s.hospital.accountId(), w.recordId(), expiry);
    assertEquals(expiry, patient.grant(grant).expiresAt());
    s.hospital.read(grant, w.recordId());
    while (clock.instant().isBefore(expiry)) {
      // time passes
    }
    RecordAccessDeniedException e = assertThrows(RecordAccessDeniedException.class, () -> s.hospital.read(grant, w.recordId()));
    assertEquals("GRANT_EXPIRED", e.code());
    assertEquals(List.of(true, false), patient.trail().stream().map(RecordClient.Access::granted).toList());
  }

  @Test
  void aClaimWhoseFeeDiffersFromTheRecordIsNotPaid() throws Exception {
    RecordStory s = story();
    RecordClient patient = s.newAccount(Role.PATIENT);
    MedicalRecord r = s.synthetic.next();
    RecordClient.Written w = s.hospital.write(patient.accountId(), "visit", r);
    String grant = patient.grantRecord(s.insurer.accountId(), w.recordId(), null);
    s.regulatorMoney.issue(s.insurer.accountId(), 500_000);
    String claim = s.hospital.fileClaim(w.recordId(), s.insurer.accountId(), r.fee() + 1);
    ClientRefusalException e = assertThrows(ClientRefusalException.class, () -> s.insurer.settleClaim(claim, grant));
    assertTrue(e.getMessage().startsWith("FEE_MISMATCH"), e.getMessage());
    assertEquals(ClientError.FEE_MISMATCH, e.errorCode());
    assertEquals(500_000, s.insurerMoney.balance(), "nothing was paid");
    RecordClient.ClaimInfo rejected = s.insurer.rejectClaim(claim, "fee differs from the record");
    assertEquals("REJECTED", rejected.status());
    assertEquals("fee differs from the record", s.hospital.claim(claim).reason());
  }

  /**
   * An author whose commitment is not to the bytes it encrypted: the chaincode cannot see that,
   * the clients do. The patient cannot open the record, and never shares it.
   */
  @Test
  void aRecordThatDoesNotMatchItsCommitmentIsNeitherOpenedNorShared() throws Exception {
    RecordStory s = story();
    RecordClient patient = s.newAccount(Role.PATIENT);
    LedgerConnection hospital = gateway("HospitalOrgMSP");
    String author = s.hospitalSecrets.accountId();
    long nonce = com.google.gson.JsonParser.parseString(hospital.evaluate("accounts:getNonce", author))
        .getAsJsonObject().get("next").getAsLong();
    PaillierPublicKey pk = PaillierPublicKey.fromBytes(java.util.Base64.getDecoder().decode(
        com.google.gson.JsonParser.parseString(hospital.evaluate("accounts:getAccount", patient.accountId()))
            .getAsJsonObject().get("paillierKey").getAsString()));
    String id = RecordProtocol.recordId("medchannel", "medledger", author, nonce);
    byte[] plaintext = new byte[RecordClient.SALT_BYTES + 4];
    System.arraycopy("real".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, plaintext, RecordClient.SALT_BYTES, 4);
    RecordCipher.Sealed sealed = RecordCipher.encrypt(plaintext, id, pk, new SecureRandom());
    RecordProof proof = RecordProof.prove(pk, sealed.record(), sealed.opening(),
        RecordProtocol.recordProofContext("medchannel", "medledger", author, patient.accountId(), "visit", ""), new SecureRandom());
    com.google.gson.JsonObject b = new com.google.gson.JsonObject();
    b.addProperty("type", "record.write");
    b.addProperty("account", author);
    b.addProperty("nonce", nonce);
    b.addProperty("recordId", id);
    b.addProperty("patient", patient.accountId());
    b.addProperty("recordType", "visit");
    b.addProperty("record", java.util.Base64.getEncoder().encodeToString(sealed.record().toBytes()));
    b.addProperty("proof", java.util.Base64.getEncoder().encodeToString(proof.toBytes(pk)));
    b.addProperty("commitment", RecordProtocol.commitment("something else".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    hospital.submit("records:write", SignedRequest.sign("medchannel", "medledger", b, s.hospitalSecrets.signingKey(SecretAccess.explicit())).toJson());

    assertEquals("COMMITMENT_MISMATCH", assertThrows(RecordIntegrityException.class, () -> patient.open(id)).code());
    long height = ledger.height();
    assertEquals("COMMITMENT_MISMATCH", assertThrows(RecordIntegrityException.class,
        () -> patient.grantRecord(s.insurer.accountId(), id, null)).code());
    assertEquals(height, ledger.height(), "nothing was submitted");
    RecordClient.Written good = s.hospital.write(patient.accountId(), "visit", s.synthetic.next());
    RecordClient.Shared shared = patient.grantCategory(s.insurer.accountId(), "visit", null);
    assertEquals(List.of(good.recordId()), shared.shared());
    assertEquals(List.of(id), shared.unreadable());
  }

  /**
   * The patient's other device submits first, so the grant's nonce moves: the client rebuilds the
   * grant (new grant id, new copy and proof, since both are bound to the nonce) and commits once.
   */
  @Test
  void aGrantThatLosesItsNonceIsRebuiltWithANewId() throws Exception {
    RecordStory s = story();
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    AccountSecrets secrets = new AccountSecrets(Role.PATIENT,
        seed, new org.medledger.crypto.paillier.PaillierKeyGenerator(new SecureRandom())
            .generate(org.medledger.crypto.paillier.KeySize.BITS_2048));
    s.register(secrets, "HospitalOrgMSP");
    RecordClient otherDevice = new RecordClient(secrets, gateway("HospitalOrgMSP"), new SecureRandom());
    RecordClient.Written w = s.hospital.write(secrets.accountId(), "visit", s.synthetic.next());
    String first = otherDevice.grantRecord(s.insurer.accountId(), w.recordId(), null);
    List<String> seen = new ArrayList<>();
    LedgerConnection plain = gateway("HospitalOrgMSP");
    LedgerConnection racing = new LedgerConnection() {
      @Override
      public String submit(String function, String... args) throws LedgerCallException {
        seen.add(function);
        if (function.equals("records:grant") && seen.size() == 1) {
          otherDevice.revoke(first); // moves the nonce between this grant's build and its submission
        }
        return plain.submit(function, args);
      }

      @Override
      public String evaluate(String function, String... args) throws LedgerCallException {
        return plain.evaluate(function, args);
      }

      @Override
      public String channel() {
        return plain.channel();
      }

      @Override
      public String chaincode() {
        return plain.chaincode();
      }
    };
    RecordClient patient = new RecordClient(secrets, racing, new SecureRandom());
    String second = patient.grantRecord(s.hospital.accountId(), w.recordId(), null);
    assertEquals(List.of("records:grant", "records:grant"), seen, "one BAD_NONCE, one rebuilt grant");
    assertEquals(second, org.medledger.protocol.RecordProtocol.grantId("medchannel", "medledger", secrets.accountId(), 3));
    assertTrue(s.hospital.read(second, w.recordId()).document().length > 0);
    assertEquals(2, patient.grants().size());
    assertTrue(patient.grant(first).revoked());
  }
}
