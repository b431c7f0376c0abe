package org.medledger.bench;

import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.TransferContext;
import org.medledger.crypto.proof.TransferProof;
import org.medledger.crypto.proof.TransferStatement;
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
 * The transfer bundle (paper §3.2, docs/protocol.md §4.3): prove as the payer's client does, and
 * verify as the chaincode does. The payer's client holds its own key's CRT tables; payee and
 * regulator keys carry their fixed-base tables, as the client SDK and the chaincode cache them for
 * long-lived keys. The verifier's payer key is decoded from bytes: no table, no cached h_s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TransferBench {
  @Param({"1024", "2048", "3072", "4096"})
  public int bits;

  private PaillierSecretKey payer;
  private TransferStatement statement;
  private TransferStatement verifierStatement;
  private TransferProof bundle;

  @Setup(Level.Trial)
  public void setUp() {
    payer = BenchKeys.get("payer", bits).precompute();
    PaillierPublicKey payee = PaillierPublicKey.fromBytes(BenchKeys.get("payee", bits).publicKey().toBytes()).precompute();
    PaillierPublicKey regulator = PaillierPublicKey.fromBytes(BenchKeys.get("regulator", bits).publicKey().toBytes()).precompute();
    PaillierCiphertext old = payer.publicKey().encrypt(1_000_000L, BenchKeys.RANDOM);
    TransferContext ctx = new TransferContext("medchannel", "medledger", "acct-payer", "acct-payee", 7);
    statement = new TransferStatement(payer.publicKey(), payee, regulator, old, ctx);
    // The verifier holds the payer key as decoded from the ledger: no table, no cached h_s.
    PaillierPublicKey payerAsStored = PaillierPublicKey.fromBytes(payer.publicKey().toBytes());
    verifierStatement = new TransferStatement(payerAsStored, payee, regulator,
        payerAsStored.ciphertext(old.value()), ctx);
    bundle = TransferProof.prove(statement, payer, 12_345L, BenchKeys.RANDOM);
  }

  @Benchmark
  public TransferProof prove() {
    return TransferProof.prove(statement, payer, 12_345L, BenchKeys.RANDOM);
  }

  @Benchmark
  public PaillierCiphertext verify() {
    return bundle.verify(verifierStatement);
  }
}
