package org.medledger.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.FactorProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.testing.TestRingPedersen;
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
 * The no-small-factor proof Π^fac (docs/protocol.md §3.5) against the fixed 2048-bit
 * ring-Pedersen test parameters: the owner proves at registration, the chaincode verifies.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FactorProofBench {
  @Param({"2048"})
  public int bits;

  private PaillierSecretKey sk;
  private BigInteger n;
  private RingPedersenParams rp;
  private FactorProof proof;
  private final byte[] context = "medledger/register/v1|medchannel|acct-bench".getBytes(StandardCharsets.UTF_8);

  @Setup(Level.Trial)
  public void setUp() {
    sk = BenchKeys.get("owner", bits);
    n = sk.publicKey().n();
    rp = TestRingPedersen.params(2048);
    proof = FactorProof.prove(sk, rp, context, BenchKeys.RANDOM);
  }

  @Benchmark
  public FactorProof prove() {
    return FactorProof.prove(sk, rp, context, BenchKeys.RANDOM);
  }

  @Benchmark
  public FactorProof verify() {
    proof.verify(n, rp, context);
    return proof;
  }
}
