package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.ChannelMessages;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.TxResult;
import org.medledger.embedded.TxStatus;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.protocol.ErrorCode;

/**
 * Malicious parties against the close and dispute rules (docs/payment-channels.md §5). Each test
 * plays one cheat and checks that the chaincode refuses it with its stable code and writes
 * nothing, or that the cheater loses its deposit, by decrypting what each party ends up with.
 * Channel: insurer A deposits 10,000, hospital B 1,000; window 100 s, depth 2.
 */
class ChannelCheatingTest {
  private static final long DA = 10_000;
  private static final long DB = 1_000;
  private Channel ch;
  private PayChannel pc;
  private long insurerBefore;
  private long hospitalBefore;

  @BeforeEach
  void setUp() {
    ch = new Channel().configured().withInstitutions();
    assertTrue(ch.issue(100_000, ch.insurer).isValid());
    assertTrue(ch.pay(ch.insurer, ch.hospital, 5_000).isValid());
    pc = new PayChannel(ch, ch.insurer, ch.hospital, 100, 2, DA, DB).opened();
    insurerBefore = 100_000 - 5_000;
    hospitalBefore = 5_000;
  }

  private void refused(ErrorCode code, Supplier<TxResult> request) {
    long height = ch.ledger.height();
    String record = pc.record().toString();
    Channel.assertRefused(request.get(), code);
    assertEquals(height, ch.ledger.height(), "a refused request is not ordered");
    assertEquals(record, pc.record().toString(), "the channel record is unchanged");
  }

  /** The insurer's and hospital's holdings after settlement, relative to before the channel. */
  private void outcome(long insurerDelta, long hospitalDelta) {
    assertEquals(insurerBefore + insurerDelta, ch.holdings(ch.insurer));
    assertEquals(hospitalBefore + hospitalDelta, ch.holdings(ch.hospital));
  }

  // ----------------------------------------------------------------------------- stale closes

  @Test
  void theAcceptorClosingOnAnOlderStateLosesItsDepositToAnyLaterState() {
    // B accepted state 8 (A pays B 2,000) and later state 9 (B pays back 1,500); it closes on 8.
    PayChannel.State s8 = pc.state(8, DA - 2_000);
    PayChannel.State s9 = pc.state(9, DA - 500);
    assertTrue(pc.close(ch.hospital, s8).isValid());
    TxResult d = pc.dispute(ch.insurer, s9, false);
    assertTrue(d.isValid(), d.toString());
    assertEquals("CLOSED", pc.status());
    assertEquals("CHANNEL_PENALTY", pc.record().getAsJsonObject("settlement").get("kind").getAsString());
    outcome(DB, -DB); // A gets both deposits back: its own and B's
  }

  @Test
  void theProposerClosingMoreThanDepthStatesBackLosesItsDeposit() {
    PayChannel.State s3 = pc.state(3, DA - 100);
    PayChannel.State s6 = pc.state(6, DA - 4_000);
    assertTrue(pc.close(ch.insurer, s3).isValid());
    TxResult d = pc.dispute(ch.hospital, s6, false);
    assertTrue(d.isValid(), d.toString());
    outcome(-DA, DA);
  }

  @Test
  void theProposerClosingWithinDepthIsCorrectedNotPenalised() {
    // A may not have received B's acceptance of state 5: a later state replaces its close.
    PayChannel.State s4 = pc.state(4, DA - 100);
    PayChannel.State s5 = pc.state(5, DA - 700);
    assertTrue(pc.close(ch.insurer, s4).isValid());
    ch.advance(50);
    assertTrue(pc.dispute(ch.hospital, s5, false).isValid());
    assertEquals("CLOSING", pc.status());
    JsonObject closing = pc.record().getAsJsonObject("closing");
    assertEquals(5, closing.get("seq").getAsLong());
    assertTrue(!closing.has("answer"), "the old answer does not settle the new state");
    // The window starts again; A answers state 5 and the channel settles on it.
    ch.advance(60);
    assertTrue(pc.answer(ch.insurer, s5).isValid());
    ch.advance(100);
    assertTrue(pc.settle().isValid());
    outcome(-700, 700);
  }

  @Test
  void aCorrectedCloserCannotSupersedeAgainWithoutProvingTheDisputerStale() {
    PayChannel.State s4 = pc.state(4, DA - 100);
    PayChannel.State s5 = pc.state(5, DA - 700);
    PayChannel.State s6 = pc.state(6, DA - 900);
    assertTrue(pc.close(ch.insurer, s4).isValid());
    assertTrue(pc.dispute(ch.hospital, s5, false).isValid());
    // B (the acceptor) submitted state 5 although it had accepted state 6: A proves it.
    assertTrue(pc.dispute(ch.insurer, s6, false).isValid());
    outcome(DB, -DB);
  }

  @Test
  void disputesThatAreNotLaterAreRefused() {
    PayChannel.State s4 = pc.state(4, DA - 100);
    assertTrue(pc.close(ch.hospital, s4).isValid());
    refused(ErrorCode.STALE_STATE, () -> ch.submit(ch.insurerOrg, "channels:dispute",
        ch.insurer.sign(pc.stateBody("channelDispute", ch.insurer, s4, null))));
    refused(ErrorCode.STALE_STATE, () -> ch.submit(ch.insurerOrg, "channels:dispute",
        ch.insurer.sign(pc.stateBody("channelDispute", ch.insurer, pc.state(3, DA), null))));
    // The submitter of the current state cannot supersede its own state.
    refused(ErrorCode.NOT_A_PARTY, () -> ch.submit(ch.hospitalOrg, "channels:dispute",
        ch.hospital.sign(pc.stateBody("channelDispute", ch.hospital, pc.state(5, DA - 50), null))));
  }

  // ------------------------------------------------------------------------- back-dated closes

  /**
   * B closes on a stale state 3 with a timestamp back-dated to just after the open (Fabric peers
   * do not check timestamps). Without touches nothing has written the channel's time since the
   * open, so the window is already over: the next honest settle is accepted and A's dispute with
   * its later state is refused. This is the limit docs/protocol.md §9.5 states.
   */
  @Test
  void aBackDatedCloseOnAnUntouchedChannelLeavesNoWindow() {
    java.time.Instant opened = java.time.Instant.parse(pc.record().get("openedAt").getAsString());
    ch.advance(1_000);
    PayChannel.State s3 = pc.state(3, DA - 100);
    PayChannel.State s4 = pc.state(4, DA - 900);
    TxResult c = backDatedClose(opened.plusSeconds(1), s3);
    assertTrue(c.isValid(), c.toString());
    assertEquals(opened.plusSeconds(1 + 100).toString(), pc.record().getAsJsonObject("closing").get("deadline").getAsString());
    refused(ErrorCode.WINDOW_CLOSED, () -> ch.submit(ch.insurerOrg, "channels:dispute",
        ch.insurer.sign(pc.stateBody("channelDispute", ch.insurer, s4, null))));
  }

  /**
   * The same cheat after A touched the channel: the close counts as happening at the touch, so
   * its window ends one window after the touch. With touches every w/4 the close reaches the
   * ledger at most w/4 after the last touch, and A still has at least 3w/4 to dispute.
   */
  @Test
  void aBackDatedCloseAfterATouchStartsItsWindowAtTheTouch() {
    java.time.Instant opened = java.time.Instant.parse(pc.record().get("openedAt").getAsString());
    ch.advance(1_000);
    assertTrue(pc.touch(ch.insurer).isValid());
    java.time.Instant touched = ch.now();
    assertEquals(touched.toString(), pc.record().get("updatedAt").getAsString(), "the touch wrote the channel's time");
    ch.advance(25 - 2); // the close reaches the ledger w/4 after the touch...
    PayChannel.State s3 = pc.state(3, DA - 100);
    PayChannel.State s4 = pc.state(4, DA - 900);
    // ... dated before the open (and so also before the touch)
    TxResult c = backDatedClose(opened.minusSeconds(10), s3);
    assertTrue(c.isValid(), c.toString());
    java.time.Instant closedAt = ch.now().plusSeconds(1);
    assertEquals(touched.plusSeconds(100).toString(), pc.record().getAsJsonObject("closing").get("deadline").getAsString(),
        "the window runs from the channel's time, not the back-dated timestamp");
    // An honest settle right away, and one just before the deadline, are refused: the window is open.
    refused(ErrorCode.WINDOW_OPEN, pc::settle);
    ch.advance(touched.plusSeconds(100).getEpochSecond() - ch.now().getEpochSecond() - 2);
    assertTrue(java.time.Duration.between(closedAt, ch.now().plusSeconds(1)).getSeconds() >= 3 * 100 / 4,
        "A disputes at least 3w/4 after the close reached the ledger");
    TxResult d = pc.dispute(ch.insurer, s4, false);
    assertTrue(d.isValid(), d.toString());
    assertEquals("CHANNEL_PENALTY", pc.record().getAsJsonObject("settlement").get("kind").getAsString());
    outcome(DB, -DB);
  }

  @Test
  void onlyAPartyTouchesAndOnlyAnOpenChannel() {
    JsonObject body = ch.regulator.body("channelTouch");
    body.addProperty("channel", pc.id);
    refused(ErrorCode.NOT_A_PARTY, () -> ch.submit(ch.regulatorOrg, "channels:touch", ch.regulator.sign(body)));
    assertTrue(pc.close(ch.hospital, pc.state(0, DA)).isValid());
    JsonObject late = ch.insurer.body("channelTouch");
    late.addProperty("channel", pc.id);
    refused(ErrorCode.CHANNEL_STATE, () -> ch.submit(ch.insurerOrg, "channels:touch", ch.insurer.sign(late)));
  }

  @Test
  void stateZeroCarriesNoDigest() {
    JsonObject zero = pc.stateBody("channelClose", ch.hospital, pc.state(0, DA), null);
    zero.addProperty("digest", "ab".repeat(32));
    refused(ErrorCode.MALFORMED_REQUEST, () -> submitRaw(ch.hospital, "channels:close", zero));
    assertEquals("OPEN", pc.status());
  }

  /** B's close on a stale state, signed honestly but carrying the timestamp {@code at}. */
  private TxResult backDatedClose(java.time.Instant at, PayChannel.State s) {
    TxResult r = ch.submitAt(at, ch.hospitalOrg, "channels:close",
        ch.hospital.sign(pc.stateBody("channelClose", ch.hospital, s, null)));
    if (r.isValid()) {
      ch.hospital.nonce++;
    }
    return r;
  }

  // --------------------------------------------------------------------------- forged states

  @Test
  void forgedOrMisboundSignaturesAreRefused() {
    PayChannel.State s = pc.state(7, DA - 300);
    JsonObject body = pc.stateBody("channelClose", ch.hospital, s, null);
    // B forges A's signature with its own key.
    JsonObject forged = body.deepCopy();
    forged.addProperty("sigA", Actor.b64(pc.stateSignature(ch.hospital, s)));
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.hospital, "channels:close", forged));
    // Signatures of state 7 presented as state 8, or with another payer or digest.
    JsonObject moved = body.deepCopy();
    moved.addProperty("seq", 8);
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.hospital, "channels:close", moved));
    JsonObject payer = body.deepCopy();
    payer.addProperty("payer", "");
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.hospital, "channels:close", payer));
    JsonObject otherDigest = body.deepCopy();
    otherDigest.addProperty("digest", "00".repeat(32));
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.hospital, "channels:close", otherDigest));
    // A state signed for another channel does not verify here.
    PayChannel other = new PayChannel(ch, ch.insurer, ch.hospital, 100, 2, DA, DB);
    JsonObject foreign = other.stateBody("channelClose", ch.hospital, other.state(7, DA - 300), null);
    foreign.addProperty("channel", pc.id);
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.hospital, "channels:close", foreign));
    // A missing signature, and state 0 with a payer.
    JsonObject unsigned = body.deepCopy();
    unsigned.addProperty("sigB", "");
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.hospital, "channels:close", unsigned));
    JsonObject zero = pc.stateBody("channelClose", ch.hospital, pc.state(0, DA), null);
    zero.addProperty("payer", ch.insurer.id);
    refused(ErrorCode.MALFORMED_REQUEST, () -> submitRaw(ch.hospital, "channels:close", zero));
    assertEquals("OPEN", pc.status());
  }

  @Test
  void aCooperativeCloseNeedsBothSignaturesOverTheExactBundle() {
    PayChannel.State s = pc.state(11, DA - 1_200);
    byte[] bundle = pc.settlementBundle(s);
    JsonObject body = pc.coopBody(ch.insurer, s, bundle);
    // The hospital signed a close over one bundle; the insurer swaps in a bundle paying less.
    JsonObject swapped = body.deepCopy();
    swapped.addProperty("bundle", Actor.b64(pc.settlementBundle(ch.insurer, 11, 200)));
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.insurer, "channels:coopClose", swapped));
    // A state signature is not a close signature.
    JsonObject stateSigs = body.deepCopy();
    stateSigs.addProperty("sigA", Actor.b64(pc.stateSignature(ch.insurer, s)));
    stateSigs.addProperty("sigB", Actor.b64(pc.stateSignature(ch.hospital, s)));
    refused(ErrorCode.BAD_STATE_SIGNATURE, () -> submitRaw(ch.insurer, "channels:coopClose", stateSigs));
    assertTrue(submitRaw(ch.insurer, "channels:coopClose", body).isValid());
    outcome(-1_200, 1_200);
  }

  // ------------------------------------------------------------------- settlement bundles

  @Test
  void aSettlementBundleForAnotherStateOrChannelDoesNotVerify() {
    PayChannel.State s5 = pc.state(5, DA - 700);
    assertTrue(pc.close(ch.hospital, s5).isValid());
    // Built for state 4: the context binds the sequence number.
    refused(ErrorCode.TRANSFER_PROOF_INVALID, () -> submitRaw(ch.insurer, "channels:answer",
        pc.answerBody(ch.insurer, 5, pc.settlementBundle(ch.insurer, 4, 700))));
    // Built out of another channel's deposit.
    PayChannel other = new PayChannel(ch, ch.insurer, ch.hospital, 100, 2, 3_000, 0).opened();
    byte[] foreign = other.settlementBundle(ch.insurer, 5, 700);
    refused(ErrorCode.TRANSFER_PROOF_INVALID, () -> submitRaw(ch.insurer, "channels:answer", pc.answerBody(ch.insurer, 5, foreign)));
    // Out of the insurer's deposit but for more than the deposit holds: the honest prover refuses,
    // and a regular transfer bundle (balance as C_old) is bound to another context.
    refused(ErrorCode.MALFORMED_PROOF, () -> submitRaw(ch.insurer, "channels:answer", pc.answerBody(ch.insurer, 5, new byte[] {1, 2, 3})));
    // The hospital is not the payer of state 5; it cannot answer.
    refused(ErrorCode.NOT_A_PARTY, () -> submitRaw(ch.hospital, "channels:answer",
        pc.answerBody(ch.hospital, 5, pc.settlementBundle(ch.hospital, 5, 10))));
    assertTrue(pc.answer(ch.insurer, s5).isValid());
    refused(ErrorCode.CHANNEL_STATE, () -> submitRaw(ch.insurer, "channels:answer",
        pc.answerBody(ch.insurer, 5, pc.settlementBundle(s5))));
  }

  @Test
  void theNetPayerClosesWithItsBundleAndOnlyThePayerBringsOne() {
    PayChannel.State s = pc.state(6, DA - 400);
    refused(ErrorCode.MALFORMED_REQUEST, () -> submitRaw(ch.insurer, "channels:close", pc.stateBody("channelClose", ch.insurer, s, null)));
    refused(ErrorCode.MALFORMED_REQUEST, () -> submitRaw(ch.hospital, "channels:close",
        pc.stateBody("channelClose", ch.hospital, s, pc.settlementBundle(s))));
  }

  @Test
  void anAnswerPayingLessIsContestedAndThePayerLosesItsDeposit() {
    PayChannel.State s = pc.state(12, DA - 2_500);
    assertTrue(pc.close(ch.hospital, s).isValid());
    byte[] less = pc.settlementBundle(ch.insurer, 12, 300);
    assertTrue(submitRaw(ch.insurer, "channels:answer", pc.answerBody(ch.insurer, 12, less)).isValid());
    ch.insurer.nonce++;
    // Contest by the payer itself, with a wrong salt, with randomness that does not open the copy.
    refused(ErrorCode.NOT_A_PARTY, () -> submitRaw(ch.insurer, "channels:contest", contestBody(ch.insurer, s, pc.salt(12), less)));
    refused(ErrorCode.CONTEST_INVALID, () -> submitRaw(ch.hospital, "channels:contest", contestBody(ch.hospital, s, pc.salt(13), less)));
    JsonObject badU = contestBody(ch.hospital, s, pc.salt(12), less);
    badU.addProperty("randomness", Actor.b64(BigInteger.TWO.toByteArray()));
    refused(ErrorCode.CONTEST_INVALID, () -> submitRaw(ch.hospital, "channels:contest", badU));
    TxResult r = submitRaw(ch.hospital, "channels:contest", contestBody(ch.hospital, s, pc.salt(12), less));
    assertTrue(r.isValid(), r.toString());
    outcome(-DA, DA);
  }

  @Test
  void aCorrectAnswerCannotBeContested() {
    PayChannel.State s = pc.state(12, DA - 2_500);
    assertTrue(pc.close(ch.hospital, s).isValid());
    byte[] exact = pc.settlementBundle(s);
    assertTrue(submitRaw(ch.insurer, "channels:answer", pc.answerBody(ch.insurer, 12, exact)).isValid());
    ch.insurer.nonce++;
    refused(ErrorCode.CONTEST_INVALID, () -> submitRaw(ch.hospital, "channels:contest", contestBody(ch.hospital, s, pc.salt(12), exact)));
    // Claiming another amount for the state fails to open the digest.
    JsonObject lie = contestBody(ch.hospital, s, pc.salt(12), exact);
    lie.addProperty("amount", 9_999);
    refused(ErrorCode.CONTEST_INVALID, () -> submitRaw(ch.hospital, "channels:contest", lie));
    ch.advance(100);
    assertTrue(pc.settle().isValid());
    outcome(-2_500, 2_500);
  }

  /** The hospital opens the state's digest and the answer's payee copy with its own key. */
  private JsonObject contestBody(Actor who, PayChannel.State s, byte[] salt, byte[] bundle) {
    TransferProof p = TransferProof.fromBytes(bundle, ch.insurer.paillier.publicKey(), ch.hospital.paillier.publicKey(),
        ch.regulator.paillier.publicKey());
    PaillierCiphertext toPayee = p.amountForPayee();
    JsonObject body = who.body("channelContest");
    body.addProperty("channel", pc.id);
    body.addProperty("seq", s.seq());
    body.addProperty("amount", pc.amount(s));
    body.addProperty("salt", Actor.b64(salt));
    BigInteger u = ch.hospital.paillier.randomnessOf(toPayee);
    body.addProperty("randomness", Actor.b64(org.medledger.crypto.internal.Bytes.unsigned(u)));
    return body;
  }

  // ------------------------------------------------------------------- double close, windows

  @Test
  void doubleClosesAreRefused() {
    PayChannel.State s = pc.state(3, DA - 100);
    assertTrue(pc.close(ch.hospital, s).isValid());
    refused(ErrorCode.CHANNEL_STATE, () -> submitRaw(ch.hospital, "channels:close", pc.stateBody("channelClose", ch.hospital, s, null)));
    refused(ErrorCode.CHANNEL_STATE, () -> submitRaw(ch.insurer, "channels:close",
        pc.stateBody("channelClose", ch.insurer, s, pc.settlementBundle(s))));
    ch.advance(100);
    assertTrue(pc.settle().isValid());
    refused(ErrorCode.CHANNEL_STATE, () -> pc.settle());
    refused(ErrorCode.CHANNEL_STATE, () -> submitRaw(ch.insurer, "channels:coopClose", pc.coopBody(ch.insurer, s, pc.settlementBundle(s))));
    outcome(-DA, DA); // nobody answered state 3: the insurer forfeited
  }

  @Test
  void nothingCanBeSubmittedAfterTheWindowAndNothingSettlesBeforeIt() {
    PayChannel.State s4 = pc.state(4, DA - 100);
    assertTrue(pc.close(ch.insurer, s4).isValid());
    refused(ErrorCode.WINDOW_OPEN, () -> pc.settle());
    ch.advance(99);
    // The dispute's own transaction is one second later: exactly at the deadline is too late.
    refused(ErrorCode.WINDOW_CLOSED, () -> submitRaw(ch.hospital, "channels:dispute",
        pc.stateBody("channelDispute", ch.hospital, pc.state(9, DA - 5_000), null)));
    assertTrue(pc.settle().isValid());
    outcome(-100, 100);
  }

  @Test
  void aBackdatedTransactionCountsAtTheChannelsLatestTime() {
    PayChannel.State s4 = pc.state(4, DA - 100);
    assertTrue(pc.close(ch.insurer, s4).isValid());
    String deadline = pc.record().getAsJsonObject("closing").get("deadline").getAsString();
    java.time.Instant past = java.time.Instant.parse("2026-01-01T07:00:00Z");
    // A settle dated long before the close is measured at the close's time: the window is open.
    refused(ErrorCode.WINDOW_OPEN, () -> ch.ledger.submit(ch.hospitalOrg, past, "channels:settle", pc.id));
    // A back-dated dispute is accepted, but its new window runs from the channel's time, not from
    // the date it claims: back-dating cannot shorten a window.
    TxResult d = ch.ledger.submit(ch.hospitalOrg, past, "channels:dispute",
        ch.hospital.sign(pc.stateBody("channelDispute", ch.hospital, pc.state(5, DA - 300), null)));
    assertTrue(d.isValid(), d.toString());
    ch.hospital.nonce++;
    assertEquals(deadline, pc.record().getAsJsonObject("closing").get("deadline").getAsString());
  }

  // ------------------------------------------------------------------------------ races

  @Test
  void aUnilateralCloseRacingACooperativeOneLosesTheMvccRace() {
    PayChannel.State s = pc.state(20, DA - 900);
    Endorsement coop = ch.ledger.endorse(ch.insurerOrg, ch.tick(), "channels:coopClose",
        ch.insurer.sign(pc.coopBody(ch.insurer, s, pc.settlementBundle(s))));
    Endorsement uni = ch.ledger.endorse(ch.hospitalOrg, ch.tick(), "channels:close",
        ch.hospital.sign(pc.stateBody("channelClose", ch.hospital, pc.state(19, DA - 800), null)));
    assertTrue(coop.succeeded() && uni.succeeded(), "both were endorsed against the open channel");
    List<TxResult> block = ch.ledger.commitBlock(List.of(coop, uni));
    assertEquals(TxStatus.VALID, block.get(0).status());
    assertEquals(TxStatus.MVCC_READ_CONFLICT, block.get(1).status());
    ch.insurer.nonce++;
    assertEquals("CLOSED", pc.status());
    outcome(-900, 900);
  }

  @Test
  void aCooperativeCloseCanStillFinishAChannelThatIsClosingButNotOnAnOlderState() {
    PayChannel.State s19 = pc.state(19, DA - 800);
    PayChannel.State s20 = pc.state(20, DA - 900);
    Endorsement uni = ch.ledger.endorse(ch.hospitalOrg, ch.tick(), "channels:close",
        ch.hospital.sign(pc.stateBody("channelClose", ch.hospital, s20, null)));
    Endorsement coop = ch.ledger.endorse(ch.insurerOrg, ch.tick(), "channels:coopClose",
        ch.insurer.sign(pc.coopBody(ch.insurer, s20, pc.settlementBundle(s20))));
    List<TxResult> block = ch.ledger.commitBlock(List.of(uni, coop));
    assertEquals(TxStatus.VALID, block.get(0).status());
    assertEquals(TxStatus.MVCC_READ_CONFLICT, block.get(1).status());
    ch.hospital.nonce++;
    assertEquals("CLOSING", pc.status());
    refused(ErrorCode.STALE_STATE, () -> submitRaw(ch.insurer, "channels:coopClose", pc.coopBody(ch.insurer, s19, pc.settlementBundle(s19))));
    assertTrue(pc.coopClose(ch.insurer, s20).isValid(), "the loser resubmits on the channel as it now is");
    outcome(-900, 900);
  }

  // ------------------------------------------------------------------------------ open

  @Test
  void openRefusals() {
    PayChannel fresh = new PayChannel(ch, ch.insurer, ch.hospital, 100, 2, 500, 0);
    String reqA = ch.insurer.sign(fresh.openBody(ch.insurer, 500));
    String reqB = ch.hospital.sign(fresh.openBody(ch.hospital, 0));
    long height = ch.ledger.height();
    // The same request twice, the requests swapped, and disagreeing terms.
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", reqA, reqA), ErrorCode.BAD_CHANNEL_TERMS);
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", reqB, reqA), ErrorCode.BAD_CHANNEL_TERMS);
    JsonObject otherWindow = fresh.openBody(ch.hospital, 0);
    otherWindow.addProperty("window", 5);
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", reqA, ch.hospital.sign(otherWindow)),
        ErrorCode.BAD_CHANNEL_TERMS);
    PayChannel zeroWindow = new PayChannel(ch, ch.insurer, ch.hospital, 0, 2, 500, 0);
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", ch.insurer.sign(zeroWindow.openBody(ch.insurer, 500)),
        ch.hospital.sign(zeroWindow.openBody(ch.hospital, 0))), ErrorCode.BAD_CHANNEL_TERMS);
    PayChannel zeroDepth = new PayChannel(ch, ch.insurer, ch.hospital, 100, 0, 500, 0);
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", ch.insurer.sign(zeroDepth.openBody(ch.insurer, 500)),
        ch.hospital.sign(zeroDepth.openBody(ch.hospital, 0))), ErrorCode.BAD_CHANNEL_TERMS);
    // A deposit bundle bound to another channel id.
    PayChannel twin = new PayChannel(ch, ch.insurer, ch.hospital, 100, 2, 500, 0);
    JsonObject misbound = twin.openBody(ch.insurer, 500);
    misbound.addProperty("channel", fresh.id);
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", ch.insurer.sign(misbound), reqB),
        ErrorCode.TRANSFER_PROOF_INVALID);
    // The regulator cannot be a party.
    PayChannel withRegulator = new PayChannel(ch, ch.insurer, ch.regulator, 100, 2, 0, 0);
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", ch.insurer.sign(withRegulator.openBody(ch.insurer, 0)),
        ch.regulator.sign(withRegulator.openBody(ch.regulator, 0))), ErrorCode.WRONG_ROLE);
    assertEquals(height, ch.ledger.height());
    // The same id twice.
    assertTrue(ch.submit(ch.insurerOrg, "channels:open", reqA, reqB).isValid());
    ch.insurer.nonce++;
    ch.hospital.nonce++;
    Channel.assertRefused(ch.submit(ch.insurerOrg, "channels:open", ch.insurer.sign(fresh.openBody(ch.insurer, 500)),
        ch.hospital.sign(fresh.openBody(ch.hospital, 0))), ErrorCode.CHANNEL_EXISTS);
  }

  @Test
  void outsidersAndUnknownChannels() {
    Actor alice = ch.patient("alice");
    PayChannel.State s = pc.state(3, DA - 100);
    refused(ErrorCode.NOT_A_PARTY, () -> submitRaw(alice, "channels:close", pc.stateBody("channelClose", alice, s, null)));
    JsonObject unknown = pc.stateBody("channelClose", ch.hospital, s, null);
    unknown.addProperty("channel", "pc-doesnotexist");
    refused(ErrorCode.UNKNOWN_CHANNEL, () -> submitRaw(ch.hospital, "channels:close", unknown));
    Channel.assertRefused(ch.submit(ch.hospitalOrg, "channels:settle", "pc-doesnotexist"), ErrorCode.UNKNOWN_CHANNEL);
    refused(ErrorCode.CHANNEL_STATE, () -> pc.settle());
    assertEquals(ChannelMessages.DIGEST_BYTES, pc.digest(s).length);
  }

  private TxResult submitRaw(Actor who, String function, JsonObject body) {
    return ch.submit(ch.gateway(who), function, who.sign(body));
  }
}
