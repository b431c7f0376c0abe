package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;

/** Honest provers: completeness, encoding, transcript behaviour and input validation. */
class RangeProofTest {
  private static final SecureRandom RND = new SecureRandom();

  static Transcript context(String label) {
    return new Transcript("medledger/test/range-proof").appendString("context", label);
  }

  static BigInteger[] blindings(int m) {
    BigInteger[] g = new BigInteger[m];
    for (int j = 0; j < m; j++) {
      g[j] = Scalars.random(RND);
    }
    return g;
  }

  static ECPoint[] commit(BigInteger[] v, BigInteger[] g) {
    ECPoint[] c = new ECPoint[v.length];
    for (int j = 0; j < v.length; j++) {
      c[j] = Secp256k1.commit(v[j], g[j]);
    }
    return c;
  }

  /** Values covering 0, 1, 2^n − 1 and random ones. */
  static BigInteger[] values(int bits, int m) {
    BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    BigInteger[] v = new BigInteger[m];
    for (int j = 0; j < m; j++) {
      switch (j % 4) {
        case 0:
          v[j] = max;
          break;
        case 1:
          v[j] = BigInteger.ZERO;
          break;
        case 2:
          v[j] = BigInteger.ONE;
          break;
        default:
          v[j] = new BigInteger(bits, RND);
      }
    }
    return v;
  }

  @ParameterizedTest(name = "n={0}, m={1}")
  @CsvSource({"8,1", "8,2", "8,4", "64,1", "64,2", "64,4", "16,1", "32,2", "8,16", "64,16"})
  void honestProofsVerifyAndRoundTrip(int bits, int m) {
    BigInteger[] v = values(bits, m);
    BigInteger[] g = blindings(m);
    Transcript pt = context("round-trip");
    RangeProof proof = RangeProof.prove(pt, v, g, bits, RND);
    Transcript vt = context("round-trip");
    proof.verify(vt, commit(v, g), bits);
    // Prover and verifier leave the transcript in the same state.
    assertEquals(pt.challengeBits("next", 128), vt.challengeBits("next", 128));

    byte[] enc = proof.toBytes();
    assertEquals(RangeProof.encodedLength(bits, m), enc.length);
    RangeProof decoded = RangeProof.fromBytes(enc, bits, m);
    assertArrayEquals(enc, decoded.toBytes());
    assertEquals(bits, decoded.bits());
    assertEquals(m, decoded.valueCount());
    decoded.verify(context("round-trip"), commit(v, g), bits);
    decoded.verify(context("round-trip"), commit(v, g), bits); // deterministic and repeatable
  }

  @Test
  void extremeValuesAloneAreAccepted() {
    for (int bits : new int[] {8, 64}) {
      for (BigInteger v : new BigInteger[] {
          BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)}) {
        BigInteger[] vs = {v};
        BigInteger[] g = blindings(1);
        RangeProof p = RangeProof.prove(context("extreme"), vs, g, bits, RND);
        RangeProof.fromBytes(p.toBytes(), bits, 1).verify(context("extreme"), commit(vs, g), bits);
      }
    }
  }

  @Test
  void zeroBlindingAndUnreducedBlindingsMatchCommit() {
    BigInteger[] v = {BigInteger.valueOf(42), BigInteger.valueOf(7)};
    BigInteger[] g = {BigInteger.ZERO, Secp256k1.ORDER.add(BigInteger.valueOf(5))};
    RangeProof p = RangeProof.prove(context("blinding"), v, g, 16, RND);
    p.verify(context("blinding"), commit(v, g), 16);
  }

  @Test
  void everyInnerProductScheduleGivesAValidProof() {
    int bits = 16;
    int m = 4; // N = 64, six rounds
    BigInteger[] v = values(bits, m);
    BigInteger[] g = blindings(m);
    ECPoint[] c = commit(v, g);
    boolean[][] schedules = {
      {false, false, false, false, false, false},
      {false, true, true, true, true, true},
      {false, true, false, false, false, false},
      {false, false, true, false, true, false},
      {false, false, false, false, false, true},
      {false, false, false, true, false, false},
    };
    for (boolean[] s : schedules) {
      RangeProof p = RangeProof.proveUnchecked(context("schedule"), v, g, bits, RND, s);
      p.verify(context("schedule"), c, bits);
    }
    // And at full size with lock-step recombination (2·n ≥ 16 outputs).
    BigInteger[] v2 = values(64, 2);
    BigInteger[] g2 = blindings(2);
    boolean[] s2 = {false, true, false, true, false, false, true};
    RangeProof.proveUnchecked(context("schedule"), v2, g2, 64, RND, s2)
        .verify(context("schedule"), commit(v2, g2), 64);
  }

  @Test
  void proverRejectsBadInputs() {
    BigInteger[] g = blindings(2);
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), new BigInteger[] {BigInteger.ONE, BigInteger.ONE.shiftLeft(8)}, g, 8, RND));
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), new BigInteger[] {BigInteger.ONE, BigInteger.ONE.negate()}, g, 8, RND));
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), new BigInteger[] {BigInteger.ONE}, g, 8, RND));
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), values(8, 3), blindings(3), 8, RND));
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), values(8, 2), g, 12, RND));
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), new BigInteger[] {BigInteger.ONE, null}, g, 8, RND));
    assertThrows(IllegalArgumentException.class,
        () -> RangeProof.prove(context("x"), new BigInteger[0], new BigInteger[0], 8, RND));
  }

  @Test
  void decoderRejectsUnsupportedParameters() {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> RangeProof.fromBytes(new byte[10], 12, 1));
    assertEquals(RangeProof.PARAMS, e.code());
    e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(new byte[10], 8, 3));
    assertEquals(RangeProof.PARAMS, e.code());
    e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(null, 8, 1));
    assertEquals(RangeProof.MALFORMED, e.code());
  }

  @Test
  void generatorsAreTheLabelledHashToCurvePoints() {
    BulletproofGenerators gens = BulletproofGenerators.standard();
    assertEquals(Secp256k1.hashToCurve("medledger/bulletproofs/G/0"), gens.g(0));
    assertEquals(Secp256k1.hashToCurve("medledger/bulletproofs/H/5"), gens.h(5));
    assertEquals(Secp256k1.hashToCurve("medledger/bulletproofs/G/1023"), gens.g(1023));
    assertThrows(IllegalArgumentException.class, () -> gens.g(BulletproofGenerators.CAPACITY));
  }
}
