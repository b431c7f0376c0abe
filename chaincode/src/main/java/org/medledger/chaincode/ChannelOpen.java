package org.medledger.chaincode;

import static org.medledger.chaincode.Channels.CHANNEL;
import static org.medledger.chaincode.Channels.DEPOSIT;
import static org.medledger.chaincode.Channels.PARTY;
import static org.medledger.chaincode.Channels.emit;
import static org.medledger.chaincode.ChannelContract.MAX_DEPTH;
import static org.medledger.chaincode.ChannelContract.MAX_WINDOW_SECONDS;
import static org.medledger.chaincode.ChannelContract.MIN_WINDOW_SECONDS;
import static org.medledger.chaincode.Contracts.decodeBundle;
import static org.medledger.chaincode.Contracts.verifyBundle;
import static org.medledger.chaincode.Json.optionalBase64;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.Context;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;

/**
 * Opening a payment channel (docs/payment-channels.md §4): two signed requests that agree on the
 * terms, each with its party's confidential deposit, verified as a transfer out of that party's
 * balance. {@link ChannelContract} is the contract; this class holds the logic.
 */
final class ChannelOpen {
  private static final Set<Role> PARTY_ROLES = Set.of(Role.PATIENT, Role.HOSPITAL, Role.INSURER);
  private static final Pattern CHANNEL_ID = Pattern.compile("[a-z0-9][a-z0-9-]{7,63}");
  private static final String[] OPEN_MEMBERS = {"channel", "partyA", "partyB", "window", "depth", "fold", "bundle"};

  private ChannelOpen() {}

  /**
   * Opens a channel from two signed requests, one per party, that name the same channel id,
   * parties, window and depth. Each request carries its party's deposit: a transfer bundle out of
   * its balance whose payee copy is under the other party's key (or an empty bundle for a zero
   * deposit). Both nonces are consumed.
   */
  static String open(Context ctx, String requestA, String requestB) {
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
    PaillierPublicKey pkR = Contracts.regulator(ledger).publicKey();
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

  private static Deposit deposit(Ledger ledger, ChannelConfig cfg, String id, Requests.Authenticated req, Account other,
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
    PaillierCiphertext newBalance = verifyBundle(bundle, new TransferStatement(pkX, pkY, pkR, old, tc));
    return new Deposit(payer.id(), bundle.amountForPayer(), bundle.amountForPayee(), bundle.amountForRegulator(),
        newBalance, MoneyContract.sha256(bundleBytes));
  }
}
