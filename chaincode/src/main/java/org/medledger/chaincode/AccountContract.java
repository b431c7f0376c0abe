package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Contexts;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.FactorProof;
import org.medledger.crypto.proof.KeyProof;
import org.medledger.crypto.proof.RingPedersenParams;

/**
 * Channel configuration and accounts (docs/chaincode.md §3): configure once, register accounts
 * with a verified Paillier key proof, read an account.
 */
@Contract(name = "accounts", info = @Info(title = "MedLedger accounts", version = "0.1.0"))
public final class AccountContract implements ContractInterface {
  /** Largest key proof accepted (a 4096-bit proof is 70,276 bytes). */
  static final int MAX_KEY_PROOF_BYTES = 72 * 1024;
  /** Largest channel configuration accepted, in bytes. */
  static final int MAX_CONFIG_BYTES = 16 * 1024;
  /** Largest Π^fac proof accepted (a 4096-bit key against a 3072-bit N̂ gives 5,359 bytes). */
  static final int MAX_FACTOR_PROOF_BYTES = 8 * 1024;

  /** The context bytes a registration's key proof is bound to. */
  /** Sets the channel configuration; allowed once, for a client of one of its admin organisations. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String configure(Context ctx, String configJson) {
    Ledger ledger = new Ledger(ctx);
    if (ledger.get(ledger.key(Ledger.CONFIG)) != null) {
      throw LedgerException.of(ErrorCode.ALREADY_CONFIGURED, "configuration already set");
    }
    if (configJson == null || EntryCheck.utf8Length(configJson, MAX_CONFIG_BYTES) > MAX_CONFIG_BYTES) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, "configuration exceeds 16 KiB");
    }
    ChannelConfig cfg = ChannelConfig.parse(configJson);
    if (!cfg.adminMsps().contains(ledger.callerMsp())) {
      throw LedgerException.of(ErrorCode.FORBIDDEN_ORGANISATION, ledger.callerMsp() + " is not an admin organisation");
    }
    if (!cfg.channel().equals(ledger.stub().getChannelId())) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "configuration names channel " + cfg.channel()
          + " but runs on " + ledger.stub().getChannelId());
    }
    ledger.stub().putState(ledger.key(Ledger.CONFIG), cfg.toJson().getBytes(StandardCharsets.UTF_8));
    ledger.stub().setEvent("medledger.Configured", cfg.toJson().getBytes(StandardCharsets.UTF_8));
    return cfg.toJson();
  }

  /**
   * Registers an account. The body carries role, Paillier key, key proof and Ed25519 signing key;
   * the account id must be the one derived from the signing key, the request is signed by it with
   * nonce 0, the caller's organisation must be allowed to register the role, and the key proof
   * must verify for a modulus of at least 2048 bits. Every role but the regulator registers after
   * records:setup and adds "factorProof", a Π^fac proof against the channel's ring-Pedersen
   * parameters; the regulator, who publishes those parameters, registers before and sends none
   * (docs/protocol.md §3.5, docs/chaincode.md §3).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String register(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Envelope env = Requests.envelope(requestJson, "register");
    JsonObject body = env.body();
    // "factorProof" is present for every role but the regulator; checked against the role below.
    if (body.has("factorProof")) {
      Json.onlyMembers(body, "type", "account", "nonce", "role", "paillierKey", "keyProof", "factorProof",
          "signingKey");
    } else {
      Json.onlyMembers(body, "type", "account", "nonce", "role", "paillierKey", "keyProof", "signingKey");
    }
    byte[] signingKey = Json.base64(body, "signingKey", AccountKeys.PUBLIC_KEY_BYTES);
    if (signingKey.length != AccountKeys.PUBLIC_KEY_BYTES) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "signingKey must be a 32-byte Ed25519 key");
    }
    String id = Json.string(body, "account", 64);
    if (!id.equals(AccountKeys.accountId(signingKey))) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "account id is not derived from the signing key");
    }
    Requests.checkSignature(cfg, env, signingKey);
    if (Json.integer(body, "nonce", 0, Long.MAX_VALUE) != 0) {
      throw LedgerException.of(ErrorCode.BAD_NONCE, "a registration carries nonce 0");
    }
    Role role = Json.role(body.get("role"));
    String msp = ledger.callerMsp();
    if (!cfg.mayRegister(msp, role)) {
      throw LedgerException.of(ErrorCode.FORBIDDEN_ORGANISATION, msp + " may not register " + role + " accounts");
    }
    if (ledger.accountExists(id)) {
      throw LedgerException.of(ErrorCode.ACCOUNT_EXISTS, id);
    }
    if (role == Role.REGULATOR && ledger.get(ledger.key(Ledger.REGULATOR)) != null) {
      throw LedgerException.of(ErrorCode.REGULATOR_EXISTS, "one regulator account per channel");
    }
    RingPedersenParams rp = null;
    if (role == Role.REGULATOR) {
      if (body.has("factorProof")) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST,
            "the regulator registers before records:setup and sends no factorProof");
      }
    } else {
      rp = new RecordStore(ledger).ringPedersen(); // RECORDS_NOT_SET_UP before records:setup
      if (!body.has("factorProof")) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "missing member factorProof");
      }
    }
    byte[] keyBytes = Json.base64(body, "paillierKey", 1100);
    PaillierPublicKey pk;
    try {
      pk = PaillierPublicKey.fromBytes(keyBytes);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_KEY, e.getMessage());
    }
    if (pk.bits() < 2048) {
      throw LedgerException.of(ErrorCode.KEY_TOO_SMALL, pk.bits() + "-bit modulus");
    }
    byte[] proofBytes = Json.base64(body, "keyProof", MAX_KEY_PROOF_BYTES);
    try {
      KeyProof.fromBytes(proofBytes, pk).verify(pk, Contexts.keyProofContext(cfg.channel(), id));
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.KEY_PROOF_INVALID, e.getMessage());
    }
    if (rp != null) {
      byte[] factorBytes = Json.base64(body, "factorProof", MAX_FACTOR_PROOF_BYTES);
      try {
        FactorProof.fromBytes(factorBytes, pk.n(), rp).verify(pk.n(), rp, Contexts.keyProofContext(cfg.channel(), id));
      } catch (CryptoException e) {
        throw LedgerException.of(ErrorCode.FACTOR_PROOF_INVALID, e.getMessage());
      }
    }
    // h_s = h^n mod n² is computed here, once per key, and stored with the account (docs/chaincode.md §1).
    Account a = new Account(id, role, keyBytes, signingKey, msp, ledger.timestamp().toString(), ledger.txId(),
        pk.hsToBytes());
    ledger.save(a);
    ledger.consumeNonce(id, 0);
    if (role == Role.REGULATOR) {
      JsonObject r = new JsonObject();
      r.addProperty("account", id);
      ledger.put(ledger.key(Ledger.REGULATOR), r);
    }
    JsonObject ev = new JsonObject();
    ev.addProperty("account", id);
    ev.addProperty("role", role.name());
    ev.addProperty("txId", ledger.txId());
    ledger.stub().setEvent("medledger.Registered", CanonicalJson.toBytes(ev));
    return CanonicalJson.toString(a.toJson());
  }

  /** An account's public record. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getAccount(Context ctx, String accountId) {
    Ledger ledger = new Ledger(ctx);
    return CanonicalJson.toString(ledger.account(accountId).toJson());
  }

  /** The account's next expected request nonce. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getNonce(Context ctx, String accountId) {
    Ledger ledger = new Ledger(ctx);
    ledger.account(accountId);
    JsonObject o = new JsonObject();
    o.addProperty("account", accountId);
    o.addProperty("next", ledger.nonce(accountId));
    return CanonicalJson.toString(o);
  }

  /** The channel's regulator account id and configuration. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getChannel(Context ctx) {
    Ledger ledger = new Ledger(ctx);
    JsonObject o = new JsonObject();
    o.add("config", CanonicalJson.parseObject(ledger.config().toJson()));
    JsonObject r = ledger.get(ledger.key(Ledger.REGULATOR));
    o.addProperty("regulator", r == null ? "" : r.get("account").getAsString());
    return CanonicalJson.toString(o);
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
