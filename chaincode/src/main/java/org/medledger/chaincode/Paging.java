package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;

/**
 * Page sizes and bookmarks of the paged queries (docs/chaincode.md §4.1).
 *
 * <p>A Fabric peer takes a bookmark as the new start key of the range and checks nothing: a
 * bookmark before the range returns other accounts' keys, and one past its end crashes the peer
 * (issue 11). So a caller never hands the shim a key. The chaincode issues <em>opaque</em>
 * bookmarks: the base64url text of what follows the query's own key prefix in the next key. A
 * bookmark coming back is decoded, checked and appended to the prefix of the caller's own query,
 * so the start key lies inside that range by construction, whatever the caller sends.
 */
final class Paging {
  /** Largest page a query returns. */
  static final int MAX_PAGE = 100;
  /** Longest bookmark accepted, in characters of its base64url text. */
  static final int MAX_BOOKMARK_CHARS = 512;

  private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Paging() {}

  /** A page size: canonical decimal digits, 1 to {@link #MAX_PAGE}; BAD_PAGE otherwise. */
  static int pageSize(String s) {
    if (s == null || s.isEmpty() || s.length() > 3 || s.charAt(0) == '0' || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw LedgerException.of(ErrorCode.BAD_PAGE, "page size must be a whole number 1.." + MAX_PAGE);
    }
    int n = Integer.parseInt(s);
    if (n > MAX_PAGE) {
      throw LedgerException.of(ErrorCode.BAD_PAGE, "page size must be a whole number 1.." + MAX_PAGE);
    }
    return n;
  }

  /**
   * The start key a caller's bookmark stands for in the range under {@code prefix}: the prefix
   * itself for the empty bookmark, else the prefix followed by the decoded suffix. Refused with
   * BAD_BOOKMARK unless the bookmark is one this chaincode could have issued: canonical unpadded
   * base64url of well-formed UTF-8 that ends a composite key (U+0000) and holds no U+10FFFF, the
   * code point that bounds the range. The result is therefore never before the range's start
   * (it begins with the prefix) nor at or past its end (prefix + U+10FFFF).
   */
  static String startKey(String prefix, String bookmark) {
    if (bookmark == null || bookmark.isEmpty()) {
      return prefix;
    }
    if (bookmark.length() > MAX_BOOKMARK_CHARS) {
      throw bad("bookmark longer than " + MAX_BOOKMARK_CHARS + " characters");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(bookmark);
    } catch (IllegalArgumentException e) {
      throw bad("bookmark is not base64url");
    }
    if (!ENCODER.encodeToString(raw).equals(bookmark)) {
      throw bad("bookmark is not canonical base64url");
    }
    String suffix;
    try {
      suffix = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad("bookmark is not UTF-8");
    }
    if (suffix.isEmpty() || suffix.charAt(suffix.length() - 1) != '\u0000' || suffix.codePoints().anyMatch(c -> c == MAX_CODE_POINT)) {
      throw bad("bookmark was not issued for this query");
    }
    return prefix + suffix;
  }

  /** The opaque bookmark for the shim's next key ({@code ""} when the range is exhausted). */
  static String bookmark(String prefix, String nextKey) {
    if (nextKey == null || nextKey.isEmpty()) {
      return "";
    }
    if (!nextKey.startsWith(prefix) || nextKey.length() == prefix.length()) {
      throw new IllegalStateException("the ledger returned a next key outside the queried range");
    }
    return ENCODER.encodeToString(nextKey.substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"items":[…],"bookmark":"…"}} in canonical JSON. */
  static String json(Ledger.Page p) {
    JsonObject o = new JsonObject();
    JsonArray items = new JsonArray();
    p.items().forEach(items::add);
    o.add("items", items);
    o.addProperty("bookmark", p.bookmark());
    return CanonicalJson.toString(o);
  }

  private static org.hyperledger.fabric.shim.ChaincodeException bad(String why) {
    return LedgerException.of(ErrorCode.BAD_BOOKMARK, why);
  }
}
