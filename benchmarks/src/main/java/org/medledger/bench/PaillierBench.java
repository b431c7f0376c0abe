package org.medledger.bench;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
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
 * Paillier primitives: public encryption (plain modPow, and with the fixed-base table of a
 * long-lived key), owner encryption by CRT, decryption, homomorphic addition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PaillierBench {
  @Param({"1024", "2048", "3072", "4096"})
  public int bits;

  private PaillierSecretKey sk;
  private PaillierSecretKey skTable;
  private PaillierPublicKey plainKey;
  private PaillierPublicKey tableKey;
  private PaillierCiphertext c1;
  private PaillierCiphertext c2;
  private final BigInteger amount = BigInteger.valueOf(123_456_789L);

  @Setup(Level.Trial)
  public void setUp() {
    sk = BenchKeys.get("owner", bits);
    skTable = PaillierSecretKey.fromBytes(sk.toBytes(SecretAccess.explicit())).precompute();
    plainKey = PaillierPublicKey.fromBytes(sk.publicKey().toBytes());
    plainKey.hs();
    tableKey = PaillierPublicKey.fromBytes(sk.publicKey().toBytes()).precompute();
    c1 = plainKey.encrypt(amount, BenchKeys.RANDOM);
    c2 = plainKey.encrypt(amount, BenchKeys.RANDOM);
  }

  @Benchmark
  public PaillierCiphertext encryptPublic() {
    return plainKey.encrypt(amount, BenchKeys.RANDOM);
  }

  @Benchmark
  public PaillierCiphertext encryptPublicTable() {
    return tableKey.encrypt(amount, BenchKeys.RANDOM);
  }

  @Benchmark
  public PaillierCiphertext encryptOwner() {
    return sk.encrypt(amount, BenchKeys.RANDOM);
  }

  @Benchmark
  public PaillierCiphertext encryptOwnerTable() {
    return skTable.encrypt(amount, BenchKeys.RANDOM);
  }

  @Benchmark
  public BigInteger decrypt() {
    return sk.decrypt(c1);
  }

  @Benchmark
  public PaillierCiphertext add() {
    return plainKey.add(c1, c2);
  }
}
