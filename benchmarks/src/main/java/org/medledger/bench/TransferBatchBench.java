package org.medledger.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.TransferBatch;
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
 * Batch verification of transfer bundles (docs/protocol.md §4.5, issue 17 item 4) as the chaincode
 * runs it (deterministic weights): {@link #MEMBERS} bundles from {@link #MEMBERS} different payers
 * to one payee, and one payer's chain of {@link #MEMBERS}, beside one bundle's
 * {@code TransferProof.verify} with the same keys. Payer keys are decoded from bytes (no table, as
 * the chaincode reads them); payee and regulator keys carry their stored h_s and table, as the
 * chaincode's key cache holds them at steady state. A batch call verifies {@link #MEMBERS}
 * payments: divide by it for the per-payment figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TransferBatchBench {
  /** Payments per batch. */
  public static final int MEMBERS = 16;
  private static final byte[] CONTEXT = "medchannel/medledger/bench-tx".getBytes(StandardCharsets.UTF_8);

  @Param({"2048"})
  public int bits;

  private List<TransferBatch.Member> payers;
  private List<TransferBatch.Member> chain;
  private TransferBatch.Member single;

  @Setup(Level.Trial)
  public void setUp() {
    PaillierPublicKey payee = asCached(BenchKeys.get("payee", bits).publicKey());
    PaillierPublicKey regulator = asCached(BenchKeys.get("regulator", bits).publicKey());
    payers = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      PaillierSecretKey sk = BenchKeys.get(i == 0 ? "payer" : "payer-" + i, bits).precompute();
      PaillierPublicKey pk = sk.publicKey();
      PaillierCiphertext old = pk.encrypt(1_000_000L, BenchKeys.RANDOM);
      TransferStatement st = new TransferStatement(pk, payee, regulator, old, ctx("acct-payer-" + i, 7));
      TransferProof p = TransferProof.prove(st, sk, 100 + i, BenchKeys.RANDOM);
      payers.add(new TransferBatch.Member(verifierSide(st), p));
    }
    single = payers.get(0);
    PaillierSecretKey sk = BenchKeys.get("payer", bits);
    PaillierPublicKey pk = sk.publicKey();
    PaillierCiphertext old = pk.encrypt(1_000_000L, BenchKeys.RANDOM);
    chain = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      TransferStatement st = new TransferStatement(pk, payee, regulator, old, ctx("acct-payer-0", 7 + i));
      TransferProof p = TransferProof.prove(st, sk, 100 + i, BenchKeys.RANDOM);
      chain.add(new TransferBatch.Member(verifierSide(st), p));
      old = TransferProof.newBalance(st, p.amountForPayer());
    }
    // Sanity: the figures are of accepting verifications.
    TransferBatch.verify(payers, CONTEXT);
    TransferBatch.verify(chain, CONTEXT);
    single.proof().verify(single.statement());
  }

  private static TransferContext ctx(String payer, long nonce) {
    return new TransferContext("medchannel", "medledger", payer, "acct-payee", nonce);
  }

  /** A payee or regulator key as the chaincode's cache holds it: decoded, stored h_s, table. */
  private static PaillierPublicKey asCached(PaillierPublicKey k) {
    return PaillierPublicKey.fromBytes(k.toBytes()).withStoredHs(k.hsToBytes()).precompute();
  }

  /** The statement with the payer key as decoded from the ledger: no table, no cached h_s. */
  private static TransferStatement verifierSide(TransferStatement st) {
    PaillierPublicKey pkA = PaillierPublicKey.fromBytes(st.payerKey().toBytes());
    return new TransferStatement(pkA, st.payeeKey(), st.regulatorKey(), pkA.ciphertext(st.oldBalance().value()),
        st.context());
  }

  /** One bundle alone, as {@code money:transfer} verifies it (same keys as the batches). */
  @Benchmark
  public PaillierCiphertext verifySingle() {
    return single.proof().verify(single.statement());
  }

  /** 16 bundles from 16 payers to one payee. */
  @Benchmark
  public List<PaillierCiphertext> verifyBatch16Payers() {
    return TransferBatch.verify(payers, CONTEXT);
  }

  /** One payer's chain of 16. */
  @Benchmark
  public List<PaillierCiphertext> verifyBatchChain16() {
    return TransferBatch.verify(chain, CONTEXT);
  }
}
