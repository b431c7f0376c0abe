package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.LedgerEvent;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierCiphertext;

/** The money story of paper §3.2–3.3 on the embedded ledger: issue, fund, pay, settle, audit. */
class MoneyFlowTest {
  @Test
  void issueFundPaySettleAndAuditAddUp() {
    Channel ch = new Channel().configured().withInstitutions();
    Actor alice = ch.patient("alice");
    Actor bob = ch.patient("bob");

    assertTrue(ch.issue(1_000_000, ch.insurer).isValid());
    assertEquals(1_000_000, ch.holdings(ch.insurer));
    assertTrue(ch.pay(ch.insurer, alice, 5_000).isValid(), "insurer funds alice");
    assertTrue(ch.pay(ch.insurer, bob, 2_000).isValid(), "insurer funds bob");
    assertTrue(ch.pay(alice, ch.hospital, 1_200).isValid(), "alice pays the hospital");
    assertTrue(ch.pay(bob, ch.hospital, 700).isValid(), "bob pays the hospital");
    assertTrue(ch.pay(ch.insurer, ch.hospital, 300).isValid(), "insurer settles with the hospital");

    assertEquals(1_000_000 - 5_000 - 2_000 - 300, ch.holdings(ch.insurer));
    assertEquals(3_800, ch.holdings(alice));
    assertEquals(1_300, ch.holdings(bob));
    assertEquals(2_200, ch.holdings(ch.hospital));
    assertEquals(3, ch.credits(ch.hospital).size(), "each payment is its own pending credit");

    // The hospital folds its credits without a proof; its holdings do not change.
    List<String> ids = new ArrayList<>();
    ch.credits(ch.hospital).forEach(c -> ids.add(c.id()));
    TxResult fold = ch.submit(ch.hospitalOrg, "money:fold", ch.hospital.sign(ch.hospital.foldBody(ids)));
    assertTrue(fold.isValid(), fold.toString());
    ch.hospital.nonce++;
    assertEquals(0, ch.credits(ch.hospital).size());
    assertEquals(2_200, ch.hospital.paillier.decryptAmount(ch.storedBalance(ch.hospital)));

    // The regulator decrypts every amount; the sums match the plaintext story.
    long transferred = 0;
    long issued = 0;
    int transfers = 0;
    JsonObject page = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "money:audit", "100", ""));
    for (JsonElement e : page.getAsJsonArray("items")) {
      JsonObject r = e.getAsJsonObject();
      if (r.get("kind").getAsString().equals("ISSUE")) {
        issued += r.get("amount").getAsLong();
      } else {
        PaillierCiphertext c = Channel.ct(ch.regulator.paillier.publicKey(), r.get("amountRegulator").getAsString());
        transferred += ch.regulator.paillier.decryptAmount(c);
        transfers++;
      }
    }
    assertEquals(1_000_000, issued);
    assertEquals(5, transfers);
    assertEquals(5_000 + 2_000 + 1_200 + 700 + 300, transferred);

    // Alice's history: funded once, paid once; her copies decrypt to what she sent and received.
    JsonObject hist = CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "money:history", alice.id, "10", ""));
    assertEquals(2, hist.getAsJsonArray("items").size());
    JsonObject paid = hist.getAsJsonArray("items").get(1).getAsJsonObject();
    assertEquals(alice.id, paid.get("from").getAsString());
    assertEquals(1_200, alice.paillier.decryptAmount(Channel.ct(alice.paillier.publicKey(), paid.get("amountPayer").getAsString())));
    assertTrue(!paid.toString().contains("\"amount\":"), "no plaintext amount in a transfer record");
  }

  @Test
  void eventsFollowCommittedTransactionsOnly() {
    Channel ch = new Channel().configured().withInstitutions();
    Actor alice = ch.patient("alice");
    ch.issue(10_000, ch.insurer);
    ch.pay(ch.insurer, alice, 100);
    TxResult refused = ch.issue(0, ch.insurer);
    assertEquals(org.medledger.embedded.TxStatus.ENDORSEMENT_FAILURE, refused.status());
    List<String> names = new ArrayList<>();
    for (LedgerEvent e : ch.ledger.events(0)) {
      names.add(e.name());
      String payload = new String(e.payload(), StandardCharsets.UTF_8);
      assertTrue(!payload.contains("amount"), "events carry no amounts: " + payload);
    }
    // The regulator registers, publishes the ring-Pedersen parameters, then the others register.
    assertEquals(List.of("medledger.Configured", "medledger.Registered", "medledger.RecordsSetUp", "medledger.Registered",
        "medledger.Registered", "medledger.Registered", "medledger.Issued", "medledger.Transferred"), names);
  }

  @Test
  void paginationWalksTheWholeHistory() {
    Channel ch = new Channel().configured().withInstitutions();
    Actor alice = ch.patient("alice");
    ch.issue(100_000, ch.insurer);
    for (int i = 0; i < 5; i++) {
      assertTrue(ch.pay(ch.insurer, alice, 10 + i).isValid());
    }
    List<String> seen = new ArrayList<>();
    String bookmark = "";
    do {
      JsonObject page = CanonicalJson.parseObject(ch.evaluate(ch.insurerOrg, "money:history", alice.id, "2", bookmark));
      page.getAsJsonArray("items").forEach(x -> seen.add(x.getAsJsonObject().get("txId").getAsString()));
      bookmark = page.get("bookmark").getAsString();
      assertTrue(page.getAsJsonArray("items").size() <= 2);
    } while (!bookmark.isEmpty() && seen.size() < 10);
    assertEquals(5, seen.size());
    assertEquals(5, seen.stream().distinct().count());
  }
}
