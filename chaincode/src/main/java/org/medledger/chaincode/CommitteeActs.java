package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;

/**
 * Authenticates a committee act (docs/chaincode.md §10.2): one canonical body signed by at least t
 * distinct members of the current committee. The body carries the committee's current epoch and
 * act sequence number; an accepted act advances the sequence, so no act can be replayed, and a
 * re-sharing starts a new epoch, so no act signed for the old committee is accepted after it.
 *
 * <p>Checks, in this order: size and canonical form; members exactly {@code body} and
 * {@code signatures}; the body's type and members; epoch and seq (BAD_SEQUENCE); at most m
 * signatures, distinct accounts (MALFORMED_REQUEST); each signer a current member
 * (NOT_COMMITTEE_MEMBER); each signature valid (BAD_SIGNATURE); at least t of them
 * (NOT_ENOUGH_SIGNATURES).
 */
final class CommitteeActs {
  private CommitteeActs() {}

  /** Returns the authenticated body; the caller writes {@link #advance} with its other writes. */
  static JsonObject authenticate(Ledger ledger, ChannelConfig cfg, Committee committee, String json, String type,
      String... members) {
    if (json == null || EntryCheck.utf8Length(json, Requests.MAX_REQUEST_BYTES) > Requests.MAX_REQUEST_BYTES) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, "request exceeds " + Requests.MAX_REQUEST_BYTES + " bytes");
    }
    JsonObject o = Json.object(json);
    if (!CanonicalJson.toString(o).equals(json)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "the request is not canonical JSON");
    }
    Json.onlyMembers(o, "body", "signatures");
    JsonObject body = Json.obj(o, "body");
    String actual = Json.string(body, "type", 32);
    if (!actual.equals(type)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "expected a " + type + " act, got " + actual);
    }
    String[] all = Arrays.copyOf(members, members.length + 3);
    all[members.length] = "type";
    all[members.length + 1] = "epoch";
    all[members.length + 2] = "seq";
    Json.onlyMembers(body, all);
    long epoch = Json.integer(body, "epoch", 0, Long.MAX_VALUE - 1);
    long seq = Json.integer(body, "seq", 0, Long.MAX_VALUE - 1);
    if (epoch != committee.epoch() || seq != committee.seq()) {
      throw LedgerException.of(ErrorCode.BAD_SEQUENCE, "expected epoch " + committee.epoch() + " seq " + committee.seq()
          + ", got epoch " + epoch + " seq " + seq);
    }
    JsonElement sigs = o.get("signatures");
    if (!sigs.isJsonArray()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "signatures must be an array");
    }
    JsonArray arr = sigs.getAsJsonArray();
    int m = committee.members().size();
    if (arr.size() > m) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "more signatures than the committee has members (" + m + ")");
    }
    byte[] msg = CommitteeProtocol.actSigningBytes(cfg.channel(), cfg.chaincode(), body);
    Set<String> signers = new HashSet<>();
    for (JsonElement e : arr) {
      if (!e.isJsonObject()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a signature must be an object");
      }
      JsonObject s = e.getAsJsonObject();
      Json.onlyMembers(s, "account", "signature");
      String account = Json.id(s, "account");
      if (!signers.add(account)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, account + " signed twice");
      }
      byte[] sig = Json.base64(s, "signature", AccountKeys.SIGNATURE_BYTES);
      committee.requireMember(account);
      Account a = ledger.account(account);
      Contracts.requireRole(a, Role.COMMITTEE_MEMBER);
      if (!AccountKeys.verify(a.signingKey(), msg, sig)) {
        throw LedgerException.of(ErrorCode.BAD_SIGNATURE, account + "'s signature does not verify for this act");
      }
    }
    int t = committee.key().threshold();
    if (signers.size() < t) {
      throw LedgerException.of(ErrorCode.NOT_ENOUGH_SIGNATURES, signers.size() + " valid signatures, the committee needs " + t);
    }
    return body;
  }

  /** The committee after an accepted act of this epoch: seq + 1. */
  static Committee advance(Committee c) {
    return new Committee(c.publicKey(), c.members(), c.epoch(), c.seq() + 1, c.registrationTx());
  }
}
