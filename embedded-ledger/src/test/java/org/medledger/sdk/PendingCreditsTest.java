package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Limits;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * An account with thousands of pending credits (docs/client-sdk.md §3): the balance counts every
 * page of them, and a payment larger than what one transfer can fold folds the rest first. The
 * credits are issues (public amounts, no proofs), which the chaincode stores as credits exactly as
 * it stores a transfer's.
 */
class PendingCreditsTest {
  private static final String CONFIG = TestChannel.CONFIG;
  private static final int CREDITS = 3_000;
  private final SecureRandom rnd = new SecureRandom();
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  private final Clock clock = new SteppingClock(Instant.parse("2026-05-01T09:00:00Z"), java.time.Duration.ofMillis(10));
  private AccountClient regulator;
  private AccountClient insurer;
  private AccountClient hospital;

  private AccountClient client(Role role, String msp, PaillierSecretKey key) throws LedgerCallException {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountSecrets secrets = new AccountSecrets(role, seed, key);
    EmbeddedConnection gateway = new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
    AccountClient c = new AccountClient(secrets, gateway, rnd);
    c.register();
    if (role == Role.REGULATOR) {
      // records:setup before the other registrations: their Π^fac proofs are made against it.
      new RecordClient(secrets, gateway, rnd)
          .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    }
    return c;
  }

  @BeforeEach
  void thousandsOfCredits() throws Exception {
    new EmbeddedConnection(ledger, ledger.identity("RegulatorOrgMSP", "admin"), "medledger", clock).submit("accounts:configure", CONFIG);
    regulator = client(Role.REGULATOR, "RegulatorOrgMSP", TestKeys.key2048c());
    insurer = client(Role.INSURER, "InsurerOrgMSP", TestKeys.key2048b());
    hospital = client(Role.HOSPITAL, "HospitalOrgMSP", TestKeys.key2048a());
    for (int i = 1; i <= CREDITS; i++) {
      regulator.issue(insurer.accountId(), i % 7 + 1); // amounts 1..7, so a lost page changes the sum
    }
  }

  private static long expectedTotal() {
    long sum = 0;
    for (int i = 1; i <= CREDITS; i++) {
      sum += i % 7 + 1;
    }
    return sum;
  }

  /**
   * One test, since the 3,000 issues are its slow part: the balance counts every page, then a
   * payment that one transfer's fold cannot cover folds first, and the balances stay right.
   */
  @Test
  void theBalanceCountsEveryPageAndALargePaymentFoldsFirst() throws Exception {
    long total = expectedTotal();
    assertEquals(CREDITS, insurer.credits().size());
    assertEquals(total, insurer.balance());

    long amount = 1_000; // the oldest 64 credits hold about 256
    Transfer record = insurer.pay(hospital.accountId(), amount);
    assertEquals("TRANSFER", record.kind());
    assertEquals(total - amount, insurer.balance());
    assertEquals(amount, hospital.balance());
    int left = insurer.credits().size();
    assertTrue(left < CREDITS - Limits.MAX_FOLD, "folds ran before the transfer: " + left + " credits left");
    assertEquals(0, (CREDITS - left) % Limits.MAX_FOLD, "whole folds of 64, the transfer's own fold included");
  }
}
