package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.sdk.LedgerCallException.Committed;
import org.medledger.sdk.LedgerCallException.Kind;

/**
 * Payments whose outcome the client does not see (docs/client-sdk.md §5): the connection loses
 * the answer after the orderer took the transaction, or before, or while it is still in flight.
 * In every case the payment commits exactly once or the client says it may still commit; it never
 * pays twice.
 */
class PaymentResolutionTest {
  private static final String CONFIG = TestChannel.CONFIG;
  private final SecureRandom rnd = new SecureRandom();
  private final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  private final Clock clock = new SteppingClock("2026-04-01T09:00:00Z");
  private AccountClient regulator;
  private AccountClient hospital;
  private AccountSecrets insurerSecrets;

  /** What the connection does with the next transfer. */
  enum Fault {
    /** Commits, then reports a commit-status timeout. */
    COMMITTED_BUT_LOST,
    /** Endorses, never orders, reports the orderer unreachable. */
    NEVER_ORDERED,
    /** Endorses and holds the transaction (the test commits it later), reports a timeout. */
    IN_FLIGHT,
    /**
     * Endorses and holds the transaction (the test commits it later); a relayer that saw the
     * signed request commits a copy of it in a transaction of its own first; reports a timeout.
     */
    RELAYED,
    /** Commits the held transaction first, then this one normally. */
    HELD_COMMITS_FIRST,
    /** Fails before endorsement as an unreachable peer does: nothing happened. */
    UNREACHABLE,
    /** The gateway peer just restarted and cannot serve the channel yet (FAILED_PRECONDITION). */
    GATEWAY_NOT_READY,
    /** The endorsers' chaincode server is down: the peer could not launch the chaincode. */
    CHAINCODE_DOWN,
    /** An endorser a few blocks behind refuses the (valid) nonce with BAD_NONCE. */
    LAGGING_ENDORSER,
    /** The chaincode refuses the request: final. */
    REFUSED,
    /** The gateway refuses it for a reason outside the chaincode (access denied): final. */
    REJECTED,
    /** Passes through. */
    NONE
  }

  /** The embedded ledger behind a connection that loses answers as scripted. */
  private final class Faulty implements LedgerConnection {
    final Deque<Fault> faults = new ArrayDeque<>();
    final List<Long> transferNonces = new ArrayList<>();
    final List<Endorsement> held = new ArrayList<>();
    /** The transactions in which a relayer committed copies of the requests (Fault.RELAYED). */
    final List<String> relayed = new ArrayList<>();
    final java.util.Map<String, TxStatus> blocks = new java.util.HashMap<>();
    Runnable afterFault = () -> { };
    /** How many of the next evaluations fail as a dead gateway peer's do. */
    int evaluationsDown;
    private final Identity gw = ledger.identity("InsurerOrgMSP", "InsurerOrgMSP-gateway");
    private final EmbeddedConnection plain = new EmbeddedConnection(ledger, gw, "medledger", clock);

    @Override
    public String submit(String function, String... args) throws LedgerCallException {
      if (!function.equals("money:transfer")) {
        return plain.submit(function, args);
      }
      transferNonces.add(CanonicalJson.parseObject(args[0]).getAsJsonObject("body").get("nonce").getAsLong());
      Fault f = faults.isEmpty() ? Fault.NONE : faults.poll();
      switch (f) {
        case COMMITTED_BUT_LOST -> {
          TxResult r = ledger.submit(gw, clock.instant(), function, args);
          assertTrue(r.isValid(), r.message());
          afterFault.run();
          throw new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", r.txId(), Committed.UNKNOWN, "commit status timed out");
        }
        case NEVER_ORDERED -> {
          Endorsement e = ledger.endorse(gw, clock.instant(), function, args);
          afterFault.run();
          throw new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", e.txId(), Committed.UNKNOWN, "orderer unreachable");
        }
        case IN_FLIGHT -> {
          Endorsement e = ledger.endorse(gw, clock.instant(), function, args);
          held.add(e);
          throw new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", e.txId(), Committed.UNKNOWN, "commit status timed out");
        }
        case RELAYED -> {
          Endorsement e = ledger.endorse(gw, clock.instant(), function, args);
          held.add(e);
          TxResult copy = ledger.submit(ledger.identity("HospitalOrgMSP", "relaying-gateway"), clock.instant(), function, args);
          assertTrue(copy.isValid(), copy.message());
          relayed.add(copy.txId());
          afterFault.run();
          throw new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", e.txId(), Committed.UNKNOWN, "commit status timed out");
        }
        case UNREACHABLE -> throw new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", "", Committed.NO, "peer unreachable");
        // The three as GatewayErrors reports them (GatewayConnectionTest checks that mapping).
        case GATEWAY_NOT_READY -> throw new LedgerCallException(Kind.UNAVAILABLE, "FAILED_PRECONDITION", "tx-np", Committed.NO,
            "endorse failed because the gateway was not ready");
        case CHAINCODE_DOWN -> throw new LedgerCallException(Kind.UNAVAILABLE, "ABORTED", "tx-cd", Committed.NO,
            "endorse failed: could not launch chaincode");
        case LAGGING_ENDORSER -> throw new LedgerCallException(Kind.REFUSED, "BAD_NONCE", "tx-lag", Committed.NO,
            "BAD_NONCE: expected nonce 0, got 1");
        case REFUSED -> throw new LedgerCallException(Kind.REFUSED, "TRANSFER_PROOF_INVALID", "tx-r", Committed.NO, "proof invalid");
        case REJECTED -> throw new LedgerCallException(Kind.REJECTED, "PERMISSION_DENIED", "tx-d", Committed.NO, "access denied");
        case HELD_COMMITS_FIRST -> {
          assertTrue(commitHeld().isValid());
          return plain.submit(function, args);
        }
        default -> {
          return plain.submit(function, args);
        }
      }
    }

    TxResult commitHeld() {
      TxResult r = ledger.commitBlock(List.of(held.remove(0))).get(0);
      blocks.put(r.txId(), r.status());
      return r;
    }

    @Override
    public String evaluate(String function, String... args) throws LedgerCallException {
      if (evaluationsDown > 0) {
        evaluationsDown--;
        throw new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", "tx-q", Committed.NO, "gateway peer unreachable");
      }
      return plain.evaluate(function, args);
    }

    /** As a gateway answers for transactions it saw in a block; the others are not known within the deadline. */
    @Override
    public java.util.Optional<String> commitStatus(String txId) {
      return java.util.Optional.ofNullable(blocks.get(txId)).map(st -> st == TxStatus.VALID ? "VALID" : st.name());
    }

    @Override
    public String channel() {
      return plain.channel();
    }

    @Override
    public String chaincode() {
      return plain.chaincode();
    }
  }

  @BeforeEach
  void channel() throws Exception {
    TestChannel.Institutions t = TestChannel.institutions(ledger, clock, rnd);
    regulator = t.regulator();
    hospital = t.hospital();
    insurerSecrets = t.insurerSecrets();
  }

  private List<Transfer> transfers() throws LedgerCallException {
    return regulator.audit().stream().filter(e -> e.kind().equals("TRANSFER")).toList();
  }

  private AccountClient insurer(Faulty connection) {
    return new AccountClient(insurerSecrets, connection, rnd);
  }

  @Test
  void aPaymentCommittedButNotConfirmedIsFoundNotRepeated() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.COMMITTED_BUT_LOST);
    AccountClient insurer = insurer(c);
    Transfer record = insurer.pay(hospital.accountId(), 400);
    List<Transfer> t = transfers();
    assertEquals(1, t.size());
    assertEquals(t.get(0).txId(), record.txId(), "the lost attempt's record");
    assertEquals(1, c.transferNonces.size(), "found on the ledger: nothing was sent again");
    assertEquals(9_600, insurer.balance());
    assertEquals(400, hospital.balance());
  }

  @Test
  void aPaymentNeverOrderedIsRebuiltWithTheSameNonceAndCommitsOnce() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.NEVER_ORDERED);
    AccountClient insurer = insurer(c);
    insurer.pay(hospital.accountId(), 400);
    assertEquals(2, c.transferNonces.size());
    assertEquals(c.transferNonces.get(0), c.transferNonces.get(1), "the rebuilt attempt reuses the unknown one's nonce");
    assertEquals(1, transfers().size());
    assertEquals(9_600, insurer.balance());
  }

  @Test
  void aPaymentWhosePeersWereUnreachableIsTriedAgain() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.UNREACHABLE);
    c.faults.add(Fault.UNREACHABLE);
    AccountClient insurer = insurer(c);
    insurer.pay(hospital.accountId(), 400);
    assertEquals(3, c.transferNonces.size());
    assertEquals(1, transfers().size());
    assertEquals(9_600, insurer.balance());
  }

  @Test
  void anAttemptStillInFlightThatCommitsFirstIsTheOneReturned() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.IN_FLIGHT);
    c.faults.add(Fault.HELD_COMMITS_FIRST); // the rebuilt attempt is then refused with BAD_NONCE
    AccountClient insurer = insurer(c);
    Transfer record = insurer.pay(hospital.accountId(), 400);
    List<Transfer> t = transfers();
    assertEquals(1, t.size());
    assertEquals(t.get(0).txId(), record.txId());
    assertEquals(2, c.transferNonces.size());
    assertEquals(9_600, insurer.balance());
    assertEquals(400, hospital.balance());
  }

  @Test
  void anAttemptStillInFlightThatArrivesLateIsInvalidated() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.IN_FLIGHT);
    AccountClient insurer = insurer(c);
    insurer.pay(hospital.accountId(), 400);
    TxResult late = c.commitHeld();
    assertEquals(TxStatus.MVCC_READ_CONFLICT, late.status(), "the late attempt read the nonce the rebuilt one consumed");
    assertEquals(1, transfers().size());
    assertEquals(9_600, insurer.balance());
  }

  /**
   * payAsync tells the same truth as pay, on the executor the app gives it: YES for an attempt whose
   * answer was lost but which committed, UNKNOWN with the pending payment when no attempt is confirmed.
   */
  @Test
  void payAsyncCompletesOnTheAppsExecutorWithTheSameTruthAsPay() throws Exception {
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.Executor app = r -> {
      ran.incrementAndGet();
      Thread t = new Thread(() -> {
        threads.add(Thread.currentThread().getName());
        r.run();
      }, "app-payments-" + ran.get());
      t.start();
    };
    Faulty c = new Faulty();
    c.faults.add(Fault.COMMITTED_BUT_LOST);
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).executor(app).build();
    java.util.concurrent.CompletableFuture<Transfer> yes = insurer.payAsync(hospital.accountId(), 400);
    Transfer record = yes.get(5, java.util.concurrent.TimeUnit.MINUTES);
    assertEquals(transfers().get(0).txId(), record.txId(), "the lost attempt, found on the ledger");
    assertEquals(400, record.amount().orElseThrow(), "the payer reads its own copy");
    assertEquals(1, c.transferNonces.size(), "nothing was sent again");
    assertEquals(1, ran.get());
    assertEquals(java.util.Set.of("app-payments-1"), threads, "the payment ran on the app's executor");

    for (int i = 0; i < AccountClient.MAX_ATTEMPTS; i++) {
      c.faults.add(Fault.NEVER_ORDERED);
    }
    java.util.concurrent.CompletableFuture<Transfer> unknown = insurer.payAsync(hospital.accountId(), 500);
    java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> unknown.get(5, java.util.concurrent.TimeUnit.MINUTES));
    LedgerCallException e = (LedgerCallException) failed.getCause();
    assertEquals(Committed.UNKNOWN, e.committed());
    PendingPayment pending = e.pending().orElseThrow();
    assertEquals(AccountClient.MAX_ATTEMPTS, pending.txIds().size());
    assertEquals(1, transfers().size(), "none of the unknown attempts is on the ledger");
    assertEquals(2, ran.get());
    assertEquals(9_600, insurer.balance());
  }

  @Test
  void whenNoAttemptIsConfirmedThePaymentIsReportedUnknownWithEveryTxId() throws Exception {
    Faulty c = new Faulty();
    for (int i = 0; i < AccountClient.MAX_ATTEMPTS; i++) {
      c.faults.add(Fault.NEVER_ORDERED);
    }
    AccountClient insurer = insurer(c);
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    assertEquals(Committed.UNKNOWN, e.committed());
    assertEquals(AccountClient.MAX_ATTEMPTS, c.transferNonces.size());
    assertEquals(1, c.transferNonces.stream().distinct().count(), "every attempt carried the same nonce");
    assertTrue(e.getMessage().contains("may still commit"), e.getMessage());
    assertEquals(0, transfers().size());
    assertEquals(10_000, insurer.balance());
  }

  /**
   * Another device of the account takes the nonce while an attempt's outcome is unknown: the client
   * cannot tell whose request consumed it, so it stops, says so, and sends nothing more.
   */
  @Test
  void aNonceTakenByAnotherDeviceLeavesThePaymentUnknownAndUnrepeated() throws Exception {
    regulator.issue(insurerSecrets.accountId(), 1); // a credit for the other device to fold
    AccountClient otherDevice = new AccountClient(insurerSecrets,
        new EmbeddedConnection(ledger, ledger.identity("InsurerOrgMSP", "other-device"), "medledger", clock), rnd);
    Faulty c = new Faulty();
    c.faults.add(Fault.NEVER_ORDERED);
    c.afterFault = () -> {
      try {
        otherDevice.foldAll();
      } catch (LedgerCallException e) {
        throw new IllegalStateException(e);
      }
    };
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).resolveWait(Duration.ofMillis(300)).build();
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals(Committed.UNKNOWN, e.committed());
    assertTrue(e.getMessage().contains("was consumed"), e.getMessage());
    assertEquals(1, c.transferNonces.size(), "nothing was sent after the nonce moved");
    assertEquals(0, transfers().size());
    assertEquals(10_001, insurer.balance());
  }

  /**
   * The gateway peer dies while the payment waits for its commit status (the payment committed),
   * and the first look-up after that fails too; the peer is back for the next one. The payment is
   * found, not reported as not committed.
   */
  @Test
  void aCommittedPaymentWhoseGatewayDiedIsFoundOnceThePeerIsBack() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.COMMITTED_BUT_LOST);
    c.afterFault = () -> c.evaluationsDown = 1;
    AccountClient insurer = insurer(c);
    Transfer record = insurer.pay(hospital.accountId(), 400);
    List<Transfer> t = transfers();
    assertEquals(1, t.size());
    assertEquals(t.get(0).txId(), record.txId());
    assertEquals(1, c.transferNonces.size(), "nothing was sent again");
    assertEquals(9_600, insurer.balance());
  }

  /**
   * The same, but the peer stays away for every look-up the payment makes: it is UNKNOWN with the
   * transaction id and nonce, never NO, and a later paymentStatus call finds it: YES.
   */
  @Test
  void aCommittedPaymentWhoseLookupsAllFailIsUnknownThenResolvedYes() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.COMMITTED_BUT_LOST);
    c.afterFault = () -> c.evaluationsDown = 1_000;
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).retryPause(Duration.ofMillis(5)).build();
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    assertEquals(Committed.UNKNOWN, e.committed(), e.getMessage());
    assertTrue(e.getMessage().contains(e.txId()), e.getMessage());
    PendingPayment p = e.pending().orElseThrow();
    String committedTx = transfers().get(0).txId();
    assertEquals(List.of(committedTx), p.txIds());
    assertEquals(c.transferNonces.get(0), p.nonce());
    assertEquals(1, c.transferNonces.size(), "nothing was sent again");

    c.evaluationsDown = 0; // the peer is back
    PaymentStatus s = insurer.paymentStatus(p);
    assertEquals(PaymentStatus.Outcome.YES, s.committed(), s.detail());
    assertEquals(committedTx, s.txId());
    assertEquals(committedTx, s.transfer().orElseThrow().txId());
    // Another process of the account, with only the id and nonce noted down, gets the same answer.
    AccountClient later = new AccountClient(insurerSecrets, new Faulty(), rnd);
    assertEquals(PaymentStatus.Outcome.YES, later.paymentStatus(committedTx, p.nonce()).committed());
    assertEquals(9_600, insurer.balance());
  }

  @Test
  void transientEndorsementFaultsAreRetriedWithTheSameNonceUntilThePaymentCommits() throws Exception {
    Faulty c = new Faulty();
    c.faults.addAll(List.of(Fault.GATEWAY_NOT_READY, Fault.CHAINCODE_DOWN, Fault.LAGGING_ENDORSER, Fault.LAGGING_ENDORSER));
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).retryPause(Duration.ofMillis(5)).build();
    insurer.pay(hospital.accountId(), 400);
    assertEquals(5, c.transferNonces.size());
    assertEquals(1, c.transferNonces.stream().distinct().count(), "the ledger's nonce never moved: every attempt carried it");
    assertEquals(1, transfers().size());
    assertEquals(9_600, insurer.balance());
    assertEquals(400, hospital.balance());
  }

  @Test
  void transientFaultsAreRetriedOnlyWithinTheirBound() throws Exception {
    Faulty c = new Faulty();
    for (int i = 0; i <= AccountClient.MAX_TRANSIENT_RETRIES; i++) {
      c.faults.add(Fault.LAGGING_ENDORSER);
    }
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).retryPause(Duration.ofMillis(5)).build();
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    assertEquals("BAD_NONCE", e.errorCode());
    assertEquals(Committed.NO, e.committed(), "nothing reached the orderer");
    assertEquals(AccountClient.MAX_TRANSIENT_RETRIES + 1, c.transferNonces.size());
    assertEquals(0, transfers().size());
  }

  @Test
  void finalRefusalsAreNotRetried() throws Exception {
    for (Fault f : List.of(Fault.REFUSED, Fault.REJECTED)) {
      Faulty c = new Faulty();
      c.faults.add(f);
      AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd).retryPause(Duration.ofMillis(5)).build();
      LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
      assertEquals(f == Fault.REFUSED ? Kind.REFUSED : Kind.REJECTED, e.kind());
      assertEquals(Committed.NO, e.committed());
      assertEquals(1, c.transferNonces.size(), f + " was sent once");
    }
    assertEquals(0, transfers().size());
  }

  /**
   * An attempt that was still in flight when a rebuilt one committed: paymentStatus says UNKNOWN
   * while it is not in a block (the nonce is taken, but the peer might lag), and NO once it is in
   * a block, invalidated.
   */
  @Test
  void anAttemptInvalidatedInABlockIsResolvedNo() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.IN_FLIGHT);
    AccountClient insurer = insurer(c);
    Transfer record = insurer.pay(hospital.accountId(), 400);
    String heldTx = c.held.get(0).txId();
    long nonce = c.transferNonces.get(0);
    PaymentStatus before = insurer.paymentStatus(heldTx, nonce);
    assertEquals(PaymentStatus.Outcome.UNKNOWN, before.committed(), before.detail());
    assertTrue(before.detail().contains("was consumed"), before.detail());
    assertEquals(TxStatus.MVCC_READ_CONFLICT, c.commitHeld().status());
    PaymentStatus after = insurer.paymentStatus(heldTx, nonce);
    assertEquals(PaymentStatus.Outcome.NO, after.committed(), after.detail());
    String rebuilt = record.txId();
    assertEquals(PaymentStatus.Outcome.YES, insurer.paymentStatus(rebuilt, nonce).committed());
  }

  /**
   * Review of issue 17: a relayer commits a copy of the payer's signed request under its own
   * transaction while the payer's attempt is in flight. The payment is that copy's record: pay
   * finds it through money:transferByNonce and the bundle's digest instead of waiting out its
   * resolve wait and answering UNKNOWN.
   */
  @Test
  void aCopyCommittedByARelayerWhileTheAttemptIsInFlightIsThePayment() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.RELAYED);
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd)
        .resolveWait(Duration.ofMillis(300)).retryPause(Duration.ofMillis(5)).build();
    Transfer paid = insurer.pay(hospital.accountId(), 400);
    assertEquals(c.relayed.get(0), paid.txId());
    assertEquals(1, c.transferNonces.size(), "nothing was sent again");
    assertEquals(TxStatus.MVCC_READ_CONFLICT, c.commitHeld().status());
    assertEquals(1, transfers().size());
    assertEquals(9_600, insurer.balance());
    assertEquals(400, hospital.balance());
  }

  /**
   * The same when pay could not look anything up: it is UNKNOWN, and once the payer's own attempt
   * is in a block, invalidated (the copy took its nonce), paymentStatus must say YES with the
   * copy's record, not NO (it said NO before: every attempt it knew of was invalidated).
   */
  @Test
  void paymentStatusAfterARelayedCopyCommittedIsYesNotNo() throws Exception {
    Faulty c = new Faulty();
    c.faults.add(Fault.RELAYED);
    c.afterFault = () -> c.evaluationsDown = 1_000;
    AccountClient insurer = AccountClient.builder().secrets(insurerSecrets).ledger(c).random(rnd)
        .retryPause(Duration.ofMillis(5)).build();
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> insurer.pay(hospital.accountId(), 400));
    assertEquals(Committed.UNKNOWN, e.committed(), e.getMessage());
    PendingPayment p = e.pending().orElseThrow();
    c.evaluationsDown = 0;
    assertEquals(TxStatus.MVCC_READ_CONFLICT, c.commitHeld().status());
    PaymentStatus s = insurer.paymentStatus(p);
    assertEquals(PaymentStatus.Outcome.YES, s.committed(), s.detail());
    assertEquals(c.relayed.get(0), s.txId());
    assertEquals(400L, s.transfer().orElseThrow().amount().getAsLong());
    assertEquals(1, transfers().size());
    assertEquals(9_600, insurer.balance());
  }
}
