package org.medledger.chaincode;

import static org.medledger.chaincode.Json.optionalBase64;
import static org.medledger.chaincode.Json.optionalString;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.HexFormat;
import org.hyperledger.fabric.contract.Context;
import org.medledger.chaincode.PaymentChannel.Status;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.ErrorCode;

/**
 * What the parts of the {@code channels} contract share (docs/chaincode.md §9,
 * docs/payment-channels.md §4): the keys a channel is stored under, loading a channel, the party
 * check, channel time, the fields of a signed state and its two signatures, the event, and the
 * two queries. {@link ChannelContract} is the contract; {@link ChannelOpen},
 * {@link ChannelDispute} and {@link ChannelSettlement} hold the logic of its functions.
 */
final class Channels {
  static final String CHANNEL = "pchan";
  static final String DEPOSIT = "pcdeposit";
  static final String PARTY = "pcparty";
  /** The members of a request that submits a state: close, dispute and cooperative close. */
  static final String[] STATE_MEMBERS = {"channel", "seq", "payer", "digest", "sigA", "sigB", "bundle"};

  private Channels() {}

  // ---------------------------------------------------------------------------------- queries

  /** The channel record and both deposits (ciphertexts only). */
  static String getChannel(Context ctx, String channelId) {
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
  static String channelsOf(Context ctx, String accountId, String pageSize, String bookmark) {
    Ledger ledger = new Ledger(ctx);
    ledger.account(accountId);
    return Contracts.page(ledger, PARTY, accountId, pageSize, bookmark, ref -> ref);
  }

  // ---------------------------------------------------------------------------------- shared

  /** The channel {@code id}; UNKNOWN_CHANNEL if there is none (MALFORMED_REQUEST for a malformed id). */
  static PaymentChannel load(Ledger ledger, String id) {
    Ids.check("channel", id);
    JsonObject o = id.length() > 64 ? null : ledger.get(ledger.key(CHANNEL, id));
    if (o == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_CHANNEL, String.valueOf(id));
    }
    return PaymentChannel.fromJson(o);
  }

  /** NOT_A_PARTY unless {@code account} is one of the channel's two parties. */
  static void requireParty(PaymentChannel ch, String account) {
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
  static void advanceTime(Ledger ledger, PaymentChannel ch) {
    Instant now = ledger.timestamp();
    if (now.isAfter(ch.updatedAt)) {
      ch.updatedAt = now;
    }
  }

  /** What every signed channel message is bound to: the Fabric channel, the chaincode, the channel id. */
  static ChannelMessages.Scope scope(ChannelConfig cfg, PaymentChannel ch) {
    return new ChannelMessages.Scope(cfg.channel(), cfg.chaincode(), ch.id);
  }

  /** A state's net payer: a party of the channel, or empty when nobody pays. */
  static String payer(JsonObject body, PaymentChannel ch) {
    String payer = optionalString(body, "payer", 64);
    if (!payer.isEmpty() && !ch.isParty(payer)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the payer must be a party of the channel or empty");
    }
    return payer;
  }

  /** The state digest: 64 lowercase hex digits, or empty for state 0 only. */
  static byte[] digest(JsonObject body, long seq) {
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

  /** BAD_STATE_SIGNATURE unless both parties signed {@code msg} (sigA and sigB of the body). */
  static void checkSignatures(Ledger ledger, PaymentChannel ch, JsonObject body, byte[] msg) {
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

  /** One event per transaction, with ids, parties, status and the closing fields; never an amount. */
  static void emit(Ledger ledger, String name, PaymentChannel ch) {
    JsonObject ev = new JsonObject();
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
    Contracts.emit(ledger, name, ev);
  }
}
