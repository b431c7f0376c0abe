package org.medledger.chaincode;

import static org.medledger.chaincode.Contracts.emit;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.threshold.ReshareDealing;
import org.medledger.crypto.threshold.Resharing;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;

/**
 * The regulator committee (docs/chaincode.md §10): its registration, the acts that need t members'
 * signatures (issuing money once a committee exists, re-sharing), disclosure requests and shares
 * ({@link Disclosures}), and the disclosure trail.
 */
@Contract(name = "committee", info = @Info(title = "MedLedger regulator committee", version = "0.1.0"))
public final class CommitteeContract implements ContractInterface {
  /** Largest encoded threshold public key accepted: 4096 bits and 64 members is about 67 KB. */
  static final int MAX_KEY_BYTES = 72 * 1024;
  /** Largest re-sharing message accepted (4096 bits, t' = 64: about 33 KB). */
  static final int MAX_DEALING_BYTES = 40 * 1024;

  /**
   * Registers the committee, once, signed by the regulator account (its next nonce) through an
   * organisation that may register REGULATOR: the threshold public key, whose Paillier key must be
   * the regulator account's, its threshold t, and the m member accounts (role COMMITTEE_MEMBER,
   * distinct) in share-index order.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String register(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "committee.register", "publicKey",
        "threshold", "members");
    Account regulator = req.account();
    Contracts.requireRole(regulator, Role.REGULATOR);
    Contracts.requireOrganisation(ledger, cfg, Role.REGULATOR);
    if (Committee.find(ledger) != null) {
      throw LedgerException.of(ErrorCode.COMMITTEE_EXISTS, "the committee is registered once, at channel set-up");
    }
    byte[] keyBytes = Json.base64(req.body(), "publicKey", MAX_KEY_BYTES);
    ThresholdPublicKey pk = decodeKey(keyBytes);
    long t = Json.integer(req.body(), "threshold", 1, ThresholdPublicKey.MAX_MEMBERS);
    List<String> members = Json.ids(req.body(), "members", ThresholdPublicKey.MAX_MEMBERS, ErrorCode.MALFORMED_COMMITTEE_KEY);
    if (t != pk.threshold() || members.size() != pk.members()) {
      throw LedgerException.of(ErrorCode.MALFORMED_COMMITTEE_KEY, "the key is " + pk.threshold() + "-of-" + pk.members()
          + ", the request says " + t + "-of-" + members.size());
    }
    if (!Arrays.equals(pk.paillierKey().toBytes(), regulator.paillierKey())) {
      throw LedgerException.of(ErrorCode.COMMITTEE_KEY_MISMATCH, "the committee key's Paillier key is not "
          + regulator.id() + "'s");
    }
    requireMembers(ledger, members);
    Committee c = new Committee(keyBytes, members, 0, 0, ledger.txId());
    c.save(ledger);
    ledger.consumeNonce(regulator.id(), req.nonce());
    emit(ledger, "medledger.CommitteeRegistered", "regulator", regulator.id(), "threshold", Long.toString(t),
        "members", Integer.toString(members.size()));
    return CanonicalJson.toString(view(c));
  }

  /**
   * Issues money as the regulator, signed by t members (a committee act): once a committee is
   * registered, money:issue with the regulator's single key is refused (COMMITTEE_ACT).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String issue(Context ctx, String actJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Committee c = Committee.load(ledger);
    Contracts.requireOrganisation(ledger, cfg, Role.COMMITTEE_MEMBER);
    JsonObject body = CommitteeActs.authenticate(ledger, cfg, c, actJson, "committee.issue", "to", "amount");
    CommitteeActs.advance(c).save(ledger);
    return MoneyContract.credit(ledger, Contracts.regulator(ledger), body);
  }

  /**
   * Re-shares the committee's secret to a new committee (same n), signed by t current members: the
   * body carries the t re-sharing messages ({@link ReshareDealing}, one per member of the qualified
   * set S) and the new member accounts in the new share-index order. The chaincode verifies every
   * message against the current verification keys and computes the new key itself; the epoch
   * advances, so shares and acts of the old committee are refused afterwards.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String reshare(Context ctx, String actJson) {
    Ledger ledger = new Ledger(ctx);
    ChannelConfig cfg = ledger.config();
    Committee c = Committee.load(ledger);
    Contracts.requireOrganisation(ledger, cfg, Role.COMMITTEE_MEMBER);
    JsonObject body = CommitteeActs.authenticate(ledger, cfg, c, actJson, "committee.reshare", "dealings", "members");
    ThresholdPublicKey old = c.key();
    List<String> encoded = Json.strings(body, "dealings", old.threshold(), 4 * ((MAX_DEALING_BYTES + 2) / 3),
        ErrorCode.RESHARE_INVALID);
    List<ReshareDealing> dealings = new ArrayList<>();
    ThresholdPublicKey next;
    try {
      for (int i = 0; i < encoded.size(); i++) {
        JsonObject holder = new JsonObject();
        holder.addProperty("dealing", encoded.get(i));
        dealings.add(ReshareDealing.fromBytes(Json.base64(holder, "dealing", MAX_DEALING_BYTES), old));
      }
      if (dealings.size() != old.threshold()) {
        throw LedgerException.of(ErrorCode.RESHARE_INVALID, "a re-sharing needs one message from each of t = "
            + old.threshold() + " old members");
      }
      next = Resharing.newPublicKey(old, dealings);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.RESHARE_INVALID, e.getMessage());
    }
    List<String> members = Json.ids(body, "members", ThresholdPublicKey.MAX_MEMBERS, ErrorCode.MALFORMED_COMMITTEE_KEY);
    if (members.size() != next.members()) {
      throw LedgerException.of(ErrorCode.RESHARE_INVALID, "the messages re-share to " + next.members()
          + " members, the request names " + members.size());
    }
    requireMembers(ledger, members);
    Committee n = new Committee(next.toBytes(), members, c.epoch() + 1, 0, c.registrationTx());
    n.save(ledger);
    emit(ledger, "medledger.CommitteeReshared", "epoch", Long.toString(n.epoch()), "threshold",
        Integer.toString(next.threshold()), "members", Integer.toString(members.size()));
    return CanonicalJson.toString(view(n));
  }

  /** The current committee: key, members, epoch, next act sequence number. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getCommittee(Context ctx) {
    Ledger ledger = new Ledger(ctx);
    return CanonicalJson.toString(view(Committee.load(ledger)));
  }

  /** A member opens a disclosure request (docs/chaincode.md §10.3). */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String open(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    return Disclosures.open(ledger, ledger.config(), requestJson);
  }

  /** A member shares a decryption for a request: the share itself (PUBLIC) or its digest (PRIVATE). */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String share(Context ctx, String requestJson) {
    Ledger ledger = new Ledger(ctx);
    return Disclosures.share(ledger, ledger.config(), requestJson);
  }

  /** A disclosure request with its shares of the current epoch. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getDisclosure(Context ctx, String disclosureId) {
    return Disclosures.get(new Ledger(ctx), disclosureId);
  }

  /** Every disclosure request, oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listDisclosures(Context ctx, String pageSize, String bookmark) {
    return Disclosures.list(new Ledger(ctx), pageSize, bookmark);
  }

  /** The signer's disclosure trail: every request that targeted one of its payments. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String trail(Context ctx, String signedQuery, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    return Disclosures.trail(ledger, ledger.config(), signedQuery, pageSize, bookmark);
  }

  private static ThresholdPublicKey decodeKey(byte[] bytes) {
    try {
      return ThresholdPublicKey.fromBytes(bytes);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_COMMITTEE_KEY, e.getMessage());
    }
  }

  /** Each id an existing COMMITTEE_MEMBER account (UNKNOWN_ACCOUNT, WRONG_ROLE). */
  private static void requireMembers(Ledger ledger, List<String> members) {
    for (String id : members) {
      Contracts.requireRole(ledger.account(id), Role.COMMITTEE_MEMBER);
    }
  }

  private static JsonObject view(Committee c) {
    JsonObject o = c.toJson();
    ThresholdPublicKey pk = c.key();
    o.addProperty("threshold", pk.threshold());
    o.addProperty("fingerprint", java.util.HexFormat.of().formatHex(pk.fingerprint()));
    return o;
  }

  @Override
  public void unknownTransaction(Context ctx) {
    throw Contracts.unknownFunction(ctx);
  }
}
