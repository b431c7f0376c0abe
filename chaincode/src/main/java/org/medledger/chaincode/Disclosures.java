package org.medledger.chaincode;

import static org.medledger.chaincode.Contracts.emit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.threshold.Combiner;
import org.medledger.crypto.threshold.DecryptionShare;
import org.medledger.crypto.threshold.PartialDecryption;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.StatsProtocol;

/**
 * Disclosure requests of the {@code committee} contract (docs/chaincode.md §10.3): a member opens
 * a request naming one ciphertext under the regulator key and a reason; members share decryptions
 * of it, on chain (PUBLIC: each share's proof verified here, the plaintext stored at t) or off chain
 * to the requester (PRIVATE: the chain records who shared and the share's digest). Every request
 * enters the disclosure trail of each account whose payment it targets.
 *
 * <p>State: {@code disclosure/<id>} the request; {@code dshare/<id>/<epoch>/<index>} one member's
 * share (or digest) in one epoch; {@code dtrail/<account>/<order>/<id>} an account's trail;
 * {@code alldisc/<order>/<id>} every request.
 */
final class Disclosures {
  static final String DISCLOSURE = "disclosure";
  static final String SHARE = "dshare";
  static final String TRAIL = "dtrail";
  static final String ALL = "alldisc";
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  /**
   * Largest encoded decryption share accepted: a 4096-bit key's version-2 share (with the proof's
   * commitments, docs/protocol.md §10.6) is about 4.3 KB (the version-1 body, about 2.3 KB, and a, b).
   */
  static final int MAX_SHARE_BYTES = 8 * 1024;

  private Disclosures() {}

  // ------------------------------------------------------------------------------- open

  static String open(Ledger ledger, ChannelConfig cfg, String requestJson) {
    Requests.Authenticated req = Requests.authenticate(ledger, cfg, requestJson, "disclosure.open", "disclosureId",
        "targetKind", "targetId", "targetAccount", "reason", "mode");
    Account member = req.account();
    Committee committee = Committee.load(ledger); // members are COMMITTEE_MEMBER accounts (checked at registration)
    committee.requireMember(member.id());
    JsonObject b = req.body();
    String id = Json.string(b, "disclosureId", 64);
    if (!id.equals(CommitteeProtocol.disclosureId(cfg.channel(), cfg.chaincode(), member.id(), req.nonce()))) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "disclosureId is not the one derived from member and nonce");
    }
    CommitteeProtocol.Target kind = enumOf(CommitteeProtocol.Target.class, Json.string(b, "targetKind", 32), "targetKind");
    CommitteeProtocol.Mode mode = enumOf(CommitteeProtocol.Mode.class, Json.string(b, "mode", 16), "mode");
    String targetId = kind == CommitteeProtocol.Target.STATS_BUCKET
        ? Json.string(b, "targetId", StatsProtocol.MAX_BUCKET_ID_CHARS) : Json.id(b, "targetId");
    String targetAccount = Json.optionalString(b, "targetAccount", 64);
    if (!targetAccount.isEmpty()) {
      Ids.check("targetAccount", targetAccount);
    }
    String reason = checkReason(Json.string(b, "reason", CommitteeProtocol.MAX_REASON_CHARS));
    Target t = kind == CommitteeProtocol.Target.STATS_BUCKET
        ? statsTarget(ledger, cfg, targetId, targetAccount, mode, id) : target(ledger, kind, targetId, targetAccount);
    String order = MoneyContract.order(ledger.timestamp());
    JsonObject d = new JsonObject();
    d.addProperty("disclosureId", id);
    d.addProperty("requester", member.id());
    d.addProperty("targetKind", kind.name());
    d.addProperty("targetId", targetId);
    d.addProperty("targetAccount", targetAccount);
    d.addProperty("ciphertext", t.ciphertext());
    d.add("concerned", MoneyContract.array(t.concerned()));
    d.addProperty("reason", reason);
    d.addProperty("mode", mode.name());
    d.addProperty("status", "OPEN");
    d.addProperty("epoch", committee.epoch());
    d.add("sharedBy", new JsonArray());
    d.addProperty("openedAt", ledger.timestamp().toString());
    d.addProperty("openedTx", ledger.txId());
    d.addProperty("order", order);
    ledger.put(ledger.key(DISCLOSURE, id), d);
    JsonObject ref = new JsonObject();
    ref.addProperty("disclosureId", id);
    for (String account : t.concerned()) {
      ledger.put(ledger.key(TRAIL, account, order, id), ref);
    }
    ledger.put(ledger.key(ALL, order, id), ref);
    ledger.consumeNonce(member.id(), req.nonce());
    emit(ledger, "medledger.DisclosureOpened", "disclosureId", id, "requester", member.id(), "targetKind", kind.name(),
        "mode", mode.name());
    return CanonicalJson.toString(d);
  }

  private record Target(String ciphertext, List<String> concerned) {}

  /**
   * The reason is shown to the patients concerned: no control character (C0, DEL, C1), no
   * invisible format character (bidi controls, zero-width; Unicode category Cf) and no lone
   * surrogate, so the text a patient reads is the text stored (MALFORMED_REQUEST).
   */
  static String checkReason(String reason) {
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int type = Character.getType(cp);
      if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.SURROGATE) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, String.format(
            "reason holds U+%04X (a control, format or lone surrogate character)", cp));
      }
      i += Character.charCount(cp);
    }
    return reason;
  }

  /** The regulator ciphertext a target names and the accounts whose payment it is. */
  private static Target target(Ledger ledger, CommitteeProtocol.Target kind, String id, String account) {
    if (kind != CommitteeProtocol.Target.CHANNEL_DEPOSIT && !account.isEmpty()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "targetAccount is for CHANNEL_DEPOSIT only; send \"\"");
    }
    switch (kind) {
      case TRANSFER -> {
        JsonObject r = ledger.get(ledger.key(Ledger.TX, id));
        if (r == null || !r.has("amountRegulator")) {
          throw LedgerException.of(ErrorCode.UNKNOWN_TARGET, id + " is no transaction with a regulator copy");
        }
        // The transfer settling a claim pays for the claim's patient's care: the patient is concerned too.
        JsonObject link = ledger.get(ledger.key(RecordStore.TRANSFER_CLAIM, id));
        JsonObject claim = link == null ? null : ledger.get(ledger.key(RecordStore.CLAIM,
            link.get("claimId").getAsString()));
        return new Target(r.get("amountRegulator").getAsString(), distinct(r.get("from").getAsString(),
            r.get("to").getAsString(), claim == null ? r.get("from").getAsString() : Claim.fromJson(claim).patient()));
      }
      case CLAIM_FEE -> {
        JsonObject c = RecordProtocol.CLAIM_ID.matcher(id).matches() ? ledger.get(ledger.key(RecordStore.CLAIM, id)) : null;
        if (c == null) {
          throw LedgerException.of(ErrorCode.UNKNOWN_TARGET, "no claim " + id);
        }
        // feeRegulator is unproven (docs/records.md §5): it may be another payment's ciphertext,
        // re-randomised, whose parties would never see the request in their trails.
        throw LedgerException.of(ErrorCode.UNPROVEN_TARGET, "the fee of claim " + id
            + " is not proven to be the claim's: disclose the settling transfer instead");
      }
      case CHANNEL_DEPOSIT -> {
        JsonObject dep = account.isEmpty() || id.length() > 64 ? null : ledger.get(ledger.key(Channels.DEPOSIT, id, account));
        if (dep == null) {
          throw LedgerException.of(ErrorCode.UNKNOWN_TARGET, "no deposit of " + account + " in channel " + id);
        }
        PaymentChannel ch = Channels.load(ledger, id);
        return new Target(dep.get("regulator").getAsString(), distinct(ch.partyA, ch.partyB));
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  /** A statistics bucket's aggregate ({@link StatsDisclosure}: closed, folded, at least k, once, PUBLIC). */
  private static Target statsTarget(Ledger ledger, ChannelConfig cfg, String bucketId, String account,
      CommitteeProtocol.Mode mode, String disclosureId) {
    if (!account.isEmpty()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "targetAccount is for CHANNEL_DEPOSIT only; send \"\"");
    }
    StatsDisclosure.Target t = StatsDisclosure.target(ledger, cfg, bucketId, mode, disclosureId);
    return new Target(t.ciphertext(), t.concerned());
  }

  private static List<String> distinct(String... accounts) {
    Set<String> s = new LinkedHashSet<>(List.of(accounts));
    return new ArrayList<>(s);
  }

  // ------------------------------------------------------------------------------- share

  /**
   * A member's share for a request: {@code "share"} (base64 of the encoded decryption share) for a
   * PUBLIC request, {@code "digest"} ({@link CommitteeProtocol#shareDigest}) for a PRIVATE one.
   */
  static String share(Ledger ledger, ChannelConfig cfg, String requestJson) {
    Requests.Envelope env = Requests.envelope(requestJson, "disclosure.share");
    boolean onChain = env.body().has("share");
    Requests.Authenticated req = onChain
        ? Requests.authenticate(ledger, cfg, requestJson, "disclosure.share", "disclosureId", "share")
        : Requests.authenticate(ledger, cfg, requestJson, "disclosure.share", "disclosureId", "digest");
    Account member = req.account();
    Committee committee = Committee.load(ledger);
    int index = committee.requireMember(member.id());
    String id = Json.string(req.body(), "disclosureId", 64);
    JsonObject d = CommitteeProtocol.DISCLOSURE_ID.matcher(id).matches() ? ledger.get(ledger.key(DISCLOSURE, id)) : null;
    if (d == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_DISCLOSURE, id);
    }
    if (!d.get("status").getAsString().equals("OPEN")) {
      throw LedgerException.of(ErrorCode.DISCLOSURE_CLOSED, id + " is " + d.get("status").getAsString());
    }
    boolean publicMode = d.get("mode").getAsString().equals(CommitteeProtocol.Mode.PUBLIC.name());
    if (publicMode != onChain) {
      throw LedgerException.of(ErrorCode.WRONG_MODE, id + " is a " + d.get("mode").getAsString()
          + " request: send " + (publicMode ? "\"share\"" : "\"digest\""));
    }
    // Shares of an earlier epoch do not combine with this one's: a re-sharing restarts the count.
    if (d.get("epoch").getAsLong() != committee.epoch()) {
      d.addProperty("epoch", committee.epoch());
      d.add("sharedBy", new JsonArray());
    }
    JsonArray sharedBy = d.getAsJsonArray("sharedBy");
    for (JsonElement e : sharedBy) {
      if (e.getAsString().equals(member.id())) {
        throw LedgerException.of(ErrorCode.DUPLICATE_SHARE, member.id() + " has shared for " + id + " in this epoch");
      }
    }
    ThresholdPublicKey pk = committee.key();
    JsonObject stored = new JsonObject();
    stored.addProperty("disclosureId", id);
    stored.addProperty("member", member.id());
    stored.addProperty("index", index);
    stored.addProperty("epoch", committee.epoch());
    stored.addProperty("tx", ledger.txId());
    stored.addProperty("timestamp", ledger.timestamp().toString());
    PaillierCiphertext c = PaillierCiphertext.fromBytes(Base64.getDecoder().decode(d.get("ciphertext").getAsString()),
        pk.paillierKey());
    byte[] context = CommitteeProtocol.shareContext(cfg.channel(), cfg.chaincode(), id);
    if (onChain) {
      byte[] bytes = Json.base64(req.body(), "share", MAX_SHARE_BYTES);
      DecryptionShare s;
      try {
        s = DecryptionShare.fromBytes(bytes, pk);
      } catch (CryptoException e) {
        throw LedgerException.of(ErrorCode.MALFORMED_SHARE, e.getMessage());
      }
      if (s.member() != index) {
        throw LedgerException.of(ErrorCode.SHARE_NOT_YOURS, "the share names member " + s.member() + "; "
            + member.id() + " is member " + index);
      }
      try {
        PartialDecryption.verify(pk, c, context, s);
      } catch (CryptoException e) {
        throw LedgerException.of(ErrorCode.SHARE_INVALID, e.getMessage());
      }
      stored.addProperty("share", Base64.getEncoder().encodeToString(bytes));
    } else {
      String digest = Json.string(req.body(), "digest", 64);
      if (!DIGEST.matcher(digest).matches()) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "digest must be 64 lower-case hex digits");
      }
      stored.addProperty("digest", digest);
    }
    ledger.put(ledger.key(SHARE, id, Long.toString(committee.epoch()), String.format("%02d", index)), stored);
    sharedBy.add(member.id());
    if (sharedBy.size() >= pk.threshold()) {
      if (onChain) {
        List<DecryptionShare> shares = new ArrayList<>();
        for (JsonObject o : shares(ledger, id, committee.epoch())) {
          shares.add(DecryptionShare.fromBytes(Base64.getDecoder().decode(o.get("share").getAsString()), pk));
        }
        shares.add(DecryptionShare.fromBytes(Base64.getDecoder().decode(stored.get("share").getAsString()), pk));
        BigInteger m = Combiner.combine(pk, c, context, shares);
        d.addProperty("plaintext", m.toString());
        d.addProperty("status", "OPENED");
      } else {
        d.addProperty("status", "SHARED");
      }
      d.addProperty("closedAt", ledger.timestamp().toString());
      d.addProperty("closedTx", ledger.txId());
    }
    ledger.put(ledger.key(DISCLOSURE, id), d);
    ledger.consumeNonce(member.id(), req.nonce());
    emit(ledger, "medledger.DisclosureShared", "disclosureId", id, "member", member.id(), "status",
        d.get("status").getAsString());
    return CanonicalJson.toString(view(ledger, d));
  }

  /** The shares stored for a request in one epoch, by member index (at most m ≤ 64). */
  private static List<JsonObject> shares(Ledger ledger, String id, long epoch) {
    List<JsonObject> out = new ArrayList<>();
    for (var kv : ledger.scan(SHARE, new String[] {id, Long.toString(epoch)}, ThresholdPublicKey.MAX_MEMBERS)) {
      out.add(CanonicalJson.parseObject(kv.getStringValue()));
    }
    return out;
  }

  // ------------------------------------------------------------------------------- queries

  /** A request with every share (or digest) recorded for it in its current epoch. */
  static JsonObject view(Ledger ledger, JsonObject d) {
    JsonObject o = d.deepCopy();
    JsonArray s = new JsonArray();
    for (JsonObject x : shares(ledger, d.get("disclosureId").getAsString(), d.get("epoch").getAsLong())) {
      s.add(x);
    }
    o.add("shares", s);
    return o;
  }

  static String get(Ledger ledger, String id) {
    JsonObject d = CommitteeProtocol.DISCLOSURE_ID.matcher(id).matches() ? ledger.get(ledger.key(DISCLOSURE, id)) : null;
    if (d == null) {
      throw LedgerException.of(ErrorCode.UNKNOWN_DISCLOSURE, id);
    }
    return CanonicalJson.toString(view(ledger, d));
  }

  /** Every request, oldest first (the committee's and any auditor's list; requests are public). */
  static String list(Ledger ledger, String pageSize, String bookmark) {
    Ledger.Page refs = ledger.page(ALL, new String[0], Paging.pageSize(pageSize), bookmark);
    return Paging.json(resolve(ledger, refs));
  }

  /**
   * The signer's own disclosure trail, oldest first: every request that targeted a payment of the
   * account. Signed like the records trail ({@code records:trail}): no nonce, a {@code notAfter}
   * within {@link RecordProtocol#MAX_QUERY_VALIDITY_SECONDS} of the proposal time.
   */
  static String trail(Ledger ledger, ChannelConfig cfg, String signedQuery, String pageSize, String bookmark) {
    Requests.Envelope env = Requests.envelope(signedQuery, "disclosure.trail");
    Json.onlyMembers(env.body(), "type", "account", "notAfter");
    Account account = ledger.account(Json.string(env.body(), "account", 64));
    long notAfter = Json.integer(env.body(), "notAfter", 0, RecordProtocol.MAX_EXPIRY);
    Requests.checkSignature(cfg, env, account.signingKey());
    Instant now = ledger.timestamp();
    Instant until = Instant.ofEpochSecond(notAfter);
    if (until.isBefore(now) || until.isAfter(now.plusSeconds(RecordProtocol.MAX_QUERY_VALIDITY_SECONDS))) {
      throw LedgerException.of(ErrorCode.QUERY_EXPIRED, "notAfter " + until + " is not within "
          + RecordProtocol.MAX_QUERY_VALIDITY_SECONDS + " s from the proposal time " + now);
    }
    Ledger.Page refs = ledger.page(TRAIL, new String[] {account.id()}, Paging.pageSize(pageSize), bookmark);
    return Paging.json(resolve(ledger, refs));
  }

  private static Ledger.Page resolve(Ledger ledger, Ledger.Page refs) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject ref : refs.items()) {
      JsonObject d = ledger.get(ledger.key(DISCLOSURE, ref.get("disclosureId").getAsString()));
      if (d != null) {
        d.remove("ciphertext");
        out.add(d);
      }
    }
    return new Ledger.Page(out, refs.bookmark());
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String s, String what) {
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown " + what + " " + s);
    }
  }
}
