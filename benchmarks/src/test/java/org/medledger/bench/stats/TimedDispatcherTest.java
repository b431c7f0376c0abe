package org.medledger.bench.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.protocol.CanonicalJson;

class TimedDispatcherTest {
  static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

  /** A contract with two functions: "put" writes args[1..] under the composite key args[0]/args[1..]; "refuse" refuses. */
  static byte[] contract(org.hyperledger.fabric.contract.Context ctx, String function, List<String> args) {
    ChaincodeStub stub = ctx.getStub();
    switch (function) {
      case "put" -> {
        String key = stub.createCompositeKey(args.get(0), args.subList(1, args.size()).toArray(String[]::new)).toString();
        stub.putState(key, String.join("+", args).getBytes(StandardCharsets.UTF_8));
        return "ok".getBytes(StandardCharsets.UTF_8);
      }
      case "refuse" -> throw new ChaincodeException("REFUSED: no", "REFUSED".getBytes(StandardCharsets.UTF_8));
      default -> throw new ChaincodeException("unknown " + function);
    }
  }

  @Test
  void recordsEveryContractInvocationInOrderWithItsOutcomeAndNotTheTools() {
    TimedDispatcher d = new TimedDispatcher(TimedDispatcherTest::contract,
        Map.of(StatsOpenBench.STATE_TOOL, StatsOpenBench::rawState));
    EmbeddedLedger ledger = EmbeddedLedger.inMemory("ch", d);
    Identity who = ledger.identity("Org1MSP", "client");
    assertTrue(ledger.submit(who, T, "put", "t", "a").isValid());
    int mark = d.mark();
    assertEquals(1, mark);
    assertFalse(ledger.submit(who, T.plusSeconds(1), "refuse").isValid());
    assertTrue(ledger.submit(who, T.plusSeconds(2), "put", "t", "b").isValid());
    assertArrayEquals("t+a".getBytes(StandardCharsets.UTF_8), ledger.evaluate(who, StatsOpenBench.STATE_TOOL, "t", "a"));

    List<TimedDispatcher.Call> after = d.since(mark);
    assertEquals(List.of("refuse", "put"), after.stream().map(TimedDispatcher.Call::function).toList());
    assertFalse(after.get(0).ok());
    assertTrue(after.get(1).ok());
    assertTrue(after.stream().allMatch(c -> c.wallMs() >= 0 && c.cpuMs() >= 0));
    assertEquals(1, d.since(mark, "put").size());
    assertEquals(2, d.since(0, "put").size());
    assertEquals(3, d.mark());
  }

  @Test
  void sizesCountTheKeysUnderAPrefixAndTheirBytes() {
    TimedDispatcher d = new TimedDispatcher(TimedDispatcherTest::contract,
        Map.of(StatsOpenBench.SIZES_TOOL, StatsOpenBench::sizes, StatsOpenBench.STATE_TOOL, StatsOpenBench::rawState));
    EmbeddedLedger ledger = EmbeddedLedger.inMemory("ch", d);
    Identity who = ledger.identity("Org1MSP", "client");
    ledger.submit(who, T, "put", "statsc", "2026-03", "PAY", "x1");
    ledger.submit(who, T.plusSeconds(1), "put", "statsc", "2026-03", "PAY", "x22");
    ledger.submit(who, T.plusSeconds(2), "put", "statsc", "2026-04", "PAY", "x3");
    JsonObject s = CanonicalJson.parseObject(new String(ledger.evaluate(who, StatsOpenBench.SIZES_TOOL, "statsc", "2026-03"),
        StandardCharsets.UTF_8));
    assertEquals(2, s.get("keys").getAsLong());
    // Keys "\0statsc\02026-03\0PAY\0x1\0" (23 bytes) and one byte longer; values "statsc+2026-03+PAY+x1" (21) and 22.
    assertEquals(23 + 24, s.get("key_bytes").getAsLong());
    assertEquals(21 + 22, s.get("value_bytes").getAsLong());
    assertEquals((23 + 24 + 21 + 22) / 2, s.get("bytes_per_key").getAsLong());
    assertEquals(0, ledger.evaluate(who, StatsOpenBench.STATE_TOOL, "statsc", "2026-05").length);
    assertTrue(d.since(0).stream().noneMatch(c -> c.function().startsWith("bench:")));
  }
}
