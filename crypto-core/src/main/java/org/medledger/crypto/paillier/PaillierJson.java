package org.medledger.crypto.paillier;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Set;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;

/**
 * Canonical JSON for Paillier keys and ciphertexts (docs/protocol.md §3.3): members in a fixed
 * order, integers as unpadded base64url of their fixed-width big-endian bytes, no whitespace.
 * Decoders accept exactly the documented members and validate like the binary decoders.
 *
 * <pre>
 * {"type":"paillier-public-key","version":1,"bits":3072,"n":"…","h":"…"}
 * {"type":"paillier-ciphertext","version":1,"bits":3072,"c":"…"}
 * {"type":"paillier-secret-key","version":1,"bits":3072,"p":"…","q":"…","h":"…"}
 * </pre>
 */
public final class PaillierJson {
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  private PaillierJson() {}

  public static String publicKey(PaillierPublicKey key) {
    JsonObject o = header("paillier-public-key", key.bits());
    o.addProperty("n", b64(key.n(), key.bits() / 8));
    o.addProperty("h", b64(key.h(), key.bits() / 8));
    return o.toString();
  }

  public static String ciphertext(PaillierCiphertext c) {
    JsonObject o = header("paillier-ciphertext", c.keyBits());
    o.addProperty("c", b64(c.value(), c.keyBits() / 4));
    return o.toString();
  }

  /**
   * The secret key as JSON (with p and q in clear). Secret.
   *
   * @param key the key to encode
   * @param access {@link SecretAccess#explicit()}
   * @return the JSON text
   */
  public static String secretKey(PaillierSecretKey key, SecretAccess access) {
    int bits = key.publicKey().bits();
    JsonObject o = header("paillier-secret-key", bits);
    o.addProperty("p", b64(key.p(access), bits / 16));
    o.addProperty("q", b64(key.q(access), bits / 16));
    o.addProperty("h", b64(key.publicKey().h(), bits / 8));
    return o.toString();
  }

  public static PaillierPublicKey parsePublicKey(String json) {
    JsonObject o = parse(json, "paillier-public-key", Set.of("type", "version", "bits", "n", "h"), "MALFORMED_KEY");
    int bits = KeySize.ofBits(intMember(o, "bits", "MALFORMED_KEY")).bits();
    BigInteger n = integer(o, "n", bits / 8, "MALFORMED_KEY");
    if (n.bitLength() != bits) {
      throw new MalformedInputException("MALFORMED_KEY", "modulus does not have the declared size");
    }
    return PaillierPublicKey.of(n, integer(o, "h", bits / 8, "MALFORMED_KEY"));
  }

  public static PaillierCiphertext parseCiphertext(String json, PaillierPublicKey key) {
    JsonObject o = parse(json, "paillier-ciphertext", Set.of("type", "version", "bits", "c"), "MALFORMED_CIPHERTEXT");
    int bits = intMember(o, "bits", "MALFORMED_CIPHERTEXT");
    if (bits != key.bits()) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "ciphertext is for a " + bits + "-bit key");
    }
    return key.ciphertext(integer(o, "c", bits / 4, "MALFORMED_CIPHERTEXT"));
  }

  public static PaillierSecretKey parseSecretKey(String json) {
    JsonObject o = parse(json, "paillier-secret-key", Set.of("type", "version", "bits", "p", "q", "h"), "MALFORMED_KEY");
    int bits = KeySize.ofBits(intMember(o, "bits", "MALFORMED_KEY")).bits();
    BigInteger p = integer(o, "p", bits / 16, "MALFORMED_KEY");
    BigInteger q = integer(o, "q", bits / 16, "MALFORMED_KEY");
    BigInteger h = integer(o, "h", bits / 8, "MALFORMED_KEY");
    return PaillierSecretKey.of(PaillierPublicKey.of(p.multiply(q), h), p, q);
  }

  private static JsonObject header(String type, int bits) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type);
    o.addProperty("version", 1);
    o.addProperty("bits", bits);
    return o;
  }

  private static String b64(BigInteger v, int len) {
    return ENC.encodeToString(Bytes.fixed(v, len));
  }

  private static JsonObject parse(String json, String type, Set<String> members, String code) {
    JsonElement el;
    try {
      el = JsonParser.parseString(json);
    } catch (JsonParseException | IllegalStateException e) {
      throw new MalformedInputException(code, "not valid JSON", e);
    }
    if (!el.isJsonObject()) {
      throw new MalformedInputException(code, "expected a JSON object");
    }
    JsonObject o = el.getAsJsonObject();
    if (!o.keySet().equals(members)) {
      throw new MalformedInputException(code, "expected exactly the members " + members);
    }
    if (!type.equals(stringMember(o, "type", code))) {
      throw new MalformedInputException(code, "expected type " + type);
    }
    if (intMember(o, "version", code) != 1) {
      throw new MalformedInputException(code, "unsupported version");
    }
    return o;
  }

  private static String stringMember(JsonObject o, String name, String code) {
    JsonElement e = o.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isString()) {
      throw new MalformedInputException(code, name + " must be a string");
    }
    return p.getAsString();
  }

  private static int intMember(JsonObject o, String name, String code) {
    JsonElement e = o.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
      throw new MalformedInputException(code, name + " must be a number");
    }
    try {
      return new java.math.BigDecimal(p.getAsString()).intValueExact();
    } catch (ArithmeticException | NumberFormatException ex) {
      throw new MalformedInputException(code, name + " must be an integer");
    }
  }

  private static BigInteger integer(JsonObject o, String name, int len, String code) {
    byte[] b;
    try {
      b = DEC.decode(stringMember(o, name, code));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(code, name + " is not base64url", e);
    }
    if (b.length != len) {
      throw new MalformedInputException(code, name + " must be exactly " + len + " bytes");
    }
    String canonical = ENC.encodeToString(b);
    if (!canonical.equals(stringMember(o, name, code))) {
      throw new MalformedInputException(code, name + " is not canonical unpadded base64url");
    }
    return new BigInteger(1, b);
  }
}
