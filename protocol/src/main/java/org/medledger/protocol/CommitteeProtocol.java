package org.medledger.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * What the committee contract and its clients agree on (docs/chaincode.md §10, docs/protocol.md
 * §10.6): disclosure ids, the context a decryption share's proof is bound to, the share digest the
 * chain records in PRIVATE mode, limits, and the envelope of an act signed by t members.
 *
 * <p>A committee act is {@code {"body":{…,"type":T,"epoch":e,"seq":k},"signatures":[{"account":A,
 * "signature":S},…]}}: each S is Ed25519 over {@link SignedRequest#signingBytes} of the one body,
 * by a distinct current member; (epoch, seq) must be the committee's current ones, and every
 * accepted act advances seq, so an act cannot be replayed.
 */
public final class CommitteeProtocol {
  /** Longest free-text reason of a disclosure request, in characters. */
  public static final int MAX_REASON_CHARS = 500;
  /** Disclosure ids: a prefix and 32 lower-case hex digits. */
  public static final Pattern DISCLOSURE_ID = Pattern.compile("disc-[0-9a-f]{32}");
  /** What a disclosure may target: one ciphertext under the regulator key that the ledger holds. */
  public enum Target {
    /** A money transaction's regulator copy {@code amountRegulator} (transfers, channel opens). */
    TRANSFER,
    /**
     * A claim's fee under the regulator key {@code feeRegulator}: refused (UNPROVEN_TARGET) while
     * nothing proves that ciphertext is the claim's fee (docs/chaincode.md §10.3).
     */
    CLAIM_FEE,
    /** One party's deposit into a payment channel, under the regulator key. */
    CHANNEL_DEPOSIT,
    /**
     * A statistics bucket's aggregate (docs/chaincode.md §11): PUBLIC only, once per bucket, when
     * the bucket is folded, its month over and it holds at least k contributions.
     */
    STATS_BUCKET
  }

  /** PUBLIC: shares and plaintext on chain. PRIVATE: shares off chain to the requester, digests on chain. */
  public enum Mode {
    PUBLIC,
    PRIVATE
  }

  private CommitteeProtocol() {}

  /** The id of the disclosure request that {@code member} opens with request nonce {@code nonce}. */
  public static String disclosureId(String channel, String chaincode, String member, long nonce) {
    return "disc-" + HexFormat.of().formatHex(sha256(frames("medledger/disclosure-id/v1", channel, chaincode, member,
        Long.toString(nonce))), 0, 16);
  }

  /**
   * The context of every decryption share made for one disclosure request: channel, chaincode and
   * the request id. The share proof's transcript binds it with the committee key (and so the epoch),
   * the member, its verification key and the ciphertext, so a share made for one request, ciphertext
   * or epoch is refused for any other.
   */
  public static byte[] shareContext(String channel, String chaincode, String disclosureId) {
    return frames("medledger/disclosure-share/v1", channel, chaincode, disclosureId);
  }

  /** SHA-256 of a share's canonical encoding, lower-case hex: what the chain records in PRIVATE mode. */
  public static String shareDigest(byte[] shareBytes) {
    return HexFormat.of().formatHex(sha256(frames("medledger/disclosure-share-digest/v1"), shareBytes));
  }

  /** The context of the committee key's Paillier key proof: the regulator account's registration context. */
  public static byte[] dealingContext(String channel, String regulatorAccount) {
    return Contexts.keyProofContext(channel, regulatorAccount);
  }

  /** The bytes each member signs for a committee act's {@code body}. */
  public static byte[] actSigningBytes(String channel, String chaincode, JsonObject body) {
    return SignedRequest.signingBytes(channel, chaincode, body);
  }

  /** The act envelope for {@code body} and its signatures ({@code accounts[i]} signed {@code sigs[i]}). */
  public static String actJson(JsonObject body, java.util.List<String> accounts, java.util.List<byte[]> sigs) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < accounts.size(); i++) {
      JsonObject s = new JsonObject();
      s.addProperty("account", accounts.get(i));
      s.addProperty("signature", Base64.getEncoder().encodeToString(sigs.get(i)));
      a.add(s);
    }
    JsonObject o = new JsonObject();
    o.add("body", body);
    o.add("signatures", a);
    return CanonicalJson.toString(o);
  }

  private static byte[] frames(String domain, String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, domain.getBytes(StandardCharsets.UTF_8));
    for (String p : parts) {
      frame(out, p.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static void frame(ByteArrayOutputStream out, byte[] b) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }

  private static byte[] sha256(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
