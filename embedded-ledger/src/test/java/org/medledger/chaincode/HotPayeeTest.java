package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;

/**
 * Many payments to one hospital, endorsed against the same state, all commit: each credit is its
 * own key and the hospital's account record is never written (docs/chaincode.md §5).
 */
class HotPayeeTest {
  static final int PAYERS = 6;

  @Test
  void concurrentPaymentsToOneHospitalAllCommit() {
    Channel ch = new Channel().configured().withInstitutions();
    ch.issue(1_000_000, ch.insurer);
    List<Actor> patients = new ArrayList<>();
    for (int i = 0; i < PAYERS; i++) {
      Actor p = ch.patient("patient-" + i);
      assertTrue(ch.pay(ch.insurer, p, 1_000).isValid());
      patients.add(p);
    }
    // The hospital spends in between, as a busy payee does: its own nonce and balance move.
    assertTrue(ch.pay(ch.insurer, ch.hospital, 50).isValid());
    List<Endorsement> endorsed = new ArrayList<>();
    for (int i = 0; i < PAYERS; i++) {
      endorsed.add(ch.endorseTransfer(patients.get(i), ch.hospital, 100 + i));
    }
    endorsed.add(ch.endorseTransfer(ch.hospital, ch.insurer, 20));
    List<TxResult> results = ch.ledger.commitBlock(endorsed);
    for (TxResult r : results) {
      assertEquals(TxStatus.VALID, r.status(), r.toString());
    }
    long expected = 50 - 20;
    for (int i = 0; i < PAYERS; i++) {
      expected += 100 + i;
      assertEquals(1_000 - 100 - i, ch.holdings(patients.get(i)));
    }
    assertEquals(expected, ch.holdings(ch.hospital));
  }

  @Test
  void twoSpendsOfOneBalanceEndorsedTogetherNeverBothCommit() {
    Channel ch = new Channel().configured().withInstitutions();
    ch.issue(10_000, ch.insurer);
    Actor alice = ch.patient("alice");
    assertTrue(ch.pay(ch.insurer, alice, 1_000).isValid());
    Endorsement first = ch.endorseTransfer(alice, ch.hospital, 900);
    Endorsement second = ch.endorseTransfer(alice, ch.hospital, 900);
    List<TxResult> results = ch.ledger.commitBlock(List.of(first, second));
    assertEquals(TxStatus.VALID, results.get(0).status());
    assertEquals(TxStatus.MVCC_READ_CONFLICT, results.get(1).status());
    alice.nonce++;
    assertEquals(100, ch.holdings(alice));
    assertEquals(900, ch.holdings(ch.hospital));
  }
}
