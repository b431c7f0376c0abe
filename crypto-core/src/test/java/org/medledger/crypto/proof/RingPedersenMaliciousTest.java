package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.testing.TestRingPedersen;

/** Cheating set-ups against Π^prm and tampered encodings of ring-Pedersen parameters. */
class RingPedersenMaliciousTest {
  private static final Set<String> REJECT_CODES = Set.of("MALFORMED_RING_PEDERSEN", "RING_PEDERSEN_PROOF_INVALID");
  private final SecureRandom rnd = new SecureRandom();

  /**
   * The best a set-up without a discrete logarithm can do: guess each challenge bit g_i in
   * advance, and answer it: z_i random, A_i = t^(z_i) · s^(−g_i). Round i passes iff e_i = g_i.
   */
  private RingPedersenProof cheat(BigInteger n, BigInteger s, BigInteger t) {
    BigInteger sInv = s.modInverse(n);
    BigInteger[] a = new BigInteger[RingPedersenProof.ROUNDS];
    BigInteger[] z = new BigInteger[RingPedersenProof.ROUNDS];
    for (int i = 0; i < a.length; i++) {
      z[i] = NumberTheory.randomBelow(rnd, n);
      a[i] = t.modPow(z[i], n);
      if (rnd.nextBoolean()) {
        a[i] = a[i].multiply(sInv).mod(n);
      }
    }
    return new RingPedersenProof(n.bitLength(), a, z);
  }

  @Test
  void nonResidueSIsRejectedByTheProof() {
    // s = N̂ − t = −t: Jacobi symbol +1 (−1 is a non-residue modulo both safe primes), so every
    // structural check passes, but −t is not a square and ⟨t⟩ consists of squares.
    RingPedersenParams p = TestRingPedersen.params(2048);
    BigInteger n = p.nHat();
    BigInteger s = n.subtract(p.t());
    assertEquals(1, NumberTheory.jacobi(s, n));
    for (int attempt = 0; attempt < 4; attempt++) {
      RingPedersenProof forged = cheat(n, s, p.t());
      ProofException e = assertThrows(ProofException.class, () -> RingPedersenParams.validate(n, s, p.t(), forged));
      assertEquals("RING_PEDERSEN_PROOF_INVALID", e.code());
      assertTrue(e.getMessage().contains("round "), e.getMessage());
    }
  }

  @Test
  void squareOutsideASmallSubgroupIsRejected() {
    // t of order p' only (t ≡ 1 mod q̂) and s a square of full order: s ∉ ⟨t⟩ although s is a
    // quadratic residue. No λ exists; the honest algorithm with a made-up λ and the guessing
    // cheater both fail.
    KnownFactorSet k = KnownFactorSet.create(rnd);
    BigInteger n = k.nHat();
    BigInteger r = NumberTheory.randomUnit(rnd, k.p());
    BigInteger tSmall = NumberTheory.crt(r.multiply(r).mod(k.p()), k.p(), BigInteger.ONE, k.q(), k.q().modInverse(k.p()));
    BigInteger s = k.s();
    assertTrue(!s.mod(k.q()).equals(BigInteger.ONE));
    for (int attempt = 0; attempt < 8; attempt++) {
      RingPedersenProof honestAlgorithm = k.proofFor(s, tSmall, NumberTheory.randomBelow(rnd, n), rnd);
      assertThrows(ProofException.class, () -> RingPedersenParams.validate(n, s, tSmall, honestAlgorithm, true));
      RingPedersenProof forged = cheat(n, s, tSmall);
      assertThrows(ProofException.class, () -> RingPedersenParams.validate(n, s, tSmall, forged, true));
    }
  }

  @Test
  void smallOrderTIsNotDetectedWhenSIsInItsSubgroup() {
    // Documents the limit of Π^prm (docs/protocol.md, "What Π^prm does not show"): it proves
    // s ∈ ⟨t⟩, not that ⟨t⟩ is large. A set-up that picks t of order p' only (and so leaks q̂ via
    // gcd(t − 1, N̂)) passes validation. This is covered by the set-up trust assumption.
    KnownFactorSet k = KnownFactorSet.create(rnd);
    BigInteger n = k.nHat();
    BigInteger r = NumberTheory.randomUnit(rnd, k.p());
    BigInteger tSmall = NumberTheory.crt(r.multiply(r).mod(k.p()), k.p(), BigInteger.ONE, k.q(), k.q().modInverse(k.p()));
    BigInteger lambda = new BigInteger(200, rnd);
    BigInteger s = tSmall.modPow(lambda, n);
    RingPedersenProof proof = k.proofFor(s, tSmall, lambda, rnd);
    assertDoesNotThrow(() -> RingPedersenParams.validate(n, s, tSmall, proof, true));
    assertEquals(k.q(), tSmall.subtract(BigInteger.ONE).gcd(n));
  }

  @Test
  void proofForOtherParametersIsRejected() {
    RingPedersenParams.Generated a = RingPedersenParams.generate(RingPedersenParams.TEST_ONLY_BITS, rnd);
    RingPedersenParams.Generated b = RingPedersenParams.generate(RingPedersenParams.TEST_ONLY_BITS, rnd);
    RingPedersenParams pa = a.params();
    assertThrows(ProofException.class, () -> RingPedersenParams.validate(pa.nHat(), pa.s(), pa.t(), b.proof(), true));
    CryptoException e = assertThrows(CryptoException.class,
        () -> RingPedersenParams.fromBytes(pa.toBytes(), b.proof().toBytes(), true));
    assertTrue(REJECT_CODES.contains(e.code()), e.getMessage());
    // s and t swapped: a different statement, the same proof.
    ProofException swapped = assertThrows(ProofException.class,
        () -> RingPedersenParams.validate(pa.nHat(), pa.t(), pa.s(), a.proof(), true));
    assertTrue(swapped.getMessage().contains("round "), swapped.getMessage());
    // Same N̂, s, fresh t: the proof is about the old t.
    BigInteger u = NumberTheory.randomUnit(rnd, pa.nHat());
    BigInteger t2 = u.multiply(u).mod(pa.nHat());
    assertThrows(ProofException.class, () -> RingPedersenParams.validate(pa.nHat(), pa.s(), t2, a.proof(), true));
    // 2048-bit parameters with the 3072-bit proof: refused on size before any arithmetic.
    MalformedInputException m = assertThrows(MalformedInputException.class, () -> RingPedersenParams.fromBytes(
        TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(3072)));
    assertTrue(m.getMessage().contains("3072-bit"), m.getMessage());
    // A proof object for another size.
    RingPedersenParams p2048 = TestRingPedersen.params(2048);
    ProofException size = assertThrows(ProofException.class,
        () -> RingPedersenParams.validate(p2048.nHat(), p2048.s(), p2048.t(), a.proof()));
    assertTrue(size.getMessage().contains("512-bit"), size.getMessage());
  }

  @Test
  void everyParameterByteFlipIsRejected() {
    // Exhaustive over the 196 bytes of a 512-bit set (test-only size), two masks each.
    RingPedersenParams.Generated g = RingPedersenParams.generate(RingPedersenParams.TEST_ONLY_BITS, rnd);
    byte[] params = g.params().toBytes();
    byte[] proof = g.proof().toBytes();
    for (int pos = 0; pos < params.length; pos++) {
      for (int mask : new int[] {0x01, 0x80}) {
        byte[] t = params.clone();
        t[pos] ^= (byte) mask;
        assertRejected(t, proof, true, "params byte " + pos);
      }
    }
  }

  @Test
  void proofByteFlipsAreRejected() {
    // The proof of a 512-bit set: the header, the first and last byte of every A_i and z_i, and
    // 128 random positions. (Flips deep in z_i cost i exponentiations each, so not every byte.)
    RingPedersenParams.Generated g = RingPedersenParams.generate(RingPedersenParams.TEST_ONLY_BITS, rnd);
    byte[] params = g.params().toBytes();
    byte[] proof = g.proof().toBytes();
    int len = 64;
    TreeSet<Integer> positions = new TreeSet<>();
    for (int i = 0; i < 4; i++) {
      positions.add(i);
    }
    for (int v = 0; v < 2 * RingPedersenProof.ROUNDS; v++) {
      positions.add(4 + v * len);
      positions.add(4 + v * len + len - 1);
    }
    while (positions.size() < 4 + 4 * RingPedersenProof.ROUNDS + 128) {
      positions.add(rnd.nextInt(proof.length));
    }
    for (int pos : positions) {
      byte[] t = proof.clone();
      t[pos] ^= (byte) (1 << rnd.nextInt(8));
      assertRejected(params, t, true, "proof byte " + pos);
    }
  }

  @Test
  void storedSetFlipsAreRejectedThroughThePublicApi() {
    byte[] params = TestRingPedersen.paramsBytes(2048);
    byte[] proof = TestRingPedersen.proofBytes(2048);
    for (int pos = 0; pos < params.length; pos += pos < 8 ? 1 : 8) {
      byte[] t = params.clone();
      t[pos] ^= 0x01;
      assertRejected(t, proof, false, "params byte " + pos);
    }
    int len = 256;
    for (int pos : new int[] {0, 1, 2, 3, 4, 4 + len - 1, 4 + 127 * len, 4 + 128 * len, 4 + 128 * len + len - 1, proof.length - 1}) {
      byte[] t = proof.clone();
      t[pos] ^= 0x01;
      assertRejected(params, t, false, "proof byte " + pos);
    }
  }

  private static void assertRejected(byte[] params, byte[] proof, boolean testSize, String what) {
    try {
      RingPedersenParams.fromBytes(params, proof, testSize);
      fail(what + " was accepted");
    } catch (CryptoException e) {
      assertTrue(REJECT_CODES.contains(e.code()), what + ": " + e.getMessage());
    }
  }
}
