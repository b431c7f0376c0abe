package org.medledger.chaincode.api;

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
    try {
      JsonReader r = new JsonReader(new StringReader(json));
      r.setStrictness(Strictness.STRICT);
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      JsonElement e = read(r, 0);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("trailing data after the JSON object");
      }
      return e.getAsJsonObject();
    } catch (IOException | IllegalStateException | NumberFormatException ex) {
      throw new IllegalArgumentException("malformed JSON: " + ex.getMessage(), ex);
    }
  }

  private static JsonElement read(JsonReader r, int depth) throws IOException {
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
          o.add(name, read(r, depth + 1));
        }
        r.endObject();
        return o;
      }
      case BEGIN_ARRAY -> {
        JsonArray a = new JsonArray();
        r.beginArray();
        while (r.hasNext()) {
          a.add(read(r, depth + 1));
        }
        r.endArray();
        return a;
      }
      case STRING -> {
        return new JsonPrimitive(r.nextString());
      }
      case NUMBER -> {
        return new JsonPrimitive(new BigDecimal(r.nextString()));
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
