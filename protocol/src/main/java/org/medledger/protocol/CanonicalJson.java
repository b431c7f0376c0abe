package org.medledger.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Canonical JSON (docs/chaincode.md): object members sorted by key (UTF-16 order), no whitespace,
 * no HTML escaping, numbers only as integers. The same object always gives the same bytes, which
 * is what requests are signed over and what the chaincode writes to the ledger.
 */
public final class CanonicalJson {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
  /** Deepest nesting accepted by {@link #parseObject}. */
  public static final int MAX_DEPTH = 16;

  private CanonicalJson() {}

  public static String toString(JsonElement e) {
    return GSON.toJson(sorted(e));
  }

  public static byte[] toBytes(JsonElement e) {
    return toString(e).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonElement sorted(JsonElement e) {
    if (e.isJsonObject()) {
      JsonObject in = e.getAsJsonObject();
      List<String> keys = new ArrayList<>(in.keySet());
      Collections.sort(keys);
      JsonObject out = new JsonObject();
      for (String k : keys) {
        out.add(k, sorted(in.get(k)));
      }
      return out;
    }
    if (e.isJsonArray()) {
      JsonArray out = new JsonArray();
      for (JsonElement x : e.getAsJsonArray()) {
        out.add(sorted(x));
      }
      return out;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      BigDecimal d = e.getAsJsonPrimitive().getAsBigDecimal();
      try {
        return new JsonPrimitive(d.toBigIntegerExact());
      } catch (ArithmeticException notInteger) {
        throw new IllegalArgumentException("canonical JSON carries integers only");
      }
    }
    return e;
  }

  /**
   * Parses strictly: a single JSON object, no trailing data, nesting at most {@link #MAX_DEPTH},
   * no duplicate members. Throws {@link IllegalArgumentException} otherwise.
   */
  public static JsonObject parseObject(String json) {
    return parse(json, false);
  }

  /**
   * As {@link #parseObject}, and every number must be written canonically: an integer in the
   * range of a Java {@code long}, as {@code -?(0|[1-9][0-9]*)} and not {@code -0}; so no
   * exponent, no fraction, no leading zero. This is what the chaincode reads requests with
   * (docs/chaincode.md §2): a number that is not canonical is refused before it is converted, so
   * that one signed body has one text and no number costs more than 20 characters to read.
   */
  public static JsonObject parseCanonicalObject(String json) {
    return parse(json, true);
  }

  /** Whether {@code s} is an integer written canonically in the range of a {@code long}. */
  public static boolean isCanonicalInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 19) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    if (s.charAt(start) == '0' && (digits > 1 || start == 1)) {
      return false; // a leading zero, or -0
    }
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException outOfRange) {
      return false;
    }
  }

  private static JsonObject parse(String json, boolean canonicalNumbers) {
    try {
      JsonReader r = new JsonReader(new StringReader(json));
      r.setStrictness(Strictness.STRICT);
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      JsonElement e = read(r, 0, canonicalNumbers);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("trailing data after the JSON object");
      }
      return e.getAsJsonObject();
    } catch (IOException | IllegalStateException | NumberFormatException ex) {
      throw new IllegalArgumentException("malformed JSON: " + ex.getMessage(), ex);
    }
  }

  private static JsonElement read(JsonReader r, int depth, boolean canonicalNumbers) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
    }
    switch (r.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject o = new JsonObject();
        r.beginObject();
        while (r.hasNext()) {
          String name = r.nextName();
          if (o.has(name)) {
            throw new IllegalArgumentException("duplicate member " + name);
          }
          o.add(name, read(r, depth + 1, canonicalNumbers));
        }
        r.endObject();
        return o;
      }
      case BEGIN_ARRAY -> {
        JsonArray a = new JsonArray();
        r.beginArray();
        while (r.hasNext()) {
          a.add(read(r, depth + 1, canonicalNumbers));
        }
        r.endArray();
        return a;
      }
      case STRING -> {
        return new JsonPrimitive(r.nextString());
      }
      case NUMBER -> {
        String text = r.nextString();
        if (canonicalNumbers) {
          if (!isCanonicalInteger(text)) {
            throw new IllegalArgumentException("the number " + (text.length() > 24 ? text.substring(0, 24) + "…" : text)
                + " is not a canonical integer (-?(0|[1-9][0-9]*), no -0, within 64 bits)");
          }
          return new JsonPrimitive(Long.parseLong(text));
        }
        return new JsonPrimitive(new BigDecimal(text));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(r.nextBoolean());
      }
      case NULL -> {
        r.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new IllegalArgumentException("unexpected JSON token " + r.peek());
    }
  }
}
