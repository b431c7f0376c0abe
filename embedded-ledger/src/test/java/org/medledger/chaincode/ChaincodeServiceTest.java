package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.embedded.TxResult;
import org.medledger.protocol.ErrorCode;

/**
 * The chaincode service: its environment checks, and the contracts reached through Fabric's own
 * {@link ContractRouter} behind the entry check ({@link GuardedChaincode}, what the service runs on
 * a peer), driven by the embedded ledger's stub instead of a peer.
 */
class ChaincodeServiceTest {
  @Test
  void acceptsLoopbackAddresses() {
    assertEquals(new InetSocketAddress("127.0.0.1", 7052), ChaincodeService.loopbackAddress("127.0.0.1:7052"));
    assertEquals(9999, ChaincodeService.loopbackAddress("127.0.0.2:9999").getPort());
    assertTrue(ChaincodeService.loopbackAddress("[::1]:1").getAddress().isLoopbackAddress());
  }

  @Test
  void refusesOtherAddresses() {
    for (String bad : new String[] {
        null, "", "127.0.0.1", "127.0.0.1:", ":9999", "0.0.0.0:9999", "10.0.0.1:9999", "localhost:9999",
        "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x", "127.0.0.256:9999", "127.1:9999", "::1:9999",
        "[::]:9999", "128.0.0.1:9999"}) {
      assertThrows(IllegalArgumentException.class, () -> ChaincodeService.loopbackAddress(bad), String.valueOf(bad));
    }
  }

  @Test
  void needsAChaincodeId() {
    assertThrows(IllegalArgumentException.class,
        () -> ChaincodeService.checkEnvironment(Map.of("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999")));
    assertThrows(IllegalArgumentException.class, () -> ChaincodeService.checkEnvironment(
        Map.of("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999", "CORE_CHAINCODE_ID_NAME", " ")));
    assertEquals(9999, ChaincodeService.checkEnvironment(
        Map.of("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999", "CORE_CHAINCODE_ID_NAME", "medledger_0.1.0:ab12")).getPort());
  }

  @Test
  void routerListsBothContractsAndTheirFunctions() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      JsonObject meta = CanonicalJson.parseObject(
          new String(ledger.evaluate(who, "org.hyperledger.fabric:GetMetadata"), StandardCharsets.UTF_8));
      JsonObject contracts = meta.getAsJsonObject("contracts");
      assertTrue(contracts.has("accounts") && contracts.has("money"), contracts.keySet().toString());
      Set<String> moneyFns = new HashSet<>();
      contracts.getAsJsonObject("money").getAsJsonArray("transactions")
          .forEach(t -> moneyFns.add(t.getAsJsonObject().get("name").getAsString()));
      assertTrue(moneyFns.containsAll(Set.of("issue", "transfer", "fold", "balance", "audit")), moneyFns.toString());
    }
  }

  @Test
  void routerReachesTheRecordsContract() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      JsonObject meta = CanonicalJson.parseObject(
          new String(ledger.evaluate(who, "org.hyperledger.fabric:GetMetadata"), StandardCharsets.UTF_8));
      Set<String> fns = new HashSet<>();
      meta.getAsJsonObject("contracts").getAsJsonObject("records").getAsJsonArray("transactions")
          .forEach(t -> fns.add(t.getAsJsonObject().get("name").getAsString()));
      assertTrue(fns.containsAll(Set.of("setup", "write", "correct", "grant", "share", "revoke", "read", "trail",
          "auditTrail", "fileClaim", "settleClaim", "rejectClaim", "getRecord", "listRecords", "getClaim")), fns.toString());
      ChaincodeException e = assertThrows(ChaincodeException.class, () -> ledger.evaluate(who, "records:getSetup"));
      assertEquals(ErrorCode.RECORDS_NOT_SET_UP, LedgerException.codeOf(e));
      ChaincodeException u = assertThrows(ChaincodeException.class, () -> ledger.evaluate(who, "records:noSuchFunction"));
      assertEquals(ErrorCode.MALFORMED_REQUEST, LedgerException.codeOf(u));
    }
  }

  @Test
  void routerReachesTheChannelsContract() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      JsonObject meta = CanonicalJson.parseObject(
          new String(ledger.evaluate(who, "org.hyperledger.fabric:GetMetadata"), StandardCharsets.UTF_8));
      Set<String> fns = new HashSet<>();
      meta.getAsJsonObject("contracts").getAsJsonObject("channels").getAsJsonArray("transactions")
          .forEach(t -> fns.add(t.getAsJsonObject().get("name").getAsString()));
      assertTrue(fns.containsAll(Set.of("open", "coopClose", "close", "dispute", "answer", "contest", "settle",
          "getChannel", "channelsOf")), fns.toString());
      ChaincodeException e = assertThrows(ChaincodeException.class, () -> ledger.evaluate(who, "channels:getChannel", "pc-unknown0"));
      assertEquals(ErrorCode.UNKNOWN_CHANNEL, LedgerException.codeOf(e));
    }
  }

  @Test
  void refusalsKeepTheirCodeThroughTheRouter() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity who = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      ChaincodeException e = assertThrows(ChaincodeException.class, () -> ledger.evaluate(who, "accounts:getChannel"));
      assertTrue(e.getMessage().startsWith("NOT_CONFIGURED: "), e.getMessage());
      assertArrayEquals("NOT_CONFIGURED".getBytes(StandardCharsets.UTF_8), e.getPayload());
      assertEquals(ErrorCode.NOT_CONFIGURED, LedgerException.codeOf(e));

      for (String fn : new String[] {"accounts:noSuchFunction", "money:noSuchFunction"}) {
        ChaincodeException u = assertThrows(ChaincodeException.class, () -> ledger.evaluate(who, fn));
        assertEquals(ErrorCode.MALFORMED_REQUEST, LedgerException.codeOf(u), fn);
        assertTrue(u.getMessage().startsWith("MALFORMED_REQUEST: unknown function"), u.getMessage());
      }
    }
  }

  @Test
  void configureAndReadBackThroughTheRouter() {
    try (EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", new FabricRouter())) {
      Identity regulator = ledger.identity("RegulatorOrgMSP", "regulator-gateway");
      Identity hospital = ledger.identity("HospitalOrgMSP", "hospital-gateway");
      Instant t = Instant.parse("2026-01-01T08:00:00Z");

      long before = ledger.height();
      TxResult refused = ledger.submit(hospital, t, "accounts:configure", Channel.CONFIG);
      assertTrue(refused.message().startsWith("FORBIDDEN_ORGANISATION: "), refused.toString());
      assertEquals(before, ledger.height(), "a refused proposal is not ordered");

      TxResult ok = ledger.submit(regulator, t.plusSeconds(1), "accounts:configure", Channel.CONFIG);
      assertTrue(ok.isValid(), ok.toString());
      JsonObject channel = CanonicalJson.parseObject(
          new String(ledger.evaluate(hospital, "accounts:getChannel"), StandardCharsets.UTF_8));
      assertEquals("medchannel", channel.getAsJsonObject("config").get("channel").getAsString());
      assertEquals("", channel.get("regulator").getAsString());
    }
  }
}
