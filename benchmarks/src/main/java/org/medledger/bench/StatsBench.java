package org.medledger.bench;

import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.StatsAggregate;
import org.medledger.crypto.stats.StatsContext;
import org.medledger.crypto.stats.StatsContribution;
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
 * A hospital's statistical contribution (docs/protocol.md §11): prove as the hospital's client does,
 * verify as the chaincode does, both with the committee key's fixed-base table (a long-lived key the
 * SDK and the chaincode's key cache hold); verify with a key decoded from bytes (no table, h_s
 * computed); decoding; the homomorphic packing alone (part of verify); and one fold into a bucket,
 * the chaincode's added cost per contribution.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StatsBench {
  @Param({"2048", "3072"})
  public int bits;

  private PaillierPublicKey committee;
  private byte[] committeeBytes;
  private StatsContext ctx;
  private StatsContribution contribution;
  private byte[] encoded;
  private PaillierCiphertext packed;
  private StatsAggregate bucket;

  @Setup(Level.Trial)
  public void setUp() {
    committeeBytes = BenchKeys.get("committee", bits).publicKey().toBytes();
    committee = PaillierPublicKey.fromBytes(committeeBytes).precompute();
    ctx = new StatsContext("medchannel", "medledger", "rec-bench-0001", "hospital-A", "2026-11");
    contribution = StatsContribution.prove(committee, ctx, IcdChapter.IX, AgeBand.Y45_54, 123_456L, BenchKeys.RANDOM);
    encoded = contribution.toBytes();
    packed = contribution.verify(committee, ctx);
    bucket = StatsAggregate.empty(committee).plus(packed).plus(packed);
  }

  @Benchmark
  public StatsContribution prove() {
    return StatsContribution.prove(committee, ctx, IcdChapter.IX, AgeBand.Y45_54, 123_456L, BenchKeys.RANDOM);
  }

  @Benchmark
  public PaillierCiphertext verify() {
    return contribution.verify(committee, ctx);
  }

  @Benchmark
  public PaillierCiphertext verifyColdKey() {
    PaillierPublicKey cold = PaillierPublicKey.fromBytes(committeeBytes);
    return StatsContribution.fromBytes(encoded, cold).verify(cold, ctx);
  }

  @Benchmark
  public StatsContribution decode() {
    return StatsContribution.fromBytes(encoded, committee);
  }

  @Benchmark
  public StatsAggregate fold() {
    return bucket.plus(packed);
  }
}
