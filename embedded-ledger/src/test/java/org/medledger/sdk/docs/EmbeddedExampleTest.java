package org.medledger.sdk.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.TestChannel;
import org.medledger.sdk.Transfer;

/**
 * The embedded-ledger example of docs/client-sdk.md §11.1, compiled and run: the region between
 * the doc markers must stand verbatim in the doc ({@link DocSnippets}), and what it computes is
 * checked here.
 */
class EmbeddedExampleTest {
  /** The channel's configuration: who administers it, which organisation holds which roles. */
  static final String CONFIG = TestChannel.CONFIG;

  record Outcome(Transfer fee, long patientBalance, long hospitalBalance, List<Transfer> audit) {}

  static Outcome run(Supplier<PaillierSecretKey> newKey, byte[] ringPedersenParams, byte[] ringPedersenProof) throws Exception {
    // [doc:embedded-example]
    SecureRandom rnd = new SecureRandom();
    EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
    Clock clock = Clock.systemUTC();
    try (LedgerConnection regulatorOrg = new EmbeddedConnection(ledger, ledger.identity("RegulatorOrgMSP", "gw"), "medledger", clock);
        LedgerConnection insurerOrg = new EmbeddedConnection(ledger, ledger.identity("InsurerOrgMSP", "gw"), "medledger", clock);
        LedgerConnection hospitalOrg = new EmbeddedConnection(ledger, ledger.identity("HospitalOrgMSP", "gw"), "medledger", clock)) {
      new PublicLedger(regulatorOrg).configure(CONFIG);            // once, by an admin organisation

      // The regulator registers first and publishes the ring-Pedersen parameters that every
      // other registration's no-small-factor proof is made against.
      AccountSecrets regulatorSecrets = AccountSecrets.generate(Role.REGULATOR, newKey.get(), rnd);
      AccountClient regulator = AccountClient.builder().secrets(regulatorSecrets).ledger(regulatorOrg).random(rnd).build();
      regulator.register();
      RecordClient.builder().secrets(regulatorSecrets).ledger(regulatorOrg).random(rnd).build()
          .publishRingPedersen(ringPedersenParams, ringPedersenProof);

      AccountClient insurer = AccountClient.builder().ledger(insurerOrg).random(rnd)
          .secrets(AccountSecrets.generate(Role.INSURER, newKey.get(), rnd)).build();
      AccountClient hospital = AccountClient.builder().ledger(hospitalOrg).random(rnd)
          .secrets(AccountSecrets.generate(Role.HOSPITAL, newKey.get(), rnd)).build();
      AccountClient patient = AccountClient.builder().ledger(hospitalOrg).random(rnd)   // a patient organisation
          .secrets(AccountSecrets.generate(Role.PATIENT, newKey.get(), rnd)).build();
      insurer.register();
      hospital.register();
      patient.register();

      regulator.issue(insurer.accountId(), 100_000);               // new money, to an insurer
      insurer.pay(patient.accountId(), 5_000);                     // funds the patient's card
      Transfer fee = patient.pay(hospital.accountId(), 1_200);     // returns once committed
      long left = patient.balance();                               // 3,800: decrypted on this device
      List<Transfer> audit = regulator.audit();                    // every amount, from the regulator's copy
      // [/doc:embedded-example]
      return new Outcome(fee, left, hospital.balance(), audit);
    }
  }

  @Test
  void theEmbeddedExampleRunsAsDocumented() throws Exception {
    PaillierSecretKey[] keys = {TestKeys.key2048c(), TestKeys.key2048b(), TestKeys.key2048a(),
      new PaillierKeyGenerator(new SecureRandom()).generate(KeySize.BITS_2048)};
    int[] next = {0};
    Outcome o = run(() -> keys[next[0]++], TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    assertEquals(1_200, o.fee().amount().getAsLong());
    assertEquals(3_800, o.patientBalance());
    assertEquals(1_200, o.hospitalBalance());
    assertEquals(List.of(100_000L, 5_000L, 1_200L), o.audit().stream().map(t -> t.amount().orElse(-1)).toList());
  }

  @Test
  void theDocShowsTheExampleVerbatim() throws Exception {
    java.nio.file.Path root = DocSnippets.repoRoot();
    assertEquals(DocSnippets.region(root.resolve("embedded-ledger/src/test/java/org/medledger/sdk/docs/EmbeddedExampleTest.java"),
        "embedded-example"), DocSnippets.block(root.resolve("docs/client-sdk.md"), "embedded-example"));
  }
}
