package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;

/**
 * Review of the till (docs/client-sdk.md §3.6) against transfers handed to it by payers it does
 * not trust: a transfer whose signed request pays someone else, or whose record names another
 * payer or nonce than its signed request, must not cost the honest transfers of the batch.
 */
class TillReviewTest extends TillFixture {
  @Test
  void aTransferToAnotherPayeeFirstDoesNotCostTheHonestOnes() throws Exception {
    AccountClient p0 = patients.get(0);
    AccountClient p1 = patients.get(1);
    AccountClient mallory = patients.get(2);
    long h0 = hospital.balance();
    long b0 = p0.balance();
    long b1 = p1.balance();
    long bm = mallory.balance();
    // Mallory's signed request pays the insurer; the record she hands the hospital's till says the hospital.
    SignedTransfer signed = mallory.prepareTransfers(insurer.accountId(), 10).get(0);
    SignedTransfer lying = new SignedTransfer(signed.payer(), hospital.accountId(), signed.nonce(), signed.request());
    List<SignedTransfer> batch = new ArrayList<>();
    batch.add(lying);
    batch.addAll(p0.prepareTransfers(hospital.accountId(), 20));
    batch.addAll(p1.prepareTransfers(hospital.accountId(), 30));
    List<BatchOutcome> out = new Till(hospitalGateway).submit(batch);
    assertEquals(PaymentStatus.Outcome.NO, out.get(0).committed(), out.get(0).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(1).committed(), out.get(1).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(2).committed(), out.get(2).detail());
    assertEquals(h0 + 50, hospital.balance());
    assertEquals(b0 - 20, p0.balance());
    assertEquals(b1 - 30, p1.balance());
    assertEquals(bm, mallory.balance(), "the hospital's till did not pay the insurer for her");
  }

  @Test
  void aRecordNamingAnotherPayerDoesNotDropThatPayersTransfers() throws Exception {
    AccountClient p0 = patients.get(0);
    AccountClient mallory = patients.get(2);
    long h0 = hospital.balance();
    long b0 = p0.balance();
    // A stale transfer of Mallory's (she pays on her own after signing it), in a record naming p0
    // as its payer with a nonce below p0's: when the chaincode refuses it, p0's transfers must stay.
    SignedTransfer stale = mallory.prepareTransfers(hospital.accountId(), 5).get(0);
    mallory.pay(hospital.accountId(), 1);
    List<SignedTransfer> mine = p0.prepareTransfers(hospital.accountId(), 7, 8);
    SignedTransfer lying = new SignedTransfer(p0.accountId(), hospital.accountId(), mine.get(0).nonce() - 1, stale.request());
    List<SignedTransfer> batch = new ArrayList<>();
    batch.add(lying);
    batch.addAll(mine);
    List<BatchOutcome> out = new Till(hospitalGateway).submit(batch);
    assertEquals(PaymentStatus.Outcome.NO, out.get(0).committed(), out.get(0).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(1).committed(), out.get(1).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(2).committed(), out.get(2).detail());
    assertEquals(h0 + 1 + 15, hospital.balance());
    assertEquals(b0 - 15, p0.balance());
  }

  @Test
  void recordsForDifferentPayeesAreACallersError() throws Exception {
    List<SignedTransfer> batch = new ArrayList<>();
    batch.addAll(patients.get(0).prepareTransfers(hospital.accountId(), 1));
    batch.addAll(patients.get(1).prepareTransfers(insurer.accountId(), 1));
    long before = ledger.height();
    assertThrows(IllegalArgumentException.class, () -> new Till(hospitalGateway).submit(batch));
    assertEquals(before, ledger.height(), "nothing was sent");
    assertTrue(before > 0);
  }

  /**
   * Whoever relays a payer's signed transfer (its
   * gateway, a till) can commit it inside a batch of its own first; the payer's own attempt is
   * then refused BAD_NONCE, the SDK reads "the nonce moved" as "my request did not commit" and
   * rebuilt the payment with the next nonce (before the fix: paid four times, MAX_ATTEMPTS). Now
   * the SDK looks up the transfer that used the nonce (money:transferByNonce) and recognises its
   * own bundle by the record's proofDigest.
   */
  @Test
  void aRelayerThatBatchesThePayersRequestFirstDoesNotMakeItPayTwice() throws Exception {
    AccountSecrets secrets = AccountSecrets.generate(Role.PATIENT, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048), rnd);
    AccountClient honest = new AccountClient(secrets, hospitalGateway, rnd);
    honest.register();
    insurer.pay(honest.accountId(), 1_000);
    Identity relayer = ledger.identity("HospitalOrgMSP", "relaying-gateway");
    LedgerConnection relaying = intercepting(hospitalGateway, (function, args) -> {
      if (function.equals("money:transfer")) {
        JsonArray a = new JsonArray();
        a.add(CanonicalJson.parseObject(args[0]));
        JsonObject b = new JsonObject();
        b.add("transfers", a);
        TxResult r = ledger.submit(relayer, clock.instant(), "money:transferBatch", CanonicalJson.toString(b));
        assertTrue(r.isValid(), r.toString());
      }
      return hospitalGateway.submit(function, args);
    });
    AccountClient payer = new AccountClient(secrets, relaying, rnd);
    long h0 = hospital.balance();
    long b0 = payer.balance();
    Transfer paid = payer.pay(hospital.accountId(), 100);
    assertEquals(100L, paid.amount().getAsLong());
    assertTrue(paid.txId().contains("."), "the relayer's batch member: " + paid.txId());
    assertEquals(b0 - 100, payer.balance(), "paid once");
    assertEquals(h0 + 100, hospital.balance());
  }

  @Test
  void aTillReportsATransferCommittedElsewhereAsYes() throws Exception {
    AccountClient p0 = patients.get(1);
    long h0 = hospital.balance();
    long b0 = p0.balance();
    List<SignedTransfer> mine = p0.prepareTransfers(hospital.accountId(), 11);
    // Someone else commits the very same signed transfer first.
    TxResult r = ledger.submit(ledger.identity("HospitalOrgMSP", "other-till"), clock.instant(), "money:transfer",
        mine.get(0).request());
    assertTrue(r.isValid(), r.toString());
    List<BatchOutcome> out = new Till(hospitalGateway).submit(mine);
    assertEquals(PaymentStatus.Outcome.YES, out.get(0).committed(), out.get(0).detail());
    assertEquals(r.txId(), out.get(0).recordId());
    assertEquals(b0 - 11, p0.balance());
    assertEquals(h0 + 11, hospital.balance());
  }

  /**
   * Review of issue 17: the same signed transfer twice in one batch is one payment. The copy is not
   * sent; it is reported BATCH_DUPLICATE naming the transfer it repeats, with that transfer's
   * outcome (before: NO, as if the payment had failed, and the payer's later transfer was dropped
   * with it although it spends from the first copy, which committed).
   */
  @Test
  void theSameTransferTwiceIsOnePaymentReportedAsADuplicate() throws Exception {
    AccountClient p0 = patients.get(0);
    AccountClient p1 = patients.get(1);
    long h0 = hospital.balance();
    long b0 = p0.balance();
    long b1 = p1.balance();
    List<SignedTransfer> chain = p0.prepareTransfers(hospital.accountId(), 25, 26);
    List<SignedTransfer> batch = new ArrayList<>(chain);
    batch.addAll(p1.prepareTransfers(hospital.accountId(), 5));
    batch.add(chain.get(0));
    List<BatchOutcome> out = new Till(hospitalGateway).submit(batch);
    for (int i = 0; i < 3; i++) {
      assertEquals(PaymentStatus.Outcome.YES, out.get(i).committed(), out.get(i).detail());
      assertEquals("", out.get(i).errorCode());
    }
    BatchOutcome dup = out.get(3);
    assertEquals(PaymentStatus.Outcome.YES, dup.committed(), "it was paid, once: " + dup.detail());
    assertEquals("BATCH_DUPLICATE", dup.errorCode());
    assertTrue(dup.detail().contains("transfer 0"), dup.detail());
    assertEquals(out.get(0).recordId(), dup.recordId());
    assertTrue(dup.result().isEmpty(), "one result per payment");
    assertEquals(h0 + 25 + 26 + 5, hospital.balance());
    assertEquals(b0 - 51, p0.balance());
    assertEquals(b1 - 5, p1.balance());
  }

  /**
   * Two different transfers of one payer with the same nonce: the chaincode names the second
   * BATCH_DUPLICATE; the till reports it NO naming the transfer that holds the nonce (its caller's
   * index, not the position in the batch it last sent).
   */
  @Test
  void aSecondTransferWithTheSameNonceIsNamedAsTheFirstsDuplicate() throws Exception {
    AccountClient p1 = patients.get(1);
    AccountClient p2 = patients.get(2);
    long h0 = hospital.balance();
    long b2 = p2.balance();
    SignedTransfer first = p2.prepareTransfers(hospital.accountId(), 3).get(0);
    SignedTransfer second = p2.prepareTransfers(hospital.accountId(), 4).get(0);
    assertEquals(first.nonce(), second.nonce());
    List<SignedTransfer> batch = new ArrayList<>(p1.prepareTransfers(hospital.accountId(), 1));
    batch.add(first);
    batch.add(second);
    List<BatchOutcome> out = new Till(hospitalGateway).submit(batch);
    assertEquals(PaymentStatus.Outcome.YES, out.get(0).committed(), out.get(0).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(1).committed(), out.get(1).detail());
    assertEquals(PaymentStatus.Outcome.NO, out.get(2).committed(), out.get(2).detail());
    assertEquals("BATCH_DUPLICATE", out.get(2).errorCode());
    assertTrue(out.get(2).detail().contains("transfer 1"), out.get(2).detail());
    assertEquals(h0 + 1 + 3, hospital.balance());
    assertEquals(b2 - 3, p2.balance());
  }

  /**
   * Review of issue 17: a batch of unknown outcome is invalidated because the payer's very request
   * was committed elsewhere meanwhile (by the payer, or another relayer). Till.status must say YES
   * with that record, not NO (it said NO: the batch was invalidated).
   */
  @Test
  void statusOfAnInvalidatedBatchWhoseTransferCommittedElsewhereIsYes() throws Exception {
    AccountClient p0 = patients.get(0);
    long h0 = hospital.balance();
    long b0 = p0.balance();
    Identity gw = ledger.identity("HospitalOrgMSP", "holding-till");
    EmbeddedConnection plain = new EmbeddedConnection(ledger, gw, "medledger", clock);
    List<org.medledger.embedded.Endorsement> held = new ArrayList<>();
    LedgerConnection holding = intercepting(plain, (function, args) -> {
      org.medledger.embedded.Endorsement e = ledger.endorse(gw, clock.instant(), function, args);
      held.add(e);
      throw new LedgerCallException(LedgerCallException.Kind.TIMEOUT, "DEADLINE_EXCEEDED", e.txId(),
          LedgerCallException.Committed.UNKNOWN, "commit status timed out");
    });
    Till till = new Till(holding);
    List<SignedTransfer> mine = p0.prepareTransfers(hospital.accountId(), 9);
    BatchOutcome unknown = till.submit(mine).get(0);
    assertEquals(PaymentStatus.Outcome.UNKNOWN, unknown.committed(), unknown.detail());
    TxResult copy = ledger.submit(ledger.identity("HospitalOrgMSP", "other-till"), clock.instant(), "money:transfer",
        mine.get(0).request());
    assertTrue(copy.isValid(), copy.toString());
    TxResult batch = ledger.commitBlock(List.of(held.get(0))).get(0);
    assertTrue(!batch.isValid(), batch.toString());
    blocks.put(batch.txId(), batch.status().name());
    BatchOutcome later = till.status(unknown);
    assertEquals(PaymentStatus.Outcome.YES, later.committed(), later.detail());
    assertEquals(copy.txId(), later.recordId());
    assertEquals(b0 - 9, p0.balance());
    assertEquals(h0 + 9, hospital.balance());
  }
}
