package org.medledger.embedded;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One block as one line of canonical JSON: members in a fixed order, no whitespace, values in
 * standard base64, write sets sorted by key. A delete is written as {@code "delete":true} without a
 * value; a transaction without an event has no {@code event} member.
 *
 * <pre>
 * {"number":0,"txs":[{"index":0,"id":"…","nonce":0,"timestamp":"2025-01-01T00:00:00Z",
 *  "creator":"Org1MSP","function":"put","args":["k","v"],"status":"VALID",
 *  "writes":[{"key":"k","value":"dg=="}],"event":{"name":"put","payload":""}}]}
 * </pre>
 *
 * (shown wrapped; a block is one line). The decoder accepts exactly what the encoder writes.
 */
final class BlockCodec {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private BlockCodec() {}

  /** A committed block: its transactions in order, valid or not. */
  record Block(long number, List<Tx> txs) {
    Block {
      txs = List.copyOf(txs);
    }
  }

  /** A transaction as the block keeps it; an empty write value is a delete, eventName null if none. */
  record Tx(
      int index,
      String txId,
      long nonce,
      Instant timestamp,
      String creatorMsp,
      String function,
      List<String> args,
      TxStatus status,
      SortedMap<String, byte[]> writes,
      String eventName,
      byte[] eventPayload) {
    Tx {
      args = List.copyOf(args);
    }
  }

  static String encode(Block block) {
    StringWriter out = new StringWriter();
    try (JsonWriter w = new JsonWriter(out)) {
      w.beginObject().name("number").value(block.number()).name("txs").beginArray();
      for (Tx tx : block.txs()) {
        w.beginObject()
            .name("index").value(tx.index())
            .name("id").value(tx.txId())
            .name("nonce").value(tx.nonce())
            .name("timestamp").value(tx.timestamp().toString())
            .name("creator").value(tx.creatorMsp())
            .name("function").value(tx.function())
            .name("args").beginArray();
        for (String arg : tx.args()) {
          w.value(arg);
        }
        w.endArray().name("status").value(tx.status().name()).name("writes").beginArray();
        for (Map.Entry<String, byte[]> e : tx.writes().entrySet()) {
          w.beginObject().name("key").value(e.getKey());
          if (e.getValue().length == 0) {
            w.name("delete").value(true);
          } else {
            w.name("value").value(B64.encodeToString(e.getValue()));
          }
          w.endObject();
        }
        w.endArray();
        if (tx.eventName() != null) {
          w.name("event").beginObject()
              .name("name").value(tx.eventName())
              .name("payload").value(B64.encodeToString(tx.eventPayload()))
              .endObject();
        }
        w.endObject();
      }
      w.endArray().endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** Parses a line the encoder wrote; anything else throws IllegalArgumentException. */
  static Block decode(String line) {
    Block block;
    try {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      List<Tx> txs = new ArrayList<>();
      for (JsonElement t : member(o, "txs").getAsJsonArray()) {
        txs.add(tx(t.getAsJsonObject()));
      }
      block = new Block(member(o, "number").getAsLong(), txs);
    } catch (RuntimeException e) { // Gson, number, base64 and timestamp parsers all throw unchecked
      throw new IllegalArgumentException("malformed block: " + e.getMessage(), e);
    }
    if (!encode(block).equals(line)) {
      throw new IllegalArgumentException("block " + block.number() + " is not in canonical form");
    }
    return block;
  }

  private static Tx tx(JsonObject t) {
    List<String> args = new ArrayList<>();
    for (JsonElement a : member(t, "args").getAsJsonArray()) {
      args.add(a.getAsString());
    }
    SortedMap<String, byte[]> writes = new TreeMap<>(Keys.ORDER);
    for (JsonElement w : member(t, "writes").getAsJsonArray()) {
      JsonObject write = w.getAsJsonObject();
      writes.put(
          member(write, "key").getAsString(),
          write.has("delete") ? new byte[0] : B64D.decode(member(write, "value").getAsString()));
    }
    JsonObject event = t.has("event") ? t.getAsJsonObject("event") : null;
    return new Tx(
        member(t, "index").getAsInt(),
        member(t, "id").getAsString(),
        member(t, "nonce").getAsLong(),
        Instant.parse(member(t, "timestamp").getAsString()),
        member(t, "creator").getAsString(),
        member(t, "function").getAsString(),
        args,
        TxStatus.valueOf(member(t, "status").getAsString()),
        writes,
        event == null ? null : member(event, "name").getAsString(),
        event == null ? null : B64D.decode(member(event, "payload").getAsString()));
  }

  private static JsonElement member(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException("missing member '" + name + "'");
    }
    return e;
  }
}
