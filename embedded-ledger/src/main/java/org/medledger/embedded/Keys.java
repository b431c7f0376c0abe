package org.medledger.embedded;

import java.util.Collections;
import java.util.Comparator;
import java.util.NavigableMap;
import java.util.Objects;
import org.hyperledger.fabric.shim.ledger.CompositeKey;

/** State keys: Fabric's order, range slicing and the checks a key must pass before a write. */
final class Keys {
  /**
   * Fabric's LevelDB state database orders keys by their UTF-8 bytes, which is Unicode code point
   * order. {@link String#compareTo} compares UTF-16 units instead and would put U+10FFFF, the
   * upper bound of partial composite key queries, below U+E000..U+FFFF.
   */
  static final Comparator<String> ORDER = Keys::compareCodePoints;

  private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

  private Keys() {}

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(i);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
    }
    return Integer.compare(a.length() - i, b.length() - i);
  }

  /**
   * The entries of {@code map} in [start, end), or [start, end] when {@code endInclusive}; an empty
   * {@code end} means no upper bound, as in Fabric's range queries.
   */
  static <V> NavigableMap<String, V> slice(
      NavigableMap<String, V> map, String start, String end, boolean endInclusive) {
    if (end.isEmpty()) {
      return map.tailMap(start, true);
    }
    int cmp = ORDER.compare(start, end);
    if (cmp > 0 || (cmp == 0 && !endInclusive)) {
      return Collections.emptyNavigableMap();
    }
    return map.subMap(start, true, end, endInclusive);
  }

  /**
   * Checks a key before a write. Like Fabric: not empty, and valid Unicode (Fabric carries keys in
   * protobuf strings, which must be UTF-8; a lone surrogate would silently become '?'). A key that
   * starts with U+0000 is a composite key and must be one as {@link CompositeKey} builds it:
   * U+0000, then segments each closed by U+0000, none holding U+10FFFF. Fabric itself does not
   * check that last rule; the embedded ledger does, so that a hand-built key fails here first.
   */
  static void checkWritable(String key) {
    Objects.requireNonNull(key, "key must not be null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be an empty string");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("key " + printable(key) + " is not valid Unicode (lone surrogate at " + i + ")");
      }
    }
    if (key.startsWith(CompositeKey.NAMESPACE)) {
      boolean closed = key.length() >= 2 && key.endsWith(CompositeKey.NAMESPACE);
      if (!closed || key.indexOf(MAX_CODE_POINT) >= 0) {
        throw new IllegalArgumentException(
            "key " + printable(key) + " starts with U+0000 but is not a well-formed composite key;"
                + " build composite keys with createCompositeKey");
      }
    }
  }

  /** Length of the key in UTF-8, as Fabric stores it. */
  static int utf8Length(String key) {
    int n = 0;
    for (int i = 0; i < key.length(); ) {
      int cp = key.codePointAt(i);
      n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += Character.charCount(cp);
    }
    return n;
  }

  /** The key quoted for messages, with control characters (composite key separators) escaped. */
  static String printable(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 2).append('\'');
    key.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == MAX_CODE_POINT) {
        sb.append(String.format("\\u{%X}", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.append('\'').toString();
  }
}
