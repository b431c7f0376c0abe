package org.medledger.bench;

import com.n1analytics.paillier.PaillierPrivateKey;
import com.n1analytics.paillier.PaillierPublicKey;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * javallier 0.6.0 encrypting at the same sizes, in the same run: {@code raw_encrypt} is its full
 * encryption including the r^n obfuscation (it uses GMP through jnagmp when that loads).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JavallierBench {
  @Param({"1024", "2048", "3072", "4096"})
  public int bits;

  private PaillierPublicKey pk;
  private final BigInteger amount = BigInteger.valueOf(123_456_789L);

  @Setup(Level.Trial)
  public void setUp() {
    pk = PaillierPrivateKey.create(bits).getPublicKey();
  }

  @Benchmark
  public BigInteger encrypt() {
    return pk.raw_encrypt(amount);
  }
}
