package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.LedgerEvent;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.protocol.ErrorCode;

/**
 * The honest paths of a payment channel on the embedded ledger (docs/payment-channels.md §4):
 * open with confidential deposits, cooperative close, and unilateral closes settled after the
 * window. Every amount is checked by decrypting what each party and the regulator end up with.
 */
class ChannelFlowTest {
  private Channel ch;

  @BeforeEach
  void setUp() {
    ch = new Channel().configured().withInstitutions();
    assertTrue(ch.issue(100_000, ch.insurer).isValid());
    assertTrue(ch.pay(ch.insurer, ch.hospital, 5_000).isValid());
  }

  /** Insurer (A) and hospital (B), window 100 s, depth 4. */
  private PayChannel channel(long depositA, long depositB) {
    return new PayChannel(ch, ch.insurer, ch.hospital, 100, 4, depositA, depositB).opened();
  }

  @Test
  void openLocksBothDepositsConfidentially() {
    PayChannel pc = channel(10_000, 2_000);
    assertEquals(100_000 - 5_000 - 10_000, ch.holdings(ch.insurer));
    assertEquals(5_000 - 2_000, ch.holdings(ch.hospital));
    JsonObject rec = CanonicalJson.parseObject(ch.evaluate(ch.insurerOrg, "channels:getChannel", pc.id));
    JsonObject depA = rec.getAsJsonObject("deposits").getAsJsonObject("A");
    JsonObject depB = rec.getAsJsonObject("deposits").getAsJsonObject("B");
    // Each deposit is held three times: under its owner's key, the other party's, the regulator's.
    assertEquals(10_000, dec(ch.insurer, depA.get("own")));
    assertEquals(10_000, dec(ch.hospital, depA.get("other")));
    assertEquals(10_000, dec(ch.regulator, depA.get("regulator")));
    assertEquals(2_000, dec(ch.hospital, depB.get("own")));
    assertEquals(2_000, dec(ch.insurer, depB.get("other")));
    assertEquals(2_000, dec(ch.regulator, depB.get("regulator")));
    JsonObject c = rec.getAsJsonObject("channel");
    assertEquals("OPEN", c.get("status").getAsString());
    assertEquals(ch.insurer.id, c.get("partyA").getAsString());
    assertEquals(100, c.get("window").getAsLong());
    assertNoNumber(rec, 10_000);
    assertNoNumber(rec, 2_000);
    // The open record shows the regulator the total locked.
    JsonObject audit = CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "money:audit", "100", ""));
    JsonObject open = last(audit, "CHANNEL_OPEN");
    assertEquals(12_000, dec(ch.regulator, open.get("amountRegulator")));
    assertEquals(List.of(pc.id), ids(CanonicalJson.parseObject(
        ch.evaluate(ch.hospitalOrg, "channels:channelsOf", ch.hospital.id, "10", ""))));
  }

  @Test
  void cooperativeCloseMovesTheNetAmountWithoutPlaintext() {
    PayChannel pc = channel(10_000, 0);
    PayChannel.State last = pc.state(57, 10_000 - 3_250);
    TxResult r = pc.coopClose(ch.hospital, last);
    assertTrue(r.isValid(), r.toString());
    assertEquals("CLOSED", pc.status());
    assertEquals(100_000 - 5_000 - 3_250, ch.holdings(ch.insurer));
    assertEquals(5_000 + 3_250, ch.holdings(ch.hospital));
    JsonObject settle = last(CanonicalJson.parseObject(ch.evaluate(ch.regulatorOrg, "money:audit", "100", "")), "CHANNEL_SETTLE");
    assertEquals(3_250, dec(ch.regulator, settle.get("amountRegulator")));
    assertEquals(3_250, dec(ch.hospital, settle.get("amountPayee")));
    assertFalse(settle.has("amount"), "no plaintext amount on chain");
    assertNoNumber(settle, 3_250);
    assertNoNumber(pc.record(), 3_250);
  }

  @Test
  void cooperativeCloseWhereBPaysAndWhereNobodyPays() {
    PayChannel pc = channel(1_000, 3_000);
    assertTrue(pc.coopClose(ch.insurer, pc.state(9, 1_000 + 1_700)).isValid(), "B is the net payer");
    assertEquals(100_000 - 5_000 + 1_700, ch.holdings(ch.insurer));
    assertEquals(5_000 - 1_700, ch.holdings(ch.hospital));

    PayChannel even = channel(400, 600);
    TxResult r = even.coopClose(ch.insurer, even.state(12, 400));
    assertTrue(r.isValid(), r.toString());
    assertEquals(100_000 - 5_000 + 1_700, ch.holdings(ch.insurer));
    assertEquals(5_000 - 1_700, ch.holdings(ch.hospital));
    assertEquals("CHANNEL_REFUND", last(CanonicalJson.parseObject(
        ch.evaluate(ch.regulatorOrg, "money:audit", "100", "")), "CHANNEL_REFUND").get("kind").getAsString());
  }

  @Test
  void unilateralCloseByTheNetPayerSettlesAfterTheWindow() {
    PayChannel pc = channel(10_000, 1_000);
    PayChannel.State s = pc.state(30, 10_000 - 800);
    TxResult close = pc.close(ch.insurer, s);
    assertTrue(close.isValid(), close.toString());
    assertEquals("CLOSING", pc.status());
    Channel.assertRefused(pc.settle(), ErrorCode.WINDOW_OPEN);
    ch.advance(100);
    TxResult settled = pc.settle();
    assertTrue(settled.isValid(), settled.toString());
    assertEquals("CLOSED", pc.status());
    assertEquals(100_000 - 5_000 - 800, ch.holdings(ch.insurer));
    assertEquals(5_000 + 800, ch.holdings(ch.hospital));
  }

  @Test
  void unilateralCloseByTheNetPayeeIsAnsweredAndSettled() {
    PayChannel pc = channel(10_000, 1_000);
    PayChannel.State s = pc.state(30, 10_000 - 800);
    assertTrue(pc.close(ch.hospital, s).isValid());
    ch.advance(60);
    TxResult answer = pc.answer(ch.insurer, s);
    assertTrue(answer.isValid(), answer.toString());
    // The answer moves the deadline to a full window after it, so the hospital can check it.
    ch.advance(60);
    Channel.assertRefused(pc.settle(), ErrorCode.WINDOW_OPEN);
    ch.advance(40);
    assertTrue(pc.settle().isValid());
    assertEquals(100_000 - 5_000 - 800, ch.holdings(ch.insurer));
    assertEquals(5_000 + 800, ch.holdings(ch.hospital));
  }

  @Test
  void aNetPayerThatNeverAnswersForfeitsItsDeposit() {
    PayChannel pc = channel(10_000, 1_000);
    assertTrue(pc.close(ch.hospital, pc.state(30, 10_000 - 800)).isValid());
    ch.advance(100);
    TxResult r = pc.settle();
    assertTrue(r.isValid(), r.toString());
    assertEquals(100_000 - 5_000 - 10_000, ch.holdings(ch.insurer));
    assertEquals(5_000 + 10_000, ch.holdings(ch.hospital));
    assertEquals("CHANNEL_FORFEIT", pc.record().getAsJsonObject("settlement").get("kind").getAsString());
  }

  @Test
  void closingOnTheOpeningStateRefundsBoth() {
    PayChannel pc = channel(10_000, 1_000);
    assertTrue(pc.close(ch.hospital, pc.state(0, 10_000)).isValid());
    ch.advance(100);
    assertTrue(pc.settle().isValid());
    assertEquals(100_000 - 5_000, ch.holdings(ch.insurer));
    assertEquals(5_000, ch.holdings(ch.hospital));
  }

  @Test
  void eventsNameTheChannelAndNeverAnAmount() {
    PayChannel pc = channel(10_000, 1_000);
    PayChannel.State s = pc.state(3, 9_000);
    assertTrue(pc.close(ch.hospital, s).isValid());
    assertTrue(pc.answer(ch.insurer, s).isValid());
    ch.advance(200);
    assertTrue(pc.settle().isValid());
    List<String> names = new ArrayList<>();
    for (LedgerEvent e : ch.ledger.events(0)) {
      String payload = new String(e.payload(), StandardCharsets.UTF_8);
      if (e.name().startsWith("medledger.Channel")) {
        names.add(e.name());
        JsonObject ev = CanonicalJson.parseObject(payload);
        assertEquals(pc.id, ev.get("channel").getAsString());
        assertTrue(java.util.Set.of("txId", "channel", "partyA", "partyB", "status", "seq", "payer", "submittedBy",
            "deadline", "answered", "outcome").containsAll(ev.keySet()), payload);
      }
    }
    assertEquals(List.of("medledger.ChannelOpened", "medledger.ChannelClosing", "medledger.ChannelAnswered",
        "medledger.ChannelSettled"), names);
  }

  /** No number and no string anywhere in {@code e} equals {@code amount}: it is not on chain in plaintext. */
  private static void assertNoNumber(JsonElement e, long amount) {
    if (e.isJsonObject()) {
      e.getAsJsonObject().entrySet().forEach(x -> assertNoNumber(x.getValue(), amount));
    } else if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> assertNoNumber(x, amount));
    } else if (e.isJsonPrimitive()) {
      assertFalse(e.getAsJsonPrimitive().isNumber() && e.getAsLong() == amount, "plaintext " + amount + " on chain");
      assertFalse(e.getAsJsonPrimitive().isString() && e.getAsString().equals(Long.toString(amount)),
          "plaintext " + amount + " on chain");
    }
  }

  private static long dec(Actor who, JsonElement b64) {
    PaillierCiphertext c = Channel.ct(who.paillier.publicKey(), b64.getAsString());
    return who.paillier.decryptAmount(c);
  }

  private static JsonObject last(JsonObject page, String kind) {
    JsonObject found = null;
    for (JsonElement e : page.getAsJsonArray("items")) {
      if (e.getAsJsonObject().get("kind").getAsString().equals(kind)) {
        found = e.getAsJsonObject();
      }
    }
    assertTrue(found != null, "no " + kind + " record");
    return found;
  }

  private static List<String> ids(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getAsJsonArray("items").forEach(e -> out.add(e.getAsJsonObject().get("channel").getAsString()));
    return out;
  }
}
