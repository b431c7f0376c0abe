package org.medledger.protocol;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The envelope of every state-changing request (docs/chaincode.md §2):
 * {@code {"body":{…,"type":T,"account":A,"nonce":k},"signature":"<base64>"}}. The signature is
 * Ed25519 over {@link #signingBytes}: a domain, the channel and chaincode names, and the body's
 * canonical JSON, so a request cannot be replayed on another channel or chaincode, nor
 * re-serialised into a different signed message.
 */
public record SignedRequest(JsonObject body, byte[] signature) {
  public static final String DOMAIN = "medledger/request/v1";

  public static byte[] signingBytes(String channel, String chaincode, JsonObject body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : new String[] {DOMAIN, channel, chaincode}) {
      out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    out.writeBytes(CanonicalJson.toBytes(body));
    return out.toByteArray();
  }

  /** Signs {@code body} for {@code channel} and {@code chaincode} with an account's Ed25519 key (client side). */
  public static SignedRequest sign(String channel, String chaincode, JsonObject body,
      org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters key) {
    byte[] msg = signingBytes(channel, chaincode, body);
    org.bouncycastle.crypto.signers.Ed25519Signer s = new org.bouncycastle.crypto.signers.Ed25519Signer();
    s.init(true, key);
    s.update(msg, 0, msg.length);
    return new SignedRequest(body, s.generateSignature());
  }

  public String toJson() {
    JsonObject o = new JsonObject();
    o.add("body", body);
    o.addProperty("signature", Base64.getEncoder().encodeToString(signature));
    return CanonicalJson.toString(o);
  }
}
