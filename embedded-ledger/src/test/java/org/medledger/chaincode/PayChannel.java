package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.embedded.TxResult;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;

/**
 * One payment channel between two test actors, built the way docs/payment-channels.md says a
 * client builds it: deposit requests, states with salted digests signed by both, settlement
 * bundles out of a deposit, and the requests that carry them. Tests use it as an honest party and
 * bend its pieces to play a cheating one.
 */
final class PayChannel {
  private static final SecureRandom RND = new SecureRandom();

  final Channel ch;
  final Actor a;
  final Actor b;
  final String id;
  final long window;
  final int depth;
  final long depositA;
  final long depositB;
  private final byte[] saltKey = new byte[32];

  PayChannel(Channel ch, Actor a, Actor b, long window, int depth, long depositA, long depositB) {
    this.ch = ch;
    this.a = a;
    this.b = b;
    byte[] r = new byte[16];
    RND.nextBytes(r);
    this.id = "pc-" + HexFormat.of().formatHex(r);
    this.window = window;
    this.depth = depth;
    this.depositA = depositA;
    this.depositB = depositB;
    RND.nextBytes(saltKey);
  }

  ChannelMessages.Scope scope() {
    return new ChannelMessages.Scope(Actor.CHANNEL, Actor.CHAINCODE, id);
  }

  Actor other(Actor x) {
    return x == a ? b : a;
  }

  // ------------------------------------------------------------------------------------ open

  JsonObject openBody(Actor who, long deposit) {
    JsonObject body = who.body("channelOpen");
    body.addProperty("channel", id);
    body.addProperty("partyA", a.id);
    body.addProperty("partyB", b.id);
    body.addProperty("window", window);
    body.addProperty("depth", depth);
    JsonArray fold = new JsonArray();
    if (deposit == 0) {
      body.add("fold", fold);
      body.addProperty("bundle", "");
      return body;
    }
    PaillierPublicKey pk = who.paillier.publicKey();
    PaillierCiphertext old = ch.storedBalance(who);
    for (Channel.Credit c : ch.credits(who)) {
      fold.add(c.id());
      old = pk.add(old, c.ciphertext());
    }
    body.add("fold", fold);
    TransferStatement st = new TransferStatement(pk, other(who).paillier.publicKey(), ch.regulator.paillier.publicKey(),
        old, new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, who.id, ChannelMessages.depositPayee(id), who.nonce));
    body.addProperty("bundle", Actor.b64(TransferProof.prove(st, who.paillier, deposit, RND).toBytes()));
    return body;
  }

  TxResult open() {
    TxResult r = ch.submit(ch.gateway(a), "channels:open", a.sign(openBody(a, depositA)), b.sign(openBody(b, depositB)));
    if (r.isValid()) {
      a.nonce++;
      b.nonce++;
    }
    return r;
  }

  PayChannel opened() {
    TxResult r = open();
    assertTrue(r.isValid(), r.toString());
    return this;
  }

  // ---------------------------------------------------------------------------------- states

  /** An off-chain state: sequence number and the two balances (they always sum to the deposits). */
  record State(long seq, long balanceA, long balanceB) {}

  State state(long seq, long balanceA) {
    return new State(seq, balanceA, depositA + depositB - balanceA);
  }

  /** The net payer of a state relative to the deposits: A if A's balance fell, B if B's did, else nobody. */
  Actor payer(State s) {
    return s.balanceA() < depositA ? a : s.balanceB() < depositB ? b : null;
  }

  String payerId(State s) {
    Actor p = payer(s);
    return p == null ? "" : p.id;
  }

  long amount(State s) {
    return Math.abs(s.balanceA() - depositA);
  }

  byte[] salt(long seq) {
    return ChannelMessages.sha256(ByteBuffer.allocate(40).put(saltKey).putLong(seq).array());
  }

  byte[] digest(State s) {
    if (s.seq() == 0) {
      return new byte[0];
    }
    return ChannelMessages.stateDigest(scope(), s.seq(), payerId(s), amount(s), salt(s.seq()));
  }

  byte[] stateSignature(Actor who, State s) {
    return ChannelMessages.sign(ChannelMessages.stateSigningBytes(scope(), s.seq(), payerId(s), digest(s)), who.signing);
  }

  /** The payer's deposit ciphertext under its own key, as recorded on chain. */
  PaillierCiphertext ownDeposit(Actor who) {
    JsonObject o = CanonicalJson.parseObject(ch.evaluate(ch.gateway(who), "channels:getChannel", id));
    String which = who == a ? "A" : "B";
    return Channel.ct(who.paillier.publicKey(), o.getAsJsonObject("deposits").getAsJsonObject(which).get("own").getAsString());
  }

  /** The payer's settlement bundle for {@code s}: {@code amount} out of its deposit, bound to seq. */
  byte[] settlementBundle(Actor payer, long seq, long amount) {
    TransferStatement st = new TransferStatement(payer.paillier.publicKey(), other(payer).paillier.publicKey(),
        ch.regulator.paillier.publicKey(), ownDeposit(payer),
        new TransferContext(Actor.CHANNEL, Actor.CHAINCODE, payer.id, ChannelMessages.settlementPayee(id), seq));
    return TransferProof.prove(st, payer.paillier, amount, RND).toBytes();
  }

  byte[] settlementBundle(State s) {
    return settlementBundle(payer(s), s.seq(), amount(s));
  }

  /** A close or dispute body for state s, with both signatures and the given bundle (or none). */
  JsonObject stateBody(String type, Actor submitter, State s, byte[] bundle) {
    JsonObject body = submitter.body(type);
    body.addProperty("channel", id);
    body.addProperty("seq", s.seq());
    body.addProperty("payer", payerId(s));
    body.addProperty("digest", HexFormat.of().formatHex(digest(s)));
    body.addProperty("sigA", s.seq() == 0 ? "" : Actor.b64(stateSignature(a, s)));
    body.addProperty("sigB", s.seq() == 0 ? "" : Actor.b64(stateSignature(b, s)));
    body.addProperty("bundle", bundle == null ? "" : Actor.b64(bundle));
    return body;
  }

  /** The cooperative close body: both parties sign the close message over the state and bundle digest. */
  JsonObject coopBody(Actor submitter, State s, byte[] bundle) {
    JsonObject body = submitter.body("channelCoopClose");
    byte[] bundleDigest = bundle == null ? new byte[0] : ChannelMessages.sha256(bundle);
    byte[] msg = ChannelMessages.closeSigningBytes(scope(), s.seq(), payerId(s), digest(s), bundleDigest);
    body.addProperty("channel", id);
    body.addProperty("seq", s.seq());
    body.addProperty("payer", payerId(s));
    body.addProperty("digest", HexFormat.of().formatHex(digest(s)));
    body.addProperty("sigA", Actor.b64(ChannelMessages.sign(msg, a.signing)));
    body.addProperty("sigB", Actor.b64(ChannelMessages.sign(msg, b.signing)));
    body.addProperty("bundle", bundle == null ? "" : Actor.b64(bundle));
    return body;
  }

  JsonObject answerBody(Actor who, long seq, byte[] bundle) {
    JsonObject body = who.body("channelAnswer");
    body.addProperty("channel", id);
    body.addProperty("seq", seq);
    body.addProperty("bundle", Actor.b64(bundle));
    return body;
  }

  /** Signs and submits {@code body} as {@code who}; a valid transaction consumes its nonce. */
  TxResult submit(Actor who, String function, JsonObject body) {
    TxResult r = ch.submit(ch.gateway(who), function, who.sign(body));
    if (r.isValid()) {
      who.nonce++;
    }
    return r;
  }

  /** An honest unilateral close on s: the submitter brings its bundle exactly when it is the net payer. */
  TxResult close(Actor who, State s) {
    return submit(who, "channels:close", stateBody("channelClose", who, s, payer(s) == who ? settlementBundle(s) : null));
  }

  TxResult dispute(Actor who, State s, boolean withBundle) {
    return submit(who, "channels:dispute", stateBody("channelDispute", who, s, withBundle ? settlementBundle(s) : null));
  }

  TxResult answer(Actor who, State s) {
    return submit(who, "channels:answer", answerBody(who, s.seq(), settlementBundle(s)));
  }

  TxResult coopClose(Actor submitter, State s) {
    return submit(submitter, "channels:coopClose", coopBody(submitter, s, payer(s) == null ? null : settlementBundle(s)));
  }

  /** Advances the channel's time to this transaction's (honest) timestamp. */
  TxResult touch(Actor who) {
    JsonObject body = who.body("channelTouch");
    body.addProperty("channel", id);
    return submit(who, "channels:touch", body);
  }

  TxResult settle() {
    return ch.submit(ch.hospitalOrg, "channels:settle", id);
  }

  JsonObject record() {
    return CanonicalJson.parseObject(ch.evaluate(ch.insurerOrg, "channels:getChannel", id)).getAsJsonObject("channel");
  }

  String status() {
    return record().get("status").getAsString();
  }

  static String b64(byte[] x) {
    return Base64.getEncoder().encodeToString(x);
  }
}
