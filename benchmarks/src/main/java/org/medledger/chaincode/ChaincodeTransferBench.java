package org.medledger.chaincode;

import java.util.concurrent.TimeUnit;
import org.medledger.embedded.Endorsement;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.protocol.Role;
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
 * The whole transfer transaction as a peer endorses it, through the in-memory stub
 * (docs/chaincode.md §5): parse and authenticate the signed request, fold the named credit,
 * decode and verify the bundle, write balance, credit, record and indexes. The request is built
 * once (client proving is {@code TransferBench.prove}); endorsing does not change state, so the
 * same request is simulated again and again against the same ledger.
 *
 * <p>Lives in the chaincode's package to reuse its test fixtures (Actor, Channel).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChaincodeTransferBench {
  @Param({"2048", "3072"})
  public int bits;

  private Channel ch;
  private Actor patient;
  private String request;

  @Setup(Level.Trial)
  public void setUp() {
    ch = new Channel().configured();
    PaillierKeyGenerator gen = new PaillierKeyGenerator(new java.security.SecureRandom());
    KeySize size = KeySize.ofBits(bits);
    ch.regulator = Channel.actor("regulator", Role.REGULATOR, "RegulatorOrgMSP", gen.generate(size));
    ch.insurer = Channel.actor("insurer", Role.INSURER, "InsurerOrgMSP", gen.generate(size));
    ch.hospital = Channel.actor("hospital", Role.HOSPITAL, "HospitalOrgMSP", gen.generate(size));
    ch.register(ch.regulator);
    ch.publishRingPedersen(); // every other registration carries a Π^fac proof against it
    for (Actor a : new Actor[] {ch.insurer, ch.hospital}) {
      ch.register(a);
    }
    PaillierSecretKey pk = gen.generate(size);
    patient = Channel.actor("patient", Role.PATIENT, "HospitalOrgMSP", pk);
    ch.register(patient);
    ch.issue(1_000_000, ch.insurer);
    if (!ch.pay(ch.insurer, patient, 10_000).isValid()) {
      throw new IllegalStateException("set-up transfer failed");
    }
    request = ch.transferRequest(patient, ch.hospital, 1_234);
    Endorsement e = endorse();
    if (!e.succeeded()) {
      throw new IllegalStateException("benchmark transfer refused: " + e.errorMessage());
    }
  }

  /** At steady state: the payee's and the regulator's keys are in the static key cache, with their tables. */
  @Benchmark
  public Endorsement endorse() {
    return ch.ledger.endorse(ch.hospitalOrg, ch.tick(), "money:transfer", request);
  }

  /**
   * The same transaction with the chaincode's key cache emptied first (docs/chaincode.md §1): every
   * key decoded from its account record, h_s read back from the record, no fixed-base table.
   */
  @Benchmark
  public Endorsement endorseColdKeys() {
    KeyCache.SHARED.clear();
    return endorse();
  }
}
