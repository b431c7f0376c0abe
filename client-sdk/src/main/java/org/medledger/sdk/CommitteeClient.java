package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.threshold.Combiner;
import org.medledger.crypto.threshold.DecryptionShare;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.PartialDecryption;
import org.medledger.crypto.threshold.ReshareDealing;
import org.medledger.crypto.threshold.Resharing;
import org.medledger.crypto.threshold.SubShare;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.Role;
import org.medledger.sdk.internal.ClientBuilder;
import org.medledger.sdk.internal.Requests;

/**
 * The regulator committee's client (docs/client-sdk.md §12): dealing the committee key, registering
 * the regulator account and the committee, disclosure requests and shares (PUBLIC on chain, PRIVATE
 * off chain to the requester), combining, committee acts signed by t members (issuing money,
 * re-sharing) and the disclosure trail. Built on one account's secrets: the regulator's for
 * registration, a member's for requests, shares and acts, any account's for its own trail.
 *
 * <p>Key shares are passed in by the caller (read them with {@link ShareKeystore}); the client
 * never stores or prints them. One client sends one state-changing request at a time.
 */
public final class CommitteeClient {
  private final Requests requests;
  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Clock clock;

  /** A client with the default settings (the system clock); {@link #builder()} sets the others. */
  public CommitteeClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this(secrets, ledger, rnd, Clock.systemUTC());
  }

  private CommitteeClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd, Clock clock) {
    this.requests = new Requests(secrets, ledger, rnd);
    this.secrets = secrets;
    this.ledger = ledger;
    this.rnd = rnd;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CommitteeClient}: secrets, ledger and random source are required. */
  public static final class Builder extends ClientBuilder<Builder> {
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The clock this member's client judges a statistics bucket's month by before it shares
     * ({@link #share}); the system clock by default.
     */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public CommitteeClient build() {
      requireParts();
      return new CommitteeClient(secrets(), ledger(), random(), clock);
    }
  }

  /** The committee as the ledger holds it now. */
  public record Committee(ThresholdPublicKey publicKey, List<String> members, long epoch, long seq) {
    public Committee {
      members = List.copyOf(members);
    }

    /** Member index (1-based) of {@code account}, or 0. */
    public int indexOf(String account) {
      return members.indexOf(account) + 1;
    }
  }

  public String accountId() {
    return secrets.accountId();
  }

  // ------------------------------------------------------------------------------- dealing

  /**
   * Deals a fresh t-of-m committee key of {@code size} (a safe-prime search: seconds at 2048 bits,
   * tens of seconds at 3072) with the key proof bound to the regulator account's registration.
   * The dealer sees every share: run it on an offline machine and erase it (docs/protocol.md §10.5).
   */
  public static ThresholdDealer.Dealing deal(KeySize size, int threshold, int members, String channel,
      String regulatorAccount, SecureRandom rnd) {
    return ThresholdDealer.deal(size, threshold, members, CommitteeProtocol.dealingContext(channel, regulatorAccount), rnd);
  }

  /** As {@link #deal}, from given safe primes (tests; a ceremony that searched for its own primes). */
  public static ThresholdDealer.Dealing dealFromSafePrimes(BigInteger p, BigInteger q, int threshold, int members,
      String channel, String regulatorAccount, SecureRandom rnd) {
    return ThresholdDealer.dealFromSafePrimes(p, q, threshold, members,
        CommitteeProtocol.dealingContext(channel, regulatorAccount), rnd);
  }

  // ------------------------------------------------------------------------------- regulator

  /**
   * Registers this client's account as the channel's regulator with the committee key as its
   * Paillier key and the dealer's key proof (accounts:register). The account's secrets are
   * {@link AccountSecrets#signingOnly}: nobody holds the regulator's Paillier secret.
   */
  public void registerRegulator(ThresholdDealer.Dealing dealing) throws LedgerCallException {
    requireRole(Role.REGULATOR);
    JsonObject b = requests.body("register", 0);
    b.addProperty("role", Role.REGULATOR.name());
    b.addProperty("paillierKey", Requests.b64(dealing.publicKey().paillierKey().toBytes()));
    b.addProperty("keyProof", Requests.b64(dealing.keyProof().toBytes()));
    b.addProperty("signingKey", Requests.b64(secrets.signingPublicKey()));
    ledger.submit("accounts:register", requests.sign(b));
  }

  /** Registers the committee (regulator only, once): its key and the member accounts in share-index order. */
  public Committee registerCommittee(ThresholdPublicKey pk, List<String> members) throws LedgerCallException {
    requireRole(Role.REGULATOR);
    String out = requests.submit("committee:register", nonce -> {
      JsonObject b = requests.body("committee.register", nonce);
      b.addProperty("publicKey", Requests.b64(pk.toBytes()));
      b.addProperty("threshold", pk.threshold());
      JsonArray a = new JsonArray();
      members.forEach(a::add);
      b.add("members", a);
      return b;
    });
    return committee(CanonicalJson.parseObject(out));
  }

  /** The current committee. */
  public Committee committee() throws LedgerCallException {
    return committee(CanonicalJson.parseObject(ledger.evaluate("committee:getCommittee")));
  }

  private static Committee committee(JsonObject o) {
    List<String> members = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray("members")) {
      members.add(e.getAsString());
    }
    return new Committee(ThresholdPublicKey.fromBytes(Requests.unb64(o.get("publicKey").getAsString())), members,
        o.get("epoch").getAsLong(), o.get("seq").getAsLong());
  }

  // ------------------------------------------------------------------------------- disclosures

  /**
   * Opens a disclosure request (member only): the regulator ciphertext of {@code kind} and
   * {@code targetId} ({@code targetAccount} names the depositing party of a CHANNEL_DEPOSIT and is
   * "" otherwise), the reason (1..500 characters, stored on chain) and the mode.
   */
  public Disclosure open(CommitteeProtocol.Target kind, String targetId, String targetAccount, String reason,
      CommitteeProtocol.Mode mode) throws LedgerCallException {
    String out = requests.submit("committee:open", nonce -> {
      JsonObject b = requests.body("disclosure.open", nonce);
      b.addProperty("disclosureId", CommitteeProtocol.disclosureId(ledger.channel(), ledger.chaincode(), accountId(), nonce));
      b.addProperty("targetKind", kind.name());
      b.addProperty("targetId", targetId);
      b.addProperty("targetAccount", targetAccount);
      b.addProperty("reason", reason);
      b.addProperty("mode", mode.name());
      return b;
    });
    return Disclosure.fromJson(CanonicalJson.parseObject(out));
  }

  /** A request as the ledger holds it now. */
  public Disclosure disclosure(String id) throws LedgerCallException {
    return Disclosure.fromJson(CanonicalJson.parseObject(ledger.evaluate("committee:getDisclosure", id)));
  }

  /** Every disclosure request on the channel, oldest first. */
  public List<Disclosure> disclosures() throws LedgerCallException {
    List<Disclosure> out = new ArrayList<>();
    for (JsonObject o : requests.pages("committee:listDisclosures")) {
      out.add(Disclosure.fromJson(o));
    }
    return out;
  }

  /**
   * This account's disclosure trail: every request that targeted one of its payments, oldest
   * first, through a signed query valid for {@link RecordClient#TRAIL_QUERY_VALIDITY}.
   */
  public List<Disclosure> trail() throws LedgerCallException {
    JsonObject q = new JsonObject();
    q.addProperty("type", "disclosure.trail");
    q.addProperty("account", accountId());
    q.addProperty("notAfter", ledger.queryTime().plus(RecordClient.TRAIL_QUERY_VALIDITY).getEpochSecond());
    List<Disclosure> out = new ArrayList<>();
    for (JsonObject o : requests.pages("committee:trail", requests.sign(q))) {
      out.add(Disclosure.fromJson(o));
    }
    return out;
  }

  /**
   * Shares this member's decryption for a PUBLIC request on chain; the chaincode verifies its proof
   * and, with the t-th share, stores the plaintext. Returns the request after the share.
   *
   * @throws ClientRefusalException WRONG_MODE for a PRIVATE request; STATS_MONTH_NOT_OVER for the
   *     opening of a statistics bucket whose month is not over by this client's clock (the requester
   *     post-dated the request, docs/chaincode.md §11.2); nothing sent
   */
  public Disclosure share(String disclosureId, KeyShare share) throws LedgerCallException, ClientRefusalException {
    Pending p = prepare(disclosureId, share, CommitteeProtocol.Mode.PUBLIC);
    byte[] bytes = p.share().toBytesWithCommitments(p.pk());
    String out = requests.submit("committee:share", nonce -> {
      JsonObject b = requests.body("disclosure.share", nonce);
      b.addProperty("disclosureId", disclosureId);
      b.addProperty("share", Requests.b64(bytes));
      return b;
    });
    return Disclosure.fromJson(CanonicalJson.parseObject(out));
  }

  /**
   * Makes this member's decryption share for a PRIVATE request, records its digest on chain and
   * returns the share's encoding, to be sent to the requester (only) over a channel of the members'
   * choosing. The share is public-verifiable but decrypts the target with t − 1 others: treat it as
   * confidential.
   *
   * @throws ClientRefusalException WRONG_MODE for a PUBLIC request (nothing sent)
   */
  public byte[] sharePrivately(String disclosureId, KeyShare share) throws LedgerCallException, ClientRefusalException {
    Pending p = prepare(disclosureId, share, CommitteeProtocol.Mode.PRIVATE);
    byte[] bytes = p.share().toBytesWithCommitments(p.pk());
    String digest = CommitteeProtocol.shareDigest(bytes);
    requests.submit("committee:share", nonce -> {
      JsonObject b = requests.body("disclosure.share", nonce);
      b.addProperty("disclosureId", disclosureId);
      b.addProperty("digest", digest);
      return b;
    });
    return bytes;
  }

  private record Pending(ThresholdPublicKey pk, DecryptionShare share) {}

  private Pending prepare(String disclosureId, KeyShare share, CommitteeProtocol.Mode mode)
      throws LedgerCallException, ClientRefusalException {
    JsonObject d = CanonicalJson.parseObject(ledger.evaluate("committee:getDisclosure", disclosureId));
    if (!d.get("mode").getAsString().equals(mode.name())) {
      throw new ClientRefusalException(ClientError.WRONG_MODE, disclosureId + " is a " + d.get("mode").getAsString()
          + " request");
    }
    if (d.get("targetKind").getAsString().equals(CommitteeProtocol.Target.STATS_BUCKET.name())) {
      // The chaincode judged the month by the request's own (client-chosen) timestamp; judge it again by ours.
      StatsProtocol.Bucket b = StatsProtocol.parse(d.get("targetId").getAsString());
      if (clock.instant().isBefore(b.closesAt())) {
        throw new ClientRefusalException(ClientError.STATS_MONTH_NOT_OVER, disclosureId + " opens " + b.id()
            + ", whose month ends at " + b.closesAt() + ": not over by this client's clock; requested by "
            + d.get("requester").getAsString());
      }
    }
    ThresholdPublicKey pk = committee().publicKey();
    PaillierCiphertext c = PaillierCiphertext.fromBytes(Requests.unb64(d.get("ciphertext").getAsString()), pk.paillierKey());
    byte[] ctx = CommitteeProtocol.shareContext(ledger.channel(), ledger.chaincode(), disclosureId);
    return new Pending(pk, PartialDecryption.create(share, pk, c, ctx, rnd));
  }

  /**
   * The requester's end of a PRIVATE request: checks each share received off chain against the
   * digest its member recorded on chain (this epoch), verifies every proof and combines t of them.
   *
   * @throws ClientRefusalException SHARE_MISMATCH naming the member whose share is not the one it
   *     recorded or does not verify; NOT_ENOUGH_SHARES with fewer than t recorded, matching shares
   */
  public BigInteger combine(String disclosureId, Collection<byte[]> received)
      throws LedgerCallException, ClientRefusalException {
    JsonObject d = CanonicalJson.parseObject(ledger.evaluate("committee:getDisclosure", disclosureId));
    if (!d.get("mode").getAsString().equals(CommitteeProtocol.Mode.PRIVATE.name())) {
      throw new ClientRefusalException(ClientError.WRONG_MODE, disclosureId + " is a PUBLIC request: its plaintext is on chain");
    }
    ThresholdPublicKey pk = committee().publicKey();
    java.util.Map<Integer, String> recorded = new java.util.HashMap<>();
    for (JsonElement e : d.getAsJsonArray("shares")) {
      JsonObject s = e.getAsJsonObject();
      recorded.put(s.get("index").getAsInt(), s.get("digest").getAsString());
    }
    List<DecryptionShare> shares = new ArrayList<>();
    for (byte[] bytes : received) {
      DecryptionShare s;
      try {
        s = DecryptionShare.fromBytes(bytes, pk);
      } catch (CryptoException e) {
        throw new ClientRefusalException(ClientError.SHARE_MISMATCH, "a received share does not decode: " + e.getMessage());
      }
      if (!CommitteeProtocol.shareDigest(bytes).equals(recorded.get(s.member()))) {
        throw new ClientRefusalException(ClientError.SHARE_MISMATCH, "member " + s.member()
            + "'s share is not the one it recorded on chain for " + disclosureId);
      }
      shares.add(s);
    }
    if (shares.size() < pk.threshold()) {
      throw new ClientRefusalException(ClientError.NOT_ENOUGH_SHARES, shares.size() + " shares, the committee needs "
          + pk.threshold());
    }
    PaillierCiphertext c = PaillierCiphertext.fromBytes(Requests.unb64(d.get("ciphertext").getAsString()), pk.paillierKey());
    try {
      return Combiner.combine(pk, c, CommitteeProtocol.shareContext(ledger.channel(), ledger.chaincode(), disclosureId),
          shares);
    } catch (CryptoException e) {
      throw new ClientRefusalException(ClientError.SHARE_MISMATCH, e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------- committee acts

  /** An act issuing {@code amount} to an insurer, for the current epoch and sequence number; t members sign it. */
  public CommitteeAct issueAct(String insurer, long amount) throws LedgerCallException {
    JsonObject b = actBody("committee.issue");
    b.addProperty("to", insurer);
    b.addProperty("amount", amount);
    return new CommitteeAct("committee:issue", b);
  }

  /**
   * An act re-sharing to a new committee: the t public re-sharing messages (one from each member
   * of the qualified old set) and the new member accounts in new share-index order.
   */
  public CommitteeAct reshareAct(List<ReshareDealing> dealings, List<String> newMembers) throws LedgerCallException {
    Committee c = committee();
    JsonObject b = actBody(c, "committee.reshare");
    JsonArray d = new JsonArray();
    for (ReshareDealing x : dealings) {
      d.add(Requests.b64(x.toBytes(c.publicKey().paillierKey().bits())));
    }
    b.add("dealings", d);
    JsonArray m = new JsonArray();
    newMembers.forEach(m::add);
    b.add("members", m);
    return new CommitteeAct("committee:reshare", b);
  }

  private JsonObject actBody(String type) throws LedgerCallException {
    return actBody(committee(), type);
  }

  private static JsonObject actBody(Committee c, String type) {
    JsonObject b = new JsonObject();
    b.addProperty("type", type);
    b.addProperty("epoch", c.epoch());
    b.addProperty("seq", c.seq());
    return b;
  }

  /** Adds this member's signature to {@code act} (the caller has read the body); returns the act. */
  public CommitteeAct sign(CommitteeAct act) {
    byte[] msg = CommitteeProtocol.actSigningBytes(ledger.channel(), ledger.chaincode(), act.bodyObject());
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, secrets.signingKey(SecretAccess.explicit()));
    s.update(msg, 0, msg.length);
    act.add(accountId(), s.generateSignature());
    return act;
  }

  /** Submits a signed act; returns the chaincode's answer (the issue record, or the new committee). */
  public JsonObject submit(CommitteeAct act) throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.submit(act.function(), act.toJson()));
  }

  // ------------------------------------------------------------------------------- re-sharing

  /**
   * Old member's part of a re-sharing to a t'-of-m' committee with the qualified old set
   * {@code set}: the public message (for {@link #reshareAct}) and one secret sub-share per new
   * member, which the caller delivers to that member only.
   */
  public static Resharing.Dealt reshareDeal(ThresholdPublicKey old, KeyShare share, int[] set, int newThreshold,
      int newMembers, SecureRandom rnd) {
    return Resharing.deal(old, share, set, newThreshold, newMembers, rnd);
  }

  /** New member {@code member}'s share, from the verified messages and its sub-shares; checked against {@code newPk}. */
  public static KeyShare reshareReceive(ThresholdPublicKey old, ThresholdPublicKey newPk, List<ReshareDealing> dealings,
      int member, List<SubShare> subShares) {
    return Resharing.newShare(old, newPk, dealings, member, subShares);
  }

  private void requireRole(Role role) {
    if (secrets.role() != role) {
      throw new IllegalStateException("this call is for a " + role + " account, not a " + secrets.role());
    }
  }

  @Override
  public String toString() {
    return "CommitteeClient[" + accountId() + "]";
  }
}
