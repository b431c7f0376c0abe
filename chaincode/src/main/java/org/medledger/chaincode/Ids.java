package org.medledger.chaincode;

import org.medledger.protocol.ErrorCode;

/**
 * The one rule for identifiers (docs/chaincode.md §6.1): account, record, grant, claim, channel,
 * transaction and credit ids are 1..{@value #MAX_ID_BYTES} characters of {@code [A-Za-z0-9._-]},
 * which every id the contracts and Fabric create already is. So an id is plain ASCII: it holds no
 * U+0000 or U+10FFFF (the composite-key delimiters), no surrogate, nothing that encodes to other
 * bytes than it reads, and nothing that turns into another id on its way to a key.
 */
final class Ids {
  /** Longest id accepted, in characters (= bytes, ids being ASCII). */
  static final int MAX_ID_BYTES = 128;

  private Ids() {}

  /** Whether {@code s} is an id by the rule above. */
  static boolean valid(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_ID_BYTES) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code s} if it is an id, else refuses with MALFORMED_REQUEST naming {@code what}. */
  static String check(String what, String s) {
    if (!valid(s)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, what + " is not an id (1.." + MAX_ID_BYTES
          + " characters of [A-Za-z0-9._-]): " + (s == null ? "null" : s));
    }
    return s;
  }

  /**
   * The last line of defence under every composite key the contracts build: a part must be
   * well-formed UTF-16 (no lone surrogate, which UTF-8 would turn into '?') and hold neither
   * U+0000 nor U+10FFFF, which Fabric refuses with an unchecked exception.
   */
  static void checkKeyPart(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == 0) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a key part holds U+0000");
      }
      if (Character.isHighSurrogate(c) && i + 1 < part.length() && Character.isLowSurrogate(part.charAt(i + 1))) {
        if (part.codePointAt(i) == Character.MAX_CODE_POINT) {
          throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a key part holds U+10FFFF");
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a key part holds a lone surrogate");
      }
    }
  }
}
