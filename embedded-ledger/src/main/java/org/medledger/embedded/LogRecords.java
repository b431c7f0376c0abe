package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.gson.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The lines of block log format 2: a header that binds the channel, then one record per block
 * chaining SHA-256 hashes.
 *
 * <pre>
 * {"format":2,"channel":"…","genesis":"&lt;hex SHA-256 of {"format":2,"channel":"…"}&gt;"}
 * {"prev":"&lt;64 hex&gt;","hash":"&lt;64 hex&gt;","block":&lt;BlockCodec JSON&gt;}
 * </pre>
 *
 * A block's hash is SHA-256(prev ‖ UTF-8 block JSON), prev being the 32-byte hash of the block
 * before, or the genesis hash for block 0. The parser accepts exactly what the encoder writes.
 */
final class LogRecords {
  static final int FORMAT = 2;
  private static final HexFormat HEX = HexFormat.of();
  private static final String PREV = "{\"prev\":\"";
  private static final String HASH = "\",\"hash\":\"";
  private static final String BLOCK = "\",\"block\":";
  private static final int HEX_LENGTH = 64;

  private LogRecords() {}

  /** One parsed record: the hashes as written and the block JSON, unverified. */
  record Record(byte[] prev, byte[] hash, String block) {}

  /** The hash that block 0 links to: SHA-256 of the channel's canonical description. */
  static byte[] genesis(String channel) {
    return sha256(description(channel).getBytes(UTF_8));
  }

  private static String description(String channel) {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("channel", channel);
    return o.toString();
  }

  /** The first line of the log of {@code channel}. */
  static String header(String channel) {
    String d = description(channel);
    return d.substring(0, d.length() - 1) + ",\"genesis\":\"" + HEX.formatHex(genesis(channel)) + "\"}";
  }

  static byte[] hash(byte[] prev, String blockJson) {
    MessageDigest sha = sha256();
    sha.update(prev);
    sha.update(blockJson.getBytes(UTF_8));
    return sha.digest();
  }

  static String record(byte[] prev, byte[] hash, String blockJson) {
    return PREV + HEX.formatHex(prev) + HASH + HEX.formatHex(hash) + BLOCK + blockJson + "}";
  }

  /** Splits a record line; throws IllegalArgumentException if it is not in the encoder's form. */
  static Record parse(String line) {
    int hashAt = PREV.length() + HEX_LENGTH;
    int blockAt = hashAt + HASH.length() + HEX_LENGTH;
    if (line.length() < blockAt + BLOCK.length() + 1 || !line.startsWith(PREV) || !line.startsWith(HASH, hashAt)
        || !line.startsWith(BLOCK, blockAt) || !line.endsWith("}")) {
      throw new IllegalArgumentException("not a block record");
    }
    return new Record(hex(line.substring(PREV.length(), hashAt)), hex(line.substring(hashAt + HASH.length(), blockAt)),
        line.substring(blockAt + BLOCK.length(), line.length() - 1));
  }

  private static byte[] hex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException("a hash is not 64 lower-case hex digits");
      }
    }
    return HEX.parseHex(s);
  }

  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }

  static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  private static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
