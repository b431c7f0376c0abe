package org.medledger.crypto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.medledger.crypto.proof.RingPedersenParams;

/**
 * Fixed ring-Pedersen parameter sets for tests (generated once by
 * {@code GenerateRingPedersenFixtures}), so no test has to find safe primes of 1024 or 1536 bits.
 * The resources hold only (N̂, s, t) and the Π^prm proof; nobody kept the factors or λ.
 * Synthetic test material only.
 */
public final class TestRingPedersen {
  private TestRingPedersen() {}

  /** Raw encoding of the parameters, {@code params-<bits>.bin}. */
  public static byte[] paramsBytes(int bits) {
    return read("params-" + bits + ".bin");
  }

  /** Raw encoding of the proof, {@code proof-<bits>.bin}. */
  public static byte[] proofBytes(int bits) {
    return read("proof-" + bits + ".bin");
  }

  /** Decoded and validated parameters (runs the full Π^prm verification). */
  public static RingPedersenParams params(int bits) {
    return RingPedersenParams.fromBytes(paramsBytes(bits), proofBytes(bits));
  }

  private static byte[] read(String name) {
    try (InputStream in = TestRingPedersen.class.getResourceAsStream("/ringpedersen/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource ringpedersen/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
