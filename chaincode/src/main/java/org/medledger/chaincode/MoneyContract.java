package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Limits;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * Money (docs/chaincode.md §5): the regulator issues to insurers; confidential transfers between
 * patients, hospitals and insurers (paper §3.2–3.3); pending credits, one key each, folded by their
 * owner; balances, history and the regulator's audit view.
 */
@Contract(name = "money", info = @Info(title = "MedLedger money", version = "0.1.0"))
public final class MoneyContract implements ContractInterface {
  /** Most pending credits one transaction may fold. */
  public static final int MAX_FOLD = Limits.MAX_FOLD;
  /** Largest encoded transfer bundle accepted. */
  static final int MAX_BUNDLE_BYTES = 32 * 1024;
  /** Total supply stays strictly below 2^63. */
  static final long MAX_SUPPLY = Long.MAX_VALUE;
  private static final Set<Role> PAYERS = Set.of(Role.PATIENT, Role.INSURER, Role.HOSPITAL);
  private static final Set<Role> PAYEES = Set.of(Role.PATIENT, Role.INSURER, Role.HOSPITAL);


  /**
   * Regulator → insurer: the only place money is created; the amount is public. Signed by the
   * regulator's single key while the channel has no committee; afterwards refused (COMMITTEE_ACT)
   * in favour of committee:issue, signed by t members (docs/chaincode.md §10.2).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String issue(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "issue", "to", "amount");
    Account regulator = req.account();
    Contracts.requireRole(regulator, Role.REGULATOR);
    Contracts.requireOrganisation(ledger, cfg, Role.REGULATOR);
    if (Committee.find(ledger) != null) {
      throw LedgerException.of(ErrorCode.COMMITTEE_ACT, "this channel has a regulator committee: use committee:issue");
    }
    ledger.consumeNonce(regulator.id(), req.nonce());
    return credit(ledger, regulator, req.body());
  }

  /**
   * Creates the issue's credit and record for a request body that was authenticated as the
   * regulator's (money:issue) or as t committee members' (committee:issue).
   */
  static String credit(Ledger ledger, Account regulator, JsonObject body) {
    Account to = ledger.account(Json.string(body, "to", 64));
    Contracts.requireRole(to, Role.INSURER);
    long amount;
    try {
      amount = Json.integer(body, "amount", 1, MAX_SUPPLY - 1);
    } catch (org.hyperledger.fabric.shim.ChaincodeException e) {
      throw LedgerException.of(ErrorCode.INVALID_AMOUNT, "amount must lie in [1, 2^63 − 1)");
    }
    String supplyKey = ledger.key(Ledger.SUPPLY);
    JsonObject supply = ledger.get(supplyKey);
    long issued = supply == null ? 0 : supply.get("issued").getAsLong();
    if (amount >= MAX_SUPPLY - issued) {
      throw LedgerException.of(ErrorCode.SUPPLY_EXCEEDED, "issued " + issued + " + " + amount + " would reach 2^63");
    }
    PaillierPublicKey pk = to.publicKey();
    // A public amount needs no hiding: the credit is the trivial encryption (1+n)^amount.
    PaillierCiphertext credit = pk.ciphertext(pk.gPow(BigInteger.valueOf(amount)));
    String tx = ledger.txId();
    writeCredit(ledger, to.id(), tx, credit, regulator.id(), "ISSUE");
    StatsBuckets.issue(ledger, regulator, to.id(), amount);
    JsonObject record = baseRecord(ledger, "ISSUE", regulator.id(), to.id());
    record.addProperty("amount", amount);
    record.addProperty("amountPayee", b64(credit));
    writeRecord(ledger, record, regulator.id(), to.id());
    JsonObject s = new JsonObject();
    s.addProperty("issued", issued + amount);
    ledger.put(supplyKey, s);
    emit(ledger, "medledger.Issued", record);
    return CanonicalJson.toString(record);
  }

  /**
   * A confidential transfer: verifies the bundle (2a–2d and the regulator copy), sets the payer's
   * new balance, records the payee's credit under its own key and appends the transaction record.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String transfer(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "transfer", "to", "fold", "bundle");
    Account payer = req.account();
    if (!PAYERS.contains(payer.role())) {
      throw LedgerException.of(ErrorCode.WRONG_ROLE, payer.role() + " accounts do not pay");
    }
    Account payee = ledger.account(Json.string(req.body(), "to", 64));
    if (payee.id().equals(payer.id())) {
      throw LedgerException.of(ErrorCode.SELF_TRANSFER, payer.id());
    }
    if (!PAYEES.contains(payee.role())) {
      throw LedgerException.of(ErrorCode.WRONG_ROLE, payee.role() + " accounts do not receive payments");
    }
    Account regulator = Contracts.regulator(ledger);
    List<String> fold = Json.ids(req.body(), "fold", MAX_FOLD, ErrorCode.TOO_MANY_CREDITS);
    byte[] bundleBytes = Json.base64(req.body(), "bundle", MAX_BUNDLE_BYTES);

    PaillierPublicKey pkA = payer.publicKey();
    // Payee and regulator copies are checked as fixed-base powers of their h_s: the keys come from
    // the static KeyCache (fabric-chaincode-java makes a new contract object per transaction), with
    // h_s as stored at registration and, from a key's second use, its table (docs/chaincode.md §1).
    PaillierPublicKey pkB = payee.publicKeyForVerification();
    PaillierPublicKey pkR = regulator.publicKeyForVerification();
    PaillierCiphertext old = foldCredits(ledger, payer, pkA, fold);
    TransferProof bundle = Contracts.decodeBundle(bundleBytes, pkA, pkB, pkR);
    TransferContext tc = new TransferContext(cfg.channel(), cfg.chaincode(), payer.id(), payee.id(), req.nonce());
    PaillierCiphertext newBalance = Contracts.verifyBundle(bundle, new TransferStatement(pkA, pkB, pkR, old, tc));
    String tx = ledger.txId();
    writeBalance(ledger, payer.id(), newBalance);
    writeCredit(ledger, payee.id(), tx, bundle.amountForPayee(), payer.id(), "TRANSFER");
    StatsBuckets.transfer(ledger, payer, payee, tx, bundle.amountForRegulator(), false);
    JsonObject record = baseRecord(ledger, "TRANSFER", payer.id(), payee.id());
    record.addProperty("amountPayer", b64(bundle.amountForPayer()));
    record.addProperty("amountPayee", b64(bundle.amountForPayee()));
    record.addProperty("amountRegulator", b64(bundle.amountForRegulator()));
    record.add("folded", array(fold));
    record.addProperty("proofDigest", sha256(bundleBytes));
    writeRecord(ledger, record, payer.id(), payee.id());
    writeSpent(ledger, payer.id(), req.nonce(), tx);
    ledger.consumeNonce(payer.id(), req.nonce());
    emit(ledger, "medledger.Transferred", record);
    return CanonicalJson.toString(record);
  }

  /**
   * Up to {@link Limits#MAX_BATCH_TRANSFERS} signed transfer requests to one payee, verified
   * together (docs/chaincode.md §5, Batches; {@link BatchTransfers}).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String transferBatch(Context ctx, String batchJson) {
    return BatchTransfers.transferBatch(new Ledger(ctx), batchJson);
  }

  /** Folds named pending credits into the owner's balance (no proof needed: it is homomorphic). */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String fold(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "fold", "credits");
    Account owner = req.account();
    List<String> credits = Json.ids(req.body(), "credits", MAX_FOLD, ErrorCode.TOO_MANY_CREDITS);
    if (credits.isEmpty()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "name at least one credit");
    }
    PaillierCiphertext balance = foldCredits(ledger, owner, owner.publicKey(), credits);
    writeBalance(ledger, owner.id(), balance);
    ledger.consumeNonce(owner.id(), req.nonce());
    JsonObject ev = new JsonObject();
    ev.addProperty("txId", ledger.txId());
    ev.addProperty("account", owner.id());
    ev.add("folded", array(credits));
    emit(ledger, "medledger.Folded", ev);
    return CanonicalJson.toString(balanceView(ledger, owner, balance));
  }

  /** An account's balance ciphertext (folded part); pending credits are listed by {@link #credits}. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String balance(Context ctx, String accountId) {
    Ledger ledger = new Ledger(ctx);
    Account a = ledger.account(accountId);
    return CanonicalJson.toString(balanceView(ledger, a, storedBalance(ledger, a, a.publicKey())));
  }

  /** One page of an account's pending credits, oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String credits(Context ctx, String accountId, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    ledger.account(accountId);
    return Paging.json(ledger.page(Ledger.CREDIT, new String[] {accountId}, Paging.pageSize(pageSize), bookmark));
  }

  /** One page of an account's transactions (as payer or payee), oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String history(Context ctx, String accountId, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    ledger.account(accountId);
    return Paging.json(resolve(ledger, ledger.page(Ledger.HISTORY, new String[] {accountId}, Paging.pageSize(pageSize), bookmark)));
  }

  /** The regulator's view: one page of every transaction on the channel, oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String audit(Context ctx, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    Contracts.requireOrganisation(ledger, ledger.config(), Role.REGULATOR);
    return Paging.json(resolve(ledger, ledger.page(Ledger.ALL_TX, new String[0], Paging.pageSize(pageSize), bookmark)));
  }

  /** A transaction record by id. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getTransaction(Context ctx, String txId) {
    Ledger ledger = new Ledger(ctx);
    JsonObject r = ledger.get(ledger.key(Ledger.TX, txId));
    if (r == null) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "no transaction " + txId);
    }
    return CanonicalJson.toString(r);
  }

  /**
   * The record of the transfer that used nonce {@code nonce} of {@code accountId} (docs/chaincode.md
   * §5): a single transfer's or a batch member's. A payer whose signed request may have been
   * committed by someone else (a relayer, a till) finds it here; MALFORMED_REQUEST if no transfer
   * used that nonce.
   */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String transferByNonce(Context ctx, String accountId, String nonce) {
    Ledger ledger = new Ledger(ctx);
    ledger.account(accountId);
    if (!CanonicalJson.isCanonicalInteger(nonce) || nonce.startsWith("-")) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the nonce must be a non-negative integer");
    }
    JsonObject ref = ledger.get(ledger.key(Ledger.SPENT, accountId, nonceKey(Long.parseLong(nonce))));
    if (ref == null) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "no transfer of " + accountId + " used nonce " + nonce);
    }
    return CanonicalJson.toString(ledger.get(ledger.key(Ledger.TX, ref.get("txId").getAsString())));
  }

  // ------------------------------------------------------------------------------- helpers

  /** Records that {@code payer}'s transfer with {@code nonce} is record {@code recordId}. */
  static void writeSpent(Ledger ledger, String payer, long nonce, String recordId) {
    JsonObject ref = new JsonObject();
    ref.addProperty("txId", recordId);
    ledger.put(ledger.key(Ledger.SPENT, payer, nonceKey(nonce)), ref);
  }

  /** A nonce as a key part: 19 decimal digits. */
  static String nonceKey(long nonce) {
    return String.format("%019d", nonce);
  }

  static PaillierCiphertext storedBalance(Ledger ledger, Account a, PaillierPublicKey pk) {
    JsonObject b = ledger.get(ledger.key(Ledger.BALANCE, a.id()));
    if (b == null) {
      return pk.ciphertext(BigInteger.ONE); // Enc(0; 0): a new account holds nothing
    }
    return ciphertext(pk, b.get("ciphertext").getAsString());
  }

  /** The stored balance times every named credit; deletes the credits. */
  static PaillierCiphertext foldCredits(Ledger ledger, Account owner, PaillierPublicKey pk, List<String> ids) {
    PaillierCiphertext acc = storedBalance(ledger, owner, pk);
    for (String id : ids) {
      String key = ledger.key(Ledger.CREDIT, owner.id(), id);
      JsonObject c = ledger.get(key);
      if (c == null) {
        throw LedgerException.of(ErrorCode.UNKNOWN_CREDIT, id);
      }
      acc = pk.add(acc, ciphertext(pk, c.get("ciphertext").getAsString()));
      ledger.delete(key);
    }
    return acc;
  }

  static PaillierCiphertext ciphertext(PaillierPublicKey pk, String b64) {
    try {
      return PaillierCiphertext.fromBytes(Base64.getDecoder().decode(b64), pk);
    } catch (CryptoException | IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "stored ciphertext is invalid");
    }
  }

  static void writeBalance(Ledger ledger, String account, PaillierCiphertext c) {
    JsonObject b = new JsonObject();
    b.addProperty("account", account);
    b.addProperty("ciphertext", b64(c));
    b.addProperty("tx", ledger.txId());
    ledger.put(ledger.key(Ledger.BALANCE, account), b);
  }

  static void writeCredit(Ledger ledger, String to, String tx, PaillierCiphertext c, String from, String kind) {
    JsonObject o = new JsonObject();
    o.addProperty("id", tx);
    o.addProperty("account", to);
    o.addProperty("ciphertext", b64(c));
    o.addProperty("from", from);
    o.addProperty("kind", kind);
    o.addProperty("timestamp", ledger.timestamp().toString());
    ledger.put(ledger.key(Ledger.CREDIT, to, tx), o);
  }

  static JsonObject baseRecord(Ledger ledger, String kind, String from, String to) {
    JsonObject r = new JsonObject();
    r.addProperty("kind", kind);
    r.addProperty("txId", ledger.txId());
    r.addProperty("timestamp", ledger.timestamp().toString());
    r.addProperty("from", from);
    r.addProperty("to", to);
    return r;
  }

  /** The record, plus index entries for both accounts and the channel-wide audit order. */
  static void writeRecord(Ledger ledger, JsonObject record, String from, String to) {
    String tx = ledger.txId();
    ledger.put(ledger.key(Ledger.TX, tx), record);
    String order = order(ledger.timestamp());
    JsonObject ref = new JsonObject();
    ref.addProperty("txId", tx);
    ledger.put(ledger.key(Ledger.HISTORY, from, order, tx), ref);
    ledger.put(ledger.key(Ledger.HISTORY, to, order, tx), ref);
    ledger.put(ledger.key(Ledger.ALL_TX, order, tx), ref);
  }

  /** Sortable timestamp: 20 decimal digits of nanoseconds since the epoch. */
  static String order(Instant t) {
    BigInteger nanos = BigInteger.valueOf(t.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(t.getNano()));
    return String.format("%020d", nanos);
  }

  private static Ledger.Page resolve(Ledger ledger, Ledger.Page refs) {
    List<JsonObject> out = new java.util.ArrayList<>();
    for (JsonObject ref : refs.items()) {
      JsonObject r = ledger.get(ledger.key(Ledger.TX, ref.get("txId").getAsString()));
      if (r != null) {
        out.add(r);
      }
    }
    return new Ledger.Page(out, refs.bookmark());
  }

  private static JsonObject balanceView(Ledger ledger, Account a, PaillierCiphertext balance) {
    JsonObject o = new JsonObject();
    o.addProperty("account", a.id());
    o.addProperty("balance", b64(balance));
    return o;
  }



  private static void emit(Ledger ledger, String name, JsonObject record) {
    JsonObject ev = new JsonObject();
    ev.addProperty("txId", ledger.txId());
    for (String k : new String[] {"kind", "from", "to", "account"}) {
      if (record.has(k)) {
        ev.add(k, record.get(k));
      }
    }
    ledger.stub().setEvent(name, CanonicalJson.toBytes(ev));
  }

  static JsonArray array(List<String> xs) {
    JsonArray a = new JsonArray();
    xs.forEach(a::add);
    return a;
  }

  static String b64(PaillierCiphertext c) {
    return Base64.getEncoder().encodeToString(c.toBytes());
  }

  static String sha256(byte[] b) {
    SHA256Digest d = new SHA256Digest();
    d.update(b, 0, b.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }

  /**
   * Fabric's contract router calls this for a function the contract lacks; refuse it with the same
   * stable code as the embedded ledger's dispatcher.
   */
  @Override
  public void unknownTransaction(Context ctx) {
    throw Contracts.unknownFunction(ctx);
  }
}
