package org.medledger.crypto.paillier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.testing.TestKeys;

class PaillierJsonTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey sk = TestKeys.key2048a();
  private final PaillierPublicKey pk = sk.publicKey();

  @Test
  void roundTripsAndIsCanonical() {
    String j = PaillierJson.publicKey(pk);
    assertEquals(pk, PaillierJson.parsePublicKey(j));
    assertEquals(j, PaillierJson.publicKey(PaillierJson.parsePublicKey(j)));
    assertFalse(j.contains(" "));
    assertEquals(0, j.indexOf("{\"type\":\"paillier-public-key\",\"version\":1,\"bits\":2048,\"n\":\""));
    PaillierCiphertext c = pk.encrypt(77L, rnd);
    String cj = PaillierJson.ciphertext(c);
    assertEquals(c, PaillierJson.parseCiphertext(cj, pk));
    PaillierSecretKey back = PaillierJson.parseSecretKey(PaillierJson.secretKey(sk, SecretAccess.explicit()));
    assertEquals(BigInteger.valueOf(77), back.decrypt(c));
  }

  @Test
  void refusesAnythingElse() {
    String j = PaillierJson.publicKey(pk);
    String[] bad = {
      "", "[]", "{", "null",
      j.replace("\"version\":1", "\"version\":2"),
      j.replace("\"version\":1", "\"version\":1.5"),
      j.replace("\"bits\":2048", "\"bits\":2047"),
      j.replace("paillier-public-key", "paillier-ciphertext"),
      j.replace("}", ",\"extra\":1}"),
      j.replace("\"h\":\"", "\"h\":\"A"),
    };
    for (String b : bad) {
      assertThrows(MalformedInputException.class, () -> PaillierJson.parsePublicKey(b), b);
    }
    String c = PaillierJson.ciphertext(pk.encrypt(1L, rnd));
    assertThrows(MalformedInputException.class, () -> PaillierJson.parseCiphertext(c, TestKeys.key3072().publicKey()));
    String zero = c.substring(0, c.indexOf("\"c\":\"") + 5) + "A".repeat(683) + "\"}";
    assertThrows(MalformedInputException.class, () -> PaillierJson.parseCiphertext(zero, pk));
  }
}
