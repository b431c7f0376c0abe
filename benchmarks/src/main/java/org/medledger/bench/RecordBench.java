package org.medledger.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.record.RecordCipher;
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
 * A 4096-byte record (the paper's Table 2 record row): segment, encrypt under the patient's key
 * and prove knowledge (docs/protocol.md §5.1–5.2), and verify. The author encrypts with a plain
 * public key ({@code encryptAndProve}) or with the patient key's cached table
 * ({@code encryptAndProveTable}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecordBench {
  @Param({"1024", "2048", "3072", "4096"})
  public int bits;

  private PaillierPublicKey patient;
  private PaillierPublicKey patientTable;
  private byte[] data;
  private RecordCipher.Sealed sealed;
  private RecordProof proof;
  private final byte[] context = "author:hospital-1".getBytes(StandardCharsets.UTF_8);

  @Setup(Level.Trial)
  public void setUp() {
    byte[] pk = BenchKeys.get("patient", bits).publicKey().toBytes();
    patient = PaillierPublicKey.fromBytes(pk);
    patient.hs();
    patientTable = PaillierPublicKey.fromBytes(pk).precompute();
    data = new byte[4096];
    new Random(42).nextBytes(data);
    sealed = RecordCipher.encrypt(data, "rec-bench", patient, BenchKeys.RANDOM);
    proof = RecordProof.prove(patient, sealed.record(), sealed.opening(), context, BenchKeys.RANDOM);
  }

  @Benchmark
  public RecordProof encryptAndProve() {
    RecordCipher.Sealed s = RecordCipher.encrypt(data, "rec-bench", patient, BenchKeys.RANDOM);
    return RecordProof.prove(patient, s.record(), s.opening(), context, BenchKeys.RANDOM);
  }

  @Benchmark
  public RecordProof encryptAndProveTable() {
    RecordCipher.Sealed s = RecordCipher.encrypt(data, "rec-bench", patientTable, BenchKeys.RANDOM);
    return RecordProof.prove(patientTable, s.record(), s.opening(), context, BenchKeys.RANDOM);
  }

  @Benchmark
  public RecordProof verify() {
    proof.verify(patient, sealed.record(), context);
    return proof;
  }
}
