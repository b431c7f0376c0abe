package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.chaincode.BatchRequests.batch;
import static org.medledger.chaincode.Channel.assertRefused;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medledger.embedded.StateProbe;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Limits;

/**
 * {@code money:transferBatch} (docs/chaincode.md §5, Batches): one payer's chain of 16 and four
 * payers' chains of 4 commit; a forged member among 16 refuses the batch with its index and
 * writes nothing, and the other 15 then commit; the same transfer twice, the same nonce twice,
 * mixed payees, empty, over-size and over-long batches, a nonce gap, a credit folded twice and a
 * replay of a committed single transfer are refused with their codes and the culprit's index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchTransferTest {
  private Channel ch;
  private final List<Actor> patients = new ArrayList<>();

  @BeforeAll
  void setUp() {
    ch = new Channel().configured().withInstitutions();
    ch.issue(10_000_000, ch.insurer);
    for (int i = 0; i < 4; i++) {
      Actor p = ch.patient("batch-patient-" + i);
      assertTrue(ch.pay(ch.insurer, p, 100_000).isValid());
      patients.add(p);
    }
  }

  private List<String> chain(Actor from, Actor to, long nonce, long... amounts) {
    return BatchRequests.chain(ch, from, to, nonce, amounts);
  }

  private TxResult submit(Actor via, String batchJson) {
    return ch.submit(ch.gateway(via), "money:transferBatch", batchJson);
  }

  private long nonce(Actor a) {
    return CanonicalJson.parseObject(ch.evaluate(ch.gateway(a), "accounts:getNonce", a.id)).get("next").getAsLong();
  }

  private void assertRefusedAt(TxResult r, ErrorCode code, int index, int count) {
    assertRefused(r, code);
    assertTrue(r.message().startsWith(code.name() + ": member " + index + " of " + count + ": "), r.message());
  }

  /** A signed copy of {@code request} whose bundle has one bit flipped in its last response (zκ_N). */
  private static String forged(Actor payer, String request) {
    JsonObject body = CanonicalJson.parseObject(request).getAsJsonObject("body");
    byte[] bundle = Base64.getDecoder().decode(body.get("bundle").getAsString());
    bundle[bundle.length - 1] ^= 1;
    body.addProperty("bundle", Base64.getEncoder().encodeToString(bundle));
    return payer.sign(body);
  }

  @Test
  void onePayersChainOfSixteenCommitsWithOneRecordAndCreditPerTransfer() {
    long before = ch.holdings(ch.insurer);
    long hospitalBefore = ch.holdings(ch.hospital);
    long[] amounts = new long[16];
    long total = 0;
    for (int i = 0; i < 16; i++) {
      amounts[i] = 100 + i;
      total += amounts[i];
    }
    long n0 = ch.insurer.nonce;
    TxResult r = submit(ch.insurer, batch(chain(ch.insurer, ch.hospital, n0, amounts)));
    assertTrue(r.isValid(), r.toString());
    ch.insurer.nonce += 16;
    assertEquals(n0 + 16, nonce(ch.insurer));
    assertEquals(before - total, ch.holdings(ch.insurer));
    assertEquals(hospitalBefore + total, ch.holdings(ch.hospital));
    JsonObject out = CanonicalJson.parseObject(r.payloadText());
    JsonArray records = out.getAsJsonArray("records");
    assertEquals(16, records.size());
    for (int i = 0; i < 16; i++) {
      String id = records.get(i).getAsJsonObject().get("txId").getAsString();
      assertEquals(BatchTransfers.memberId(r.txId(), i), id);
      JsonObject rec = CanonicalJson.parseObject(ch.evaluate(ch.gateway(ch.insurer), "money:getTransaction", id));
      assertEquals("TRANSFER", rec.get("kind").getAsString());
      assertEquals(ch.insurer.id, rec.get("from").getAsString());
      assertEquals(i, rec.get("batchIndex").getAsInt());
      long paid = ch.hospital.paillier.decryptAmount(Channel.ct(ch.hospital.paillier.publicKey(), rec.get("amountPayee").getAsString()));
      assertEquals(amounts[i], paid);
    }
  }

  @Test
  void forgedMemberAmongSixteenRefusesTheBatchWithItsIndexAndWritesNothing() {
    // Four payers, four chained transfers each: member 11 is the last of payer 2's chain.
    List<String> members = new ArrayList<>();
    for (Actor p : patients) {
      members.addAll(chain(p, ch.hospital, p.nonce, 10, 20, 30, 40));
    }
    Actor culprit = patients.get(2);
    members.set(11, forged(culprit, members.get(11)));
    Map<String, String> state = StateProbe.snapshot(ch.ledger);
    TxResult r = submit(ch.hospital, batch(members));
    assertRefusedAt(r, ErrorCode.TRANSFER_PROOF_INVALID, 11, 16);
    assertEquals(Map.of(), diff(state));
    // The till drops the culprit and sends the other fifteen, which commit.
    members.remove(11);
    long hospitalBefore = ch.holdings(ch.hospital);
    TxResult again = submit(ch.hospital, batch(members));
    assertTrue(again.isValid(), again.toString());
    for (int i = 0; i < 4; i++) {
      Actor p = patients.get(i);
      p.nonce += i == 2 ? 3 : 4;
      assertEquals(p.nonce, nonce(p));
    }
    assertEquals(hospitalBefore + 3 * 100 + 60, ch.holdings(ch.hospital));
  }

  private Map<String, String> diff(Map<String, String> before) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String k : StateProbe.changed(before, StateProbe.snapshot(ch.ledger))) {
      out.put(k, "changed");
    }
    return out;
  }

  @Test
  void theSameTransferTwiceIsRefused() {
    Actor a = patients.get(0);
    Actor b = patients.get(1);
    String ta = chain(a, ch.hospital, a.nonce, 5).get(0);
    String tb = chain(b, ch.hospital, b.nonce, 6).get(0);
    assertRefusedAt(submit(ch.hospital, batch(List.of(ta, tb, ta))), ErrorCode.BATCH_DUPLICATE, 2, 3);
    // Another transfer of a's with the same nonce: also a duplicate, not a second spend.
    String ta2 = chain(a, ch.hospital, a.nonce, 7).get(0);
    assertRefusedAt(submit(ch.hospital, batch(List.of(ta, tb, ta2))), ErrorCode.BATCH_DUPLICATE, 2, 3);
  }

  @Test
  void aBatchMixingPayeesIsRefused() {
    Actor a = patients.get(0);
    Actor b = patients.get(1);
    String toHospital = chain(a, ch.hospital, a.nonce, 5).get(0);
    String toInsurer = chain(b, ch.insurer, b.nonce, 6).get(0);
    assertRefusedAt(submit(ch.hospital, batch(List.of(toHospital, toInsurer))), ErrorCode.BATCH_MIXED_PAYEES, 1, 2);
  }

  @Test
  void emptyOversizeAndOverlongBatchesAreRefused() {
    assertRefused(submit(ch.hospital, "{\"transfers\":[]}"), ErrorCode.BATCH_SIZE);
    Actor a = patients.get(3);
    String t = chain(a, ch.hospital, a.nonce, 5).get(0);
    List<String> seventeen = new ArrayList<>();
    for (int i = 0; i <= Limits.MAX_BATCH_TRANSFERS; i++) {
      seventeen.add(t);
    }
    assertRefused(submit(ch.hospital, batch(seventeen)), ErrorCode.BATCH_SIZE);
    assertRefused(submit(ch.hospital, "{\"transfers\":[]} "), ErrorCode.MALFORMED_REQUEST);
    assertRefused(submit(ch.hospital, "{ \"transfers\":[]}"), ErrorCode.MALFORMED_REQUEST);
    assertRefused(submit(ch.hospital, batch(List.of(t)).replace("{\"transfers\"", "{\"other\":1,\"transfers\"")),
        ErrorCode.MALFORMED_REQUEST);
    JsonArray strings = new JsonArray();
    strings.add(t);
    JsonObject asString = new JsonObject();
    asString.add("transfers", strings);
    TxResult r = submit(ch.hospital, CanonicalJson.toString(asString));
    assertRefusedAt(r, ErrorCode.MALFORMED_REQUEST, 0, 1);
    assertRefused(submit(ch.hospital, "x".repeat(Limits.MAX_BATCH_BYTES + 1)), ErrorCode.PAYLOAD_TOO_LARGE);
    // Numbers inside a member in any form but the canonical one.
    String one = batch(List.of(t));
    String canonical = "\"nonce\":" + a.nonce;
    assertTrue(one.contains(canonical), one);
    for (String variant : new String[] {a.nonce + ".0", a.nonce + "e0", "0" + a.nonce, " " + a.nonce}) {
      assertRefused(submit(ch.hospital, one.replace(canonical, "\"nonce\":" + variant)), ErrorCode.MALFORMED_REQUEST);
    }
  }

  @Test
  void aNonceGapACreditFoldedTwiceAndAReplayedSingleTransferAreNamed() {
    Actor a = patients.get(3);
    List<String> c = chain(a, ch.hospital, a.nonce, 1, 2, 3);
    assertRefusedAt(submit(ch.hospital, batch(List.of(c.get(0), c.get(2)))), ErrorCode.BAD_NONCE, 1, 2);
    // Member 1 folds the credit member 0 already folded.
    Actor b = patients.get(1);
    assertTrue(ch.pay(ch.insurer, b, 1_000).isValid());
    List<String> first = chain(b, ch.hospital, b.nonce, 1);
    List<String> second = chain(b, ch.hospital, b.nonce + 1, 1); // folds the same pending credit
    assertRefusedAt(submit(ch.hospital, batch(List.of(first.get(0), second.get(0)))), ErrorCode.UNKNOWN_CREDIT, 1, 2);
    // A transfer committed on its own cannot be replayed inside a batch.
    String single = ch.transferRequest(a, ch.hospital, 9);
    TxResult r = ch.submit(ch.gateway(a), "money:transfer", single);
    assertTrue(r.isValid(), r.toString());
    a.nonce++;
    assertRefusedAt(submit(ch.hospital, batch(List.of(single))), ErrorCode.BAD_NONCE, 0, 1);
  }

  @Test
  void aPayerWhoIsThePayeeIsRefused() {
    Actor a = patients.get(0);
    String toInsurer = chain(a, ch.insurer, a.nonce, 1).get(0);
    // The insurer signs a copy of that request as its own: a payment to itself.
    JsonObject body = CanonicalJson.parseObject(toInsurer).getAsJsonObject("body");
    body.addProperty("account", ch.insurer.id);
    body.addProperty("nonce", ch.insurer.nonce);
    String insurerSelf = ch.insurer.sign(body);
    assertRefusedAt(submit(ch.hospital, batch(List.of(toInsurer, insurerSelf))), ErrorCode.SELF_TRANSFER, 1, 2);
  }

  @Test
  void otherSignedRequestsInABatchAndABatchAsATransferAreRefused() {
    String issue = ch.regulator.sign(ch.regulator.issueBody(ch.insurer, 5));
    String fold = ch.insurer.sign(ch.insurer.foldBody(List.of()));
    assertRefusedAt(submit(ch.hospital, batch(List.of(issue))), ErrorCode.MALFORMED_REQUEST, 0, 1);
    assertRefusedAt(submit(ch.hospital, batch(List.of(fold))), ErrorCode.MALFORMED_REQUEST, 0, 1);
    Actor a = patients.get(0);
    String batch = batch(chain(a, ch.hospital, a.nonce, 5));
    assertRefused(ch.submit(ch.gateway(a), "money:transfer", batch), ErrorCode.MALFORMED_REQUEST);
    // A member signed for another chaincode.
    JsonObject body = CanonicalJson.parseObject(chain(a, ch.hospital, a.nonce, 5).get(0)).getAsJsonObject("body");
    assertRefusedAt(submit(ch.hospital, batch(List.of(a.sign(body, Actor.CHANNEL, "medledger2")))), ErrorCode.BAD_SIGNATURE, 0, 1);
  }
}
