package org.medledger.crypto.paillier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.testing.TestKeys;

/** h_s stored with a key and read back (docs/protocol.md §3.1): what the read checks, and what it cannot. */
class StoredHsTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey sk = TestKeys.key2048a();
  private final PaillierPublicKey pk = PaillierPublicKey.fromBytes(sk.publicKey().toBytes());

  private static byte[] enc(BigInteger v, PaillierPublicKey k) {
    return Bytes.fixed(v, 2 * k.bits() / 8);
  }

  @Test
  void storedHsRoundTripsAndEncryptsExactlyAsTheRecomputedOne() {
    byte[] stored = pk.hsToBytes();
    assertEquals(2 * pk.bits() / 8, stored.length);
    PaillierPublicKey read = pk.withStoredHs(stored);
    assertEquals(pk.h().modPow(pk.n(), pk.nSquared()), read.hs());
    assertEquals(pk, read);
    assertFalse(read.isPrecomputed());
    BigInteger rho = pk.randomRho(rnd);
    assertEquals(pk.encryptWith(BigInteger.valueOf(42), rho), read.encryptWith(BigInteger.valueOf(42), rho));
    assertEquals(pk.encryptWith(BigInteger.valueOf(42), rho), read.precompute().encryptWith(BigInteger.valueOf(42), rho));
    assertEquals(BigInteger.valueOf(42), sk.decrypt(read.encryptWith(BigInteger.valueOf(42), rho)));
    assertArrayEquals(stored, read.hsToBytes());
  }

  @Test
  void wrongSizeIsRefused() {
    byte[] stored = pk.hsToBytes();
    assertMalformed(() -> pk.withStoredHs(java.util.Arrays.copyOf(stored, stored.length - 1)));
    assertMalformed(() -> pk.withStoredHs(java.util.Arrays.copyOf(stored, stored.length + 1)));
    assertMalformed(() -> pk.withStoredHs(new byte[0]));
    assertMalformed(() -> pk.withStoredHs(null));
    // h_s of a 3072-bit key on a 2048-bit key: another size.
    assertMalformed(() -> pk.withStoredHs(TestKeys.key3072().publicKey().hsToBytes()));
  }

  @Test
  void valuesOutsideTheUnitGroupAreRefused() {
    assertMalformed(() -> pk.withStoredHs(enc(BigInteger.ZERO, pk)));
    assertMalformed(() -> pk.withStoredHs(enc(BigInteger.ONE, pk)));
    assertMalformed(() -> pk.withStoredHs(enc(pk.nSquared(), pk)));
    // Non-units: multiples of n, and multiples of a prime factor.
    assertMalformed(() -> pk.withStoredHs(enc(pk.n(), pk)));
    assertMalformed(() -> pk.withStoredHs(enc(pk.n().multiply(BigInteger.valueOf(7)), pk)));
    BigInteger p = sk.p(org.medledger.crypto.SecretAccess.explicit());
    assertMalformed(() -> pk.withStoredHs(enc(p.multiply(pk.hs()).mod(pk.nSquared()), pk)));
  }

  @Test
  void aValueWithJacobiSymbolMinusOneIsRefused() {
    BigInteger x = BigInteger.TWO;
    while (NumberTheory.jacobi(x, pk.n()) != -1) {
      x = x.add(BigInteger.ONE);
    }
    BigInteger bad = pk.hs().multiply(x).mod(pk.nSquared());
    assertMalformed(() -> pk.withStoredHs(enc(bad, pk)));
  }

  @Test
  void whatTheCheapChecksCannotSeeIsAChangeInThePlaintextComponent() {
    // Documented limit: h_s·(1+n) passes the structural checks; transfer verification then refuses
    // honest bundles (TransferProofTest.wrongStoredHsRefusesEvenHonestBundles).
    BigInteger shifted = pk.hs().multiply(BigInteger.ONE.add(pk.n())).mod(pk.nSquared());
    PaillierPublicKey read = pk.withStoredHs(enc(shifted, pk));
    assertTrue(read.hs().equals(shifted));
    BigInteger rho = pk.randomRho(rnd);
    // Its "encryptions" of 0 decrypt to ρ, not 0: the wrong base changes results, which is why the
    // chaincode computes h_s itself at registration and never accepts one from a request.
    assertEquals(rho.mod(pk.n()), sk.decrypt(read.encryptWith(BigInteger.ZERO, rho)));
  }

  private static void assertMalformed(org.junit.jupiter.api.function.Executable e) {
    MalformedInputException ex = assertThrows(MalformedInputException.class, e);
    assertEquals("MALFORMED_KEY", ex.code());
  }
}
