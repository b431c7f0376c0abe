package org.medledger.bench.threshold;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A whole dealing with its safe-prime search (docs/protocol.md §10.1): one sample per iteration
 * (single-shot), since the search time varies from draw to draw.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThresholdDealBench {
  @Param({"2048", "3072"})
  public int bits;

  @Param({"3of5", "5of9"})
  public String shape;

  private static final SecureRandom RND = new SecureRandom();
  private final byte[] keyContext = "medledger/regulator-committee/bench".getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public ThresholdDealer.Dealing dealWithSafePrimeSearch() {
    String[] tm = shape.split("of");
    return ThresholdDealer.deal(KeySize.ofBits(bits), Integer.parseInt(tm[0]), Integer.parseInt(tm[1]), keyContext, RND);
  }
}
