package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/** Π^fac for honest keys: completeness, binding of every public value, canonical encoding. */
class FactorProofTest {
  static final byte[] CONTEXT = "medledger/register/v1|ch|acct-1".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RND = new SecureRandom();
  private static RingPedersenParams rp;
  private static PaillierSecretKey sk;
  private static FactorProof proof;

  @BeforeAll
  static void setUp() {
    rp = TestRingPedersen.params(2048);
    sk = TestKeys.key2048a();
    proof = FactorProof.prove(sk, rp, CONTEXT, RND);
  }

  private static BigInteger n0() {
    return sk.publicKey().n();
  }

  @Test
  void honestProofVerifiesAndRoundTrips() {
    assertDoesNotThrow(() -> proof.verify(n0(), rp, CONTEXT));
    byte[] enc = proof.toBytes();
    assertEquals(FactorProof.encodedLength(2048, 2048), enc.length);
    FactorProof back = FactorProof.fromBytes(enc, n0(), rp);
    assertArrayEquals(enc, back.toBytes());
    assertDoesNotThrow(() -> back.verify(n0(), rp, CONTEXT));
    assertTrue(proof.z1.abs().compareTo(FactorProof.zBound(n0())) <= 0);
  }

  @Test
  void honestProofFor3072BitKeyAgainst3072BitParams() {
    RingPedersenParams rp3 = TestRingPedersen.params(3072);
    PaillierSecretKey k = TestKeys.key3072();
    FactorProof p = FactorProof.prove(k, rp3, CONTEXT, RND);
    FactorProof back = FactorProof.fromBytes(p.toBytes(), k.publicKey().n(), rp3);
    assertDoesNotThrow(() -> back.verify(k.publicKey().n(), rp3, CONTEXT));
  }

  @Test
  void wrongContextModulusOrParametersAreRefused() {
    assertInvalid(() -> proof.verify(n0(), rp, "medledger/register/v1|ch|acct-2".getBytes(StandardCharsets.UTF_8)),
        "A·P^e");
    BigInteger other = TestKeys.key2048b().publicKey().n();
    assertInvalid(() -> proof.verify(other, rp, CONTEXT), "A·P^e");
    RingPedersenParams rp3 = TestRingPedersen.params(3072);
    assertInvalid(() -> proof.verify(n0(), rp3, CONTEXT), "bit");
    assertThrows(MalformedInputException.class, () -> FactorProof.fromBytes(proof.toBytes(), n0(), rp3));
    assertThrows(MalformedInputException.class,
        () -> FactorProof.fromBytes(proof.toBytes(), TestKeys.key3072().publicKey().n(), rp));
    RingPedersenParams trapdoored = TrapdoorParams.shared().params();
    assertInvalid(() -> proof.verify(n0(), trapdoored, CONTEXT), "");
  }

  @Test
  void everyTamperedValueIsRefused() {
    BigInteger nHat = rp.nHat();
    Function<BigInteger, BigInteger> bump = x -> x.multiply(rp.s()).mod(nHat);
    FactorProof p = proof;
    BigInteger one = BigInteger.ONE;
    FactorProof[] tampered = {
        copy(p, bump.apply(p.commitP), p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, bump.apply(p.commitQ), p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, bump.apply(p.commitA), p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, bump.apply(p.commitB), p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, bump.apply(p.commitT), p.sigma, p.z1, p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma.add(one), p.z1, p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1.add(one), p.z2, p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2.add(one), p.w1, p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1.add(one), p.w2, p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2.add(one), p.v),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2, p.v.add(one)),
        copy(p, p.commitP, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1.negate(), p.z2, p.w1, p.w2, p.v),
    };
    for (FactorProof t : tampered) {
      assertInvalid(() -> t.verify(n0(), rp, CONTEXT), "≢");
    }
  }

  @Test
  void nonUnitAndOutOfRangeCommitmentsAreRefusedBeforeExponentiation() {
    FactorProof p = proof;
    BigInteger nHat = rp.nHat();
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, nHat, nHat.add(BigInteger.ONE), BigInteger.ONE.negate()}) {
      FactorProof t = copy(p, bad, p.commitQ, p.commitA, p.commitB, p.commitT, p.sigma, p.z1, p.z2, p.w1, p.w2, p.v);
      assertInvalid(() -> t.verify(n0(), rp, CONTEXT), "P is not a unit");
    }
  }

  @Test
  void statementSharingAFactorWithNHatIsRefused() {
    assertInvalid(() -> proof.verify(rp.nHat(), rp, CONTEXT), "shares a factor");
    assertThrows(MalformedInputException.class, () -> proof.verify(n0().add(BigInteger.ONE), rp, CONTEXT));
  }

  @Test
  void malformedEncodingsAreRefused() {
    byte[] enc = proof.toBytes();
    assertMalformed(Arrays.copyOf(enc, enc.length - 1));
    assertMalformed(Arrays.copyOf(enc, enc.length + 1));
    assertMalformed(new byte[0]);
    assertMalformed(Arrays.copyOf(enc, 5));
    byte[] type = enc.clone();
    type[0] = 0x20;
    assertMalformed(type);
    byte[] version = enc.clone();
    version[1] = 2;
    assertMalformed(version);
    byte[] hatBits = enc.clone();
    hatBits[5] ^= 8;
    assertMalformed(hatBits);
    int len = 256;
    int sigmaOff = 6 + 5 * len;
    byte[] sign = enc.clone();
    sign[sigmaOff] = 2;
    assertMalformed(sign);
    byte[] negZero = enc.clone();
    Arrays.fill(negZero, sigmaOff + 1, sigmaOff + 1 + (FactorProof.L + 4096 + 7) / 8, (byte) 0);
    negZero[sigmaOff] = 1;
    assertMalformed(negZero);
    byte[] zeroP = enc.clone();
    Arrays.fill(zeroP, 6, 6 + len, (byte) 0);
    assertMalformed(zeroP);
    byte[] bigP = enc.clone();
    System.arraycopy(org.medledger.crypto.internal.Bytes.fixed(rp.nHat(), len), 0, bigP, 6, len);
    assertMalformed(bigP);
    // A positive zero σ is canonical and decodes (the proof then fails on its equations).
    byte[] zeroSigma = enc.clone();
    Arrays.fill(zeroSigma, sigmaOff, sigmaOff + 1 + (FactorProof.L + 4096 + 7) / 8, (byte) 0);
    FactorProof z = FactorProof.fromBytes(zeroSigma, n0(), rp);
    assertEquals(BigInteger.ZERO, z.sigma);
    assertInvalid(() -> z.verify(n0(), rp, CONTEXT), "≢");
  }

  static FactorProof copy(FactorProof p, BigInteger cp, BigInteger cq, BigInteger ca, BigInteger cb, BigInteger ct,
      BigInteger sigma, BigInteger z1, BigInteger z2, BigInteger w1, BigInteger w2, BigInteger v) {
    return new FactorProof(p.bits, p.nHatBits, cp, cq, ca, cb, ct, sigma, z1, z2, w1, w2, v);
  }

  private void assertMalformed(byte[] enc) {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> FactorProof.fromBytes(enc, n0(), rp));
    assertEquals("MALFORMED_FACTOR_PROOF", e.code());
  }

  static void assertInvalid(org.junit.jupiter.api.function.Executable run, String fragment) {
    ProofException e = assertThrows(ProofException.class, run);
    assertEquals("FACTOR_PROOF_INVALID", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
