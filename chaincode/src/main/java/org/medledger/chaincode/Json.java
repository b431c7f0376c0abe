package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;

/**
 * Strict field access for request and state JSON; every failure is a MALFORMED_REQUEST. Requests
 * are parsed with canonical numbers only ({@link CanonicalJson#parseCanonicalObject}).
 */
final class Json {
  private Json() {}

  static JsonObject object(String json) {
    try {
      return CanonicalJson.parseCanonicalObject(json);
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, e.getMessage());
    }
  }

  static void onlyMembers(JsonObject o, String... allowed) {
    Set<String> a = Set.of(allowed);
    for (String k : o.keySet()) {
      if (!a.contains(k)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unexpected member " + k);
      }
    }
    for (String k : allowed) {
      if (!o.has(k)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "missing member " + k);
      }
    }
  }

  static JsonObject obj(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonObject()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be an object");
    }
    return e.getAsJsonObject();
  }

  static String string(JsonObject o, String name, int maxLength) {
    JsonElement e = o.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isString()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be a string");
    }
    String s = p.getAsString();
    if (s.isEmpty() || s.length() > maxLength) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must have 1.." + maxLength + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " contains control characters");
      }
    }
    return s;
  }

  /** A member that is an id ({@link Ids}): MALFORMED_REQUEST otherwise. */
  static String id(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isString()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be a string");
    }
    return Ids.check(name, p.getAsString());
  }

  /** A list of distinct ids ({@link Ids}), at most {@code maxItems} ({@code tooMany} otherwise). */
  static List<String> ids(JsonObject o, String name, int maxItems, ErrorCode tooMany) {
    List<String> out = strings(o, name, maxItems, Ids.MAX_ID_BYTES, tooMany);
    for (String s : out) {
      Ids.check("an item of " + name, s);
    }
    return out;
  }

  static long integer(JsonObject o, String name, long min, long max) {
    JsonElement e = o.get(name);
    if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be an integer");
    }
    long v;
    try {
      v = new BigDecimal(p.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException ex) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be an integer in range");
    }
    if (v < min || v > max) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must lie in [" + min + ", " + max + "]");
    }
    return v;
  }

  static byte[] base64(JsonObject o, String name, int maxBytes) {
    JsonElement raw = o.get(name);
    int maxChars = 4 * ((maxBytes + 2) / 3);
    if (raw instanceof JsonPrimitive p && p.isString() && p.getAsString().length() > maxChars) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, name + " exceeds " + maxBytes + " bytes");
    }
    String s = string(o, name, maxChars);
    byte[] b;
    try {
      b = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " is not base64");
    }
    if (!Base64.getEncoder().encodeToString(b).equals(s)) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " is not canonical base64");
    }
    if (b.length > maxBytes) {
      throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, name + " exceeds " + maxBytes + " bytes");
    }
    return b;
  }

  /** A string member that may be empty ({@link #string} refuses empty strings). */
  static String optionalString(JsonObject o, String name, int maxLength) {
    JsonElement e = o.get(name);
    if (e instanceof JsonPrimitive p && p.isString() && p.getAsString().isEmpty()) {
      return "";
    }
    return string(o, name, maxLength);
  }

  /** A base64 member, or null for the empty string. */
  static byte[] optionalBase64(JsonObject o, String name, int maxBytes) {
    JsonElement e = o.get(name);
    if (e instanceof JsonPrimitive p && p.isString() && p.getAsString().isEmpty()) {
      return null;
    }
    return base64(o, name, maxBytes);
  }

  static List<String> strings(JsonObject o, String name, int maxItems, int maxLength) {
    return strings(o, name, maxItems, maxLength, ErrorCode.PAYLOAD_TOO_LARGE);
  }

  static List<String> strings(JsonObject o, String name, int maxItems, int maxLength, ErrorCode tooMany) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonArray()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " must be an array");
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() > maxItems) {
      throw LedgerException.of(tooMany, name + " has more than " + maxItems + " items");
    }
    List<String> out = new ArrayList<>();
    JsonObject holder = new JsonObject();
    for (JsonElement x : a) {
      holder.add("item", x);
      String s = string(holder, "item", maxLength);
      if (out.contains(s)) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, name + " names " + s + " twice");
      }
      out.add(s);
    }
    return out;
  }

  static Set<String> stringSet(JsonObject o, String name, int maxItems) {
    return new TreeSet<>(strings(o, name, maxItems, 128));
  }

  static Role role(JsonElement e) {
    if (!(e instanceof JsonPrimitive p) || !p.isString()) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "a role must be a string");
    }
    try {
      return Role.valueOf(p.getAsString());
    } catch (IllegalArgumentException ex) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown role " + p.getAsString());
    }
  }
}
