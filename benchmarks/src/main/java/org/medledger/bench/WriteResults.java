package org.medledger.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file into {@code crypto.json} (one row per op and size: op, bits,
 * median_ms, per_encryption = median / median of one plain public-key encryption at that size in
 * the same run) and rewrites the generated table in docs/performance.md.
 *
 * <p>Usage: {@code WriteResults <jmh.json> <crypto.json> <performance.md>}
 */
public final class WriteResults {
  private static final Map<String, String> OPS = new LinkedHashMap<>();

  static {
    OPS.put("PaillierBench.encryptPublic", "paillier.encrypt.public");
    OPS.put("PaillierBench.encryptPublicTable", "paillier.encrypt.public_table");
    OPS.put("PaillierBench.encryptOwner", "paillier.encrypt.owner");
    OPS.put("PaillierBench.encryptOwnerTable", "paillier.encrypt.owner_table");
    OPS.put("JavallierBench.encrypt", "javallier.encrypt");
    OPS.put("PaillierBench.decrypt", "paillier.decrypt");
    OPS.put("PaillierBench.add", "paillier.add");
    OPS.put("TransferBench.prove", "transfer.prove");
    OPS.put("TransferBench.verify", "transfer.verify");
    OPS.put("RangeProofBench.prove", "range.prove");
    OPS.put("RangeProofBench.verify", "range.verify");
    OPS.put("RangeProofBench.verifyEach16", "range.verify_each16");
    OPS.put("RangeProofBench.verifyBatch16", "range.verify_batch16");
    OPS.put("RecordBench.encryptAndProve", "record4096.encrypt_prove");
    OPS.put("RecordBench.encryptAndProveTable", "record4096.encrypt_prove_table");
    OPS.put("RecordBench.verify", "record4096.verify");
    OPS.put("KeyProofBench.prove", "keyproof.prove");
    OPS.put("KeyProofBench.verify", "keyproof.verify");
    OPS.put("GrantBench.reencryptAndProve", "record4096.grant_prove");
    OPS.put("GrantBench.verify", "record4096.grant_verify");
    OPS.put("ChaincodeTransferBench.endorse", "chaincode.transfer_tx");
    OPS.put("ChaincodeTransferBench.endorseColdKeys", "chaincode.transfer_tx_cold_keys");
  }

  /** The paper's Table 2 (i5 3.4 GHz), ms at 1024 / 2048 / 4096 bits. */
  private static final String[][] PAPER = {
    {"fee HE + ZKP (transfer prove)", "40", "102", "453"},
    {"range verification (transfer verify)", "30", "78", "347"},
    {"4096-byte record HE + ZKP", "359", "903", "4112"},
  };

  private WriteResults() {}

  record Row(String op, Integer bits, double medianMs, Double perEncryption) {}

  public static void main(String[] args) throws IOException {
    JsonArray runs = JsonParser.parseString(Files.readString(Path.of(args[0]))).getAsJsonArray();
    List<Row> raw = new ArrayList<>();
    for (JsonElement el : runs) {
      JsonObject r = el.getAsJsonObject();
      String name = r.get("benchmark").getAsString();
      String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      String op = OPS.get(key);
      if (op == null) {
        continue;
      }
      Integer bits = null;
      if (r.has("params") && r.getAsJsonObject("params").has("bits")) {
        bits = Integer.parseInt(r.getAsJsonObject("params").get("bits").getAsString());
      }
      double median = r.getAsJsonObject("primaryMetric").getAsJsonObject("scorePercentiles").get("50.0").getAsDouble();
      raw.add(new Row(op, bits, median, null));
    }
    Map<Integer, Double> unit = new HashMap<>();
    for (Row r : raw) {
      if (r.op().equals("paillier.encrypt.public") && r.bits() != null) {
        unit.put(r.bits(), r.medianMs());
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String op : OPS.values()) {
      for (Row r : raw) {
        if (r.op().equals(op)) {
          Double u = r.bits() == null ? null : unit.get(r.bits());
          rows.add(new Row(r.op(), r.bits(), round(r.medianMs()), u == null ? null : round(r.medianMs() / u)));
        }
      }
    }
    rows.sort((a, b) -> {
      int c = Integer.compare(indexOf(a.op()), indexOf(b.op()));
      return c != 0 ? c : Integer.compare(a.bits() == null ? 0 : a.bits(), b.bits() == null ? 0 : b.bits());
    });
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      JsonObject o = new JsonObject();
      o.addProperty("op", r.op());
      if (r.bits() == null) {
        o.add("bits", null);
      } else {
        o.addProperty("bits", r.bits());
      }
      o.addProperty("median_ms", r.medianMs());
      if (r.perEncryption() == null) {
        o.add("per_encryption", null);
      } else {
        o.addProperty("per_encryption", r.perEncryption());
      }
      out.add(o);
    }
    Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    Files.writeString(Path.of(args[1]), gson.toJson(out) + "\n", StandardCharsets.UTF_8);
    if (args.length > 2) {
      rewriteDoc(Path.of(args[2]), rows);
    }
  }

  private static int indexOf(String op) {
    return new ArrayList<>(OPS.values()).indexOf(op);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static void rewriteDoc(Path doc, List<Row> rows) throws IOException {
    StringBuilder t = new StringBuilder();
    t.append("| op | 1024 | 2048 | 3072 | 4096 |\n|---|---|---|---|---|\n");
    for (String op : OPS.values()) {
      StringBuilder line = new StringBuilder("| `" + op + "` |");
      boolean any = false;
      for (int bits : new int[] {1024, 2048, 3072, 4096}) {
        String cell = " |";
        for (Row r : rows) {
          if (r.op().equals(op) && (r.bits() == null || r.bits() == bits)) {
            cell = String.format(Locale.ROOT, " %.2f |", r.medianMs());
            any = true;
          }
        }
        line.append(cell);
      }
      if (any) {
        t.append(line).append('\n');
      }
    }
    t.append("\nThe paper's Table 2 (i5 3.4 GHz; no 3072-bit column), ms:\n\n");
    t.append("| paper row | 1024 | 2048 | 4096 |\n|---|---|---|---|\n");
    for (String[] p : PAPER) {
      t.append("| ").append(p[0]).append(" | ").append(p[1]).append(" | ").append(p[2]).append(" | ").append(p[3]).append(" |\n");
    }
    String begin = "<!-- crypto-table:begin -->";
    String end = "<!-- crypto-table:end -->";
    String text = Files.readString(doc);
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalStateException("docs/performance.md lacks the crypto-table markers");
    }
    String updated = text.substring(0, b + begin.length()) + "\n" + t + text.substring(e);
    Files.writeString(doc, updated, StandardCharsets.UTF_8);
  }
}
