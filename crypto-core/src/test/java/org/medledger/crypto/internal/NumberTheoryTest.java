package org.medledger.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/** The inverse modulo n² by a Hensel step and the one-gcd coprimality check (docs/protocol.md §3.2). */
class NumberTheoryTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey key = TestKeys.key2048a();
  private final BigInteger n = key.publicKey().n();
  private final BigInteger n2 = key.publicKey().nSquared();
  private final BigInteger p = key.p(SecretAccess.explicit());

  @Test
  void inverseModSquareIsTheInverse() {
    for (int i = 0; i < 40; i++) {
      // Values below n², above it, and ≡ small values modulo n (so x·v − 1 has many factors of n's size).
      BigInteger x = switch (i % 4) {
        case 0 -> NumberTheory.randomBelow(rnd, n2);
        case 1 -> NumberTheory.randomBelow(rnd, n2).add(n2.multiply(BigInteger.valueOf(i + 1)));
        case 2 -> BigInteger.valueOf(i + 1).add(n.multiply(NumberTheory.randomBelow(rnd, n)));
        default -> n.subtract(BigInteger.ONE).add(n.multiply(NumberTheory.randomBelow(rnd, n)));
      };
      if (!x.gcd(n).equals(BigInteger.ONE)) {
        continue;
      }
      BigInteger inv = NumberTheory.inverseModSquare(x, n, n2);
      assertEquals(x.modInverse(n2), inv);
      assertEquals(BigInteger.ONE, x.multiply(inv).mod(n2));
    }
    assertEquals(BigInteger.ONE, NumberTheory.inverseModSquare(BigInteger.ONE, n, n2));
    assertEquals(n2.subtract(BigInteger.ONE), NumberTheory.inverseModSquare(n2.subtract(BigInteger.ONE), n, n2));
  }

  @Test
  void inverseModSquareRefusesNonUnits() {
    BigInteger multipleOfP = p.multiply(NumberTheory.randomBelow(rnd, n).add(BigInteger.ONE)).mod(n2);
    assertThrows(ArithmeticException.class, () -> NumberTheory.inverseModSquare(multipleOfP, n, n2));
    assertThrows(ArithmeticException.class, () -> NumberTheory.inverseModSquare(BigInteger.ZERO, n, n2));
    assertThrows(ArithmeticException.class, () -> NumberTheory.inverseModSquare(n, n, n2));
    // Coprime to n², not to n: impossible, the same primes; a multiple of n plus p is still a non-unit.
    assertThrows(ArithmeticException.class, () -> NumberTheory.inverseModSquare(n.add(p), n, n2));
  }

  @Test
  void allCoprimeIsTheConjunctionOfTheGcds() {
    BigInteger[] units = new BigInteger[7];
    for (int i = 0; i < units.length; i++) {
      units[i] = NumberTheory.randomUnit(rnd, n).add(n.multiply(BigInteger.valueOf(i)));
    }
    assertTrue(NumberTheory.allCoprime(n, units));
    assertTrue(NumberTheory.allCoprime(n));
    for (int i = 0; i < units.length; i++) {
      BigInteger[] one = units.clone();
      one[i] = p.multiply(BigInteger.valueOf(3 + i)); // shares the factor p with n
      assertFalse(NumberTheory.allCoprime(n, one), "non-unit at " + i);
      one[i] = BigInteger.ZERO;
      assertFalse(NumberTheory.allCoprime(n, one), "zero at " + i);
      one[i] = n2.add(n); // ≡ 0 mod n
      assertFalse(NumberTheory.allCoprime(n, one), "multiple of n at " + i);
    }
    // Two values each divisible by a different factor: the product is 0 mod n.
    BigInteger q = n.divide(p);
    assertFalse(NumberTheory.allCoprime(n, units[0], p.add(p), q.add(q), units[1]));
  }
}
