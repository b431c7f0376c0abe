package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.sdk.synthetic.SyntheticRecords;

/**
 * The records story of issue 5 told through the SDK only, so that it runs over any
 * {@link LedgerConnection}: the embedded ledger here, a Fabric gateway in an integration test.
 * The channel must be configured with the DOCTOR role for the hospital organisation (see
 * {@link #CONFIG}), and must not have a regulator or published parameters yet.
 */
final class RecordStory {
  static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"DOCTOR\",\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\"]}";
  private final SecureRandom rnd = new SecureRandom();
  private final Function<String, LedgerConnection> gateway;
  final SyntheticRecords synthetic = new SyntheticRecords(2026);

  RecordClient regulator;
  RecordClient insurer;
  RecordClient hospital;
  AccountClient insurerMoney;
  AccountClient hospitalMoney;
  AccountClient regulatorMoney;
  /** The hospital's secrets, for tests that play a misbehaving author. */
  AccountSecrets hospitalSecrets;

  /** {@code gateway} gives a connection through the named organisation's gateway. */
  RecordStory(Function<String, LedgerConnection> gateway) {
    this.gateway = gateway;
  }

  /** Registers regulator, insurer and hospital (fixed test keys) and publishes the 2048-bit parameters. */
  RecordStory institutions() throws LedgerCallException {
    AccountSecrets reg = secrets(Role.REGULATOR, TestKeys.key2048c());
    register(reg, "RegulatorOrgMSP");
    return institutions(reg);
  }

  /**
   * With the channel's regulator already registered ({@code reg}): has the regulator publish the
   * 2048-bit parameters, which the channel must not have yet (records:setup comes before every
   * other registration: their Π^fac proofs are made against it), then registers a new insurer and
   * a new hospital (fixed test keys).
   */
  RecordStory institutions(AccountSecrets reg) throws LedgerCallException {
    new RecordClient(reg, gateway.apply("RegulatorOrgMSP"), rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    return institutionsAfterSetup(reg);
  }

  /**
   * With the channel's regulator ({@code reg}) registered and the parameters already published:
   * registers a new insurer and a new hospital (fixed test keys).
   */
  RecordStory institutionsAfterSetup(AccountSecrets reg) throws LedgerCallException {
    AccountSecrets ins = secrets(Role.INSURER, TestKeys.key2048b());
    AccountSecrets hos = secrets(Role.HOSPITAL, TestKeys.key2048a());
    hospitalSecrets = hos;
    regulatorMoney = new AccountClient(reg, gateway.apply("RegulatorOrgMSP"), rnd);
    regulator = new RecordClient(reg, gateway.apply("RegulatorOrgMSP"), rnd);
    insurerMoney = register(ins, "InsurerOrgMSP");
    hospitalMoney = register(hos, "HospitalOrgMSP");
    insurer = new RecordClient(ins, gateway.apply("InsurerOrgMSP"), rnd);
    hospital = new RecordClient(hos, gateway.apply("HospitalOrgMSP"), rnd);
    return this;
  }

  AccountSecrets secrets(Role role, PaillierSecretKey key) {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    return new AccountSecrets(role, seed, key);
  }

  AccountClient register(AccountSecrets s, String msp) throws LedgerCallException {
    AccountClient c = new AccountClient(s, gateway.apply(msp), rnd);
    c.register();
    return c;
  }

  /** A new registered account with a fresh 2048-bit key, registered through the hospital's gateway. */
  RecordClient newAccount(Role role) throws LedgerCallException {
    AccountSecrets s = secrets(role, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    register(s, "HospitalOrgMSP");
    return new RecordClient(s, gateway.apply("HospitalOrgMSP"), rnd);
  }

  /**
   * Write, open, grant, read, claim, settle by transfer, trail, revoke, denied read; a category
   * grant to a doctor that covers a later record and a correction once shared.
   */
  void run() throws Exception {
    RecordClient patient = newAccount(Role.PATIENT);
    RecordClient doctor = newAccount(Role.DOCTOR);

    MedicalRecord visit = synthetic.next(4096);
    RecordClient.Written w = hospital.write(patient.accountId(), "visit", visit);
    RecordClient.Opened own = patient.open(w.recordId());
    assertEquals(visit, own.medicalRecord(), "the patient reads what the hospital wrote");
    assertEquals(hospital.accountId(), own.info().author());
    assertEquals(1, own.info().version());

    // Consent: the insurer reads the record through a logged transaction.
    String grant = patient.grantRecord(insurer.accountId(), w.recordId(), null);
    RecordClient.Opened seen = insurer.read(grant, w.recordId());
    assertEquals(visit, seen.medicalRecord());
    assertArrayEquals(visit.toJson(), seen.document());

    // Claim: filed by the author for the record's fee, settled by a confidential transfer.
    regulatorMoney.issue(insurer.accountId(), 1_000_000);
    long before = hospitalMoney.balance();
    String claimId = hospital.fileClaim(w.recordId(), insurer.accountId(), visit.fee());
    assertEquals(visit.fee(), insurer.claim(claimId).fee());
    assertEquals(-1, patient.claim(claimId).fee(), "the patient holds no copy of the claimed fee");
    RecordClient.ClaimInfo settled = insurer.settleClaim(claimId, grant);
    assertEquals("SETTLED", settled.status());
    assertEquals(before + visit.fee(), hospitalMoney.balance());
    assertEquals(1_000_000 - visit.fee(), insurerMoney.balance());
    assertEquals(visit.fee(), regulator.claim(claimId).fee());
    assertTrue(regulatorMoney.audit().stream().anyMatch(e -> e.txId().equals(settled.transferTx()) && e.amount().orElse(-1) == visit.fee()),
        "the regulator sees the linked transfer's amount");
    for (RecordClient party : List.of(hospital, insurer, patient)) {
      assertTrue(party.claims().stream().anyMatch(c -> c.claimId().equals(claimId) && c.status().equals("SETTLED")));
    }

    // Revocation stops further reads; the denial is logged for the patient and the regulator.
    patient.revoke(grant);
    RecordAccessDeniedException denied = assertThrows(RecordAccessDeniedException.class,
        () -> insurer.read(grant, w.recordId()));
    assertEquals("GRANT_REVOKED", denied.code());
    List<RecordClient.Access> trail = patient.trail();
    assertEquals(3, trail.size(), "the first read, the settlement's read, the denial");
    assertTrue(trail.stream().allMatch(a -> a.reader().equals(insurer.accountId())));
    RecordClient.Access last = trail.get(trail.size() - 1);
    assertEquals(denied.txId(), last.txId());
    assertFalse(last.granted());
    assertEquals("GRANT_REVOKED", last.code());
    assertEquals(settled.readTx(), trail.get(1).txId());
    assertEquals(trail, regulator.auditTrail(patient.accountId()));

    // A category grant to a doctor: shared now, a later record once shared, a correction too.
    RecordClient.Written rx1 = hospital.write(patient.accountId(), "prescription", synthetic.next());
    RecordClient.Shared cat = patient.grantCategory(doctor.accountId(), "prescription", null);
    assertEquals(List.of(rx1.recordId()), cat.shared());
    RecordClient.Written rx2 = hospital.write(patient.accountId(), "prescription", synthetic.next());
    assertEquals("NO_COPY", assertThrows(RecordAccessDeniedException.class,
        () -> doctor.read(cat.grantId(), rx2.recordId())).code());
    MedicalRecord fixed = synthetic.next();
    RecordClient.Written rx2b = hospital.correct(rx2.recordId(), fixed);
    assertEquals(2, rx2b.version());
    assertEquals(List.of(rx2.recordId(), rx2b.recordId()), patient.share(cat.grantId()).shared());
    assertEquals(fixed, doctor.read(cat.grantId(), rx2b.recordId()).medicalRecord());
    assertEquals(rx2b.recordId(), doctor.read(cat.grantId(), rx2.recordId()).info().supersededBy());
    assertEquals("OUT_OF_SCOPE", assertThrows(RecordAccessDeniedException.class,
        () -> doctor.read(cat.grantId(), w.recordId())).code());
    assertEquals(List.of(), patient.share(cat.grantId()).shared(), "nothing left to share");
    assertEquals(4, patient.records(patient.accountId()).size());
  }
}
