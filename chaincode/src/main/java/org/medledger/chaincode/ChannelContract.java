package org.medledger.chaincode;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.chaincode.PaymentChannel.Answer;
import org.medledger.chaincode.PaymentChannel.Closing;
import org.medledger.chaincode.PaymentChannel.Status;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * Off-chain payment channels between two accounts (paper §3.4; docs/payment-channels.md §4, the
 * soundness in docs/protocol.md §9): both
 * parties lock confidential deposits, exchange signed states off chain, and settle on chain either
 * cooperatively or unilaterally with a dispute window measured in transaction time. No amount is
 * ever written in plaintext, except what a party reveals to prove that an answer cheated it.
 */
@Contract(name = "channels", info = @Info(title = "MedLedger payment channels", version = "0.1.0"))
public final class ChannelContract implements ContractInterface {
  static final String CHANNEL = "pchan";
  static final String DEPOSIT = "pcdeposit";
  static final String PARTY = "pcparty";
  /** Shortest and longest dispute window, in seconds of transaction time. */
  public static final long MIN_WINDOW_SECONDS = 1;
  public static final long MAX_WINDOW_SECONDS = 30L * 24 * 3600;
  /** Most states the proposer may have signed beyond its latest state signed by both. */
  public static final int MAX_DEPTH = 1024;
  private static final Set<Role> PARTY_ROLES = Set.of(Role.PATIENT, Role.HOSPITAL, Role.INSURER);
  private static final Pattern CHANNEL_ID = Pattern.compile("[a-z0-9][a-z0-9-]{7,63}");
  private static final String[] OPEN_MEMBERS = {"channel", "partyA", "partyB", "window", "depth", "fold", "bundle"};
  private static final String[] STATE_MEMBERS = {"channel", "seq", "payer", "digest", "sigA", "sigB", "bundle"};

  // --------------------------------------------------------------------------------- open

  /**
   * Opens a channel from two signed requests, one per party, that name the same channel id,
   * parties, window and depth. Each request carries its party's deposit: a transfer bundle out of
   * its balance whose payee copy is under the other party's key (or an empty bundle for a zero
   * deposit). Both nonces are consumed.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String open(Context ctx, String requestA, String requestB) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated a = Requests.authenticate(ledger, cfg, requestA, "channelOpen", OPEN_MEMBERS);
    Requests.Authenticated b = Requests.authenticate(ledger, cfg, requestB, "channelOpen", OPEN_MEMBERS);
    for (String m : new String[] {"channel", "partyA", "partyB", "window", "depth"}) {
      if (!a.body().get(m).equals(b.body().get(m))) {
        throw LedgerException.of(ErrorCode.BAD_CHANNEL_TERMS, "the two open requests disagree on " + m);
      }
    }
    String id = Json.string(a.body(), "channel", 64);
    if (!CHANNEL_ID.matcher(id).matches()) {
      throw LedgerException.of(ErrorCode.BAD_CHANNEL_TERMS, "a channel id is 8..64 of [a-z0-9-]");
    }
    Account accA = a.account();
    Account accB = b.account();
    if (!accA.id().equals(Json.string(a.body(), "partyA", 64)) || !accB.id().equals(Json.string(a.body(), "partyB", 64))) {
      throw LedgerException.of(ErrorCode.BAD_CHANNEL_TERMS, "request A must come from partyA and request B from partyB");
    }
    if (accA.id().equals(accB.id())) {
      throw LedgerException.of(ErrorCode.BAD_CHANNEL_TERMS, "a channel needs two different accounts");
    }
    for (Account x : List.of(accA, accB)) {
      if (!PARTY_ROLES.contains(x.role())) {
        throw LedgerException.of(ErrorCode.WRONG_ROLE, x.role() + " accounts do not open channels");
      }
    }
    long window;
    int depth;
    try {
      window = Json.integer(a.body(), "window", MIN_WINDOW_SECONDS, MAX_WINDOW_SECONDS);
      depth = (int) Json.integer(a.body(), "depth", 1, MAX_DEPTH);
    } catch (org.hyperledger.fabric.shim.ChaincodeException e) {
      throw LedgerException.of(ErrorCode.BAD_CHANNEL_TERMS, "window must lie in [" + MIN_WINDOW_SECONDS + ", "
          + MAX_WINDOW_SECONDS + "] seconds and depth in [1, " + MAX_DEPTH + "]");
    }
    String key = ledger.key(CHANNEL, id);
    if (ledger.get(key) != null) {
      throw LedgerException.of(ErrorCode.CHANNEL_EXISTS, id);
    }
    PaillierPublicKey pkR = MoneyContract.regulator(ledger).publicKey();
    Deposit depA = deposit(ledger, cfg, id, a, accB, pkR);
    Deposit depB = deposit(ledger, cfg, id, b, accA, pkR);

    String tx = ledger.txId();
    PaymentChannel ch = new PaymentChannel(id, accA.id(), accB.id(), window, depth, tx, ledger.timestamp().toString());
    for (Deposit d : List.of(depA, depB)) {
      if (d.newBalance() != null) {
        MoneyContract.writeBalance(ledger, d.account(), d.newBalance());
      }
      ledger.put(ledger.key(DEPOSIT, id, d.account()), d.toJson(id, tx));
      JsonObject idx = new JsonObject();
      idx.addProperty("channel", id);
      ledger.put(ledger.key(PARTY, d.account(), id), idx);
    }
    ledger.put(key, ch.toJson());
    JsonObject record = MoneyContract.baseRecord(ledger, "CHANNEL_OPEN", accA.id(), accB.id());
    record.addProperty("channel", id);
    record.addProperty("amountPayer", MoneyContract.b64(depA.own()));
    record.addProperty("amountPayee", MoneyContract.b64(depB.own()));
    record.addProperty("amountRegulator", MoneyContract.b64(pkR.add(depA.regulator(), depB.regulator())));
    record.addProperty("depositRegulatorA", MoneyContract.b64(depA.regulator()));
    record.addProperty("depositRegulatorB", MoneyContract.b64(depB.regulator()));
    MoneyContract.writeRecord(ledger, record, accA.id(), accB.id());
    ledger.consumeNonce(accA.id(), a.nonce());
    ledger.consumeNonce(accB.id(), b.nonce());
    emit(ledger, "medledger.ChannelOpened", ch);
    return CanonicalJson.toString(ch.toJson());
  }

  /** A party's deposit: the amount under its own key, the other party's key and the regulator's. */
  private record Deposit(String account, PaillierCiphertext own, PaillierCiphertext other,
      PaillierCiphertext regulator, PaillierCiphertext newBalance, String proofDigest) {
    JsonObject toJson(String channel, String tx) {
      JsonObject o = new JsonObject();
      o.addProperty("channel", channel);
      o.addProperty("account", account);
      o.addProperty("own", MoneyContract.b64(own));
      o.addProperty("other", MoneyContract.b64(other));
      o.addProperty("regulator", MoneyContract.b64(regulator));
      o.addProperty("proofDigest", proofDigest);
      o.addProperty("tx", tx);
      return o;
    }
  }

  private Deposit deposit(Ledger ledger, ChannelConfig cfg, String id, Requests.Authenticated req, Account other,
      PaillierPublicKey pkR) {
    Account payer = req.account();
    PaillierPublicKey pkX = payer.publicKey();
    PaillierPublicKey pkY = other.publicKey();
    List<String> fold = Json.ids(req.body(), "fold", MoneyContract.MAX_FOLD, ErrorCode.TOO_MANY_CREDITS);
    byte[] bundleBytes = optionalBase64(req.body(), "bundle", MoneyContract.MAX_BUNDLE_BYTES);
    if (bundleBytes == null) {
      if (!fold.isEmpty()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a zero deposit folds no credits");
      }
      // Enc(0; 0) = 1 under each key: a zero deposit is public, and nothing leaves the balance.
      return new Deposit(payer.id(), pkX.ciphertext(BigInteger.ONE), pkY.ciphertext(BigInteger.ONE),
          pkR.ciphertext(BigInteger.ONE), null, "");
    }
    PaillierCiphertext old = MoneyContract.foldCredits(ledger, payer, pkX, fold);
    TransferProof bundle = decodeBundle(bundleBytes, pkX, pkY, pkR);
    TransferContext tc = new TransferContext(cfg.channel(), cfg.chaincode(), payer.id(),
        ChannelMessages.depositPayee(id), req.nonce());
    PaillierCiphertext newBalance = verify(bundle, new TransferStatement(pkX, pkY, pkR, old, tc));
    return new Deposit(payer.id(), bundle.amountForPayer(), bundle.amountForPayee(), bundle.amountForRegulator(),
        newBalance, MoneyContract.sha256(bundleBytes));
  }

  // ----------------------------------------------------------------------- cooperative close

  /**
   * Closes on a final state whose close message both parties signed: the net payer's settlement
   * bundle moves the net amount out of its deposit to the other party; with no payer both
   * deposits are refunded. Allowed while the channel is open, and while it closes unilaterally on
   * a state no later than this one.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String coopClose(Context ctx, String request) {
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

  // ------------------------------------------------------------------------------ touch

  /**
   * Advances an open channel's time to this transaction's timestamp and writes it (docs/protocol.md
   * §9.5). Each party's watcher touches its open channels every fraction of the window: a close
   * back-dated by its submitter then counts as happening no earlier than the last touch, so the
   * window it starts still leaves the other party most of a window to dispute. Either party may
   * touch; the request consumes its nonce. Refused unless the channel is open.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String touch(Context ctx, String request) {
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
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String close(Context ctx, String request) {
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
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String dispute(Context ctx, String request) {
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
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String answer(Context ctx, String request) {
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
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String contest(Context ctx, String request) {
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

  /**
   * After the deadline, settles the state being closed on: a refund when nobody pays, the answer's
   * split when the net payer answered, and otherwise the net payer's deposit goes to the other
   * party. Anyone on the Fabric channel may call it; the outcome depends on the ledger only.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String settle(Context ctx, String channelId) {
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

  // ---------------------------------------------------------------------------------- queries

  /** The channel record and both deposits (ciphertexts only). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getChannel(Context ctx, String channelId) {
    Ledger ledger = new Ledger(ctx);
    PaymentChannel ch = load(ledger, channelId);
    JsonObject o = new JsonObject();
    o.add("channel", ch.toJson());
    JsonObject deposits = new JsonObject();
    deposits.add("A", ledger.get(ledger.key(DEPOSIT, ch.id, ch.partyA)));
    deposits.add("B", ledger.get(ledger.key(DEPOSIT, ch.id, ch.partyB)));
    o.add("deposits", deposits);
    return CanonicalJson.toString(o);
  }

  /** One page of the ids of an account's channels. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String channelsOf(Context ctx, String accountId, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    ledger.account(accountId);
    return Paging.json(ledger.page(PARTY, new String[] {accountId}, Paging.pageSize(pageSize), bookmark));
  }

  // ---------------------------------------------------------------------------------- helpers

  private static PaymentChannel load(Ledger ledger, String id) {
    Ids.check("channel", id);
    JsonObject o = id.length() > 64 ? null : ledger.get(ledger.key(CHANNEL, id));
    if (o == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_CHANNEL, String.valueOf(id));
    }
    return PaymentChannel.fromJson(o);
  }

  private static void requireParty(PaymentChannel ch, String account) {
    if (!ch.isParty(account)) {
      throw LedgerException.of(ErrorCode.NOT_A_PARTY, account + " is not a party of " + ch.id);
    }
  }

  /**
   * The channel's time: the latest transaction timestamp it has seen. A transaction dated before
   * the channel's last one counts as happening at that time, so back-dating cannot move a
   * transaction before an earlier one on the channel (e.g. an answer before a settle), while an
   * honest client whose clock lags a little is not refused. Windows are measured in it.
   */
  // A close back-dated below channel time therefore starts its window at channel time: the
  // deadline is max(channel time before, tx time) + window. While a channel is open only touch
  // writes channel time, so a close can be back-dated to the last touch but no earlier.
  private static void advanceTime(Ledger ledger, PaymentChannel ch) {
    Instant now = ledger.timestamp();
    if (now.isAfter(ch.updatedAt)) {
      ch.updatedAt = now;
    }
  }

  private static void requireClosingBeforeDeadline(Ledger ledger, PaymentChannel ch) {
    advanceTime(ledger, ch);
    if (ch.status != Status.CLOSING) {
      throw LedgerException.of(ErrorCode.CHANNEL_STATE, "channel " + ch.id + " is " + ch.status);
    }
    if (!ch.updatedAt.isBefore(ch.closing.deadline())) {
      throw LedgerException.of(ErrorCode.WINDOW_CLOSED, "the window ended at " + ch.closing.deadline());
    }
  }

  private static ChannelMessages.Scope scope(ChannelConfig cfg, PaymentChannel ch) {
    return new ChannelMessages.Scope(cfg.channel(), cfg.chaincode(), ch.id);
  }

  private static String payer(JsonObject body, PaymentChannel ch) {
    String payer = optionalString(body, "payer", 64);
    if (!payer.isEmpty() && !ch.isParty(payer)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the payer must be a party of the channel or empty");
    }
    return payer;
  }

  /** The state digest: 64 lowercase hex digits, or empty for state 0 only. */
  private static byte[] digest(JsonObject body, long seq) {
    String hex = optionalString(body, "digest", 64);
    if (hex.isEmpty() && seq == 0) {
      return new byte[0];
    }
    try {
      byte[] d = HexFormat.of().parseHex(hex);
      if (d.length == ChannelMessages.DIGEST_BYTES && HexFormat.of().formatHex(d).equals(hex)) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "digest must be 64 lowercase hex digits");
  }

  private static void checkSignatures(Ledger ledger, PaymentChannel ch, JsonObject body, byte[] msg) {
    byte[] sigA = optionalBase64(body, "sigA", AccountKeys.SIGNATURE_BYTES);
    byte[] sigB = optionalBase64(body, "sigB", AccountKeys.SIGNATURE_BYTES);
    if (sigA == null || sigB == null) {
      throw LedgerException.of(ErrorCode.BAD_STATE_SIGNATURE, "both parties' signatures are needed");
    }
    if (!AccountKeys.verify(ledger.account(ch.partyA).signingKey(), msg, sigA)) {
      throw LedgerException.of(ErrorCode.BAD_STATE_SIGNATURE, "partyA's signature does not verify");
    }
    if (!AccountKeys.verify(ledger.account(ch.partyB).signingKey(), msg, sigB)) {
      throw LedgerException.of(ErrorCode.BAD_STATE_SIGNATURE, "partyB's signature does not verify");
    }
  }

  /** A submitted state (seq, payer, digest), its signatures checked; state 0 needs none. */
  private record Claim(long seq, String payer, String digest) {}

  private static Claim checkedState(Ledger ledger, ChannelConfig cfg, PaymentChannel ch, JsonObject body) {
    long seq = Json.integer(body, "seq", 0, Long.MAX_VALUE - 1);
    String payer = payer(body, ch);
    byte[] d = digest(body, seq);
    if (seq == 0) {
      if (!payer.isEmpty() || d.length != 0 || !optionalString(body, "sigA", 128).isEmpty()
          || !optionalString(body, "sigB", 128).isEmpty()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST,
            "state 0 is the opening state: no payer, an empty digest and no signatures");
      }
      return new Claim(0, "", "");
    }
    checkSignatures(ledger, ch, body, ChannelMessages.stateSigningBytes(scope(cfg, ch), seq, payer, d));
    return new Claim(seq, payer, HexFormat.of().formatHex(d));
  }

  /**
   * The closing record for a state submitted by {@code submitter}: if the submitter is the state's
   * net payer its bundle is required and verified (the state is then answered), otherwise no bundle
   * may come. The window starts now.
   */
  private Closing submittedState(Ledger ledger, ChannelConfig cfg, PaymentChannel ch, JsonObject body, String submitter) {
    Claim s = checkedState(ledger, cfg, ch, body);
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

  /**
   * Verifies the net payer's settlement bundle: a transfer out of its deposit ciphertext to the
   * other party, bound to the channel and the state's sequence number.
   */
  private Answer settlement(Ledger ledger, ChannelConfig cfg, PaymentChannel ch, String payer, long seq, byte[] bundleBytes) {
    Account x = ledger.account(payer);
    Account y = ledger.account(ch.other(payer));
    PaillierPublicKey pkX = x.publicKey();
    PaillierPublicKey pkY = y.publicKey();
    PaillierPublicKey pkR = MoneyContract.regulator(ledger).publicKey();
    PaillierCiphertext deposit = depositCiphertext(ledger, ch, payer, "own", pkX);
    TransferProof bundle = decodeBundle(bundleBytes, pkX, pkY, pkR);
    TransferContext tc = new TransferContext(cfg.channel(), cfg.chaincode(), payer,
        ChannelMessages.settlementPayee(ch.id), seq);
    PaillierCiphertext rest = verify(bundle, new TransferStatement(pkX, pkY, pkR, deposit, tc));
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
  private void split(Ledger ledger, PaymentChannel ch, Answer a, String how) {
    String x = a.payer();
    String y = ch.other(x);
    PaillierPublicKey pkX = ledger.account(x).publicKey();
    PaillierPublicKey pkY = ledger.account(y).publicKey();
    PaillierCiphertext toY = pkY.add(depositCiphertext(ledger, ch, y, "own", pkY), MoneyContract.ciphertext(pkY, a.amountPayee()));
    String tx = ledger.txId();
    MoneyContract.writeCredit(ledger, x, tx, MoneyContract.ciphertext(pkX, a.newBalance()), ch.id, "CHANNEL");
    MoneyContract.writeCredit(ledger, y, tx, toY, ch.id, "CHANNEL");
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
  private static void allTo(Ledger ledger, PaymentChannel ch, String winner, String loser, String kind, String reason) {
    PaillierPublicKey pkW = ledger.account(winner).publicKey();
    PaillierCiphertext all = pkW.add(depositCiphertext(ledger, ch, winner, "own", pkW),
        depositCiphertext(ledger, ch, loser, "other", pkW));
    MoneyContract.writeCredit(ledger, winner, ledger.txId(), all, ch.id, "CHANNEL");
    JsonObject dep = ledger.get(ledger.key(DEPOSIT, ch.id, loser));
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

  private static TransferProof decodeBundle(byte[] bytes, PaillierPublicKey pkX, PaillierPublicKey pkY, PaillierPublicKey pkR) {
    try {
      return TransferProof.fromBytes(bytes, pkX, pkY, pkR);
    } catch (MalformedInputException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_PROOF, e.getMessage());
    }
  }

  private static PaillierCiphertext verify(TransferProof bundle, TransferStatement st) {
    try {
      return bundle.verify(st);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.TRANSFER_PROOF_INVALID, e.getMessage());
    }
  }

  /** A string member that may be empty (Json.string refuses empty strings). */
  private static String optionalString(JsonObject o, String name, int maxLength) {
    JsonElement e = o.get(name);
    if (e instanceof JsonPrimitive p && p.isString() && p.getAsString().isEmpty()) {
      return "";
    }
    return Json.string(o, name, maxLength);
  }

  /** A base64 member, or null for the empty string. */
  private static byte[] optionalBase64(JsonObject o, String name, int maxBytes) {
    JsonElement e = o.get(name);
    if (e instanceof JsonPrimitive p && p.isString() && p.getAsString().isEmpty()) {
      return null;
    }
    return Json.base64(o, name, maxBytes);
  }

  /** One event per transaction, with ids, parties, status and the closing fields; never an amount. */
  private static void emit(Ledger ledger, String name, PaymentChannel ch) {
    JsonObject ev = new JsonObject();
    ev.addProperty("txId", ledger.txId());
    ev.addProperty("channel", ch.id);
    ev.addProperty("partyA", ch.partyA);
    ev.addProperty("partyB", ch.partyB);
    ev.addProperty("status", ch.status.name());
    if (ch.closing != null && ch.status == Status.CLOSING) {
      ev.addProperty("seq", ch.closing.seq());
      ev.addProperty("payer", ch.closing.payer());
      ev.addProperty("submittedBy", ch.closing.submittedBy());
      ev.addProperty("deadline", ch.closing.deadline().toString());
      ev.addProperty("answered", ch.closing.answer() != null);
    }
    if (ch.settlement != null) {
      ev.addProperty("outcome", ch.settlement.get("kind").getAsString());
    }
    ledger.stub().setEvent(name, CanonicalJson.toBytes(ev));
  }

  /** Fabric's contract router calls this for a function the contract lacks: the same code as the entry check. */
  @Override
  public void unknownTransaction(Context ctx) {
    throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function " + ctx.getStub().getFunction());
  }
}
