package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.proof.FactorProofTest.CONTEXT;
import static org.medledger.crypto.proof.FactorProofTest.assertInvalid;
import static org.medledger.crypto.proof.FactorProofTest.copy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * Adversarial review of Π^fac (review/pifac): attacks tried against {@link FactorProof} beyond the
 * malicious-prover suite. Each test says whether the attack held or broke.
 */
class FactorProofReviewAttackTest {
  private static final SecureRandom RND = new SecureRandom();
  private static RingPedersenParams rp;

  @BeforeAll
  static void setUp() {
    rp = TestRingPedersen.params(2048);
  }

  /**
   * BREAK (crypto-core API, guarded only by the chaincode's 2048-bit key minimum): the guarantee
   * |p|, |q| ≥ √N0 / 2^(ℓ+ε+1) is vacuous for N0 below about 2(ℓ+ε+1) = 1026 bits, and
   * {@link FactorProof#verify} accepts any N0 of at least 16 bits. An N0 = r·m of 768 bits with a
   * 17-bit prime r gets an honest-prover proof on its real factors accepted: e·m ≤ 2^(128+752)
   * fits under the bound 2^(512+383). It passed before the fix; checkStatement now refuses N0
   * below 2048 bits.
   */
  @Test
  void fixedSeventeenBitFactorBelowTheSoundnessSizeIsRefused() {
    BigInteger r;
    BigInteger m;
    BigInteger n0;
    do {
      r = BigInteger.probablePrime(17, RND);
      m = BigInteger.probablePrime(768 - 17, RND);
      n0 = r.multiply(m);
    } while (n0.bitLength() != 768);
    FactorProof f = FactorProof.proveUnchecked(r, m, rp, CONTEXT, RND);
    assertNotNull(f, "an honest run on (17-bit, 751-bit) factors stays inside the z bound at 768 bits");
    BigInteger finalN0 = n0;
    // It was accepted before the fix; N0 below 2048 bits is now refused before anything else.
    assertThrows(MalformedInputException.class,
        () -> FactorProof.fromBytes(f.toBytes(), finalN0, rp).verify(finalN0, rp, CONTEXT));
    // The same shape at 2048 bits (the chaincode's minimum) is refused: the gap is only in the API.
    SmallFactorKeys.Key k = SmallFactorKeys.generate(2048, 17, CONTEXT, RND);
    assertInvalid(() -> k.factorProof(rp, CONTEXT, RND).verify(k.publicKey().n(), rp, CONTEXT), "|z2| exceeds");
  }

  /**
   * BREAK (crypto-core API only; the chaincode refuses keys below 2048 bits): at 1024 bits, a key
   * size PaillierPublicKey still decodes (INSECURE_1024), a modulus with a 120-bit prime factor —
   * below the 2^128 that §4.3 step 5 needs — gets an accepted Π^fac by grinding only σ, which is
   * free (it enters the transcript and v, no exponentiation): z2 = β + e·m fits the bound
   * 2^(512+511) once e < ~2^119, one try in ~2^9. At 2048 bits the same needs e = 0 (2^-128).
   */
  @Test
  void fixedOneTwentyBitFactorAt1024BitsByGrindingSigmaIsRefused() {
    BigInteger r;
    BigInteger m;
    BigInteger n0;
    do {
      r = BigInteger.probablePrime(120, RND);
      m = BigInteger.probablePrime(1024 - 120, RND);
      n0 = r.multiply(m);
    } while (n0.bitLength() != 1024);
    BigInteger nHat = rp.nHat();
    BigInteger zBound = FactorProof.zBound(n0);
    BigInteger blind = nHat.shiftLeft(FactorProof.L);
    BigInteger mask = nHat.shiftLeft(FactorProof.L + FactorProof.EPS);
    BigInteger alpha = FactorProof.signedBelow(zBound.shiftRight(1), RND);
    BigInteger beta = FactorProof.signedBelow(zBound.shiftRight(1), RND);
    BigInteger mu = FactorProof.signedBelow(blind, RND);
    BigInteger nu = FactorProof.signedBelow(blind, RND);
    BigInteger rT = FactorProof.signedBelow(n0.multiply(nHat).shiftLeft(FactorProof.L + FactorProof.EPS), RND);
    BigInteger x = FactorProof.signedBelow(mask, RND);
    BigInteger y = FactorProof.signedBelow(mask, RND);
    BigInteger cp = rp.commit(r, mu);
    BigInteger cq = rp.commit(m, nu);
    BigInteger ca = rp.commit(alpha, x);
    BigInteger cb = rp.commit(beta, y);
    BigInteger ct = FactorProof.signedPow(cq, alpha, nHat).multiply(rp.commit(BigInteger.ZERO, rT)).mod(nHat);
    BigInteger sigma;
    BigInteger e;
    int tries = 0;
    do {
      tries++;
      assertTrue(tries < 1 << 16, "grinding σ should take about 2^9 hashes");
      sigma = FactorProof.signedBelow(n0.multiply(nHat).shiftLeft(FactorProof.L), RND);
      e = FactorProof.challenge(n0, rp, CONTEXT, cp, cq, ca, cb, ct, sigma);
    } while (beta.add(e.multiply(m)).abs().compareTo(zBound) > 0);
    BigInteger sigmaHat = sigma.subtract(nu.multiply(r));
    FactorProof forged = new FactorProof(n0.bitLength(), nHat.bitLength(), cp, cq, ca, cb, ct, sigma,
        alpha.add(e.multiply(r)), beta.add(e.multiply(m)), x.add(e.multiply(mu)), y.add(e.multiply(nu)),
        rT.add(e.multiply(sigmaHat)));
    BigInteger finalN0 = n0;
    // Accepted before the fix; refused now that N0 must have 2048 bits at least.
    assertThrows(MalformedInputException.class,
        () -> FactorProof.fromBytes(forged.toBytes(), finalN0, rp).verify(finalN0, rp, CONTEXT));
    assertTrue(r.bitLength() <= 128);
  }

  /**
   * HELD: a prover with a small factor that commits Q = 1 (opening q = 0, so z2 = β stays tiny and
   * the second equation holds) and builds T, v as if R were t^σ cannot satisfy the product
   * equation: R carries s^N0, which it cannot cancel without λ.
   */
  @Test
  void heldQEqualToOneDoesNotDodgeTheProductEquation() {
    SmallFactorKeys.Key k = SmallFactorKeys.generate(2048, 17, CONTEXT, RND);
    BigInteger n0 = k.publicKey().n();
    BigInteger nHat = rp.nHat();
    BigInteger zBound = FactorProof.zBound(n0);
    BigInteger mask = nHat.shiftLeft(FactorProof.L + FactorProof.EPS);
    BigInteger blind = nHat.shiftLeft(FactorProof.L);
    BigInteger p = k.small();
    BigInteger alpha = FactorProof.signedBelow(zBound.shiftRight(1), RND);
    BigInteger beta = FactorProof.signedBelow(zBound.shiftRight(1), RND);
    BigInteger mu = FactorProof.signedBelow(blind, RND);
    BigInteger x = FactorProof.signedBelow(mask, RND);
    BigInteger y = FactorProof.signedBelow(mask, RND);
    BigInteger rT = FactorProof.signedBelow(n0.multiply(nHat).shiftLeft(FactorProof.L + FactorProof.EPS), RND);
    BigInteger sigma = FactorProof.signedBelow(n0.multiply(nHat).shiftLeft(FactorProof.L), RND);
    BigInteger cp = rp.commit(p, mu);
    BigInteger cq = BigInteger.ONE;
    BigInteger ca = rp.commit(alpha, x);
    BigInteger cb = rp.commit(beta, y);
    BigInteger ct = rp.commit(BigInteger.ZERO, rT);
    BigInteger e = FactorProof.challenge(n0, rp, CONTEXT, cp, cq, ca, cb, ct, sigma);
    FactorProof forged = new FactorProof(n0.bitLength(), nHat.bitLength(), cp, cq, ca, cb, ct, sigma,
        alpha.add(e.multiply(p)), beta, x.add(e.multiply(mu)), y, rT.add(e.multiply(sigma)));
    assertInvalid(() -> forged.verify(n0, rp, CONTEXT), "Q^z1 t^v");
    // Same with Q = N̂ − 1 (−1, a unit in range that has no ring-Pedersen opening).
    FactorProof minusOne = copy(forged, cp, nHat.subtract(BigInteger.ONE), ca, cb, ct, sigma, forged.z1, beta,
        forged.w1, y, forged.v);
    assertInvalid(() -> minusOne.verify(n0, rp, CONTEXT), "≢");
  }

  /**
   * HELD, and closes a test gap: FactorProofTest only feeds P values outside [1, N̂), which the
   * range half of the unit check refuses; nothing exercised the gcd half. With the trapdoor set's
   * factor p̂ (in range, not a unit) in each of P, Q, A, B, T the verifier refuses with the named
   * check and a ProofException, not the ArithmeticException that modInverse would throw for Q
   * with a negative z1.
   */
  @Test
  void heldInRangeNonUnitCommitmentsAreRefusedInEverySlot() {
    TrapdoorParams td = TrapdoorParams.shared();
    RingPedersenParams p = td.params();
    BigInteger nHat = p.nHat();
    // p̂ + q̂ = N̂ − φ + 1; p̂ = (sum − √(sum² − 4N̂)) / 2.
    BigInteger sum = nHat.subtract(td.phi()).add(BigInteger.ONE);
    BigInteger pHat = sum.subtract(sum.multiply(sum).subtract(nHat.shiftLeft(2)).sqrt()).shiftRight(1);
    assertEquals(BigInteger.ZERO, nHat.mod(pHat));
    assertTrue(pHat.compareTo(BigInteger.ONE) > 0 && pHat.compareTo(nHat) < 0);
    BigInteger n0 = TestKeys.key2048a().publicKey().n();
    BigInteger zb = FactorProof.zBound(n0);
    FactorProof h = td.forge(n0, CONTEXT, zb.negate(), zb.negate(), BigInteger.ONE, RND);
    assertDoesNotThrow(() -> h.verify(n0, p, CONTEXT));
    String[] names = {"P", "Q", "A", "B", "T"};
    for (int i = 0; i < 5; i++) {
      BigInteger[] c = {h.commitP, h.commitQ, h.commitA, h.commitB, h.commitT};
      c[i] = pHat;
      FactorProof bad = copy(h, c[0], c[1], c[2], c[3], c[4], h.sigma, h.z1, h.z2, h.w1, h.w2, h.v);
      // Decoding accepts it (range only), so the verifier's gcd is the only guard.
      FactorProof decoded = FactorProof.fromBytes(bad.toBytes(), n0, p);
      assertInvalid(() -> decoded.verify(n0, p, CONTEXT), names[i] + " is not a unit");
    }
  }

  /**
   * HELD: the challenge binds the channel and the account of the context; a registration proof
   * replayed on another channel or for another account (same key, same parameters) is refused.
   */
  @Test
  void heldProofIsBoundToChannelAndAccount() {
    PaillierSecretKey sk = TestKeys.key2048a();
    BigInteger n0 = sk.publicKey().n();
    byte[] ctx = "medledger/register/v1|ch|acct-1".getBytes(StandardCharsets.UTF_8);
    FactorProof f = FactorProof.prove(sk, rp, ctx, RND);
    assertDoesNotThrow(() -> f.verify(n0, rp, ctx));
    for (String other : new String[] {"medledger/register/v1|ch2|acct-1", "medledger/register/v1|ch|acct-2",
        "medledger/register/v2|ch|acct-1", ""}) {
      assertInvalid(() -> f.verify(n0, rp, other.getBytes(StandardCharsets.UTF_8)), "A·P^e");
    }
  }

  /**
   * HELD: the z bound is exactly 2^(ℓ+ε)·⌊√N0⌋ (floor, as the docs say), including for an N0 one
   * below a perfect square where ⌊√N0⌋ and ⌈√N0⌉ differ; the bound is symmetric in sign.
   */
  @Test
  void heldZBoundUsesTheFloorSquareRoot() {
    BigInteger n0 = TestKeys.key2048a().publicKey().n();
    BigInteger root = n0.sqrt();
    assertTrue(root.multiply(root).compareTo(n0) < 0, "N0 is not a square");
    assertEquals(root.shiftLeft(FactorProof.L + FactorProof.EPS), FactorProof.zBound(n0));
    // ⌈√N0⌉·2^(ℓ+ε) would be one 2^512 step higher: a forger at that value must be refused.
    TrapdoorParams td = TrapdoorParams.shared();
    BigInteger ceil = root.add(BigInteger.ONE).shiftLeft(FactorProof.L + FactorProof.EPS);
    FactorProof atCeil = td.forge(n0, CONTEXT, ceil, BigInteger.ZERO, BigInteger.ZERO, RND);
    assertInvalid(() -> atCeil.verify(n0, td.params(), CONTEXT), "|z1| exceeds");
    FactorProof atNegCeil = td.forge(n0, CONTEXT, BigInteger.ZERO, ceil.negate(), BigInteger.ZERO, RND);
    assertInvalid(() -> atNegCeil.verify(n0, td.params(), CONTEXT), "|z2| exceeds");
  }
}
