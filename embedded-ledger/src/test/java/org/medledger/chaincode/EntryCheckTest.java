package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.protocol.ErrorCode;

/** The entry check's table, the canonical-number rule, and the caps on messages and log records. */
class EntryCheckTest {
  @Test
  void everyFunctionTheRouterServesIsInTheTableWithItsArgumentCount() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      JsonObject meta = CanonicalJson.parseObject(
          new String(ledger.evaluate(who, "org.hyperledger.fabric:GetMetadata"), StandardCharsets.UTF_8));
      int served = 0;
      for (String contract : List.of("accounts", "money", "records", "channels")) {
        for (JsonElement t : meta.getAsJsonObject("contracts").getAsJsonObject(contract).getAsJsonArray("transactions")) {
          JsonObject tx = t.getAsJsonObject();
          String name = contract + ":" + tx.get("name").getAsString();
          List<EntryCheck.Kind> kinds = EntryCheck.signature(name);
          assertNotNull(kinds, name);
          int params = tx.has("parameters") ? tx.getAsJsonArray("parameters").size() : 0;
          assertEquals(params, kinds.size(), name);
          served++;
        }
      }
      assertEquals(MalformedInputTest.FUNCTIONS.size(), served);
    }
  }

  @Test
  void canonicalIntegers() {
    for (String ok : new String[] {"0", "1", "-1", "1000", "9223372036854775807", "-9223372036854775808"}) {
      assertTrue(CanonicalJson.isCanonicalInteger(ok), ok);
      assertEquals(ok, CanonicalJson.toString(CanonicalJson.parseCanonicalObject("{\"n\":" + ok + "}")).substring(5).replace("}", ""));
    }
    for (String bad : new String[] {"", "-", "-0", "00", "01", "1.0", "1e3", "1E3", "1000e-0", "0.5", "+1", " 1",
        "9223372036854775808", "-9223372036854775809", "12345678901234567890", "1_000", "١"}) {
      assertFalse(CanonicalJson.isCanonicalInteger(bad), bad);
    }
    for (String bad : new String[] {"{\"n\":1e3}", "{\"n\":1000.0}", "{\"n\":-0}", "{\"a\":[1,2.5]}", "{\"a\":{\"b\":1E0}}",
        "{\"n\":1e999999999}", "{\"n\":" + "9".repeat(40) + "}"}) {
      assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parseCanonicalObject(bad), bad);
    }
  }

  @Test
  void refusalMessagesAreCappedAndEscaped() {
    ChaincodeException e = LedgerException.of(ErrorCode.UNKNOWN_ACCOUNT, "x".repeat(10_000_000));
    assertTrue(e.getMessage().length() < LedgerException.MAX_DETAIL_CHARS + 64, String.valueOf(e.getMessage().length()));
    assertTrue(e.getMessage().endsWith("…(9999800 more characters)"), e.getMessage().substring(200));
    String forged = LedgerException.of(ErrorCode.UNKNOWN_ACCOUNT, "a\nb\u0000c\uDBFF\uDFFFd\uD800é\uD83D\uDE00").getMessage();
    assertEquals("UNKNOWN_ACCOUNT: a\\u000ab\\u0000c\\udbff\\udfffd\\ud800é\uD83D\uDE00", forged);
    String controls = LedgerException.of(ErrorCode.UNKNOWN_ACCOUNT, "\u0000".repeat(10_000)).getMessage();
    assertTrue(controls.length() < LedgerException.MAX_DETAIL_CHARS + 64, controls);
  }

  @Test
  void logRecordsAreCapped() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamHandler h = new StreamHandler(out, new CappedLog.Capping(new SimpleFormatter()));
    Logger log = Logger.getLogger("org.medledger.chaincode.EntryCheckTest");
    log.setUseParentHandlers(false);
    log.addHandler(h);
    try {
      log.log(Level.SEVERE, "input " + "y".repeat(5_000_000));
      log.log(Level.SEVERE, "short and whole");
      h.flush();
    } finally {
      log.removeHandler(h);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.length() < CappedLog.MAX_RECORD_CHARS, String.valueOf(text.length()));
    assertTrue(text.contains("more characters)"), text.substring(0, 200));
    assertTrue(text.contains("short and whole"));
  }
}
