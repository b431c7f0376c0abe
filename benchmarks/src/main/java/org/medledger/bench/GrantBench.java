package org.medledger.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
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
 * Granting a 4096-byte record (docs/protocol.md §5.3): the patient re-encrypts every segment for
 * the grantee and proves it; the chaincode verifies. Ring-Pedersen parameters of 2048 bits are
 * generated once per trial (not timed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GrantBench {
  @Param({"2048", "3072"})
  public int bits;

  private PaillierSecretKey patient;
  private PaillierPublicKey grantee;
  private RingPedersenParams rp;
  private EncryptedRecord record;
  private ReencryptionProof.Reencrypted granted;
  private final byte[] context = "grant:bench|grantee:insurer".getBytes(StandardCharsets.UTF_8);

  @Setup(Level.Trial)
  public void setUp() {
    patient = BenchKeys.get("patient", bits).precompute();
    grantee = PaillierPublicKey.fromBytes(BenchKeys.get("insurer", bits).publicKey().toBytes()).precompute();
    rp = RingPedersenParams.generate(RingPedersenParams.Size.BITS_2048, BenchKeys.RANDOM).params();
    byte[] data = new byte[4096];
    new Random(7).nextBytes(data);
    record = RecordCipher.encrypt(data, "rec-grant-bench", patient.publicKey(), BenchKeys.RANDOM).record();
    granted = ReencryptionProof.reencrypt(patient, grantee, record, rp, context, BenchKeys.RANDOM);
  }

  @Benchmark
  public ReencryptionProof.Reencrypted reencryptAndProve() {
    return ReencryptionProof.reencrypt(patient, grantee, record, rp, context, BenchKeys.RANDOM);
  }

  @Benchmark
  public ReencryptionProof verify() {
    granted.proof().verify(patient.publicKey(), grantee, record, granted.record(), rp, context);
    return granted.proof();
  }
}
