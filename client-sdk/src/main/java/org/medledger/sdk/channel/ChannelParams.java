package org.medledger.sdk.channel;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ChannelMessages;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * What both parties of one channel know (docs/payment-channels.md §3.1): where it lives, the two
 * accounts with their signing and Paillier keys, the regulator's key, both deposits in plaintext
 * and as recorded on chain, the pipeline depth, the dispute window, and the secret salt key from
 * which every state's salt is derived. Immutable; holds no account secret, but the salt key and the
 * deposits are private to the two parties.
 */
public final class ChannelParams {
  private final ChannelMessages.Scope scope;
  private final String partyA;
  private final String partyB;
  private final byte[] signingKeyA;
  private final byte[] signingKeyB;
  private final PaillierPublicKey keyA;
  private final PaillierPublicKey keyB;
  private final PaillierPublicKey regulatorKey;
  private final long depositA;
  private final long depositB;
  private final PaillierCiphertext depositCiphertextA;
  private final PaillierCiphertext depositCiphertextB;
  private final int depth;
  private final long windowSeconds;
  private final byte[] saltKey;
  private final Ed25519PublicKeyParameters verifierA;
  private final Ed25519PublicKeyParameters verifierB;

  public ChannelParams(ChannelMessages.Scope scope, String partyA, String partyB, byte[] signingKeyA, byte[] signingKeyB,
      PaillierPublicKey keyA, PaillierPublicKey keyB, PaillierPublicKey regulatorKey, long depositA, long depositB,
      PaillierCiphertext depositCiphertextA, PaillierCiphertext depositCiphertextB, int depth, long windowSeconds,
      byte[] saltKey) {
    this.scope = Objects.requireNonNull(scope);
    this.partyA = Objects.requireNonNull(partyA);
    this.partyB = Objects.requireNonNull(partyB);
    this.signingKeyA = signingKeyA.clone();
    this.signingKeyB = signingKeyB.clone();
    this.keyA = keyA;
    this.keyB = keyB;
    this.regulatorKey = regulatorKey;
    this.depositA = depositA;
    this.depositB = depositB;
    this.depositCiphertextA = depositCiphertextA;
    this.depositCiphertextB = depositCiphertextB;
    this.depth = depth;
    this.windowSeconds = windowSeconds;
    this.saltKey = saltKey.clone();
    if (partyA.equals(partyB) || depositA < 0 || depositB < 0 || depositA > Long.MAX_VALUE - depositB || depth < 1
        || saltKey.length != 32) {
      throw new IllegalArgumentException("invalid channel parameters");
    }
    this.verifierA = new Ed25519PublicKeyParameters(signingKeyA, 0);
    this.verifierB = new Ed25519PublicKeyParameters(signingKeyB, 0);
  }

  public ChannelMessages.Scope scope() {
    return scope;
  }

  public String channelId() {
    return scope.channelId();
  }

  public String party(Side side) {
    return side == Side.A ? partyA : partyB;
  }

  public Side sideOf(String account) {
    if (partyA.equals(account)) {
      return Side.A;
    }
    if (partyB.equals(account)) {
      return Side.B;
    }
    throw new IllegalArgumentException(account + " is not a party of " + channelId());
  }

  public PaillierPublicKey paillierKey(Side side) {
    return side == Side.A ? keyA : keyB;
  }

  public PaillierPublicKey regulatorKey() {
    return regulatorKey;
  }

  public long deposit(Side side) {
    return side == Side.A ? depositA : depositB;
  }

  public long depositA() {
    return depositA;
  }

  public long depositB() {
    return depositB;
  }

  /** A party's deposit under its own key, as recorded on chain: a settlement spends out of it. */
  public PaillierCiphertext depositCiphertext(Side side) {
    return side == Side.A ? depositCiphertextA : depositCiphertextB;
  }

  public int depth() {
    return depth;
  }

  public long windowSeconds() {
    return windowSeconds;
  }

  public long total() {
    return depositA + depositB;
  }

  // ------------------------------------------------------------------ a state's on-chain form

  /** The net payer of a state: the side whose balance is below its deposit, or null. */
  public Side payer(ChannelState s) {
    return s.balanceA() < depositA ? Side.A : s.balanceB() < depositB ? Side.B : null;
  }

  public String payerAccount(ChannelState s) {
    Side p = payer(s);
    return p == null ? "" : party(p);
  }

  /** What the net payer pays the other party when the state settles. */
  public long amount(ChannelState s) {
    return Math.abs(s.balanceA() - depositA);
  }

  /** salt_k = HMAC-SHA256(salt key, "medledger/paychan/salt/v1" ‖ u64 k). */
  public byte[] salt(long seq) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(saltKey));
    byte[] label = "medledger/paychan/salt/v1".getBytes(StandardCharsets.UTF_8);
    mac.update(label, 0, label.length);
    byte[] s = ByteBuffer.allocate(8).putLong(seq).array();
    mac.update(s, 0, s.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  /** The state's salted digest (empty for state 0). */
  public byte[] digest(ChannelState s) {
    if (s.seq() == 0) {
      return new byte[0];
    }
    return ChannelMessages.stateDigest(scope, s.seq(), payerAccount(s), amount(s), salt(s.seq()));
  }

  public byte[] signingBytes(ChannelState s) {
    return ChannelMessages.stateSigningBytes(scope, s.seq(), payerAccount(s), digest(s));
  }

  public byte[] closeSigningBytes(ChannelState s, byte[] bundleDigest) {
    return ChannelMessages.closeSigningBytes(scope, s.seq(), payerAccount(s), digest(s), bundleDigest);
  }

  /** True iff balances sum to the deposits: the only states either party signs. */
  public boolean conserves(ChannelState s) {
    return s.balanceA() + s.balanceB() == total();
  }

  public byte[] sign(byte[] message, Ed25519PrivateKeyParameters key) {
    return ChannelMessages.sign(message, key);
  }

  /** Verifies {@code side}'s Ed25519 signature of {@code message}. */
  public boolean verify(Side side, byte[] message, byte[] signature) {
    if (signature.length != 64) {
      return false;
    }
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, side == Side.A ? verifierA : verifierB);
    v.update(message, 0, message.length);
    return v.verifySignature(signature);
  }

  /** True iff both signatures of a state after 0 verify (state 0 needs none). */
  public boolean verify(SignedState s) {
    if (s.seq() == 0) {
      return s.state().balanceA() == depositA && s.state().balanceB() == depositB;
    }
    byte[] msg = signingBytes(s.state());
    return conserves(s.state()) && verify(Side.A, msg, s.sigA()) && verify(Side.B, msg, s.sigB());
  }

  // ------------------------------------------------------------------------------- encoding

  /** Canonical JSON, as kept at the head of the state log. */
  public JsonObject toJson() {
    Base64.Encoder b = Base64.getEncoder();
    JsonObject o = new JsonObject();
    o.addProperty("fabricChannel", scope.fabricChannel());
    o.addProperty("chaincode", scope.chaincode());
    o.addProperty("channelId", scope.channelId());
    o.addProperty("partyA", partyA);
    o.addProperty("partyB", partyB);
    o.addProperty("signingKeyA", b.encodeToString(signingKeyA));
    o.addProperty("signingKeyB", b.encodeToString(signingKeyB));
    o.addProperty("paillierKeyA", b.encodeToString(keyA.toBytes()));
    o.addProperty("paillierKeyB", b.encodeToString(keyB.toBytes()));
    o.addProperty("regulatorKey", b.encodeToString(regulatorKey.toBytes()));
    o.addProperty("depositA", depositA);
    o.addProperty("depositB", depositB);
    o.addProperty("depositCiphertextA", b.encodeToString(depositCiphertextA.toBytes()));
    o.addProperty("depositCiphertextB", b.encodeToString(depositCiphertextB.toBytes()));
    o.addProperty("depth", depth);
    o.addProperty("window", windowSeconds);
    o.addProperty("saltKey", b.encodeToString(saltKey));
    return o;
  }

  public static ChannelParams fromJson(JsonObject o) {
    Base64.Decoder d = Base64.getDecoder();
    PaillierPublicKey ka = PaillierPublicKey.fromBytes(d.decode(o.get("paillierKeyA").getAsString()));
    PaillierPublicKey kb = PaillierPublicKey.fromBytes(d.decode(o.get("paillierKeyB").getAsString()));
    return new ChannelParams(
        new ChannelMessages.Scope(o.get("fabricChannel").getAsString(), o.get("chaincode").getAsString(),
            o.get("channelId").getAsString()),
        o.get("partyA").getAsString(), o.get("partyB").getAsString(),
        d.decode(o.get("signingKeyA").getAsString()), d.decode(o.get("signingKeyB").getAsString()),
        ka, kb, PaillierPublicKey.fromBytes(d.decode(o.get("regulatorKey").getAsString())),
        o.get("depositA").getAsLong(), o.get("depositB").getAsLong(),
        PaillierCiphertext.fromBytes(d.decode(o.get("depositCiphertextA").getAsString()), ka),
        PaillierCiphertext.fromBytes(d.decode(o.get("depositCiphertextB").getAsString()), kb),
        o.get("depth").getAsInt(), o.get("window").getAsLong(), d.decode(o.get("saltKey").getAsString()));
  }

  public byte[] toBytes() {
    return CanonicalJson.toBytes(toJson());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelParams p && Arrays.equals(toBytes(), p.toBytes());
  }

  @Override
  public int hashCode() {
    return scope.hashCode();
  }

  @Override
  public String toString() {
    return "ChannelParams[" + channelId() + ", A=" + partyA + ", B=" + partyB + ", depth " + depth + ", window "
        + windowSeconds + " s, salt key redacted]";
  }
}
