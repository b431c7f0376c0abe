package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.chaincode.BatchRequests.batch;
import static org.medledger.chaincode.Channel.assertRefused;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;

/**
 * Review of {@code money:transferBatch} (docs/chaincode.md §5, Batches) as a double spender: the
 * same transfer as a single transaction and as a batch member in one block, a committed member
 * replayed as a single transfer, two members of one payer both proven on the same old balance;
 * and the payee folds and spends the credits a batch wrote under its dotted member ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchTransferReviewTest {
  private static final SecureRandom RND = new SecureRandom();
  private Channel ch;
  private Actor a;
  private Actor b;

  @BeforeAll
  void setUp() {
    ch = new Channel().configured().withInstitutions();
    ch.issue(1_000_000, ch.insurer);
    a = ch.patient("review-a");
    b = ch.patient("review-b");
    assertTrue(ch.pay(ch.insurer, a, 1_000).isValid());
    assertTrue(ch.pay(ch.insurer, b, 1_000).isValid());
  }

  /** One signed transfer of {@code from} with {@code nonce}, proven on {@code old}, folding {@code fold}. */
  private String transfer(Actor from, Actor to, long nonce, PaillierCiphertext old, List<String> fold, long amount) {
    TransferStatement st = new TransferStatement(from.paillier.publicKey(), to.paillier.publicKey(),
        ch.regulator.paillier.publicKey(), old, new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, from.id, to.id, nonce));
    TransferProof bundle = TransferProof.prove(st, from.paillier, amount, RND);
    long saved = from.nonce;
    from.nonce = nonce;
    String out = from.sign(from.transferBody(to, fold, bundle));
    from.nonce = saved;
    return out;
  }

  private long nonce(Actor x) {
    return CanonicalJson.parseObject(ch.evaluate(ch.gateway(x), "accounts:getNonce", x.id)).get("next").getAsLong();
  }

  @Test
  void theSameTransferAsASingleAndAsABatchMemberInOneBlockCommitsOnce() {
    long ha = ch.holdings(a);
    long hh = ch.holdings(ch.hospital);
    String single = ch.transferRequest(a, ch.hospital, 40);
    Endorsement asSingle = ch.ledger.endorse(ch.gateway(a), ch.tick(), "money:transfer", single);
    Endorsement asBatch = ch.ledger.endorse(ch.gateway(ch.hospital), ch.tick(), "money:transferBatch",
        batch(List.of(single)));
    List<TxResult> block = ch.ledger.commitBlock(List.of(asBatch, asSingle));
    assertEquals(TxStatus.VALID, block.get(0).status(), block.get(0).toString());
    assertEquals(TxStatus.MVCC_READ_CONFLICT, block.get(1).status(), block.get(1).toString());
    a.nonce++;
    assertEquals(a.nonce, nonce(a));
    assertEquals(ha - 40, ch.holdings(a));
    assertEquals(hh + 40, ch.holdings(ch.hospital));
    // And the committed member is not accepted again as a single transfer.
    assertRefused(ch.submit(ch.gateway(a), "money:transfer", single), ErrorCode.BAD_NONCE);
    assertEquals(ha - 40, ch.holdings(a));
    // The record of the transfer that used the nonce is the batch member's.
    JsonObject rec = CanonicalJson.parseObject(ch.evaluate(ch.gateway(a), "money:transferByNonce", a.id,
        Long.toString(a.nonce - 1)));
    assertEquals(BatchTransfers.memberId(block.get(0).txId(), 0), rec.get("txId").getAsString());
    for (String bad : new String[] {Long.toString(a.nonce), "-1", "01", "1.0", "x"}) {
      try {
        ch.evaluate(ch.gateway(a), "money:transferByNonce", a.id, bad);
        throw new AssertionError("nonce " + bad + " was answered");
      } catch (RuntimeException e) {
        assertTrue(String.valueOf(e.getMessage()).contains("MALFORMED_REQUEST"), e.toString());
      }
    }
  }

  @Test
  void twoMembersOfOnePayerProvenOnTheSameOldBalanceAreRefused() {
    long hb = ch.holdings(b);
    long hh = ch.holdings(ch.hospital);
    PaillierPublicKey pk = b.paillier.publicKey();
    PaillierCiphertext old = ch.storedBalance(b);
    List<String> fold = new ArrayList<>();
    for (Channel.Credit c : ch.credits(b)) {
      fold.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    long have = b.paillier.decryptAmount(old);
    long each = have * 3 / 4; // each alone is covered, both together are not
    String first = transfer(b, ch.hospital, b.nonce, old, fold, each);
    String second = transfer(b, ch.hospital, b.nonce + 1, old, List.of(), each);
    TxResult r = ch.submit(ch.gateway(ch.hospital), "money:transferBatch", batch(List.of(first, second)));
    assertRefused(r, ErrorCode.TRANSFER_PROOF_INVALID);
    assertTrue(r.message().startsWith("TRANSFER_PROOF_INVALID: member 1 of 2: "), r.message());
    assertEquals(b.nonce, nonce(b));
    assertEquals(hb, ch.holdings(b));
    assertEquals(hh, ch.holdings(ch.hospital));
  }

  @Test
  void thePayeeFoldsAndSpendsCreditsWrittenUnderMemberIds() {
    Actor payee = ch.patient("review-payee");
    String one = transfer(a, payee, a.nonce, chainStart(a), ids(a), 3);
    TxResult r = ch.submit(ch.gateway(ch.hospital), "money:transferBatch", batch(List.of(one)));
    assertTrue(r.isValid(), r.toString());
    a.nonce++;
    List<Channel.Credit> credits = ch.credits(payee);
    assertEquals(1, credits.size());
    assertEquals(BatchTransfers.memberId(r.txId(), 0), credits.get(0).id());
    TxResult folded = ch.submit(ch.gateway(payee), "money:fold", payee.sign(payee.foldBody(List.of(credits.get(0).id()))));
    assertTrue(folded.isValid(), folded.toString());
    payee.nonce++;
    assertEquals(3, payee.paillier.decryptAmount(ch.storedBalance(payee)));
    assertTrue(ch.pay(payee, ch.hospital, 2).isValid());
    assertEquals(1, ch.holdings(payee));
  }

  private PaillierCiphertext chainStart(Actor x) {
    PaillierPublicKey pk = x.paillier.publicKey();
    PaillierCiphertext old = ch.storedBalance(x);
    for (Channel.Credit c : ch.credits(x)) {
      old = pk.add(old, c.ciphertext());
    }
    return old;
  }

  private List<String> ids(Actor x) {
    List<String> out = new ArrayList<>();
    for (Channel.Credit c : ch.credits(x)) {
      out.add(c.id());
    }
    return out;
  }
}
