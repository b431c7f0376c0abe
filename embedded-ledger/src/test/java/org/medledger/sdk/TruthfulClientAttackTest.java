package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.sdk.LedgerCallException.Committed;
import org.medledger.sdk.LedgerCallException.Kind;

/**
 * Adversarial review of the truthful client (review/inputs, docs/client-sdk.md §5): fault
 * orderings the existing suites do not script. Each test states the property it attacks; a
 * failure is a finding.
 */
class TruthfulClientAttackTest {
  private static final String CONFIG = TestChannel.CONFIG;
  private final SecureRandom rnd = new SecureRandom();
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  private final Clock clock = new SteppingClock("2026-06-01T09:00:00Z");
  private AccountClient regulator;
  private AccountClient hospital;
  private AccountSecrets insurerSecrets;
  private Identity insurerGateway;

  @BeforeEach
  void channel() throws Exception {
    TestChannel.Institutions t = TestChannel.institutions(ledger, clock, rnd);
    regulator = t.regulator();
    hospital = t.hospital();
    insurerSecrets = t.insurerSecrets();
    insurerGateway = t.insurerGateway();
  }

  private long transfers() throws LedgerCallException {
    return regulator.audit().stream().filter(e -> e.kind().equals("TRANSFER")).count();
  }

  /**
   * The insurer's gateway, which commits the first transfer but loses its commit status (TIMEOUT,
   * committed UNKNOWN) and says so from then on through {@link #lost}; every other call goes
   * through. A test overrides what the gateway does after the loss.
   */
  private class TransferStatusLost extends ForwardingConnection {
    /** True once the transfer is on the ledger and its status lost. */
    boolean lost;

    TransferStatusLost() {
      super(new EmbeddedConnection(ledger, insurerGateway, "medledger", clock));
    }

    @Override
    public String submit(String function, String... args) throws LedgerCallException {
      if (!function.equals("money:transfer") || lost) {
        return inner.submit(function, args);
      }
      TxResult r = ledger.submit(insurerGateway, clock.instant(), function, args);
      assertTrue(r.isValid(), r.message());
      lost = true;
      throw new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", r.txId(), Committed.UNKNOWN, "commit status timed out");
    }
  }

  /**
   * Attack: the transfer commits but its commit status is lost (UNKNOWN); the look-up of the
   * nonce that follows fails as a dead gateway's does (UNAVAILABLE, a retryable NO), and the
   * thread is interrupted (an application cancelling a slow call) before the pause. The payment
   * is on the ledger, so pay must not report NO: it must report UNKNOWN with the pending attempt.
   */
  @Test
  void anInterruptDuringTheRetryPauseAfterAnUnknownAttemptMustNotReportNo() throws Exception {
    LedgerConnection c = new TransferStatusLost() {
      @Override
      public String evaluate(String function, String... args) throws LedgerCallException {
        if (lost && function.equals("accounts:getNonce")) {
          Thread.currentThread().interrupt();
          throw new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", "tx-q", Committed.NO, "gateway peer unreachable");
        }
        return inner.evaluate(function, args);
      }
    };
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).retryPause(Duration.ofMillis(5)).build();
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    Thread.interrupted(); // clear the flag for the rest of the test
    assertEquals(1, transfers(), "the payment committed");
    assertEquals(Committed.UNKNOWN, e.committed(), "pay reported " + e.committed() + " for a payment on the ledger: " + e.getMessage());
    assertTrue(e.pending().isPresent(), "the pending attempt must be handed back: " + e.getMessage());
  }

  /**
   * Attack: pay reports UNKNOWN with the pending attempt (it committed); the caller asks
   * paymentStatus while the gateway peer is still down. The exception it throws says
   * committed() == NO (meaning "this look-up wrote nothing"), the same field pay uses for "the
   * payment wrote nothing". A caller that treats committed() == NO as "safe to pay again" pays
   * twice. The property attacked: no exception about a payment says NO while that payment is on
   * the ledger.
   */
  @Test
  void aFailedPaymentStatusLookUpMustNotSayNoForACommittedPayment() throws Exception {
    LedgerConnection c = new TransferStatusLost() {
      @Override
      public String evaluate(String function, String... args) throws LedgerCallException {
        if (lost) {
          throw new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", "tx-q", Committed.NO, "gateway peer unreachable");
        }
        return inner.evaluate(function, args);
      }

      @Override
      public java.util.Optional<String> commitStatus(String txId) throws LedgerCallException {
        throw new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", txId, Committed.NO, "gateway peer unreachable");
      }
    };
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).retryPause(Duration.ofMillis(5)).build();
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    assertEquals(Committed.UNKNOWN, e.committed(), e.getMessage());
    assertTrue(e.pending().isPresent(), e.getMessage());
    assertEquals(1, transfers(), "the payment committed");
    LedgerCallException s = assertThrows(LedgerCallException.class, () -> insurer.paymentStatus(e.pending().get()));
    assertTrue(s.committed() != Committed.NO, "paymentStatus of a committed payment threw committed() == NO: " + s.getMessage());
  }

  /**
   * Attack: while balance() pages through the credits, another device of the same account pays
   * (moving the nonce) during every pass. The client may retry or give up, but must not return a
   * balance the account never held.
   */
  @Test
  void balanceNeverReturnsAnAmountTheAccountNeverHeld() throws Exception {
    for (int i = 0; i < 400; i++) {
      regulator.issue(insurerSecrets.accountId(), 1); // more than one page of credits
    }
    AccountClient otherDevice = new AccountClient(insurerSecrets, new EmbeddedConnection(ledger, insurerGateway, "medledger", clock), rnd);
    int[] pays = {0};
    LedgerConnection c = new ForwardingConnection(new EmbeddedConnection(ledger, insurerGateway, "medledger", clock)) {
      @Override
      public String evaluate(String function, String... args) throws LedgerCallException {
        if (function.equals("money:credits") && !args[2].isEmpty() && pays[0] < 3) {
          pays[0]++;
          try {
            otherDevice.pay(hospital.accountId(), 10); // commits between this pass's reads
          } catch (ClientRefusalException e) {
            throw new AssertionError("the other device holds enough", e);
          }
        }
        return inner.evaluate(function, args);
      }
    };
    AccountClient insurer = new AccountClient(insurerSecrets, c, rnd);
    long seen;
    try {
      seen = insurer.balance();
    } catch (LedgerCallException | IllegalStateException giveUp) {
      return; // refusing to answer is truthful
    }
    long truth = new AccountClient(insurerSecrets, new EmbeddedConnection(ledger, insurerGateway, "medledger", clock), rnd).balance();
    List<Long> held = List.of(10_400L, 10_390L, 10_380L, 10_370L);
    assertEquals(3, pays[0], "the other device paid during three passes");
    assertEquals(10_370L, truth);
    assertTrue(held.contains(seen), "balance() returned " + seen + ", which the account never held (it held " + held + ")");
  }
}
