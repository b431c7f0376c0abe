package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The service starts warm (a sample transfer verified before it listens) and routes proposals without INFO logging. */
class WarmStartTest {
  @Test
  void warmUpVerifiesTheSampleTransferEveryRound() {
    assertEquals(3, Warmup.run(3, new SecureRandom()));
  }

  @Test
  void warmUpRoundsComeFromTheEnvironmentAndAreChecked() {
    assertEquals(Warmup.ROUNDS, ChaincodeService.warmUpRounds(null));
    assertEquals(Warmup.ROUNDS, ChaincodeService.warmUpRounds(" "));
    assertEquals(0, ChaincodeService.warmUpRounds("0"));
    assertEquals(12, ChaincodeService.warmUpRounds("12"));
    ChaincodeService.warmUp(0); // off: returns at once
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
