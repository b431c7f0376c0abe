package org.medledger.crypto.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.medledger.crypto.testing.TestKeys;

/** Homomorphic identities as properties over random plaintexts (docs/protocol.md §3.1). */
class PaillierProperties {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey sk = TestKeys.key2048a();
  private final PaillierPublicKey pk = sk.publicKey();

  @Provide
  Arbitrary<BigInteger> plaintexts() {
    return Arbitraries.bigIntegers().between(BigInteger.ZERO, pk.n().subtract(BigInteger.ONE));
  }

  @Property(tries = 40)
  boolean additionIsPlaintextAdditionModN(@ForAll("plaintexts") BigInteger a, @ForAll("plaintexts") BigInteger b) {
    return sk.decrypt(pk.add(pk.encrypt(a, rnd), sk.encrypt(b, rnd))).equals(a.add(b).mod(pk.n()));
  }

  @Property(tries = 40)
  boolean subtractionIsPlaintextSubtractionModN(@ForAll("plaintexts") BigInteger a, @ForAll("plaintexts") BigInteger b) {
    return sk.decrypt(pk.subtract(pk.encrypt(a, rnd), pk.encrypt(b, rnd))).equals(a.subtract(b).mod(pk.n()));
  }

  @Property(tries = 30)
  boolean scalarMultiplication(@ForAll("plaintexts") BigInteger a, @ForAll long k) {
    BigInteger kk = BigInteger.valueOf(k);
    return sk.decrypt(pk.multiply(pk.encrypt(a, rnd), kk)).equals(a.multiply(kk).mod(pk.n()));
  }

  @Property(tries = 30)
  boolean plainAdditionAndRerandomisation(@ForAll("plaintexts") BigInteger a, @ForAll("plaintexts") BigInteger b) {
    PaillierCiphertext c = pk.rerandomize(pk.addPlain(pk.encrypt(a, rnd), b), rnd);
    return sk.decrypt(c).equals(a.add(b).mod(pk.n()));
  }

  @Property(tries = 30)
  boolean ownerAndPublicEncryptionAgreeForTheSameRho(@ForAll("plaintexts") BigInteger m) {
    BigInteger rho = pk.randomRho(rnd);
    return sk.encryptWith(m, rho).equals(pk.encryptWith(m, rho));
  }

  @Property(tries = 30)
  boolean amountsRoundTrip(@ForAll long amount) {
    long a = amount == Long.MIN_VALUE ? 0 : Math.abs(amount);
    return sk.decryptAmount(pk.encrypt(a, rnd)) == a;
  }
}
