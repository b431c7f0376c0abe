package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;

class StatsTransferCostTest {
  @Test
  void theRecordingStubRecordsWritesAndDeletesAndPassesEverythingThrough() {
    Map<String, Integer> seen = new TreeMap<>();
    EmbeddedLedger ledger = EmbeddedLedger.inMemory("ch", (ctx, f, a) -> {
      ChaincodeStub s = new Context(StatsTransferCost.recordingStub(ctx.getStub(), seen)).getStub();
      s.putState("a", "12345".getBytes(StandardCharsets.UTF_8));
      s.putState("b", new byte[] {1});
      s.delState("c");
      return s.getTxId().getBytes(StandardCharsets.UTF_8);
    });
    Identity who = ledger.identity("Org1MSP", "client");
    Endorsement e = ledger.endorse(who, Instant.parse("2026-03-01T00:00:00Z"), "any");
    assertTrue(e.succeeded());
    assertEquals(e.txId(), new String(e.payload(), StandardCharsets.UTF_8));
    assertEquals(Map.of("a", 5, "b", 1, "c", 0), seen);
    assertEquals(java.util.Set.of("a", "b", "c"), e.writtenKeys());
  }
}
