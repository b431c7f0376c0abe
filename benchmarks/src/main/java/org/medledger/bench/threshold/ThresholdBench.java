package org.medledger.bench.threshold;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.testing.TestSafePrimes;
import org.medledger.crypto.threshold.Combiner;
import org.medledger.crypto.threshold.DecryptionShare;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.PartialDecryption;
import org.medledger.crypto.threshold.ReshareDealing;
import org.medledger.crypto.threshold.Resharing;
import org.medledger.crypto.threshold.SubShare;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.crypto.threshold.ThresholdPublicKey;
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
 * Threshold decryption by a regulator committee (docs/protocol.md §10): one member's partial
 * decryption with its proof, the check of one share (with its commitments, and from the version-1
 * encoding without them), the batch check of t shares, the combination of t shares (which
 * verifies each of them; with and without commitments), dealing from fixed safe primes, and re-sharing to a committee of the same shape
 * (one old member's dealing; one new member's checks and share; the new public key). The committee
 * key is precomputed ({@link ThresholdPublicKey#precompute()}: a fixed-base table for v).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThresholdBench {
  @Param({"2048", "3072"})
  public int bits;

  @Param({"3of5", "5of9"})
  public String shape;

  private static final SecureRandom RND = new SecureRandom();
  private final byte[] context = "disclosure-request/bench".getBytes(StandardCharsets.UTF_8);
  private final byte[] keyContext = "medledger/regulator-committee/bench".getBytes(StandardCharsets.UTF_8);
  private int t;
  private int m;
  private BigInteger[] primes;
  private ThresholdPublicKey pk;
  private List<KeyShare> shares;
  private PaillierCiphertext c;
  private DecryptionShare one;
  private List<DecryptionShare> tShares;
  private DecryptionShare oneV1;
  private List<DecryptionShare> tSharesV1;
  private int[] set;
  private List<ReshareDealing> dealings;
  private List<SubShare> forMemberOne;
  private ThresholdPublicKey newPk;

  @Setup(Level.Trial)
  public void setUp() {
    String[] tm = shape.split("of");
    t = Integer.parseInt(tm[0]);
    m = Integer.parseInt(tm[1]);
    primes = TestSafePrimes.pair(bits / 2);
    ThresholdDealer.Dealing d = ThresholdDealer.dealFromSafePrimes(primes[0], primes[1], t, m, keyContext, RND);
    pk = d.publicKey().precompute(); // the fixed-base table for v, as a long-lived verifier keeps it
    shares = d.shares();
    c = pk.paillierKey().encrypt(1_000_000L, RND);
    tShares = new ArrayList<>();
    for (int i = 1; i <= t; i++) {
      tShares.add(PartialDecryption.create(shares.get(i - 1), pk, c, context, RND));
    }
    one = tShares.get(0);
    tSharesV1 = new ArrayList<>();
    for (DecryptionShare s : tShares) {
      tSharesV1.add(DecryptionShare.fromBytes(s.toBytes(pk), pk)); // the version-1 encoding: no commitments
    }
    oneV1 = tSharesV1.get(0);
    set = new int[t];
    dealings = new ArrayList<>();
    forMemberOne = new ArrayList<>();
    for (int i = 1; i <= t; i++) {
      set[i - 1] = i;
    }
    for (int i = 1; i <= t; i++) {
      Resharing.Dealt r = Resharing.deal(pk, shares.get(i - 1), set, t, m, RND);
      dealings.add(r.dealing());
      forMemberOne.add(r.subShares().get(0));
    }
    newPk = Resharing.newPublicKey(pk, dealings);
  }

  @Benchmark
  public DecryptionShare partialDecrypt() {
    return PartialDecryption.create(shares.get(0), pk, c, context, RND);
  }

  @Benchmark
  public DecryptionShare verifyShare() {
    PartialDecryption.verify(pk, c, context, one);
    return one;
  }

  /** One share decoded from its version-1 encoding (no commitments): the original rule. */
  @Benchmark
  public DecryptionShare verifyShareV1() {
    PartialDecryption.verify(pk, c, context, oneV1);
    return oneV1;
  }

  /** The t shares of one ciphertext checked together, SecureRandom weights. */
  @Benchmark
  public List<DecryptionShare> verifyBatch() {
    PartialDecryption.verifyBatch(pk, c, context, tShares, RND);
    return tShares;
  }

  /** Combine t shares that carry commitments (verified as one batch, derived weights). */
  @Benchmark
  public BigInteger combine() {
    return Combiner.combine(pk, c, context, tShares);
  }

  /** Combine t shares decoded from the version-1 encoding (each verified alone). */
  @Benchmark
  public BigInteger combineV1() {
    return Combiner.combine(pk, c, context, tSharesV1);
  }

  @Benchmark
  public ThresholdDealer.Dealing dealFixedPrimes() {
    return ThresholdDealer.dealFromSafePrimes(primes[0], primes[1], t, m, keyContext, RND);
  }

  @Benchmark
  public Resharing.Dealt reshareDeal() {
    return Resharing.deal(pk, shares.get(0), set, t, m, RND);
  }

  @Benchmark
  public KeyShare reshareReceive() {
    return Resharing.newShare(pk, newPk, dealings, 1, forMemberOne);
  }

  @Benchmark
  public ThresholdPublicKey reshareNewKey() {
    return Resharing.newPublicKey(pk, dealings);
  }
}
