package org.medledger.crypto.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.medledger.crypto.proof.RingPedersenParams;

/**
 * Regenerates the fixed ring-Pedersen parameter sets used by the tests:
 * {@code GenerateRingPedersenFixtures <resources/ringpedersen dir>}. Not run by tests. The factors
 * of N̂ and λ are discarded inside {@link RingPedersenParams#generate}; only (N̂, s, t) and the
 * proof are written.
 */
public final class GenerateRingPedersenFixtures {
  private GenerateRingPedersenFixtures() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    SecureRandom rnd = new SecureRandom();
    for (RingPedersenParams.Size size : RingPedersenParams.Size.values()) {
      long start = System.nanoTime();
      RingPedersenParams.Generated g = RingPedersenParams.generate(size, rnd);
      long ms = (System.nanoTime() - start) / 1_000_000;
      Files.write(dir.resolve("params-" + size.bits() + ".bin"), g.params().toBytes());
      Files.write(dir.resolve("proof-" + size.bits() + ".bin"), g.proof().toBytes());
      System.out.println(size + ": generated in " + ms + " ms");
    }
  }
}
