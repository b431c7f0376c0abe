package org.medledger.sdk.channel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.Limits;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.internal.ClientBuilder;
import org.medledger.sdk.internal.Requests;

/**
 * One account's on-chain side of its payment channels (docs/payment-channels.md §4): builds and
 * signs the {@code channels} requests — deposits, cooperative close, unilateral close, dispute,
 * answer, contest — and settles after the window. Requests that consume the account's nonce are
 * rebuilt from fresh state and resubmitted after an MVCC conflict or a moved nonce, at most
 * {@link #MAX_ATTEMPTS} times; any other refusal is returned at once.
 */
public final class ChannelClient {
  /** Attempts per request: the first try plus rebuilds after a conflict or a moved nonce (the request layer's policy). */
  public static final int MAX_ATTEMPTS = Requests.MAX_ATTEMPTS;

  /**
   * The terms both parties put in their open requests: A draws the channel id and the secret salt
   * key and gives them to B over a private channel.
   */
  public record Terms(String channelId, String partyA, String partyB, long windowSeconds, int depth, byte[] saltKey) {
    public Terms {
      saltKey = saltKey.clone();
    }

    @Override
    public byte[] saltKey() {
      return saltKey.clone();
    }

    @Override
    public String toString() {
      return "Terms[" + channelId + ", A=" + partyA + ", B=" + partyB + ", window " + windowSeconds + " s, depth " + depth
          + ", salt key redacted]";
    }
  }

  private final AccountSecrets secrets;
  private final LedgerConnection ledger;
  private final SecureRandom rnd;
  private final Requests requests;

  /** A client; {@link #builder()} builds the same. */
  public ChannelClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.requests = new Requests(secrets, ledger, rnd);
    this.secrets = secrets;
    this.ledger = ledger;
    this.rnd = rnd;
  }

  /** A builder: secrets, ledger and random source are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ChannelClient}. */
  public static final class Builder extends ClientBuilder<Builder> {

    private Builder() {}

    public ChannelClient build() {
      requireParts();
      return new ChannelClient(secrets(), ledger(), random());
    }
  }

  public String accountId() {
    return secrets.accountId();
  }

  public static Terms newTerms(String partyA, String partyB, long windowSeconds, int depth, SecureRandom rnd) {
    byte[] id = new byte[16];
    rnd.nextBytes(id);
    byte[] salt = new byte[32];
    rnd.nextBytes(salt);
    return new Terms("pc-" + HexFormat.of().formatHex(id), partyA, partyB, windowSeconds, depth, salt);
  }

  // ------------------------------------------------------------------------------------ open

  /**
   * This account's signed open request: its deposit (a transfer bundle out of its balance, pending
   * credits folded, whose payee copy is under the other party's key), or a zero deposit.
   */
  public String openRequest(Terms t, long deposit) throws LedgerCallException {
    String other = accountId().equals(t.partyA()) ? t.partyB() : t.partyA();
    if (!accountId().equals(t.partyA()) && !accountId().equals(t.partyB())) {
      throw new IllegalArgumentException("this account is not a party of " + t.channelId());
    }
    long nonce = nonce();
    JsonObject b = body("channelOpen", nonce);
    b.addProperty("channel", t.channelId());
    b.addProperty("partyA", t.partyA());
    b.addProperty("partyB", t.partyB());
    b.addProperty("window", t.windowSeconds());
    b.addProperty("depth", t.depth());
    JsonArray fold = new JsonArray();
    if (deposit == 0) {
      b.add("fold", fold);
      b.addProperty("bundle", "");
      return sign(b);
    }
    PaillierPublicKey pk = secrets.paillier().publicKey();
    PaillierCiphertext old = requests.storedBalance();
    for (Requests.Credit c : requests.firstCredits()) {
      if (fold.size() == Limits.MAX_FOLD) {
        break;
      }
      fold.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    b.add("fold", fold);
    TransferStatement st = new TransferStatement(pk, key(other), regulatorKey(), old, new TransferContext(ledger.channel(),
        ledger.chaincode(), accountId(), ChannelMessages.depositPayee(t.channelId()), nonce));
    b.addProperty("bundle", b64(TransferProof.prove(st, secrets.paillier(), deposit, rnd).toBytes()));
    return sign(b);
  }

  /** Submits the two parties' open requests (either party may). */
  public String open(String requestA, String requestB) throws LedgerCallException {
    return ledger.submit("channels:open", requestA, requestB);
  }

  /**
   * The channel's parameters once the open has committed: keys from the ledger, deposits decrypted
   * locally (the other party's from its copy under this account's key).
   */
  public ChannelParams params(Terms t) throws LedgerCallException {
    JsonObject rec = channel(t.channelId());
    JsonObject ch = rec.getAsJsonObject("channel");
    if (!ch.get("partyA").getAsString().equals(t.partyA()) || !ch.get("partyB").getAsString().equals(t.partyB())
        || ch.get("window").getAsLong() != t.windowSeconds() || ch.get("depth").getAsInt() != t.depth()) {
      throw new IllegalStateException("the channel on the ledger does not have these terms");
    }
    PaillierPublicKey ka = key(t.partyA());
    PaillierPublicKey kb = key(t.partyB());
    JsonObject depA = rec.getAsJsonObject("deposits").getAsJsonObject("A");
    JsonObject depB = rec.getAsJsonObject("deposits").getAsJsonObject("B");
    boolean iAmA = accountId().equals(t.partyA());
    PaillierPublicKey mine = secrets.paillier().publicKey();
    long dA = secrets.paillier().decryptAmount(ciphertext(mine, (iAmA ? depA.get("own") : depA.get("other")).getAsString()));
    long dB = secrets.paillier().decryptAmount(ciphertext(mine, (iAmA ? depB.get("other") : depB.get("own")).getAsString()));
    return new ChannelParams(new ChannelMessages.Scope(ledger.channel(), ledger.chaincode(), t.channelId()), t.partyA(),
        t.partyB(), signingKey(t.partyA()), signingKey(t.partyB()), ka, kb, regulatorKey(), dA, dB,
        ciphertext(ka, depA.get("own").getAsString()), ciphertext(kb, depB.get("own").getAsString()), t.depth(),
        t.windowSeconds(), t.saltKey());
  }

  // ---------------------------------------------------------------------------------- closes

  /** Submits a cooperative close both parties signed. */
  public String coopClose(CooperativeClose c) throws LedgerCallException {
    return submit("channels:coopClose", nonce -> {
      JsonObject b = body("channelCoopClose", nonce);
      b.addProperty("channel", c.channelId());
      b.addProperty("seq", c.state().seq());
      b.addProperty("payer", c.payer());
      b.addProperty("digest", c.digestHex());
      b.addProperty("sigA", b64(c.sigA()));
      b.addProperty("sigB", b64(c.sigB()));
      b.addProperty("bundle", b64(c.bundle()));
      return b;
    });
  }

  /**
   * Closes unilaterally on this party's latest state signed by both; when this party is its net
   * payer the settlement bundle goes with it. The state is the party's close snapshot
   * ({@link ChannelParty#stopAndSnapshot}): it stops signing and takes the state in one step, so
   * the other party holds no state this party signed after the one submitted.
   */
  public String close(ChannelParty party) throws LedgerCallException {
    return closeOn(party.params(), party.side(), party.stopAndSnapshot());
  }

  /** A unilateral close on a given state signed by both (an honest party uses its latest). */
  String closeOn(ChannelParams p, Side side, SignedState s) throws LedgerCallException {
    byte[] bundle = p.payer(s.state()) == side ? Settlement.build(p, s.state(), side, secrets.paillier(), rnd) : null;
    return submit("channels:close", nonce -> stateBody("channelClose", nonce, p, s, bundle));
  }

  /**
   * Supersedes the state the channel is closing on with this party's later state. If the current
   * state is provably stale (its submitter was B, or it is more than depth states behind) the
   * chaincode gives this party both deposits; otherwise the later state replaces it, and carries
   * this party's bundle if it is the net payer. The state is the party's close snapshot
   * ({@link ChannelParty#stopAndSnapshot}), as for {@link #close}.
   */
  public String dispute(ChannelParty party, long closingSeq, String closingSubmitter) throws LedgerCallException {
    return disputeWith(party, party.stopAndSnapshot(), closingSeq, closingSubmitter);
  }

  /** Disputes with {@code s}, which must be the party's close snapshot (the watcher took it already). */
  String disputeWith(ChannelParty party, SignedState s, long closingSeq, String closingSubmitter)
      throws LedgerCallException {
    ChannelParams p = party.params();
    if (s.seq() <= closingSeq) {
      throw new IllegalStateException("state " + s.seq() + " is not later than state " + closingSeq);
    }
    boolean provablyStale = closingSubmitter.equals(p.party(Side.B)) || s.seq() - closingSeq > p.depth();
    byte[] bundle = !provablyStale && p.payer(s.state()) == party.side() ? bundleFor(party, s.state()) : null;
    return submit("channels:dispute", nonce -> stateBody("channelDispute", nonce, p, s, bundle));
  }

  /** The net payer's settlement bundle for the state the channel is closing on. */
  public String answer(ChannelParty party, long seq) throws LedgerCallException {
    ChannelState s = party.signedState(seq)
        .orElseThrow(() -> new IllegalStateException("this party never signed state " + seq));
    return answerWith(party.params().channelId(), seq, bundleFor(party, s));
  }

  /**
   * Answers the close on state {@code seq} whose digest on chain is {@code digestHex}, with the
   * plaintext this party signed under that digest; refuses (IllegalStateException) when none of its
   * signed states matches, rather than answer with another state's amount.
   */
  public String answer(ChannelParty party, long seq, String digestHex) throws LedgerCallException {
    ChannelState s = party.signedState(seq, digestHex).orElseThrow(() -> new IllegalStateException(
        "no state " + seq + " this party signed has the closing digest " + digestHex + "; not answering"));
    return answerWith(party.params().channelId(), seq, bundleFor(party, s));
  }

  /** Answers with a given bundle (an honest party's is {@code Settlement.build} of the state). */
  String answerWith(String channelId, long seq, byte[] bundle) throws LedgerCallException {
    return submit("channels:answer", nonce -> {
      JsonObject b = body("channelAnswer", nonce);
      b.addProperty("channel", channelId);
      b.addProperty("seq", seq);
      b.addProperty("bundle", b64(bundle));
      return b;
    });
  }

  /**
   * Shows that the answer's copy for this party does not hold the signed state's amount: opens the
   * state's digest (amount, salt) and the copy (its randomness). Both amounts become public.
   */
  public String contest(ChannelParty party, long seq, PaillierCiphertext answerToMe) throws LedgerCallException {
    ChannelState s = party.signedState(seq)
        .orElseThrow(() -> new IllegalStateException("this party never signed state " + seq));
    return contestWith(party.params(), s, answerToMe);
  }

  /** Contests with a given plaintext of the closing state (an honest party's is the one it signed). */
  String contestWith(ChannelParams p, ChannelState s, PaillierCiphertext answerToMe) throws LedgerCallException {
    long seq = s.seq();
    BigInteger u = secrets.paillier().randomnessOf(answerToMe);
    return submit("channels:contest", nonce -> {
      JsonObject b = body("channelContest", nonce);
      b.addProperty("channel", p.channelId());
      b.addProperty("seq", seq);
      b.addProperty("amount", p.amount(s));
      b.addProperty("salt", b64(p.salt(seq)));
      b.addProperty("randomness", b64(Bytes.unsigned(u)));
      return b;
    });
  }

  /**
   * Advances the open channel's time on chain to this transaction's timestamp (docs/protocol.md
   * §9.5), so that a close the other party back-dates counts no earlier than now. The watcher calls
   * it every fraction of the window.
   */
  public String touch(String channelId) throws LedgerCallException {
    return submit("channels:touch", nonce -> {
      JsonObject b = body("channelTouch", nonce);
      b.addProperty("channel", channelId);
      return b;
    });
  }

  /** Settles a channel whose window has passed (anyone may). */
  public String settle(String channelId) throws LedgerCallException {
    return ledger.submit("channels:settle", channelId);
  }

  /** The channel record and deposits, as {@code channels:getChannel} returns them. */
  public JsonObject channel(String channelId) throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.evaluate("channels:getChannel", channelId));
  }

  /** A ciphertext under this account's key, from its base64 as the ledger shows it. */
  public PaillierCiphertext myCiphertext(String b64) {
    return ciphertext(secrets.paillier().publicKey(), b64);
  }

  /** What a ciphertext under this account's key holds, or -1 if it is not an amount. */
  public long decrypt(PaillierCiphertext c) {
    return Settlement.decryptAmount(secrets.paillier(), c);
  }

  // --------------------------------------------------------------------------------- helpers

  private byte[] bundleFor(ChannelParty party, ChannelState s) {
    return Settlement.build(party.params(), s, party.side(), secrets.paillier(), rnd);
  }

  private JsonObject stateBody(String type, long nonce, ChannelParams p, SignedState s, byte[] bundle) {
    JsonObject b = body(type, nonce);
    b.addProperty("channel", p.channelId());
    b.addProperty("seq", s.seq());
    b.addProperty("payer", p.payerAccount(s.state()));
    b.addProperty("digest", HexFormat.of().formatHex(p.digest(s.state())));
    b.addProperty("sigA", b64(s.sigA()));
    b.addProperty("sigB", b64(s.sigB()));
    b.addProperty("bundle", bundle == null ? "" : b64(bundle));
    return b;
  }

  private PaillierPublicKey key(String account) throws LedgerCallException {
    return requests.key(account);
  }

  private byte[] signingKey(String account) throws LedgerCallException {
    return requests.keys(account).signingKey();
  }

  private PaillierPublicKey regulatorKey() throws LedgerCallException {
    return key(requests.regulator()).precompute();
  }

  private String submit(String function, Requests.Body body) throws LedgerCallException {
    return requests.submit(function, body);
  }

  private long nonce() throws LedgerCallException {
    return requests.nonce();
  }

  private JsonObject body(String type, long nonce) {
    return requests.body(type, nonce);
  }

  private String sign(JsonObject body) {
    return requests.sign(body);
  }

  private static PaillierCiphertext ciphertext(PaillierPublicKey pk, String b64) {
    return Requests.ciphertext(pk, b64);
  }

  private static String b64(byte[] b) {
    return Requests.b64(b);
  }
}
