package org.medledger.chaincode;

import static org.medledger.chaincode.Channels.CHANNEL;
import static org.medledger.chaincode.Channels.STATE_MEMBERS;
import static org.medledger.chaincode.Channels.advanceTime;
import static org.medledger.chaincode.Channels.checkSignatures;
import static org.medledger.chaincode.Channels.digest;
import static org.medledger.chaincode.Channels.emit;
import static org.medledger.chaincode.Channels.load;
import static org.medledger.chaincode.Channels.payer;
import static org.medledger.chaincode.Channels.requireParty;
import static org.medledger.chaincode.Channels.scope;
import static org.medledger.chaincode.ChannelSettlement.allTo;
import static org.medledger.chaincode.ChannelSettlement.settlement;
import static org.medledger.chaincode.Json.optionalBase64;
import static org.medledger.chaincode.Json.optionalString;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import org.hyperledger.fabric.contract.Context;
import org.medledger.chaincode.PaymentChannel.Answer;
import org.medledger.chaincode.PaymentChannel.Closing;
import org.medledger.chaincode.PaymentChannel.Status;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.ErrorCode;

/**
 * The unilateral close of a payment channel and its dispute (docs/payment-channels.md §4,
 * docs/protocol.md §9): a party closes on a state signed by both, the other party disputes it
 * with a later state, the net payer answers with its settlement bundle, and the payee contests a
 * wrong answer; touch keeps an open channel's time current. {@link ChannelContract} is the
 * contract; this class holds the logic, {@link ChannelSettlement} pays out.
 */
final class ChannelDispute {
  private ChannelDispute() {}

  // ------------------------------------------------------------------------------ touch

  /**
   * Advances an open channel's time to this transaction's timestamp and writes it (docs/protocol.md
   * §9.5). Each party's watcher touches its open channels every fraction of the window: a close
   * back-dated by its submitter then counts as happening no earlier than the last touch, so the
   * window it starts still leaves the other party most of a window to dispute. Either party may
   * touch; the request consumes its nonce. Refused unless the channel is open.
   */
  static String touch(Context ctx, String request) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, request, "channelTouch", "channel");
    PaymentChannel ch = load(ledger, Json.string(req.body(), "channel", 64));
    String submitter = req.account().id();
    requireParty(ch, submitter);
    if (ch.status != Status.OPEN) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "channel " + ch.id + " is " + ch.status);
    }
    advanceTime(ledger, ch);
    ledger.put(ledger.key(CHANNEL, ch.id), ch.toJson());
    ledger.consumeNonce(submitter, req.nonce());
    return CanonicalJson.toString(ch.toJson());
  }

  // ------------------------------------------------------------------------ unilateral close

  /**
   * Starts a unilateral close on a state signed by both (or state 0, the opening state). If the
   * submitter is the state's net payer it settles now, with its bundle; otherwise the net payer
   * answers within the window. The window runs from this transaction's timestamp.
   */
  static String close(Context ctx, String request) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, request, "channelClose", STATE_MEMBERS);
    PaymentChannel ch = load(ledger, Json.string(req.body(), "channel", 64));
    String submitter = req.account().id();
    requireParty(ch, submitter);
    advanceTime(ledger, ch);
    if (ch.status != Status.OPEN) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "channel " + ch.id + " is " + ch.status);
    }
    Closing c = submittedState(ledger, cfg, ch, req.body(), submitter);
    ch.status = Status.CLOSING;
    ch.closing = c;
    ledger.put(ledger.key(CHANNEL, ch.id), ch.toJson());
    ledger.consumeNonce(submitter, req.nonce());
    emit(ledger, "medledger.ChannelClosing", ch);
    return CanonicalJson.toString(ch.toJson());
  }

  /**
   * Supersedes the state being closed on with a later state signed by both, before the deadline.
   * Only the party that did not submit the current state may. If that state is provably stale —
   * submitted by partyB (which holds every state it accepted), or more than {@code depth} states
   * behind — its submitter loses its deposit: the disputer receives both deposits. Otherwise the
   * later state replaces it and the window starts again.
   */
  static String dispute(Context ctx, String request) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, request, "channelDispute", STATE_MEMBERS);
    PaymentChannel ch = load(ledger, Json.string(req.body(), "channel", 64));
    String submitter = req.account().id();
    requireParty(ch, submitter);
    requireClosingBeforeDeadline(ledger, ch);
    Closing current = ch.closing;
    if (submitter.equals(current.submittedBy())) {
      throw LedgerException.of(ErrorCode.NOT_A_PARTY, "the party that submitted the current state cannot supersede it");
    }
    long seq = Json.integer(req.body(), "seq", 0, Long.MAX_VALUE - 1);
    if (seq <= current.seq()) {
      throw LedgerException.of(ErrorCode.STALE_STATE, "state " + seq + " is not later than state " + current.seq());
    }
    boolean provablyStale = current.submittedBy().equals(ch.partyB) || seq - current.seq() > ch.depth;
    if (provablyStale) {
      checkedState(ledger, cfg, ch, req.body());
      if (optionalBase64(req.body(), "bundle", MoneyContract.MAX_BUNDLE_BYTES) != null) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a dispute that proves a stale close carries no bundle");
      }
      allTo(ledger, ch, submitter, current.submittedBy(), "PENALTY", "STALE_CLOSE");
    } else {
      ch.closing = submittedState(ledger, cfg, ch, req.body(), submitter);
      ledger.put(ledger.key(CHANNEL, ch.id), ch.toJson());
      emit(ledger, "medledger.ChannelClosing", ch);
    }
    ledger.consumeNonce(submitter, req.nonce());
    return CanonicalJson.toString(ch.toJson());
  }

  /**
   * The net payer of the state being closed on settles it with its bundle, before the deadline.
   * The deadline moves to at least one window after the answer, so that the other party can
   * contest it.
   */
  static String answer(Context ctx, String request) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, request, "channelAnswer", "channel", "seq", "bundle");
    PaymentChannel ch = load(ledger, Json.string(req.body(), "channel", 64));
    String submitter = req.account().id();
    requireParty(ch, submitter);
    requireClosingBeforeDeadline(ledger, ch);
    Closing c = ch.closing;
    if (!submitter.equals(c.payer())) {
      throw LedgerException.of(ErrorCode.NOT_A_PARTY, "only the net payer of state " + c.seq() + " answers");
    }
    if (c.answer() != null) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "state " + c.seq() + " is already answered");
    }
    long seq = Json.integer(req.body(), "seq", 0, Long.MAX_VALUE - 1);
    if (seq != c.seq()) {
      throw LedgerException.of(ErrorCode.STALE_STATE, "the channel is closing on state " + c.seq() + ", not " + seq);
    }
    byte[] bundle = Json.base64(req.body(), "bundle", MoneyContract.MAX_BUNDLE_BYTES);
    Answer a = settlement(ledger, cfg, ch, submitter, seq, bundle);
    Instant afterAnswer = ch.updatedAt.plusSeconds(ch.window);
    ch.closing = c.withAnswer(a, afterAnswer.isAfter(c.deadline()) ? afterAnswer : c.deadline());
    ledger.put(ledger.key(CHANNEL, ch.id), ch.toJson());
    ledger.consumeNonce(submitter, req.nonce());
    emit(ledger, "medledger.ChannelAnswered", ch);
    return CanonicalJson.toString(ch.toJson());
  }

  /**
   * The other party shows that the answer does not pay what the signed state says: it opens the
   * state's digest (amount and salt) and the answer's payee copy (its randomness, from which the
   * amount follows). If they differ, the payer loses its deposit. This reveals both amounts.
   */
  static String contest(Context ctx, String request) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, request, "channelContest",
        "channel", "seq", "amount", "salt", "randomness");
    PaymentChannel ch = load(ledger, Json.string(req.body(), "channel", 64));
    String submitter = req.account().id();
    requireParty(ch, submitter);
    requireClosingBeforeDeadline(ledger, ch);
    Closing c = ch.closing;
    if (c.answer() == null) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "there is no answer to contest");
    }
    if (!submitter.equals(ch.other(c.payer()))) {
      throw LedgerException.of(ErrorCode.NOT_A_PARTY, "only the payee of the answer contests it");
    }
    JsonObject body = req.body();
    if (Json.integer(body, "seq", 0, Long.MAX_VALUE - 1) != c.seq()) {
      throw LedgerException.of(ErrorCode.STALE_STATE, "the channel is closing on state " + c.seq());
    }
    long amount = Json.integer(body, "amount", 0, Long.MAX_VALUE);
    byte[] salt = Json.base64(body, "salt", ChannelMessages.SALT_BYTES);
    if (salt.length != ChannelMessages.SALT_BYTES) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a salt has " + ChannelMessages.SALT_BYTES + " bytes");
    }
    byte[] opened = ChannelMessages.stateDigest(scope(cfg, ch), c.seq(), c.payer(), amount, salt);
    if (!HexFormat.of().formatHex(opened).equals(c.digest())) {
      throw LedgerException.of(ErrorCode.CONTEST_INVALID, "amount and salt do not open the state's digest");
    }
    PaillierPublicKey pkY = ledger.account(submitter).publicKey();
    byte[] uBytes = Json.base64(body, "randomness", pkY.bits() / 8);
    BigInteger u = new BigInteger(1, uBytes);
    if (!pkY.inUnitGroupOfN(u)) {
      throw LedgerException.of(ErrorCode.CONTEST_INVALID, "the randomness is not a unit modulo n");
    }
    PaillierCiphertext toPayee = MoneyContract.ciphertext(pkY, c.answer().amountPayee());
    BigInteger n = pkY.n();
    BigInteger n2 = pkY.nSquared();
    BigInteger x = toPayee.value().multiply(u.modPow(n, n2).modInverse(n2)).mod(n2);
    if (!x.mod(n).equals(BigInteger.ONE)) {
      throw LedgerException.of(ErrorCode.CONTEST_INVALID, "the randomness does not open the answer's payee copy");
    }
    BigInteger paid = x.subtract(BigInteger.ONE).divide(n);
    if (paid.equals(BigInteger.valueOf(amount))) {
      throw LedgerException.of(ErrorCode.CONTEST_INVALID, "the answer pays exactly the amount of the signed state");
    }
    allTo(ledger, ch, submitter, c.payer(), "PENALTY", "WRONG_ANSWER");
    ledger.consumeNonce(submitter, req.nonce());
    return CanonicalJson.toString(ch.toJson());
  }

  // ---------------------------------------------------------------------------------- helpers

  private static void requireClosingBeforeDeadline(Ledger ledger, PaymentChannel ch) {
    advanceTime(ledger, ch);
    if (ch.status != Status.CLOSING) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "channel " + ch.id + " is " + ch.status);
    }
    if (!ch.updatedAt.isBefore(ch.closing.deadline())) {
      throw LedgerException.of(ErrorCode.WINDOW_CLOSED, "the window ended at " + ch.closing.deadline());
    }
  }

  /** A submitted state (seq, payer, digest), its signatures checked; state 0 needs none. */
  private record SignedState(long seq, String payer, String digest) {}

  private static SignedState checkedState(Ledger ledger, ChannelConfig cfg, PaymentChannel ch, JsonObject body) {
    long seq = Json.integer(body, "seq", 0, Long.MAX_VALUE - 1);
    String payer = payer(body, ch);
    byte[] d = digest(body, seq);
    if (seq == 0) {
      if (!payer.isEmpty() || d.length != 0 || !optionalString(body, "sigA", 128).isEmpty()
          || !optionalString(body, "sigB", 128).isEmpty()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST,
            "state 0 is the opening state: no payer, an empty digest and no signatures");
      }
      return new SignedState(0, "", "");
    }
    checkSignatures(ledger, ch, body, ChannelMessages.stateSigningBytes(scope(cfg, ch), seq, payer, d));
    return new SignedState(seq, payer, HexFormat.of().formatHex(d));
  }

  /**
   * The closing record for a state submitted by {@code submitter}: if the submitter is the state's
   * net payer its bundle is required and verified (the state is then answered), otherwise no bundle
   * may come. The window starts now.
   */
  private static Closing submittedState(Ledger ledger, ChannelConfig cfg, PaymentChannel ch, JsonObject body, String submitter) {
    SignedState s = checkedState(ledger, cfg, ch, body);
    byte[] bundle = optionalBase64(body, "bundle", MoneyContract.MAX_BUNDLE_BYTES);
    Answer answer = null;
    if (submitter.equals(s.payer())) {
      if (bundle == null) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the net payer closes with its settlement bundle");
      }
      answer = settlement(ledger, cfg, ch, submitter, s.seq(), bundle);
    } else if (bundle != null) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "only the net payer's own submission carries a bundle");
    }
    return new Closing(s.seq(), s.payer(), s.digest(), submitter, ch.updatedAt.plusSeconds(ch.window), answer);
  }
}
