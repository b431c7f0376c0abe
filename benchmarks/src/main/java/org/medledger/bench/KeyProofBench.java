package org.medledger.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.KeyProof;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The Paillier–Blum key proof (docs/protocol.md §3.5): the owner proves, the chaincode verifies. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KeyProofBench {
  @Param({"1024", "2048", "3072", "4096"})
  public int bits;

  private PaillierSecretKey sk;
  private PaillierPublicKey pk;
  private KeyProof proof;
  private final byte[] context = "medchannel|acct-bench".getBytes(StandardCharsets.UTF_8);

  @Setup(Level.Trial)
  public void setUp() {
    sk = BenchKeys.get("owner", bits);
    pk = PaillierPublicKey.fromBytes(sk.publicKey().toBytes());
    proof = KeyProof.prove(sk, context, BenchKeys.RANDOM);
  }

  @Benchmark
  public KeyProof prove() {
    return KeyProof.prove(sk, context, BenchKeys.RANDOM);
  }

  @Benchmark
  public KeyProof verify() {
    proof.verify(pk, context);
    return proof;
  }
}
