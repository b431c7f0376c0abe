package org.medledger.chaincode;

import static org.medledger.chaincode.Channels.CHANNEL;
import static org.medledger.chaincode.Channels.DEPOSIT;
import static org.medledger.chaincode.Channels.STATE_MEMBERS;
import static org.medledger.chaincode.Channels.advanceTime;
import static org.medledger.chaincode.Channels.checkSignatures;
import static org.medledger.chaincode.Channels.digest;
import static org.medledger.chaincode.Channels.emit;
import static org.medledger.chaincode.Channels.load;
import static org.medledger.chaincode.Channels.payer;
import static org.medledger.chaincode.Channels.requireParty;
import static org.medledger.chaincode.Channels.scope;
import static org.medledger.chaincode.Contracts.decodeBundle;
import static org.medledger.chaincode.Contracts.verifyBundle;
import static org.medledger.chaincode.Json.optionalBase64;

import com.google.gson.JsonObject;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.medledger.chaincode.PaymentChannel.Answer;
import org.medledger.chaincode.PaymentChannel.Closing;
import org.medledger.chaincode.PaymentChannel.Status;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.ErrorCode;

/**
 * Settling a payment channel (docs/payment-channels.md §4): the cooperative close on a state both
 * parties signed, the settle after the dispute window, and the payouts every ending uses — the
 * net payer's verified settlement bundle split, the refund, and both deposits to one party.
 * {@link ChannelContract} is the contract; this class holds the logic.
 */
final class ChannelSettlement {
  private ChannelSettlement() {}

  // ----------------------------------------------------------------------- cooperative close

  /**
   * Closes on a final state whose close message both parties signed: the net payer's settlement
   * bundle moves the net amount out of its deposit to the other party; with no payer both
   * deposits are refunded. Allowed while the channel is open, and while it closes unilaterally on
   * a state no later than this one.
   */
  static String coopClose(Context ctx, String request) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, request, "channelCoopClose", STATE_MEMBERS);
    PaymentChannel ch = load(ledger, Json.string(req.body(), "channel", 64));
    requireParty(ch, req.account().id());
    advanceTime(ledger, ch);
    if (ch.status == Status.CLOSED) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "channel " + ch.id + " is closed");
    }
    JsonObject body = req.body();
    long seq = Json.integer(body, "seq", 0, Long.MAX_VALUE - 1);
    if (ch.status == Status.CLOSING && seq < ch.closing.seq()) {
      throw LedgerException.of(ErrorCode.STALE_STATE, "the channel is closing on state " + ch.closing.seq());
    }
    String payer = payer(body, ch);
    byte[] digest = digest(body, seq);
    byte[] bundle = optionalBase64(body, "bundle", MoneyContract.MAX_BUNDLE_BYTES);
    if (payer.isEmpty() != (bundle == null)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a settlement bundle comes with a payer, and only then");
    }
    byte[] bundleDigest = bundle == null ? new byte[0] : ChannelMessages.sha256(bundle);
    byte[] msg = ChannelMessages.closeSigningBytes(scope(cfg, ch), seq, payer, digest, bundleDigest);
    checkSignatures(ledger, ch, body, msg);
    if (payer.isEmpty()) {
      refund(ledger, ch, "COOPERATIVE", seq);
    } else {
      split(ledger, ch, settlement(ledger, cfg, ch, payer, seq, bundle), "COOPERATIVE");
    }
    ledger.consumeNonce(req.account().id(), req.nonce());
    return CanonicalJson.toString(ch.toJson());
  }

  // ---------------------------------------------------------------------------------- settle

  /**
   * After the deadline, settles the state being closed on: a refund when nobody pays, the answer's
   * split when the net payer answered, and otherwise the net payer's deposit goes to the other
   * party. Anyone on the Fabric channel may call it; the outcome depends on the ledger only.
   */
  static String settle(Context ctx, String channelId) {
    Ledger ledger = new Ledger(ctx);
    ledger.config();
    PaymentChannel ch = load(ledger, channelId);
    advanceTime(ledger, ch);
    if (ch.status != Status.CLOSING) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "channel " + ch.id + " is " + ch.status);
    }
    if (ch.updatedAt.isBefore(ch.closing.deadline())) {
      throw LedgerException.of(ErrorCode.WINDOW_OPEN, "the window ends at " + ch.closing.deadline());
    }
    Closing c = ch.closing;
    if (c.payer().isEmpty()) {
      refund(ledger, ch, "UNILATERAL", c.seq());
    } else if (c.answer() != null) {
      split(ledger, ch, c.answer(), "UNILATERAL");
    } else {
      allTo(ledger, ch, ch.other(c.payer()), c.payer(), "FORFEIT", "NO_ANSWER");
    }
    return CanonicalJson.toString(ch.toJson());
  }

  // ---------------------------------------------------------------------------------- payouts

  /**
   * Verifies the net payer's settlement bundle: a transfer out of its deposit ciphertext to the
   * other party, bound to the channel and the state's sequence number.
   */
  static Answer settlement(Ledger ledger, ChannelConfig cfg, PaymentChannel ch, String payer, long seq, byte[] bundleBytes) {
    Account x = ledger.account(payer);
    Account y = ledger.account(ch.other(payer));
    PaillierPublicKey pkX = x.publicKey();
    PaillierPublicKey pkY = y.publicKey();
    PaillierPublicKey pkR = Contracts.regulator(ledger).publicKey();
    PaillierCiphertext deposit = depositCiphertext(ledger, ch, payer, "own", pkX);
    TransferProof bundle = decodeBundle(bundleBytes, pkX, pkY, pkR);
    TransferContext tc = new TransferContext(cfg.channel(), cfg.chaincode(), payer,
        ChannelMessages.settlementPayee(ch.id), seq);
    PaillierCiphertext rest = verifyBundle(bundle, new TransferStatement(pkX, pkY, pkR, deposit, tc));
    return new Answer(seq, payer, MoneyContract.b64(bundle.amountForPayer()), MoneyContract.b64(bundle.amountForPayee()),
        MoneyContract.b64(bundle.amountForRegulator()), MoneyContract.b64(rest), MoneyContract.sha256(bundleBytes),
        ledger.txId(), ledger.timestamp().toString());
  }

  private static PaillierCiphertext depositCiphertext(Ledger ledger, PaymentChannel ch, String owner, String which,
      PaillierPublicKey key) {
    JsonObject d = ledger.get(ledger.key(DEPOSIT, ch.id, owner));
    if (d == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_CHANNEL, "no deposit of " + owner + " in " + ch.id);
    }
    return MoneyContract.ciphertext(key, d.get(which).getAsString());
  }

  /** Net payer X keeps the rest of its deposit; Y gets its deposit plus the amount. */
  private static void split(Ledger ledger, PaymentChannel ch, Answer a, String how) {
    String x = a.payer();
    String y = ch.other(x);
    PaillierPublicKey pkX = ledger.account(x).publicKey();
    PaillierPublicKey pkY = ledger.account(y).publicKey();
    PaillierCiphertext toY = pkY.add(depositCiphertext(ledger, ch, y, "own", pkY), MoneyContract.ciphertext(pkY, a.amountPayee()));
    String tx = ledger.txId();
    MoneyContract.writeCredit(ledger, x, tx, MoneyContract.ciphertext(pkX, a.newBalance()), ch.id, "CHANNEL");
    MoneyContract.writeCredit(ledger, y, tx, toY, ch.id, "CHANNEL");
    StatsBuckets.transfer(ledger, ledger.account(x), ledger.account(y), tx,
        MoneyContract.ciphertext(Contracts.regulator(ledger).publicKey(), a.amountRegulator()), true);
    JsonObject record = MoneyContract.baseRecord(ledger, "CHANNEL_SETTLE", x, y);
    record.addProperty("channel", ch.id);
    record.addProperty("how", how);
    record.addProperty("amountPayer", a.amountPayer());
    record.addProperty("amountPayee", a.amountPayee());
    record.addProperty("amountRegulator", a.amountRegulator());
    record.addProperty("proofDigest", a.proofDigest());
    closeWith(ledger, ch, record, x, y, how, a.seq());
  }

  /** Nobody pays: each party gets its own deposit back. */
  private static void refund(Ledger ledger, PaymentChannel ch, String how, long seq) {
    String tx = ledger.txId();
    for (String p : List.of(ch.partyA, ch.partyB)) {
      PaillierPublicKey pk = ledger.account(p).publicKey();
      MoneyContract.writeCredit(ledger, p, tx, depositCiphertext(ledger, ch, p, "own", pk), ch.id, "CHANNEL");
    }
    JsonObject record = MoneyContract.baseRecord(ledger, "CHANNEL_REFUND", ch.partyA, ch.partyB);
    record.addProperty("channel", ch.id);
    record.addProperty("how", how);
    record.addProperty("amount", 0);
    closeWith(ledger, ch, record, ch.partyA, ch.partyB, how, seq);
  }

  /** The loser's deposit goes to the winner, who also gets its own back: both deposits, homomorphically. */
  static void allTo(Ledger ledger, PaymentChannel ch, String winner, String loser, String kind, String reason) {
    PaillierPublicKey pkW = ledger.account(winner).publicKey();
    PaillierCiphertext all = pkW.add(depositCiphertext(ledger, ch, winner, "own", pkW),
        depositCiphertext(ledger, ch, loser, "other", pkW));
    MoneyContract.writeCredit(ledger, winner, ledger.txId(), all, ch.id, "CHANNEL");
    JsonObject dep = ledger.get(ledger.key(DEPOSIT, ch.id, loser));
    StatsBuckets.transfer(ledger, ledger.account(loser), ledger.account(winner), ledger.txId(),
        MoneyContract.ciphertext(Contracts.regulator(ledger).publicKey(), dep.get("regulator").getAsString()), true);
    JsonObject record = MoneyContract.baseRecord(ledger, "CHANNEL_" + kind, loser, winner);
    record.addProperty("channel", ch.id);
    record.addProperty("how", reason);
    record.addProperty("amountPayer", dep.get("own").getAsString());
    record.addProperty("amountPayee", dep.get("other").getAsString());
    record.addProperty("amountRegulator", dep.get("regulator").getAsString());
    closeWith(ledger, ch, record, loser, winner, kind + "/" + reason, ch.closing == null ? 0 : ch.closing.seq());
  }

  private static void closeWith(Ledger ledger, PaymentChannel ch, JsonObject record, String from, String to,
      String how, long seq) {
    MoneyContract.writeRecord(ledger, record, from, to);
    JsonObject s = new JsonObject();
    s.addProperty("kind", record.get("kind").getAsString());
    s.addProperty("how", how);
    s.addProperty("seq", seq);
    s.addProperty("tx", ledger.txId());
    s.addProperty("at", ledger.timestamp().toString());
    ch.status = Status.CLOSED;
    ch.settlement = s;
    ledger.put(ledger.key(CHANNEL, ch.id), ch.toJson());
    emit(ledger, "medledger.ChannelSettled", ch);
  }
}
