package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.proof.FactorProofTest.CONTEXT;
import static org.medledger.crypto.proof.FactorProofTest.assertInvalid;
import static org.medledger.crypto.proof.FactorProofTest.copy;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * Malicious provers against {@link FactorProof}: keys with a small factor, made-up factors,
 * responses at and past every bound, and the prover who knows the parameters' trapdoor (which is
 * why the regulator, who sets the parameters up, is not covered by Π^fac: docs/protocol.md §3.5).
 */
class FactorProofMaliciousTest {
  private static final SecureRandom RND = new SecureRandom();
  private static RingPedersenParams rp;
  private static SmallFactorKeys.Key key17;
  private static SmallFactorKeys.Key key64;

  @BeforeAll
  static void setUp() {
    rp = TestRingPedersen.params(2048);
    key17 = SmallFactorKeys.generate(2048, 17, CONTEXT, RND);
    key64 = SmallFactorKeys.generate(2048, 64, CONTEXT, RND);
  }

  @Test
  void smallFactorKeysPassTheKeyProofButNotTheFactorProof() {
    for (SmallFactorKeys.Key k : new SmallFactorKeys.Key[] {key17, key64}) {
      BigInteger n0 = k.publicKey().n();
      assertDoesNotThrow(() -> k.keyProof().verify(k.publicKey(), CONTEXT));
      // Run honestly on the real factors, the large one's response is far past the bound.
      FactorProof honestRun = k.factorProof(rp, CONTEXT, RND);
      assertInvalid(() -> honestRun.verify(n0, rp, CONTEXT), "|z2| exceeds");
      assertNull(FactorProof.proveUnchecked(k.small(), k.large(), rp, CONTEXT, RND));
      // Swapping the roles moves the failure to z1.
      FactorProof swapped = FactorProof.proveOnce(k.large(), k.small(), rp, CONTEXT, RND);
      assertInvalid(() -> swapped.verify(n0, rp, CONTEXT), "|z1| exceeds");
    }
  }

  @Test
  void madeUpBalancedFactorsFailTheProductEquation() {
    // Claim p̃ = q̃ = ⌊√N0⌋ (in range, but p̃·q̃ ≠ N0): the first two equations hold, the third not.
    BigInteger n0 = key17.publicKey().n();
    BigInteger root = n0.sqrt();
    // Proved for root² and replayed for N0: the challenge differs, the first equation fails.
    FactorProof forSquare = FactorProof.proveOnce(root, root, rp, CONTEXT, RND);
    assertInvalid(() -> forSquare.verify(n0, rp, CONTEXT), "A·P^e");
    // N0 in the transcript, P and Q committing to root and root: only the product equation fails.
    FactorProof fake = fakeFactors(n0, root, root);
    assertInvalid(() -> fake.verify(n0, rp, CONTEXT), "Q^z1 t^v");
  }

  /** The protocol with N0 in the transcript but P, Q committing to factors whose product is not N0. */
  private static FactorProof fakeFactors(BigInteger n0, BigInteger p, BigInteger q) {
    BigInteger nHat = rp.nHat();
    BigInteger zBound = FactorProof.zBound(n0);
    BigInteger blind = nHat.shiftLeft(FactorProof.L);
    BigInteger mask = nHat.shiftLeft(FactorProof.L + FactorProof.EPS);
    BigInteger alpha = FactorProof.signedBelow(zBound.shiftRight(1), RND);
    BigInteger beta = FactorProof.signedBelow(zBound.shiftRight(1), RND);
    BigInteger mu = FactorProof.signedBelow(blind, RND);
    BigInteger nu = FactorProof.signedBelow(blind, RND);
    BigInteger sigma = FactorProof.signedBelow(n0.multiply(nHat).shiftLeft(FactorProof.L), RND);
    BigInteger r = FactorProof.signedBelow(n0.multiply(nHat).shiftLeft(FactorProof.L + FactorProof.EPS), RND);
    BigInteger x = FactorProof.signedBelow(mask, RND);
    BigInteger y = FactorProof.signedBelow(mask, RND);
    BigInteger cp = rp.commit(p, mu);
    BigInteger cq = rp.commit(q, nu);
    BigInteger ca = rp.commit(alpha, x);
    BigInteger cb = rp.commit(beta, y);
    BigInteger ct = FactorProof.signedPow(cq, alpha, nHat).multiply(rp.commit(BigInteger.ZERO, r)).mod(nHat);
    BigInteger e = FactorProof.challenge(n0, rp, CONTEXT, cp, cq, ca, cb, ct, sigma);
    BigInteger sigmaHat = sigma.subtract(nu.multiply(p));
    return new FactorProof(n0.bitLength(), nHat.bitLength(), cp, cq, ca, cb, ct, sigma, alpha.add(e.multiply(p)),
        beta.add(e.multiply(q)), x.add(e.multiply(mu)), y.add(e.multiply(nu)), r.add(e.multiply(sigmaHat)));
  }

  @Test
  void honestFactorsWithTheFakeProverVerify() {
    // Control for the test above: the same hand-written prover with the real factors is accepted.
    PaillierSecretKey sk = TestKeys.key2048b();
    BigInteger n0 = sk.publicKey().n();
    assertDoesNotThrow(() -> fakeFactors(n0, sk.p(SecretAccess.explicit()), sk.q(SecretAccess.explicit())).verify(n0, rp, CONTEXT));
  }

  @Test
  void aProverWhoKnowsTheTrapdoorProvesAnything() {
    // Why Π^fac says nothing about the regulator's own key: with λ and φ(N̂) the set-up party
    // forges a proof for the 17-bit-factor key. Soundness rests on the prover not knowing them.
    TrapdoorParams td = TrapdoorParams.shared();
    BigInteger n0 = key17.publicKey().n();
    BigInteger zBound = FactorProof.zBound(n0);
    FactorProof forged = td.forge(n0, CONTEXT, zBound.shiftRight(1), zBound.shiftRight(2), BigInteger.TEN, RND);
    assertDoesNotThrow(() -> forged.verify(n0, td.params(), CONTEXT));
    assertDoesNotThrow(() -> FactorProof.fromBytes(forged.toBytes(), n0, td.params()).verify(n0, td.params(), CONTEXT));
    // The same forgery is worthless against parameters whose trapdoor the forger lacks.
    assertInvalid(() -> forged.verify(n0, rp, CONTEXT), "");
  }

  @Test
  void responsesExactlyAtTheBoundsAreAcceptedAndOnePastAreRefused() {
    // The trapdoor prover chooses z1, z2, σ freely, so it can put them exactly on the bound.
    TrapdoorParams td = TrapdoorParams.shared();
    RingPedersenParams p = td.params();
    BigInteger n0 = TestKeys.key2048a().publicKey().n();
    BigInteger zb = FactorProof.zBound(n0);
    BigInteger sb = FactorProof.sigmaBound(n0, p.nHat());
    BigInteger one = BigInteger.ONE;
    for (BigInteger z : new BigInteger[] {zb, zb.negate()}) {
      FactorProof atZ1 = td.forge(n0, CONTEXT, z, BigInteger.ZERO, BigInteger.ZERO, RND);
      assertDoesNotThrow(() -> atZ1.verify(n0, p, CONTEXT));
      assertDoesNotThrow(() -> FactorProof.fromBytes(atZ1.toBytes(), n0, p));
      FactorProof atZ2 = td.forge(n0, CONTEXT, BigInteger.ZERO, z, BigInteger.ZERO, RND);
      assertDoesNotThrow(() -> atZ2.verify(n0, p, CONTEXT));
      BigInteger past = z.add(BigInteger.valueOf(z.signum()));
      FactorProof pastZ1 = td.forge(n0, CONTEXT, past, BigInteger.ZERO, BigInteger.ZERO, RND);
      assertInvalid(() -> pastZ1.verify(n0, p, CONTEXT), "|z1| exceeds");
      FactorProof pastZ2 = td.forge(n0, CONTEXT, BigInteger.ZERO, past, BigInteger.ZERO, RND);
      assertInvalid(() -> pastZ2.verify(n0, p, CONTEXT), "|z2| exceeds");
    }
    for (BigInteger s : new BigInteger[] {sb, sb.negate()}) {
      FactorProof atSigma = td.forge(n0, CONTEXT, one, one, s, RND);
      assertDoesNotThrow(() -> atSigma.verify(n0, p, CONTEXT));
      FactorProof pastSigma = td.forge(n0, CONTEXT, one, one, s.add(BigInteger.valueOf(s.signum())), RND);
      assertInvalid(() -> pastSigma.verify(n0, p, CONTEXT), "|sigma| exceeds");
    }
    // w and v are fixed modulo ord(t) by the equations, so check their bounds on an honest proof:
    // one past the bound is refused by the range check, exactly at it by the equations.
    FactorProof h = FactorProof.prove(TestKeys.key2048a(), rp, CONTEXT, RND);
    BigInteger wb = FactorProof.wBound(rp.nHat());
    BigInteger vb = FactorProof.vBound(n0, rp.nHat());
    assertInvalid(() -> copy(h, h.commitP, h.commitQ, h.commitA, h.commitB, h.commitT, h.sigma, h.z1, h.z2,
        wb.add(one), h.w2, h.v).verify(n0, rp, CONTEXT), "|w1| exceeds");
    assertInvalid(() -> copy(h, h.commitP, h.commitQ, h.commitA, h.commitB, h.commitT, h.sigma, h.z1, h.z2,
        wb, h.w2, h.v).verify(n0, rp, CONTEXT), "≢");
    assertInvalid(() -> copy(h, h.commitP, h.commitQ, h.commitA, h.commitB, h.commitT, h.sigma, h.z1, h.z2,
        h.w1, wb.negate().subtract(one), h.v).verify(n0, rp, CONTEXT), "|w2| exceeds");
    assertInvalid(() -> copy(h, h.commitP, h.commitQ, h.commitA, h.commitB, h.commitT, h.sigma, h.z1, h.z2,
        h.w1, h.w2, vb.add(one)).verify(n0, rp, CONTEXT), "|v| exceeds");
    assertInvalid(() -> copy(h, h.commitP, h.commitQ, h.commitA, h.commitB, h.commitT, h.sigma, h.z1, h.z2,
        h.w1, h.w2, vb.negate()).verify(n0, rp, CONTEXT), "≢");
    assertTrue(h.w1.abs().compareTo(wb) <= 0 && h.v.abs().compareTo(vb) <= 0);
  }
}
