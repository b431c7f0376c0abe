package org.medledger.bench;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.ec.Secp256k1;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The aggregated 2 × 64-bit Bulletproof a transfer carries (docs/protocol.md §4.2). */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RangeProofBench {
  private final BigInteger[] values = {BigInteger.valueOf(12_344L), BigInteger.valueOf(987_655L)};
  private final BigInteger[] blindings = {BigInteger.valueOf(1_234_567L), BigInteger.valueOf(7_654_321L)};
  private ECPoint[] commitments;
  private RangeProof proof;

  @Setup(Level.Trial)
  public void setUp() {
    commitments = new ECPoint[] {Secp256k1.commit(values[0], blindings[0]), Secp256k1.commit(values[1], blindings[1])};
    proof = prove();
  }

  @Benchmark
  public RangeProof prove() {
    return RangeProof.prove(new Transcript("bench"), values, blindings, 64, BenchKeys.RANDOM);
  }

  @Benchmark
  public RangeProof verify() {
    proof.verify(new Transcript("bench"), commitments, 64);
    return proof;
  }
}
