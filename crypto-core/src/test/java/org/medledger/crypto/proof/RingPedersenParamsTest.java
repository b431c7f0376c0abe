package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/** Set-up, validation, encoding and commitments of {@link RingPedersenParams}. */
class RingPedersenParamsTest {
  private final SecureRandom rnd = new SecureRandom();

  @Test
  void storedParameterSetsValidateAndReencodeIdentically() {
    for (int bits : new int[] {2048, 3072}) {
      RingPedersenParams params = TestRingPedersen.params(bits);
      assertEquals(bits, params.bits());
      assertEquals(bits, params.nHat().bitLength());
      assertArrayEquals(TestRingPedersen.paramsBytes(bits), params.toBytes());
      RingPedersenProof proof = RingPedersenProof.fromBytes(TestRingPedersen.proofBytes(bits), params.nHat());
      assertArrayEquals(TestRingPedersen.proofBytes(bits), proof.toBytes());
      assertEquals(RingPedersenParams.encodedLength(bits), params.toBytes().length);
      assertEquals(RingPedersenProof.encodedLength(bits), proof.toBytes().length);
      assertEquals(params, RingPedersenParams.validate(params.nHat(), params.s(), params.t(), proof));
    }
  }

  @Test
  void smallSetGeneratedEndToEndThroughTheTestOnlyPath() {
    RingPedersenParams.Generated g = RingPedersenParams.generate(RingPedersenParams.TEST_ONLY_BITS, rnd);
    RingPedersenParams p = g.params();
    assertEquals(512, p.bits());
    BigInteger n = p.nHat();
    assertTrue(n.testBit(0));
    assertFalse(ModulusChecks.hasSmallFactor(n));
    assertNotEquals(p.s(), p.t());
    assertEquals(1, NumberTheory.jacobi(p.t(), n));
    RingPedersenParams back = RingPedersenParams.fromBytes(p.toBytes(), g.proof().toBytes(), true);
    assertEquals(p, back);
    assertDoesNotThrow(() -> RingPedersenParams.validate(n, p.s(), p.t(), g.proof(), true));
    // The public API refuses the insecure size.
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> RingPedersenParams.fromBytes(p.toBytes(), g.proof().toBytes()));
    assertEquals("MALFORMED_RING_PEDERSEN", e.code());
    assertTrue(e.getMessage().contains("512 bits is not a supported size"), e.getMessage());
    assertThrows(MalformedInputException.class, () -> RingPedersenParams.validate(n, p.s(), p.t(), g.proof()));
    assertThrows(IllegalArgumentException.class, () -> RingPedersenParams.generate(1024, rnd));
  }

  @Test
  void commitmentsAreHomomorphicAndAcceptNegativeExponents() {
    RingPedersenParams p = TestRingPedersen.params(2048);
    BigInteger n = p.nHat();
    BigInteger m1 = new BigInteger(300, rnd);
    BigInteger m2 = new BigInteger(300, rnd).negate();
    BigInteger mu1 = new BigInteger(2200, rnd);
    BigInteger mu2 = new BigInteger(2200, rnd).negate();
    assertEquals(p.commit(m1.add(m2), mu1.add(mu2)), p.commit(m1, mu1).multiply(p.commit(m2, mu2)).mod(n));
    assertEquals(BigInteger.ONE, p.commit(m1, mu1).multiply(p.commit(m1.negate(), mu1.negate())).mod(n));
    assertEquals(BigInteger.ONE, p.commit(BigInteger.ZERO, BigInteger.ZERO));
    assertEquals(p.s(), p.commit(BigInteger.ONE, BigInteger.ZERO));
    assertEquals(p.t(), p.commit(BigInteger.ZERO, BigInteger.ONE));
    assertEquals(p.s().modInverse(n), p.commit(BigInteger.ONE.negate(), BigInteger.ZERO));
    assertEquals(p.s().modPow(m1, n).multiply(p.t().modPow(mu2, n)).mod(n), p.commit(m1, mu2));
  }

  @Test
  void structuralChecksNameTheFailure() {
    RingPedersenParams p = TestRingPedersen.params(2048);
    RingPedersenProof proof = RingPedersenProof.fromBytes(TestRingPedersen.proofBytes(2048), p.nHat());
    BigInteger n = p.nHat();
    BigInteger s = p.s();
    BigInteger t = p.t();

    assertStructure(n.add(BigInteger.ONE), s, t, proof, "positive odd");
    BigInteger n1024 = TestKeys.key1024().publicKey().n();
    assertStructure(n1024, s.mod(n1024), t.mod(n1024), proof, "1024 bits is not a supported size");
    BigInteger n4096 = BigInteger.ONE.shiftLeft(4095).setBit(0);
    assertStructure(n4096, s, t, proof, "4096 bits is not a supported size");

    BigInteger threeTimes = BigInteger.valueOf(3).multiply(BigInteger.ONE.shiftLeft(2046).nextProbablePrime());
    assertEquals(2048, threeTimes.bitLength());
    assertStructure(threeTimes, s.mod(threeTimes), t.mod(threeTimes), proof, "prime factor below 2^16");

    BigInteger prime = BigInteger.probablePrime(2048, rnd);
    assertStructure(prime, s, t, proof, "N̂ is prime");

    BigInteger root = BigInteger.valueOf(3).shiftLeft(1022).nextProbablePrime();
    BigInteger square = root.multiply(root);
    assertEquals(2048, square.bitLength());
    assertStructure(square, s.mod(square), t.mod(square), proof, "perfect square");

    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, n.subtract(BigInteger.ONE), n, n.add(s)}) {
      assertStructure(n, bad, t, proof, "s must lie in [2, N̂ − 2]");
      assertStructure(n, s, bad, proof, "t must lie in [2, N̂ − 2]");
    }
    // Jacobi symbol −1: −1 is a non-residue modulo both safe primes, 2 modulo exactly one of them
    // or both; search a small element of symbol −1.
    BigInteger minus = BigInteger.TWO;
    while (NumberTheory.jacobi(minus, n) != -1) {
      minus = minus.add(BigInteger.ONE);
    }
    assertStructure(n, minus, t, proof, "s must have Jacobi symbol +1");
    assertStructure(n, s, minus, proof, "t must have Jacobi symbol +1");
    assertThrows(MalformedInputException.class, () -> RingPedersenParams.validate(null, s, t, proof));
    assertThrows(MalformedInputException.class, () -> RingPedersenParams.validate(n, s, t, null));
  }

  @Test
  void nonUnitElementsAreRejected() {
    KnownFactorSet k = KnownFactorSet.create(rnd);
    BigInteger nonUnit = k.p().multiply(BigInteger.valueOf(7));
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> RingPedersenParams.validate(k.nHat(), nonUnit, k.t(), k.proof(rnd), true));
    assertTrue(e.getMessage().contains("s is not a unit"), e.getMessage());
    assertDoesNotThrow(() -> RingPedersenParams.validate(k.nHat(), k.s(), k.t(), k.proof(rnd), true));
  }

  @Test
  void truncatedAndOversizedEncodingsAreRejected() {
    byte[] params = TestRingPedersen.paramsBytes(2048);
    byte[] proof = TestRingPedersen.proofBytes(2048);
    byte[][] badParams = {
      null, new byte[0], Arrays.copyOf(params, 3), Arrays.copyOf(params, 4),
      Arrays.copyOf(params, params.length - 1), Arrays.copyOf(params, params.length + 1), proof,
    };
    for (byte[] b : badParams) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromBytes(b, proof));
      assertEquals("MALFORMED_RING_PEDERSEN", e.code());
    }
    byte[][] badProofs = {
      null, new byte[0], Arrays.copyOf(proof, 4), Arrays.copyOf(proof, proof.length - 1),
      Arrays.copyOf(proof, proof.length + 1), params, TestRingPedersen.proofBytes(3072),
    };
    for (byte[] b : badProofs) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromBytes(params, b));
      assertEquals("MALFORMED_RING_PEDERSEN", e.code());
    }
    // Declared size 1024, consistent length: refused on size.
    byte[] small = new byte[RingPedersenParams.encodedLength(1024)];
    small[0] = 0x21;
    small[1] = 1;
    small[2] = 0x04;
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromBytes(small, proof));
    assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    // N̂ with a leading zero byte (fewer bits than declared).
    byte[] shortN = params.clone();
    shortN[4] = 0;
    assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromBytes(shortN, proof));
    // z ≥ N̂ in the proof.
    byte[] bigZ = proof.clone();
    Arrays.fill(bigZ, bigZ.length - 256, bigZ.length, (byte) 0xFF);
    MalformedInputException ez = assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromBytes(params, bigZ));
    assertTrue(ez.getMessage().contains("z[127] outside"), ez.getMessage());
  }

  @Test
  void safePrimesHaveTheRightShape() {
    for (int bits : new int[] {128, 256, 257}) {
      BigInteger p = SafePrimes.generate(bits, rnd);
      assertEquals(bits, p.bitLength());
      assertTrue(p.testBit(bits - 2), "top two bits set");
      assertTrue(p.isProbablePrime(100));
      assertTrue(p.shiftRight(1).isProbablePrime(100));
      assertEquals(3, p.intValue() & 3);
    }
  }

  @Test
  void sieveStrikesExactlyTheCandidatesWithASmallFactor() {
    BigInteger q0 = new BigInteger(400, rnd).setBit(399).setBit(0);
    boolean[] struck = new boolean[3000];
    SafePrimes.sieve(q0, struck);
    int survivors = 0;
    for (int j = 0; j < struck.length; j++) {
      BigInteger q = q0.add(BigInteger.valueOf(2L * j));
      BigInteger p = q.shiftLeft(1).setBit(0);
      boolean small = ModulusChecks.hasSmallFactor(q) || ModulusChecks.hasSmallFactor(p);
      assertEquals(small, struck[j], "j=" + j);
      survivors += struck[j] ? 0 : 1;
    }
    // Mertens: about (1.123 / ln 2^16)² · 1.32 ≈ 1.4% of the odd candidates survive both sieves.
    assertTrue(survivors > 5 && survivors < 150, "survivors=" + survivors);
  }

  private static void assertStructure(BigInteger n, BigInteger s, BigInteger t, RingPedersenProof proof, String fragment) {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> RingPedersenParams.validate(n, s, t, proof));
    assertEquals("MALFORMED_RING_PEDERSEN", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void storedBytesDecodeToTheValidatedParametersAndBadElementsAreStillRefused() {
    for (int bits : new int[] {2048, 3072}) {
      byte[] stored = TestRingPedersen.paramsBytes(bits);
      assertEquals(TestRingPedersen.params(bits), RingPedersenParams.fromStoredBytes(stored));
      int len = bits / 8;
      byte[] sIsOne = stored.clone();
      Arrays.fill(sIsOne, 4 + len, 4 + 2 * len, (byte) 0);
      sIsOne[4 + 2 * len - 1] = 1;
      assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromStoredBytes(sIsOne));
      byte[] tNotReduced = stored.clone();
      Arrays.fill(tNotReduced, 4 + 2 * len, 4 + 3 * len, (byte) 0xff);
      assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromStoredBytes(tNotReduced));
      assertThrows(MalformedInputException.class,
          () -> RingPedersenParams.fromStoredBytes(Arrays.copyOf(stored, stored.length - 1)));
    }
  }

  @Test
  void storedBytesWithAnNHatDivisibleByThreeOrASquareAreRefused() {
    // Issue 11: N̂ = 2^2047 + 1 (divisible by 3) used to decode. s = 4, t = 16 are squares, hence
    // units with Jacobi symbol +1 modulo any odd N̂, so only the structural checks can refuse it.
    BigInteger four = BigInteger.valueOf(4);
    BigInteger sixteen = BigInteger.valueOf(16);
    BigInteger byThree = BigInteger.ONE.shiftLeft(2047).add(BigInteger.ONE);
    assertEquals(BigInteger.ZERO, byThree.mod(BigInteger.valueOf(3)));
    assertStoredRefused(byThree, four, sixteen, "prime factor below");
    // The square of a 1024-bit odd integer with no factor below 2^16 passes trial division.
    BigInteger root = BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE);
    while (ModulusChecks.hasSmallFactor(root)) {
      root = root.subtract(BigInteger.TWO);
    }
    BigInteger square = root.multiply(root);
    assertEquals(2048, square.bitLength());
    assertStoredRefused(square, four, sixteen, "perfect square");
  }

  private static void assertStoredRefused(BigInteger nHat, BigInteger s, BigInteger t, String fragment) {
    int len = 256;
    byte[] enc = new byte[4 + 3 * len];
    enc[0] = RingPedersenParams.TYPE;
    enc[1] = RingPedersenParams.VERSION;
    enc[2] = (byte) (2048 >>> 8);
    enc[3] = (byte) 2048;
    System.arraycopy(org.medledger.crypto.internal.Bytes.fixed(nHat, len), 0, enc, 4, len);
    System.arraycopy(org.medledger.crypto.internal.Bytes.fixed(s, len), 0, enc, 4 + len, len);
    System.arraycopy(org.medledger.crypto.internal.Bytes.fixed(t, len), 0, enc, 4 + 2 * len, len);
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromStoredBytes(enc));
    assertEquals("MALFORMED_RING_PEDERSEN", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
