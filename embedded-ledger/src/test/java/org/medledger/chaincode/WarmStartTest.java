package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The service starts warm (the built-in sample transfer and batch replayed through the router
 * before it listens) and routes proposals without INFO logging.
 */
class WarmStartTest {
  @Test
  void warmUpRunsTheSampleTransferAndBatchThroughTheRouter() {
    // Batches in rounds 0 and 3 of 4; every replay answered SUCCESS through GuardedChaincode and wrote.
    assertEquals(new Warmup.Counts(4, 2, 0), Warmup.run(4, FabricRouter.chaincode()));
    assertEquals(new Warmup.Counts(1, 1, 0), ChaincodeService.warmUp(1, FabricRouter.chaincode()));
    assertEquals(0, KeyCache.SHARED.size(), "the samples' keys are dropped from the cache");
    List<WarmupSample> samples = Warmup.samples();
    assertEquals(List.of("money:transfer", "money:transferBatch"), samples.stream().map(WarmupSample::function).toList());
    assertEquals(Warmup.BATCH_SIZE,
        org.medledger.protocol.CanonicalJson.parseObject(samples.get(1).stringArg(1)).getAsJsonArray("transfers").size());
  }

  @Test
  void aSampleTheContractRefusesIsCountedAsFailed() {
    WarmupSample s = Warmup.samples().get(0);
    // The same request signed by no one: the payer's signature field altered.
    String req = s.stringArg(1);
    String field = "\"signature\":\"";
    int at = req.indexOf(field) + field.length();
    assertTrue(at >= field.length(), "the request carries a signature");
    char c = req.charAt(at);
    String forged = req.substring(0, at) + (c == 'A' ? 'B' : 'A') + req.substring(at + 1);
    WarmupSample bad = new WarmupSample(List.of(s.args().get(0), forged.getBytes(StandardCharsets.UTF_8)), s.txId(),
        s.channelId(), s.timestamp(), s.creator(), s.mspId(), s.reads());
    assertEquals(new Warmup.Counts(1, 0, 1), Warmup.run(1, FabricRouter.chaincode(), List.of(s, bad)));
    // A sample whose state reads are missing cannot be replayed either.
    WarmupSample noState = new WarmupSample(s.args(), s.txId(), s.channelId(), s.timestamp(), s.creator(), s.mspId(),
        java.util.Map.of());
    assertEquals(new Warmup.Counts(0, 0, 1), Warmup.run(1, FabricRouter.chaincode(), List.of(noState)));
  }

  @Test
  void warmUpRoundsComeFromTheEnvironmentAndAreChecked() {
    assertEquals(Warmup.ROUNDS, ChaincodeService.warmUpRounds(null));
    assertEquals(Warmup.ROUNDS, ChaincodeService.warmUpRounds(" "));
    assertEquals(0, ChaincodeService.warmUpRounds("0"));
    assertEquals(12, ChaincodeService.warmUpRounds("12"));
    assertEquals(new Warmup.Counts(0, 0, 0), ChaincodeService.warmUp(0, FabricRouter.chaincode())); // off
    assertThrows(IllegalArgumentException.class, () -> ChaincodeService.warmUpRounds("many"));
    assertThrows(IllegalArgumentException.class, () -> ChaincodeService.warmUpRounds("-1"));
    assertThrows(IllegalArgumentException.class, () -> ChaincodeService.warmUpRounds("10001"));
  }

  @Test
  void proposalsThroughTheRouterLogNothingAtInfo() {
    Channel ch = new Channel(new FabricRouter());
    FabricRouter.chaincode(); // started as the service starts it (its start-up INFO records are not per proposal)
    List<LogRecord> seen = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLoggerName() != null && r.getLoggerName().startsWith("org.hyperledger")
            && r.getLevel().intValue() >= Level.INFO.intValue()) {
          synchronized (seen) {
            seen.add(r);
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      ch.configured();
      ch.evaluate(ch.regulatorOrg, "accounts:getChannel");
    } finally {
      root.removeHandler(capture);
    }
    assertTrue(seen.isEmpty(), () -> seen.size() + " INFO records, first: " + seen.get(0).getLoggerName() + " "
        + seen.get(0).getMessage());
    // The router's logger has its level raised; a handler on the root sees what passes that level.
    Logger router = Logger.getLogger(org.hyperledger.fabric.contract.ContractRouter.class.getName());
    assertEquals(Level.WARNING, router.getLevel());
  }
}
