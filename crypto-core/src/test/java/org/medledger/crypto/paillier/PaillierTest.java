package org.medledger.crypto.paillier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.testing.TestKeys;

class PaillierTest {
  private final SecureRandom rnd = new SecureRandom();

  @Test
  void publicAndOwnerEncryptionDecryptToTheSameValue() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey pk = sk.publicKey();
    for (long m : new long[] {0, 1, 42, Long.MAX_VALUE}) {
      assertEquals(BigInteger.valueOf(m), sk.decrypt(pk.encrypt(m, rnd)));
      assertEquals(BigInteger.valueOf(m), sk.decrypt(sk.encrypt(m, rnd)));
    }
    BigInteger rho = pk.randomRho(rnd);
    BigInteger m = new BigInteger(2000, rnd);
    assertEquals(pk.encryptWith(m, rho), sk.encryptWith(m, rho), "CRT and public encryption must agree");
  }

  @Test
  void largestPlaintextRoundTripsAndLargerIsRefused() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey pk = sk.publicKey();
    BigInteger max = pk.n().subtract(BigInteger.ONE);
    assertEquals(max, sk.decrypt(pk.encrypt(max, rnd)));
    assertThrows(IllegalArgumentException.class, () -> pk.encrypt(pk.n(), rnd));
    assertThrows(IllegalArgumentException.class, () -> pk.encrypt(-1L, rnd));
  }

  @Test
  void fixedBaseTableGivesTheSameCiphertexts() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey fresh = PaillierPublicKey.fromBytes(sk.publicKey().toBytes());
    PaillierPublicKey tabled = PaillierPublicKey.fromBytes(sk.publicKey().toBytes()).precompute();
    assertFalse(fresh.isPrecomputed());
    assertTrue(tabled.isPrecomputed());
    for (int bits : new int[] {1, 7, 64, 1024, 1233, 1500}) {
      BigInteger x = new BigInteger(bits, rnd);
      assertEquals(fresh.hsPow(x), tabled.hsPow(x), "bits=" + bits);
    }
    assertEquals(BigInteger.ONE, tabled.hsPow(BigInteger.ZERO));
  }

  @Test
  void randomnessOfRecoversTheNthRoot() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey pk = sk.publicKey();
    PaillierCiphertext c = pk.encrypt(12345L, rnd);
    BigInteger u = sk.randomnessOf(c);
    BigInteger rebuilt = pk.gPow(BigInteger.valueOf(12345)).multiply(u.modPow(pk.n(), pk.nSquared())).mod(pk.nSquared());
    assertEquals(c.value(), rebuilt);
    assertEquals(u.modPow(pk.n(), pk.nSquared()), sk.nthPower(u));
    BigInteger x = new BigInteger(1300, rnd);
    assertEquals(pk.h().modPow(x, pk.n()), sk.hPow(x));
    PaillierSecretKey tabled = PaillierSecretKey.fromBytes(sk.toBytes(SecretAccess.explicit())).precompute();
    assertEquals(sk.hsPow(x), tabled.hsPow(x));
    assertEquals(pk.hsPow(x), tabled.hsPow(x));
    PaillierSecretKey.NthResidue r = sk.randomNthResidue(rnd);
    assertEquals(r.residue(), r.root().modPow(pk.n(), pk.nSquared()));
    assertEquals(BigInteger.ZERO, sk.decrypt(pk.ciphertext(r.residue())));
  }

  @Test
  void homomorphicOperations() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey pk = sk.publicKey();
    PaillierCiphertext a = pk.encrypt(700L, rnd);
    PaillierCiphertext b = pk.encrypt(300L, rnd);
    assertEquals(BigInteger.valueOf(1000), sk.decrypt(pk.add(a, b)));
    assertEquals(BigInteger.valueOf(400), sk.decrypt(pk.subtract(a, b)));
    assertEquals(pk.n().subtract(BigInteger.valueOf(400)), sk.decrypt(pk.subtract(b, a)));
    assertEquals(BigInteger.valueOf(2100), sk.decrypt(pk.multiply(a, BigInteger.valueOf(3))));
    assertEquals(BigInteger.valueOf(705), sk.decrypt(pk.addPlain(a, BigInteger.valueOf(5))));
    PaillierCiphertext r = pk.rerandomize(a, rnd);
    assertNotEquals(a, r);
    assertEquals(BigInteger.valueOf(700), sk.decrypt(r));
  }

  @Test
  void binaryEncodingsRoundTripAndAreCanonical() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey pk = sk.publicKey();
    assertEquals(pk, PaillierPublicKey.fromBytes(pk.toBytes()));
    assertArrayEquals(pk.toBytes(), PaillierPublicKey.fromBytes(pk.toBytes()).toBytes());
    PaillierCiphertext c = pk.encrypt(9L, rnd);
    assertEquals(c, PaillierCiphertext.fromBytes(c.toBytes(), pk));
    assertEquals(2 * 2048 / 8 + 4, c.toBytes().length);
    PaillierSecretKey back = PaillierSecretKey.fromBytes(sk.toBytes(SecretAccess.explicit()));
    assertEquals(BigInteger.valueOf(9), back.decrypt(c));
  }

  @Test
  void decodersRefuseBadInput() {
    PaillierSecretKey sk = TestKeys.key2048a();
    PaillierPublicKey pk = sk.publicKey();
    byte[] c = pk.encrypt(9L, rnd).toBytes();
    byte[] badVersion = c.clone();
    badVersion[1] = 9;
    assertCode("MALFORMED_CIPHERTEXT", () -> PaillierCiphertext.fromBytes(badVersion, pk));
    byte[] truncated = java.util.Arrays.copyOf(c, c.length - 1);
    assertCode("MALFORMED_CIPHERTEXT", () -> PaillierCiphertext.fromBytes(truncated, pk));
    assertCode("MALFORMED_CIPHERTEXT", () -> pk.ciphertext(BigInteger.ZERO));
    assertCode("MALFORMED_CIPHERTEXT", () -> pk.ciphertext(pk.nSquared()));
    assertCode("MALFORMED_CIPHERTEXT", () -> pk.ciphertext(sk.p(SecretAccess.explicit())));
    assertCode("MALFORMED_CIPHERTEXT", () -> pk.ciphertext(pk.n().multiply(BigInteger.TWO)));
    assertCode("MALFORMED_CIPHERTEXT", () -> PaillierCiphertext.fromBytes(c, TestKeys.key3072().publicKey()));
    byte[] k = pk.toBytes();
    byte[] evenN = k.clone();
    evenN[4 + 2048 / 8 - 1] &= (byte) 0xFE;
    assertCode("MALFORMED_KEY", () -> PaillierPublicKey.fromBytes(evenN));
    assertCode("UNSUPPORTED_KEY_SIZE", () -> PaillierPublicKey.of(BigInteger.ONE.shiftLeft(1500).setBit(0), BigInteger.valueOf(4)));
    assertCode("MALFORMED_KEY", () -> PaillierPublicKey.of(pk.n(), pk.n().subtract(BigInteger.ONE)));
    assertCode("MALFORMED_KEY", () -> PaillierPublicKey.of(pk.n(), sk.p(SecretAccess.explicit())));
  }

  @Test
  void secretKeyIsNeverPrintedAndCanBeDestroyed() {
    PaillierSecretKey sk = PaillierSecretKey.fromBytes(TestKeys.key2048a().toBytes(SecretAccess.explicit()));
    String s = sk.toString();
    assertFalse(s.contains(sk.p(SecretAccess.explicit()).toString(16)));
    assertFalse(s.contains(sk.p(SecretAccess.explicit()).toString()));
    assertThrows(NullPointerException.class, () -> sk.p(null), "no read without the token");
    assertThrows(NullPointerException.class, () -> sk.q(null));
    assertThrows(NullPointerException.class, () -> sk.toBytes(null));
    assertThrows(NullPointerException.class, () -> PaillierJson.secretKey(sk, null));
    sk.destroy();
    assertTrue(sk.isDestroyed());
    assertThrows(IllegalStateException.class, () -> sk.decrypt(sk.publicKey().encrypt(1L, rnd)));
  }

  private static void assertCode(String code, org.junit.jupiter.api.function.Executable e) {
    MalformedInputException ex = assertThrows(MalformedInputException.class, e);
    assertEquals(code, ex.code(), ex.getMessage());
  }
}
