package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.shim.Chaincode;
import org.junit.jupiter.api.Test;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Endorsement;
import org.medledger.embedded.Identity;
import org.medledger.protocol.ErrorCode;

/**
 * The benchmark's no-verification floor ({@code bench:write}, {@link FloorWrite}): answered only
 * when the service is started with {@code MEDLEDGER_BENCH_FLOOR=1}; then it writes its argument
 * under {@code bench/<tx id>} and reads nothing, and refuses what it cannot bound.
 */
class FloorWriteTest {
  private static final Instant T = Instant.parse("2026-01-01T08:00:00Z");

  /** The service's chaincode with the floor on; only {@code bench:write} is sent to it. */
  private static EmbeddedLedger floorOn() {
    GuardedChaincode cc = new GuardedChaincode(new String[] {"-i", "medledger_test:0"}, true);
    return EmbeddedLedger.inMemory("medchannel", (ctx, function, args) -> {
      Chaincode.Response r = cc.invoke(ctx.getStub());
      if (r.getStatus() != Chaincode.Response.Status.SUCCESS) {
        throw new ChaincodeException(r.getMessage(), r.getPayload());
      }
      return r.getPayload();
    });
  }

  @Test
  void onlyTheExactValueOneTurnsItOn() {
    assertTrue(FloorWrite.enabled(Map.of("MEDLEDGER_BENCH_FLOOR", "1")));
    for (String v : new String[] {"0", "true", " 1", "yes", ""}) {
      assertFalse(FloorWrite.enabled(Map.of("MEDLEDGER_BENCH_FLOOR", v)), v);
    }
    assertFalse(FloorWrite.enabled(Map.of()));
  }

  @Test
  void offItIsAnUnknownFunctionAndWritesNothing() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      Endorsement e = ledger.endorse(who, T, "bench:write", "x".repeat(100));
      assertFalse(e.succeeded());
      assertEquals(ErrorCode.MALFORMED_REQUEST.name(), e.errorCode());
      assertTrue(e.writtenKeys().isEmpty());
    }
  }

  @Test
  void onItWritesThePayloadUnderTheTxIdAndReadsNothing() {
    try (EmbeddedLedger ledger = floorOn()) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      Endorsement e = ledger.endorse(who, T, "bench:write", "y".repeat(5000));
      assertTrue(e.succeeded(), e.toString());
      assertEquals(Set.of("bench/" + e.txId()), e.writtenKeys());
      assertTrue(e.readKeys().isEmpty(), e.readKeys().toString());
      assertEquals("{\"bytes\":5000}", new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(ledger.submit(who, T.plusSeconds(1), "bench:write", "z").isValid());
    }
  }

  @Test
  void onItRefusesAMissingExtraOrOversizedArgument() {
    try (EmbeddedLedger ledger = floorOn()) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      Endorsement none = ledger.endorse(who, T, "bench:write");
      assertEquals(ErrorCode.MALFORMED_REQUEST.name(), none.errorCode());
      Endorsement two = ledger.endorse(who, T, "bench:write", "a", "b");
      assertEquals(ErrorCode.MALFORMED_REQUEST.name(), two.errorCode());
      Endorsement big = ledger.endorse(who, T, "bench:write", "b".repeat(FloorWrite.MAX_BYTES + 1));
      assertEquals(ErrorCode.PAYLOAD_TOO_LARGE.name(), big.errorCode());
      for (Endorsement e : new Endorsement[] {none, two, big}) {
        assertTrue(e.writtenKeys().isEmpty());
      }
    }
  }
}
