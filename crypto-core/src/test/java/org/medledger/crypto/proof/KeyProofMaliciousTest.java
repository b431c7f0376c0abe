package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.MaliciousKeyProver.Attempt;
import org.medledger.crypto.proof.MaliciousKeyProver.Factor;
import org.medledger.crypto.testing.TestKeys;

/**
 * Malicious provers against {@link KeyProof}: for each bad modulus the test-side prover knows the
 * factorisation and answers every challenge it can; each case shows which check rejects it. The
 * moduli are built at 1024 bits (a supported, if insecure, size) so that the size check does not
 * catch them first; {@link #sizeCheckRejectsUnsupportedModuli} shows the size check itself.
 */
class KeyProofMaliciousTest {
  private static final byte[] CONTEXT = "channel=medledger;account=mallory".getBytes(StandardCharsets.UTF_8);
  private static final int BITS = 1024;
  private final SecureRandom rnd = new SecureRandom();
  private final MaliciousKeyProver mallory = new MaliciousKeyProver(rnd);

  // ---------------------------------------------------------------------------------------------
  // Moduli the checks before the proof must catch
  // ---------------------------------------------------------------------------------------------

  @Test
  void primeModulusPassesTheProofEquationsButIsRejectedByMillerRabin() {
    // A prime n ≡ 3 (mod 4) answers every challenge: the relations alone would accept it.
    BigInteger n = mallory.prime(BITS, 3);
    PaillierPublicKey pk = mallory.publicKey(n);
    Attempt at = mallory.prove(pk, CONTEXT, List.of(new Factor(n, 1)));
    assertEquals(KeyProof.ROUNDS, at.fourthRootsFound());
    assertEquals(KeyProof.NTH_ROOT_ROUNDS, at.nthRootsFound());
    assertDoesNotThrow(() -> at.proof().verifyRelations(pk, CONTEXT), "relations hold for a prime");
    assertMalformedKey(at.proof(), pk, "modulus is prime");

    BigInteger n1 = mallory.prime(BITS, 1);
    PaillierPublicKey pk1 = mallory.publicKey(n1);
    assertMalformedKey(mallory.prove(pk1, CONTEXT, List.of(new Factor(n1, 1))).proof(), pk1, "modulus is prime");
  }

  @Test
  void modulusWithFactorThreeIsRejectedByTrialDivision() {
    // n = 3q. Trial division rejects it first. Behind it the challenge check would too: a third
    // of all y are multiples of 3, and no choice of w avoids that for 128 challenges.
    List<Factor> f = exactBits(() -> {
      BigInteger q;
      do {
        q = mallory.prime(BITS - 1, 3);
      } while (q.mod(BigInteger.valueOf(3)).intValue() != 2);
      return List.of(new Factor(BigInteger.valueOf(3), 1), new Factor(q, 1));
    });
    PaillierPublicKey pk = mallory.publicKey(product(f));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertMalformedKey(at.proof(), pk, "prime factor below 2^16");
    ProofException e = assertThrows(ProofException.class, () -> at.proof().verifyRelations(pk, CONTEXT));
    assertTrue(e.getMessage().contains("is not a unit modulo n"), e.getMessage());
  }

  @Test
  void blumModulusWithFactorJustBelowTwoToTheSixteenPassesTheRelationsAndIsRejectedByTrialDivision() {
    // n = 65519·q, both ≡ 3 (mod 4), gcd(n, φ(n)) = 1: a genuine Paillier–Blum modulus with a
    // 16-bit factor. The cheater grinds w so that no challenge is a multiple of 65519 and then
    // answers every relation; only trial division stops it.
    List<Factor> f = smallTimesLarge(65519, 3, false);
    PaillierPublicKey pk = mallory.publicKey(product(f));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertEquals(KeyProof.ROUNDS, at.fourthRootsFound());
    assertEquals(KeyProof.NTH_ROOT_ROUNDS, at.nthRootsFound());
    assertDoesNotThrow(() -> at.proof().verifyRelations(pk, CONTEXT), "relations hold for 65519·q");
    assertMalformedKey(at.proof(), pk, "prime factor below 2^16");
  }

  @Test
  void largestPrimeBelowTwoToTheSixteenIsCaughtByTrialDivision() {
    List<Factor> f = smallTimesLarge(65521, 3, false);
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertMalformedKey(mallory.prove(pk, CONTEXT, f).proof(), pk, "prime factor below 2^16");
    assertTrue(ModulusChecks.hasSmallFactor(BigInteger.valueOf(65521).multiply(BigInteger.valueOf(65537))));
    assertFalse(ModulusChecks.hasSmallFactor(BigInteger.valueOf(65537).multiply(BigInteger.valueOf(65539))));
  }

  @Test
  void perfectSquareIsRejected() {
    List<Factor> f = exactBits(() -> List.of(new Factor(mallory.prime(BITS / 2, 3), 2)));
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertMalformedKey(mallory.prove(pk, CONTEXT, f).proof(), pk, "perfect square");
  }

  @Test
  void sizeCheckRejectsUnsupportedModuli() {
    // A well-formed Blum modulus of 1536 bits: the first check that fails is the size check.
    BigInteger n1536 = product(exactBits(1536, () -> List.of(new Factor(mallory.prime(768, 3), 1),
        new Factor(mallory.prime(768, 3), 1))));
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> KeyProof.checkModulus(n1536));
    assertEquals("MALFORMED_KEY", e.code());
    assertTrue(e.getMessage().contains("1536 bits is not a supported key size"), e.getMessage());
    // The public key type refuses it too, so such an n never reaches verify() through the API.
    assertEquals("UNSUPPORTED_KEY_SIZE",
        assertThrows(MalformedInputException.class, () -> mallory.publicKey(n1536)).code());

    // A three-prime modulus one bit short of 1024.
    BigInteger n1023 = product(exactBits(1023, () -> List.of(new Factor(mallory.prime(341, 3), 1),
        new Factor(mallory.prime(341, 3), 1), new Factor(mallory.prime(342, 3), 1))));
    MalformedInputException e2 = assertThrows(MalformedInputException.class, () -> KeyProof.checkModulus(n1023));
    assertTrue(e2.getMessage().contains("1023 bits"), e2.getMessage());

    // Even, zero, negative and missing moduli.
    BigInteger even = BigInteger.ONE.shiftLeft(BITS - 1).add(BigInteger.TWO);
    for (BigInteger bad : new BigInteger[] {even, BigInteger.ZERO, n1536.negate()}) {
      MalformedInputException e3 = assertThrows(MalformedInputException.class, () -> KeyProof.checkModulus(bad));
      assertTrue(e3.getMessage().contains("positive odd"), e3.getMessage());
    }
    assertThrows(MalformedInputException.class, () -> KeyProof.checkModulus(null));
  }

  // ---------------------------------------------------------------------------------------------
  // Moduli that pass the structural checks and must be caught by the proof
  // ---------------------------------------------------------------------------------------------

  @Test
  void squareFactorIsRejectedByTheNthRoots() {
    // n = p²q with p ≡ q ≡ 3 (mod 4): the fourth-root part cannot see the square (Z*_{p²} has
    // 4th-power index 2 like Z*_p), so the cheater answers all 128 rounds; but p | gcd(n, φ(n))
    // and no n-th root of y exists unless y falls in a 1/p fraction.
    List<Factor> f = exactBits(() -> List.of(new Factor(mallory.prime(341, 3), 2), new Factor(mallory.prime(342, 3), 1)));
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertDoesNotThrow(() -> KeyProof.checkModulus(pk.n()));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertEquals(KeyProof.ROUNDS, at.fourthRootsFound(), "p²q passes the Blum part");
    assertEquals(0, at.nthRootsFound());
    assertInvalid(at.proof(), pk, "z[0]");
  }

  @Test
  void nonBlumTwoPrimeModulusIsRejectedByTheFourthRoots() {
    // n = pq with p ≡ 1 (mod 4): the fourth powers have index 8 in Z*_n, so ±y, ±wy cover at most
    // half of Z*_n whatever w the cheater picks.
    List<Factor> f = exactBits(() -> List.of(new Factor(mallory.prime(512, 1), 1), new Factor(mallory.prime(512, 3), 1)));
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertDoesNotThrow(() -> KeyProof.checkModulus(pk.n()));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertTrue(at.fourthRootsFound() > 0 && at.fourthRootsFound() < KeyProof.ROUNDS, "found " + at.fourthRootsFound());
    assertEquals(KeyProof.NTH_ROOT_ROUNDS, at.nthRootsFound(), "gcd(n, φ(n)) = 1: every n-th root exists");
    assertInvalid(at.proof(), pk, "x[");
  }

  @Test
  void threePrimeModulusIsRejectedByTheFourthRoots() {
    List<Factor> f = exactBits(() -> List.of(new Factor(mallory.prime(341, 3), 1),
        new Factor(mallory.prime(341, 3), 1), new Factor(mallory.prime(342, 3), 1)));
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertDoesNotThrow(() -> KeyProof.checkModulus(pk.n()));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertTrue(at.fourthRootsFound() < KeyProof.ROUNDS, "found " + at.fourthRootsFound());
    assertInvalid(at.proof(), pk, "x[");
  }

  @Test
  void smallestPrimeAboveTwoToTheSixteenPassesTrialDivisionAndIsCaughtByTheProof() {
    // 65537 ≡ 1 (mod 4): n = 65537·q is not a Blum integer; the fourth-root part rejects it.
    List<Factor> f = smallTimesLarge(65537, 3, false);
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertDoesNotThrow(() -> KeyProof.checkModulus(pk.n()));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertInvalid(at.proof(), pk, "x[");
  }

  @Test
  void factorJustAboveTwoToTheSixteenDividingPhiIsCaughtByTheNthRoots() {
    // The boundary case of the K = 8 argument: r = 65539 ≡ 3 (mod 4) is prime, r | n and r | q − 1,
    // so r | gcd(n, φ(n)). n is a Blum integer (the 128 fourth roots all exist) and only a 1/r
    // fraction of y have an n-th root: each z_i is a 2^-16 lottery.
    List<Factor> f = smallTimesLarge(65539, 3, true);
    BigInteger q = f.get(1).prime();
    assertEquals(BigInteger.ONE, q.mod(BigInteger.valueOf(65539)));
    PaillierPublicKey pk = mallory.publicKey(product(f));
    assertDoesNotThrow(() -> KeyProof.checkModulus(pk.n()));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertEquals(KeyProof.ROUNDS, at.fourthRootsFound());
    assertEquals(0, at.nthRootsFound());
    assertInvalid(at.proof(), pk, "z[");
  }

  @Test
  void blumModulusWithSeventeenBitFactorIsNotExcludedByThisProof() {
    // Documents the limit of Π^mod (docs/protocol.md, "What the key proof does not show"):
    // n = 65539·q with q ≡ 3 (mod 4), gcd(n, φ(n)) = 1 IS a Paillier–Blum modulus, so the proof
    // verifies. Trial division below 2^16 is there for the soundness of the K = 8 n-th roots, not
    // to bound the factor sizes; excluding factors up to ~√n is Π^fac's job (FactorProof,
    // FactorProofMaliciousTest, KeyGapAttackTest).
    List<Factor> f = smallTimesLarge(65539, 3, false);
    PaillierPublicKey pk = mallory.publicKey(product(f));
    Attempt at = mallory.prove(pk, CONTEXT, f);
    assertDoesNotThrow(() -> KeyProof.fromBytes(at.proof().toBytes(), pk).verify(pk, CONTEXT));
  }

  // ---------------------------------------------------------------------------------------------
  // Bad proofs for a good modulus
  // ---------------------------------------------------------------------------------------------

  @Test
  void wWithJacobiPlusOneIsRejected() {
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    List<Factor> f = List.of(new Factor(sk.p(SecretAccess.explicit()), 1), new Factor(sk.q(SecretAccess.explicit()), 1));
    Attempt at = mallory.prove(pk, CONTEXT, f, +1);
    ProofException e = assertThrows(ProofException.class, () -> at.proof().verify(pk, CONTEXT));
    assertEquals("KEY_PROOF_INVALID", e.code());
    assertTrue(e.getMessage().contains("Jacobi symbol −1"), e.getMessage());
    // The same cheater with a proper w produces a valid proof: the prover code is not the culprit.
    Attempt honest = mallory.prove(pk, CONTEXT, f, -1);
    assertEquals(KeyProof.ROUNDS, honest.fourthRootsFound());
    assertDoesNotThrow(() -> honest.proof().verify(pk, CONTEXT));
  }

  @Test
  void nonUnitChallengeIsRejected() {
    // A challenge sharing a factor with n cannot be hit by chance for a real key; simulate it by
    // passing challenges to the relation check, as a cheater steering the oracle would need to.
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    KeyProof proof = KeyProof.prove(sk, CONTEXT, rnd);
    BigInteger[] y = KeyProof.challenges(pk, CONTEXT, proof.w());
    y[5] = sk.p(SecretAccess.explicit()).multiply(BigInteger.valueOf(12345));
    ProofException e = assertThrows(ProofException.class, () -> proof.verifyRelations(pk, CONTEXT, y));
    assertTrue(e.getMessage().contains("y[5] is not a unit"), e.getMessage());
  }

  @Test
  void millerRabinIsDeterministicAndNotFooledByCarmichaelNumbers() {
    long[] carmichael = {561, 1105, 1729, 2465, 2821, 6601, 8911, 41041, 825265, 321197185L, 3215031751L};
    for (long c : carmichael) {
      assertFalse(ModulusChecks.isProbablePrime(BigInteger.valueOf(c), ModulusChecks.MILLER_RABIN_ROUNDS), "c=" + c);
    }
    BigInteger p = mallory.prime(BITS, 3);
    for (int i = 0; i < 3; i++) {
      assertTrue(ModulusChecks.isProbablePrime(p, ModulusChecks.MILLER_RABIN_ROUNDS));
    }
    assertFalse(ModulusChecks.isProbablePrime(TestKeys.key2048a().publicKey().n(), ModulusChecks.MILLER_RABIN_ROUNDS));
    assertTrue(ModulusChecks.isProbablePrime(BigInteger.valueOf(65539), ModulusChecks.MILLER_RABIN_ROUNDS));
  }

  @Test
  void smallPrimeProductCoversExactlyThePrimesBelowTheBound() {
    BigInteger product = ModulusChecks.SMALL_PRIMES_PRODUCT;
    for (int r : new int[] {2, 3, 5, 65521}) {
      assertEquals(0, product.mod(BigInteger.valueOf(r)).signum());
    }
    for (int r : new int[] {65537, 65539}) {
      assertTrue(product.mod(BigInteger.valueOf(r)).signum() != 0);
    }
    assertEquals(6542, NumberTheory.primesBelow(1 << 16).length);
    assertEquals(6541, ModulusChecks.oddPrimesBelowBound().length);
  }

  // ---------------------------------------------------------------------------------------------

  /** r · q with q ≡ residue (mod 4) prime and n of exactly BITS bits; q ≡ 1 (mod r) if asked. */
  private List<Factor> smallTimesLarge(int r, int residue, boolean rDividesQMinus1) {
    BigInteger small = BigInteger.valueOf(r);
    // r is within 2^-10 of 2^16 here, so q of BITS − 16 bits gives n of BITS bits almost always.
    int qBits = BITS - 16;
    return exactBits(() -> {
      BigInteger q;
      if (rDividesQMinus1) {
        // q = 1 + r·k; with r ≡ 3 (mod 4), q ≡ 3 (mod 4) iff k ≡ 2 (mod 4).
        do {
          int kBits = qBits - small.bitLength() + 1;
          BigInteger k = new BigInteger(kBits, rnd).setBit(kBits - 1);
          k = k.subtract(BigInteger.valueOf(k.intValue() & 3)).add(BigInteger.TWO);
          q = BigInteger.ONE.add(small.multiply(k));
        } while (!q.isProbablePrime(64) || q.intValue() % 4 != residue);
      } else {
        q = mallory.prime(qBits, residue);
      }
      return List.of(new Factor(small, 1), new Factor(q, 1));
    });
  }

  private static List<Factor> exactBits(Supplier<List<Factor>> make) {
    return exactBits(BITS, make);
  }

  private static List<Factor> exactBits(int bits, Supplier<List<Factor>> make) {
    for (int tries = 0; tries < 200; tries++) {
      List<Factor> f = make.get();
      if (product(f).bitLength() == bits) {
        return new ArrayList<>(f);
      }
    }
    throw new IllegalStateException("could not hit " + bits + " bits");
  }

  private static BigInteger product(List<Factor> f) {
    return f.stream().map(Factor::modulus).reduce(BigInteger.ONE, BigInteger::multiply);
  }

  private static void assertMalformedKey(KeyProof proof, PaillierPublicKey pk, String fragment) {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> proof.verify(pk, CONTEXT));
    assertEquals("MALFORMED_KEY", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static void assertInvalid(KeyProof proof, PaillierPublicKey pk, String fragment) {
    // Through the wire format, as a verifier would see it.
    KeyProof decoded = KeyProof.fromBytes(proof.toBytes(), pk);
    ProofException e = assertThrows(ProofException.class, () -> decoded.verify(pk, CONTEXT));
    assertEquals("KEY_PROOF_INVALID", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
