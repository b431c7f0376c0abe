package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.medledger.crypto.bulletproofs.RangeProofTest.blindings;
import static org.medledger.crypto.bulletproofs.RangeProofTest.commit;
import static org.medledger.crypto.bulletproofs.RangeProofTest.context;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;

/**
 * Malicious provers and tampered proofs. Each case asserts the exact failure: the exception type,
 * its code and, for verification failures, which check failed.
 */
class RangeProofMaliciousTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final BigInteger Q = Secp256k1.ORDER;
  private static final String POLY = "polynomial check";
  private static final String IPA = "inner-product argument check";

  private static ProofException rejected(RangeProof p, Transcript t, ECPoint[] c, int bits) {
    return assertThrows(ProofException.class, () -> p.verify(t, c, bits));
  }

  private static void assertInvalid(ProofException e, String check) {
    assertEquals(RangeProof.INVALID, e.code());
    assertTrue(e.getMessage().contains(check), e.getMessage());
  }

  /** A proof of the given values made without the honest range check, then verified. */
  private static ProofException outOfRange(int bits, BigInteger... values) {
    BigInteger[] g = blindings(values.length);
    RangeProof p = RangeProof.proveUnchecked(context("malicious"), values, g, bits, RND);
    // The encoding is well-formed: the failure must come from verification.
    RangeProof decoded = RangeProof.fromBytes(p.toBytes(), bits, values.length);
    return rejected(decoded, context("malicious"), commit(values, g), bits);
  }

  @Test
  void valueTwoToTheNIsRejected() {
    assertInvalid(outOfRange(8, BigInteger.ONE.shiftLeft(8)), POLY);
    assertInvalid(outOfRange(32, BigInteger.ONE.shiftLeft(32)), POLY);
  }

  @Test
  void minusOneIsRejected() {
    assertInvalid(outOfRange(8, Q.subtract(BigInteger.ONE)), POLY);
    assertInvalid(outOfRange(64, Q.subtract(BigInteger.ONE)), POLY);
  }

  @Test
  void twoToThe64IsRejectedFor64Bits() {
    assertInvalid(outOfRange(64, BigInteger.ONE.shiftLeft(64)), POLY);
  }

  @Test
  void oneOutOfRangeValueInAnAggregateIsRejected() {
    assertInvalid(outOfRange(64, BigInteger.valueOf(1000), BigInteger.ONE.shiftLeft(64)), POLY);
    assertInvalid(outOfRange(8, Q.subtract(BigInteger.TEN), BigInteger.valueOf(255)), POLY);
  }

  @Test
  void proofAgainstADifferentCommitmentIsRejected() {
    BigInteger[] v = {BigInteger.valueOf(5), BigInteger.valueOf(6)};
    BigInteger[] g = blindings(2);
    RangeProof p = RangeProof.prove(context("commit"), v, g, 16, RND);
    ECPoint[] c = commit(v, g);
    c[1] = Secp256k1.commit(BigInteger.valueOf(7), g[1]);
    assertInvalid(rejected(p, context("commit"), c, 16), POLY);
    ECPoint[] swapped = commit(v, g);
    ECPoint tmp = swapped[0];
    swapped[0] = swapped[1];
    swapped[1] = tmp;
    assertInvalid(rejected(p, context("commit"), swapped, 16), POLY);
  }

  @Test
  void proofReplayedUnderAnotherContextIsRejected() {
    BigInteger[] v = {BigInteger.valueOf(5)};
    BigInteger[] g = blindings(1);
    RangeProof p = RangeProof.prove(context("payment-1"), v, g, 64, RND);
    p.verify(context("payment-1"), commit(v, g), 64);
    ProofException e = rejected(p, context("payment-2"), commit(v, g), 64);
    assertEquals(RangeProof.INVALID, e.code());
  }

  @Test
  void swappedLAndRAreRejected() {
    BigInteger[] v = {BigInteger.valueOf(5), BigInteger.valueOf(77)};
    BigInteger[] g = blindings(2);
    RangeProof p = RangeProof.prove(context("lr"), v, g, 8, RND);
    assertInvalid(rejected(p.withLR(p.rs(), p.ls()), context("lr"), commit(v, g), 8), IPA);
    // Swapping a single round as well.
    ECPoint[] ls = p.ls();
    ECPoint[] rs = p.rs();
    ECPoint t = ls[2];
    ls[2] = rs[2];
    rs[2] = t;
    RangeProof one = RangeProof.fromBytes(p.withLR(ls, rs).toBytes(), 8, 2);
    assertInvalid(rejected(one, context("lr"), commit(v, g), 8), IPA);
  }

  @Test
  void everyFlippedByteIsRejected() {
    flipEveryByte(8, 2, 0xFF);
    flipEveryByte(8, 2, 0x01);
    flipEveryByte(64, 1, 0x80);
  }

  private static void flipEveryByte(int bits, int m, int mask) {
    BigInteger[] v = RangeProofTest.values(bits, m);
    BigInteger[] g = blindings(m);
    ECPoint[] c = commit(v, g);
    byte[] enc = RangeProof.prove(context("flip"), v, g, bits, RND).toBytes();
    RangeProof.fromBytes(enc, bits, m).verify(context("flip"), c, bits);
    Set<String> codes = Set.of(
        RangeProof.INVALID, RangeProof.MALFORMED, RangeProof.PARAMS, "MALFORMED_POINT", "MALFORMED_SCALAR");
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      bad[i] ^= (byte) mask;
      try {
        RangeProof.fromBytes(bad, bits, m).verify(context("flip"), c, bits);
        fail("flipping byte " + i + " with mask " + mask + " was accepted");
      } catch (MalformedInputException | ProofException e) {
        assertTrue(codes.contains(e.code()), "byte " + i + ": " + e);
      }
    }
  }

  @Test
  void truncatedAndOversizedEncodingsAreRejected() {
    BigInteger[] v = {BigInteger.valueOf(9)};
    byte[] enc = RangeProof.prove(context("len"), v, blindings(1), 8, RND).toBytes();
    for (byte[] bad : new byte[][] {
        Arrays.copyOf(enc, enc.length - 1),
        Arrays.copyOf(enc, enc.length + 1),
        Arrays.copyOf(enc, 3),
        new byte[0],
        Arrays.copyOf(enc, enc.length + 33)}) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(bad, 8, 1));
      assertEquals(RangeProof.MALFORMED, e.code());
    }
    // A valid encoding decoded with other parameters.
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(enc, 16, 1));
    assertEquals(RangeProof.MALFORMED, e.code());
    byte[] header = enc.clone();
    header[0] = 2;
    e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(header, 8, 1));
    assertEquals(RangeProof.MALFORMED, e.code());
  }

  @Test
  void identityPointAndOversizedScalarAreRejected() {
    BigInteger[] v = {BigInteger.valueOf(9), BigInteger.valueOf(10)};
    byte[] enc = RangeProof.prove(context("subst"), v, blindings(2), 8, RND).toBytes();
    int pointsStart = 3;
    int scalarsStart = 3 + 4 * 33;
    int lrStart = scalarsStart + 3 * 32;
    int finalStart = enc.length - 64;
    for (int off : new int[] {pointsStart, pointsStart + 33, pointsStart + 99, lrStart, lrStart + 33, finalStart - 33}) {
      byte[] bad = enc.clone();
      Arrays.fill(bad, off, off + 33, (byte) 0); // the identity has no 33-byte encoding
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(bad, 8, 2));
      assertEquals("MALFORMED_POINT", e.code());
      bad[off] = 0x02; // x = 0 is not on secp256k1 either
      e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(bad, 8, 2));
      assertEquals("MALFORMED_POINT", e.code());
    }
    byte[] qBytes = Secp256k1.encodeScalar(Q.subtract(BigInteger.ONE));
    qBytes[31] += 1; // q itself
    byte[] all = new byte[32];
    Arrays.fill(all, (byte) 0xFF);
    for (int off : new int[] {scalarsStart, scalarsStart + 32, scalarsStart + 64, finalStart, finalStart + 32}) {
      for (byte[] big : new byte[][] {qBytes, all}) {
        byte[] bad = enc.clone();
        System.arraycopy(big, 0, bad, off, 32);
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> RangeProof.fromBytes(bad, 8, 2));
        assertEquals("MALFORMED_SCALAR", e.code());
      }
    }
  }

  @Test
  void verifierRejectsBadStatements() {
    BigInteger[] v = {BigInteger.valueOf(9), BigInteger.valueOf(10)};
    BigInteger[] g = blindings(2);
    RangeProof p = RangeProof.prove(context("stmt"), v, g, 8, RND);
    ECPoint[] c = commit(v, g);
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> p.verify(context("stmt"), new ECPoint[] {c[0], Secp256k1.CURVE.getInfinity()}, 8));
    assertEquals("MALFORMED_POINT", e.code());
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), new ECPoint[] {c[0], null}, 8));
    assertEquals("MALFORMED_POINT", e.code());
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), new ECPoint[] {c[0]}, 8));
    assertEquals(RangeProof.PARAMS, e.code());
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), new ECPoint[] {c[0], c[1], c[0]}, 8));
    assertEquals(RangeProof.PARAMS, e.code());
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), c, 16));
    assertEquals(RangeProof.PARAMS, e.code());
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), c, 7));
    assertEquals(RangeProof.PARAMS, e.code());
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), null, 8));
    assertEquals(RangeProof.PARAMS, e.code());
    // An off-curve point smuggled in through a raw BouncyCastle constructor.
    ECPoint off = Secp256k1.CURVE.createPoint(BigInteger.ONE, BigInteger.ONE);
    e = assertThrows(MalformedInputException.class, () -> p.verify(context("stmt"), new ECPoint[] {c[0], off}, 8));
    assertEquals("MALFORMED_POINT", e.code());
    p.verify(context("stmt"), c, 8);
  }

  @Test
  void forgedScalarsAreRejected() {
    // Re-encoding a proof with t̂ changed (a well-formed but false claim).
    BigInteger[] v = {BigInteger.valueOf(300)};
    BigInteger[] g = blindings(1);
    byte[] enc = RangeProof.prove(context("forge"), v, g, 16, RND).toBytes();
    int tHatOff = 3 + 4 * 33 + 64;
    BigInteger tHat = new BigInteger(1, Arrays.copyOfRange(enc, tHatOff, tHatOff + 32));
    System.arraycopy(Secp256k1.encodeScalar(tHat.add(BigInteger.ONE).mod(Q)), 0, enc, tHatOff, 32);
    ProofException e = rejected(RangeProof.fromBytes(enc, 16, 1), context("forge"), commit(v, g), 16);
    assertEquals(RangeProof.INVALID, e.code());
  }
}
