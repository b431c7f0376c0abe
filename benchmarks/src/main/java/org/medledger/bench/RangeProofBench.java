package org.medledger.bench;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
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
  /** Sixteen independent 2 × 64-bit proofs, as a batched transaction would carry. */
  private final RangeProof[] batchProofs = new RangeProof[BATCH];
  private final ECPoint[][] batchCommitments = new ECPoint[BATCH][];

  static final int BATCH = 16;

  @Setup(Level.Trial)
  public void setUp() {
    commitments = new ECPoint[] {Secp256k1.commit(values[0], blindings[0]), Secp256k1.commit(values[1], blindings[1])};
    proof = prove();
    for (int i = 0; i < BATCH; i++) {
      BigInteger[] v = {BigInteger.valueOf(1000L + i), BigInteger.valueOf(2000L + i)};
      BigInteger[] g = {BigInteger.valueOf(31L * i + 7), BigInteger.valueOf(37L * i + 11)};
      batchCommitments[i] = new ECPoint[] {Secp256k1.commit(v[0], g[0]), Secp256k1.commit(v[1], g[1])};
      batchProofs[i] = RangeProof.prove(new Transcript("bench-" + i), v, g, 64, BenchKeys.RANDOM);
    }
  }

  @Benchmark
  public RangeProof prove() {
    return RangeProof.prove(new Transcript("bench"), values, blindings, 64, BenchKeys.RANDOM);
  }

  /** Sixteen proofs one by one: the baseline of {@link #verifyBatch16}. */
  @Benchmark
  public int verifyEach16() {
    for (int i = 0; i < BATCH; i++) {
      batchProofs[i].verify(new Transcript("bench-" + i), batchCommitments[i], 64);
    }
    return BATCH;
  }

  /** The same sixteen proofs with {@link RangeProof#verifyBatch}: one multi-exponentiation. */
  @Benchmark
  public int verifyBatch16() {
    List<RangeProof.BatchEntry> entries = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      entries.add(new RangeProof.BatchEntry(batchProofs[i], new Transcript("bench-" + i), batchCommitments[i], 64));
    }
    RangeProof.verifyBatch(entries, BenchKeys.RANDOM);
    return BATCH;
  }

  @Benchmark
  public RangeProof verify() {
    proof.verify(new Transcript("bench"), commitments, 64);
    return proof;
  }
}
