package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.chaincode.BatchRequests.batch;
import static org.medledger.chaincode.BatchRequests.chain;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.medledger.embedded.EmbeddedLedger;

/**
 * Rebuilds chaincode's built-in warm-up samples ({@code Warmup.RESOURCE}): on the embedded ledger,
 * through Fabric's router, a patient funded by the insurer pays the hospital once
 * ({@code money:transfer}) and then in a batch of {@link Warmup#BATCH_SIZE}
 * ({@code money:transferBatch}); each of the two proposals is recorded with every state read it
 * made. Runs only when asked:
 * {@code -Dtest=WarmupFixtureTest -Dmedledger.warmupFixture=chaincode/src/main/resources/org/medledger/chaincode/warmup-samples.bin}
 * (a path relative to the module when run by Maven from the root: use an absolute one).
 */
class WarmupFixtureTest {
  /** Passes proposals to the router; records the next one of {@code armed} with its reads. */
  private static final class Recorder implements EmbeddedLedger.Dispatcher {
    String armed;
    final List<WarmupSample> recorded = new ArrayList<>();

    @Override
    public byte[] invoke(Context ctx, String function, List<String> args) {
      ChaincodeStub stub = ctx.getStub();
      Map<String, byte[]> reads = new LinkedHashMap<>();
      if (function.equals(armed)) {
        stub = recording(stub, reads);
      }
      Chaincode.Response r = FabricRouter.chaincode().invoke(stub);
      if (r.getStatus() != Chaincode.Response.Status.SUCCESS) {
        throw new ChaincodeException(r.getMessage(), r.getPayload());
      }
      if (function.equals(armed)) {
        ChaincodeStub s = ctx.getStub();
        recorded.add(new WarmupSample(s.getArgs(), s.getTxId(), s.getChannelId(), s.getTxTimestamp(), s.getCreator(),
            s.getMspId(), reads));
        armed = null;
      }
      return r.getPayload() == null ? new byte[0] : r.getPayload();
    }

    private static ChaincodeStub recording(ChaincodeStub real, Map<String, byte[]> reads) {
      return (ChaincodeStub) Proxy.newProxyInstance(ChaincodeStub.class.getClassLoader(),
          new Class<?>[] {ChaincodeStub.class}, (proxy, m, a) -> {
            Object out;
            try {
              out = m.invoke(real, a);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (m.getName().equals("getState")) {
              reads.putIfAbsent((String) a[0], out == null ? null : ((byte[]) out).clone());
            }
            return out;
          });
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "medledger.warmupFixture", matches = ".+")
  void writeTheWarmUpSamples() throws Exception {
    Recorder rec = new Recorder();
    Channel ch = new Channel(rec).configured().withInstitutions();
    ch.issue(10_000_000, ch.insurer);
    Actor p = ch.patient("warm-up-patient");
    assertTrue(ch.pay(ch.insurer, p, 1_000_000).isValid());

    rec.armed = "money:transfer";
    assertTrue(ch.pay(p, ch.hospital, 1_000).isValid());
    rec.armed = "money:transferBatch";
    long[] amounts = new long[Warmup.BATCH_SIZE];
    java.util.Arrays.fill(amounts, 100);
    String batch = batch(chain(ch, p, ch.hospital, p.nonce, amounts));
    assertTrue(ch.submit(ch.gateway(p), "money:transferBatch", batch).isValid());
    assertEquals(2, rec.recorded.size());

    // The samples replay through the router as the service replays them.
    Warmup.Counts c = Warmup.run(1, FabricRouter.chaincode(), rec.recorded);
    assertEquals(new Warmup.Counts(1, 1, 0), c);
    Path out = Path.of(System.getProperty("medledger.warmupFixture"));
    try (OutputStream os = Files.newOutputStream(out)) {
      DataOutputStream d = new DataOutputStream(new BufferedOutputStream(os));
      Warmup.write(d, rec.recorded);
      d.flush();
    }
  }
}
