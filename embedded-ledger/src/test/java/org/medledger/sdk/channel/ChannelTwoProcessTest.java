package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.CanonicalJson;

/**
 * The two parties as two JVM processes on loopback (docs/payment-channels.md §6): A in this
 * process with the ledger, B forked with the test classpath. B is killed with SIGKILL while
 * payments are in flight and restarted from its state log; every payment A saw completed is in
 * the final state, the close both sign is settled on chain, and each account holds what the
 * states say.
 */
class ChannelTwoProcessTest {
  @TempDir
  Path dir;
  private Process child;

  @AfterEach
  void tearDown() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process startB(Path config, Path portFile) throws IOException {
    Files.deleteIfExists(portFile);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ChannelPeerProcess.class.getName(), config.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("b.out").toFile()));
    return pb.start();
  }

  private InetSocketAddress awaitPort(Path portFile) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (Files.exists(portFile)) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(Files.readString(portFile).trim()));
      }
      assertTrue(child.isAlive(), () -> "B exited: " + output());
      Thread.sleep(100);
    }
    throw new AssertionError("B did not start: " + output());
  }

  private String output() {
    try {
      return Files.readString(dir.resolve("b.out"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void bKilledMidStreamRestartsFromItsLogAndTheCloseSettlesOnChain() throws Exception {
    LedgerFixture f = new LedgerFixture(20_000, 1_000, 3_600, 8);
    Path bLog = dir.resolve("b.log");
    Path portFile = dir.resolve("b.port");
    Path config = dir.resolve("b.json");
    JsonObject cfg = new JsonObject();
    cfg.add("params", f.params.toJson());
    cfg.addProperty("seed", HexFormat.of().formatHex(f.hospitalSeed));
    cfg.addProperty("log", bLog.toString());
    cfg.addProperty("portFile", portFile.toString());
    Files.writeString(config, CanonicalJson.toString(cfg));

    child = startB(config, portFile);
    ChannelParty a = ChannelParty.create(f.params, f.insurerSecrets, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, f.rnd);
    ChannelDialer dialer = ChannelDialer.start(a, awaitPort(portFile), f.rnd);
    try {
      List<CompletableFuture<SignedState>> paid = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        paid.add(a.pay(10));
      }
      paid.get(99).get(60, TimeUnit.SECONDS);
      // Kill B (SIGKILL, by its process handle) while the rest are in flight.
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long beforeKill = StateLog.read(bLog).latest().seq();
      for (int i = 0; i < 200; i++) {
        paid.add(a.pay(5));
      }
      dialer.close();

      child = startB(config, portFile);
      dialer = ChannelDialer.start(a, awaitPort(portFile), f.rnd);
      for (CompletableFuture<SignedState> p : paid) {
        p.get(120, TimeUnit.SECONDS);
      }
      ChannelState expected = new ChannelState(a.latest().seq(), 20_000 - 300 * 10 - 200 * 5, 1_000 + 300 * 10 + 200 * 5);
      assertEquals(expected, a.latest().state(), "every payment is in the final state exactly once");
      for (int i = 0; i < 600 && StateLog.read(bLog).latest().seq() < a.latest().seq(); i++) {
        Thread.sleep(50);
      }
      assertEquals(a.latest(), StateLog.read(bLog).latest(), "B's log ends in the same state, signatures included");
      assertTrue(beforeKill >= 1, "B had persisted states before it was killed");
      assertTrue(output().contains("from state " + beforeKill), "B restarted from what it had persisted: " + output());

      // A asks B (in its own process) to close; B checks A's bundle with its own key and signs.
      CooperativeClose close = a.closeCooperatively().get(120, TimeUnit.SECONDS);
      f.chainA.coopClose(close);
      assertEquals("CLOSED", f.status());
      f.insurer.foldAll();
      f.hospital.foldAll();
      assertEquals(f.insurerStart - 4_000, f.insurer.balance());
      assertEquals(f.hospitalStart + 4_000, f.hospital.balance());
    } finally {
      dialer.close();
      a.close();
    }
  }
}
