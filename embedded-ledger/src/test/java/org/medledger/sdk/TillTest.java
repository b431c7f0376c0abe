package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.sdk.LedgerCallException.Committed;
import org.medledger.sdk.LedgerCallException.Kind;

/**
 * Batched payments through the SDK (docs/client-sdk.md §3.6): a till sends its patients' signed
 * transfers in one batch; when the chaincode names a culprit the till reports it NO, drops it with
 * the later transfers of the same payer, and the rest commit on the next send; one payer's chain
 * of 16 through {@link AccountClient#payBatch}; a batch whose outcome is lost is UNKNOWN, never
 * sent again, and {@link Till#status} finds it.
 */
class TillTest extends TillFixture {
  @Test
  void aTillDropsTheCulpritAndItsLaterTransfersAndTheRestCommit() throws Exception {
    AccountClient p0 = patients.get(0);
    AccountClient p1 = patients.get(1);
    AccountClient p2 = patients.get(2);
    long h0 = hospital.balance();
    long b0 = p0.balance();
    long b1 = p1.balance();
    long b2 = p2.balance();
    List<SignedTransfer> batch = new ArrayList<>();
    batch.addAll(p0.prepareTransfers(hospital.accountId(), 100));
    batch.addAll(p1.prepareTransfers(hospital.accountId(), 50, 60));
    batch.addAll(p2.prepareTransfers(hospital.accountId(), 70, 80));
    // Patient 1 pays on its own after signing: its first batched transfer's nonce is taken.
    p1.pay(hospital.accountId(), 5);
    List<BatchOutcome> out = new Till(hospitalGateway).submit(batch);
    assertEquals(5, out.size());
    assertEquals(PaymentStatus.Outcome.YES, out.get(0).committed(), out.get(0).detail());
    assertEquals(PaymentStatus.Outcome.NO, out.get(1).committed());
    assertEquals("BAD_NONCE", out.get(1).errorCode());
    assertEquals(PaymentStatus.Outcome.NO, out.get(2).committed());
    assertTrue(out.get(2).detail().contains("spends from transfer 1"), out.get(2).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(3).committed());
    assertEquals(PaymentStatus.Outcome.YES, out.get(4).committed());
    // The three that committed are one batch: the second send, after the drop.
    String tx = out.get(0).batchTxId();
    assertEquals(tx, out.get(4).batchTxId());
    assertEquals(tx + ".02", out.get(4).recordId());
    assertTrue(out.get(0).result().orElseThrow().amount().isEmpty(), "the till holds no key");
    assertEquals(h0 + 100 + 5 + 70 + 80, hospital.balance());
    assertEquals(b0 - 100, p0.balance());
    assertEquals(b1 - 5, p1.balance());
    assertEquals(b2 - 150, p2.balance());
    // The payee sees the amounts in its own copies.
    assertEquals(70L, hospital.transaction(out.get(3).recordId()).orElseThrow().amount().getAsLong());
  }

  @Test
  void onePayersChainOfSixteenThroughPayBatch() throws Exception {
    long before = insurer.balance();
    long h0 = hospital.balance();
    long[] amounts = new long[16];
    long total = 0;
    for (int i = 0; i < 16; i++) {
      amounts[i] = 1 + i;
      total += amounts[i];
    }
    List<BatchOutcome> out = insurer.payBatch(hospital.accountId(), amounts);
    for (int i = 0; i < 16; i++) {
      assertEquals(PaymentStatus.Outcome.YES, out.get(i).committed(), out.get(i).detail());
      assertEquals(amounts[i], out.get(i).result().orElseThrow().amount().getAsLong(), "the payer copy");
    }
    assertEquals(before - total, insurer.balance());
    assertEquals(h0 + total, hospital.balance());
    ClientRefusalException e = assertThrows(ClientRefusalException.class,
        () -> insurer.prepareTransfers(hospital.accountId(), new long[17]));
    assertEquals(ClientError.BAD_AMOUNT, e.errorCode());
    assertThrows(ClientRefusalException.class, () -> insurer.prepareTransfers(hospital.accountId(), Long.MAX_VALUE / 2));
  }

  @Test
  void aBatchWhoseOutcomeIsLostIsUnknownNeverResentAndFoundLater() throws Exception {
    AccountClient p0 = patients.get(0);
    long h0 = hospital.balance();
    Identity gw = ledger.identity("HospitalOrgMSP", "lossy-till");
    EmbeddedConnection plain = new EmbeddedConnection(ledger, gw, "medledger", clock);
    int[] sends = {0};
    LedgerConnection lossy = intercepting(plain, (function, args) -> {
      sends[0]++;
      TxResult r = ledger.submit(gw, clock.instant(), function, args);
      assertTrue(r.isValid(), r.message());
      throw new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", r.txId(), Committed.UNKNOWN, "commit status timed out");
    });
    Till till = new Till(lossy);
    List<BatchOutcome> out = till.submit(p0.prepareTransfers(hospital.accountId(), 3, 4));
    assertEquals(1, sends[0], "a batch of unknown outcome is not sent again");
    for (BatchOutcome o : out) {
      assertEquals(PaymentStatus.Outcome.UNKNOWN, o.committed());
      BatchOutcome later = till.status(o);
      assertEquals(PaymentStatus.Outcome.YES, later.committed(), later.detail());
      assertEquals(o.recordId(), later.result().orElseThrow().txId());
    }
    assertEquals(h0 + 7, hospital.balance());
  }

  @Test
  void culpritIndicesAreReadOnlyFromAMemberRefusalOfTheRightSize() {
    LedgerCallException named = new LedgerCallException(Kind.REFUSED, "BAD_NONCE", "tx", Committed.NO,
        "BAD_NONCE: member 3 of 5: expected nonce 2, got 3");
    assertEquals(3, Till.culprit(named, 5));
    assertEquals(-1, Till.culprit(named, 4), "a refusal of another batch size names nobody here");
    assertEquals(-1, Till.culprit(new LedgerCallException(Kind.REFUSED, "BATCH_SIZE", "tx", Committed.NO,
        "BATCH_SIZE: a batch holds 1..16 transfers, not 17"), 17));
    assertEquals(-1, Till.culprit(new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", "tx", Committed.UNKNOWN,
        ": member 0 of 1: "), 1));
    assertEquals(-1, Till.culprit(new LedgerCallException(Kind.REFUSED, "X", "tx", Committed.NO,
        "X: member 99999999999 of 1: "), 1));
  }
}
