package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/** The account client against the embedded ledger: the money story, refusals, and retries. */
class AccountClientTest {
  private static final String CONFIG = TestChannel.CONFIG;
  private final SecureRandom rnd = new SecureRandom();
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  private final Clock clock = new SteppingClock("2026-02-01T09:00:00Z");

  private LedgerConnection gateway(String msp) {
    return new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
  }

  private AccountClient client(Role role, String msp, PaillierSecretKey key) throws LedgerCallException {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountClient c = new AccountClient(new AccountSecrets(role, seed, key), gateway(msp), rnd);
    c.register();
    return c;
  }

  private AccountClient[] institutions() throws LedgerCallException {
    gateway("RegulatorOrgMSP").submit("accounts:configure", CONFIG);
    return institutionsOnConfiguredChannel();
  }

  private AccountClient[] institutionsOnConfiguredChannel() throws LedgerCallException {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountSecrets rs = new AccountSecrets(Role.REGULATOR, seed, TestKeys.key2048c());
    AccountClient regulator = new AccountClient(rs, gateway("RegulatorOrgMSP"), rnd);
    regulator.register();
    // records:setup before the other registrations: their Π^fac proofs are made against it.
    new RecordClient(rs, gateway("RegulatorOrgMSP"), rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    return new AccountClient[] {
      regulator,
      client(Role.INSURER, "InsurerOrgMSP", TestKeys.key2048b()),
      client(Role.HOSPITAL, "HospitalOrgMSP", TestKeys.key2048a()),
    };
  }

  @Test
  void issueFundPayAndFoldThroughTheSdk() throws Exception {
    AccountClient[] inst = institutions();
    AccountClient regulator = inst[0];
    AccountClient insurer = inst[1];
    AccountClient hospital = inst[2];
    AccountClient patient = client(Role.PATIENT, "HospitalOrgMSP", new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    regulator.issue(insurer.accountId(), 100_000);
    insurer.pay(patient.accountId(), 5_000);
    patient.pay(hospital.accountId(), 1_200);
    insurer.pay(hospital.accountId(), 300);
    assertEquals(94_700, insurer.balance());
    assertEquals(3_800, patient.balance());
    assertEquals(1_500, hospital.balance());
    hospital.foldAll();
    assertEquals(1_500, hospital.balance());
    assertEquals(0, hospital.credits().size());

    // Each party reads its own history; the regulator's audit decrypts every amount.
    List<Transfer> mine = patient.history();
    assertEquals(List.of(5_000L, 1_200L), mine.stream().map(e -> e.amount().orElse(-1)).toList());
    long sum = 0;
    for (Transfer e : regulator.audit()) {
      if (e.kind().equals("TRANSFER")) {
        sum += e.amount().orElse(-1);
      }
    }
    assertEquals(5_000 + 1_200 + 300, sum);
    assertEquals(List.of(100_000L, 5_000L, 300L), insurer.history().stream().map(e -> e.amount().orElse(-1)).toList());
  }

  /** Reads never build the owner's fixed-base tables (issue 16 item 3); the first payment does. */
  @Test
  void onlyAPaymentBuildsTheOwnersTables() throws Exception {
    AccountClient[] inst = institutions();
    PaillierSecretKey own; // a key object of this test's own: TestKeys' are shared across tests
    try (java.io.InputStream in = AccountClientTest.class.getResourceAsStream("/keys/paillier-3072-a.bin")) {
      own = PaillierSecretKey.fromBytes(in.readAllBytes());
    }
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountClient patient = new AccountClient(new AccountSecrets(Role.PATIENT, seed, own), gateway("HospitalOrgMSP"), rnd);
    assertFalse(own.isPrecomputed(), "building a client builds no table");
    patient.register();
    inst[0].issue(inst[1].accountId(), 1_000);
    inst[1].pay(patient.accountId(), 100);
    assertEquals(100, patient.balance());
    assertEquals(1, patient.history().size());
    assertFalse(own.isPrecomputed(), "registering and reading build no table");
    patient.pay(inst[2].accountId(), 10);
    assertTrue(own.isPrecomputed(), "a payment builds the tables it proves with");
    assertEquals(90, patient.balance());
  }

  @Test
  void refusalsAreTypedAndNeverRetried() throws Exception {
    AccountClient[] inst = institutions();
    inst[0].issue(inst[1].accountId(), 1_000);
    LedgerCallException e = assertThrows(LedgerCallException.class,
        () -> inst[1].pay("acct-00000000000000000000000000000000", 10));
    assertEquals(LedgerCallException.Kind.REFUSED, e.kind());
    assertEquals("UNKNOWN_ACCOUNT", e.errorCode());
    assertEquals(LedgerCallException.Committed.NO, e.committed());
    ClientRefusalException poor = assertThrows(ClientRefusalException.class, () -> inst[1].pay(inst[2].accountId(), 5_000),
        "insufficient balance");
    assertEquals(ClientError.INSUFFICIENT_FUNDS, poor.errorCode());
    assertEquals(1_000, inst[1].balance());
  }

  /**
   * The account's other device folds a credit between this payment's endorsement and its commit:
   * the first attempt is invalidated (MVCC), the client rebuilds from fresh state and the payment
   * commits exactly once.
   */
  /** What the CLI used to read by hand, as typed values: configuration, channel, account, stored balance, transaction. */
  @Test
  void publicReadsAreTyped() throws Exception {
    PublicLedger anyone = new PublicLedger(gateway("HospitalOrgMSP"));
    assertEquals("NOT_CONFIGURED", assertThrows(LedgerCallException.class, anyone::channelInfo).errorCode());
    assertEquals("FORBIDDEN_ORGANISATION", assertThrows(LedgerCallException.class, () -> anyone.configure(CONFIG)).errorCode());
    PublicLedger.ChannelConfig cfg = new PublicLedger(gateway("RegulatorOrgMSP")).configure(CONFIG);
    assertEquals("medchannel", cfg.channel());
    assertEquals("medledger", cfg.chaincode());
    assertEquals(List.of("RegulatorOrgMSP"), cfg.adminMsps());
    assertEquals(List.of("HospitalOrgMSP"), cfg.patientMsps());
    assertEquals(List.of("HospitalOrgMSP", "InsurerOrgMSP", "RegulatorOrgMSP"), List.copyOf(cfg.roles().keySet()));
    assertEquals(List.of(Role.INSURER), cfg.roles().get("InsurerOrgMSP"));
    assertEquals("ALREADY_CONFIGURED", assertThrows(LedgerCallException.class,
        () -> new PublicLedger(gateway("RegulatorOrgMSP")).configure(CONFIG)).errorCode());
    assertEquals(new PublicLedger.ChannelInfo(cfg, Optional.empty()), anyone.channelInfo(), "no regulator yet");

    AccountClient[] inst = institutionsOnConfiguredChannel();
    AccountClient regulator = inst[0];
    AccountClient insurer = inst[1];
    AccountClient hospital = inst[2];
    assertEquals(Optional.of(regulator.accountId()), anyone.channelInfo().regulator());
    PublicLedger.AccountInfo a = anyone.account(insurer.accountId());
    assertEquals(insurer.accountId(), a.id());
    assertEquals(Role.INSURER, a.role());
    assertEquals("InsurerOrgMSP", a.mspId());
    assertTrue(a.registeredAt().isAfter(Instant.parse("2026-02-01T09:00:00Z")), a.registeredAt().toString());
    assertEquals(64, a.registrationTx().length());
    assertTrue(java.util.Arrays.equals(TestKeys.key2048b().publicKey().toBytes(), a.paillierKey().toBytes()));
    assertEquals(32, a.signingKey().length);
    assertEquals("UNKNOWN_ACCOUNT", assertThrows(LedgerCallException.class,
        () -> anyone.account("acct-00000000000000000000000000000000")).errorCode());

    Transfer issued = regulator.issue(insurer.accountId(), 1_000);
    assertEquals("ISSUE", issued.kind());
    assertEquals(regulator.accountId(), issued.from());
    assertEquals(insurer.accountId(), issued.to());
    assertEquals(OptionalLong.of(1_000), issued.amount(), "issues are public");
    PublicLedger.StoredBalance before = anyone.storedBalance(insurer.accountId());
    assertEquals(1, before.pendingCredits());
    assertEquals(false, before.morePending());

    Transfer paid = insurer.pay(hospital.accountId(), 300);
    assertEquals("TRANSFER", paid.kind());
    assertEquals(OptionalLong.of(300), paid.amount(), "the payer's copy");
    assertEquals(Optional.of(paid), hospital.transaction(paid.txId()), "the payee reads the same from its copy");
    assertEquals(OptionalLong.of(300), regulator.transaction(paid.txId()).orElseThrow().amount(), "the regulator's copy");
    AccountClient stranger = client(Role.HOSPITAL, "HospitalOrgMSP", new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    assertEquals(OptionalLong.empty(), stranger.transaction(paid.txId()).orElseThrow().amount(), "no copy for a stranger");
    assertEquals(List.of(paid), insurer.history().subList(1, 2));

    PublicLedger.LedgerTransaction stored = anyone.transaction(paid.txId()).orElseThrow();
    assertEquals(paid.timestamp(), stored.timestamp());
    assertEquals(OptionalLong.empty(), stored.amount(), "no plain amount on the ledger");
    for (String copy : List.of(stored.amountPayer(), stored.amountPayee(), stored.amountRegulator(), stored.proofDigest())) {
      assertTrue(!copy.isEmpty(), stored.toString());
    }
    assertEquals(Optional.empty(), anyone.transaction("0".repeat(64)));
    PublicLedger.StoredBalance after = anyone.storedBalance(insurer.accountId());
    assertEquals(0, after.pendingCredits(), "the payment folded the issue's credit");
    assertTrue(!after.balance().equals(before.balance()), "the fold changed the stored ciphertext");
  }

  /** The client refuses on its own with a checked exception and a code, and sends nothing. */
  @Test
  void clientRefusalsCarryTheirCodeAndSendNothing() throws Exception {
    AccountClient[] inst = institutions();
    inst[0].issue(inst[1].accountId(), 1_000);
    long height = ledger.height();
    for (long amount : new long[] {0, -5}) {
      ClientRefusalException e = assertThrows(ClientRefusalException.class, () -> inst[1].pay(inst[2].accountId(), amount));
      assertEquals(ClientError.BAD_AMOUNT, e.errorCode());
      assertTrue(e.getMessage().startsWith("BAD_AMOUNT: "), e.getMessage());
    }
    ClientRefusalException poor = assertThrows(ClientRefusalException.class, () -> inst[1].pay(inst[2].accountId(), 1_001));
    assertEquals(ClientError.INSUFFICIENT_FUNDS, poor.errorCode());
    assertEquals(height, ledger.height(), "nothing was sent");
    assertEquals(1_000, inst[1].pay(inst[2].accountId(), 1_000).amount().orElseThrow(), "all of it can be paid");
  }

  @Test
  void aPaymentThatLosesAnMvccRaceIsRebuiltAndCommitsOnce() throws Exception {
    AccountClient[] inst = institutions();
    AccountClient insurer = inst[1];
    AccountClient hospital = inst[2];
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountSecrets secrets = new AccountSecrets(Role.PATIENT, seed, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    AccountClient patient = new AccountClient(secrets, gateway("HospitalOrgMSP"), rnd);
    patient.register();
    inst[0].issue(insurer.accountId(), 10_000);
    insurer.pay(patient.accountId(), 1_000);
    insurer.pay(patient.accountId(), 500);

    Identity gw = ledger.identity("HospitalOrgMSP", "HospitalOrgMSP-gateway");
    AccountClient otherDevice = new AccountClient(secrets, gateway("HospitalOrgMSP"), rnd);
    int[] attempts = {0};
    LedgerConnection racing = new LedgerConnection() {
      private final LedgerConnection plain = gateway("HospitalOrgMSP");

      @Override
      public String submit(String function, String... args) throws LedgerCallException {
        if (!function.equals("money:transfer")) {
          return plain.submit(function, args);
        }
        attempts[0]++;
        Endorsement e = ledger.endorse(gw, clock.instant(), function, args);
        if (attempts[0] == 1) {
          otherDevice.foldAll(); // moves the nonce and consumes the credits this payment folds
        }
        TxResult r = ledger.commitBlock(List.of(e)).get(0);
        if (!r.isValid()) {
          throw new LedgerCallException(LedgerCallException.Kind.CONFLICT, r.status().name(), r.txId(), r.message());
        }
        return r.payloadText();
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
    AccountClient racingPatient = new AccountClient(secrets, racing, rnd);
    Transfer record = racingPatient.pay(hospital.accountId(), 700);
    assertEquals("TRANSFER", record.kind(), record.toString());
    assertEquals(2, attempts[0], "one conflict, one successful rebuild");
    assertEquals(800, patient.balance());
    assertEquals(700, hospital.balance());
    assertEquals(hospital.accountId(), record.to(), record.toString());
    assertEquals(700, record.amount().orElseThrow(), "the payer reads its own copy");
  }
}
