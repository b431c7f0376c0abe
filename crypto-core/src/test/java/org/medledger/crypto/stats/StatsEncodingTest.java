package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.CTX;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.testing.TestKeys;

/** Strict decoding of an encoded contribution (docs/protocol.md §11.6). */
class StatsEncodingTest {
  private static final int CT = 2 * COMMITTEE.bits() / 8;
  private static final int CATEGORY_PROOF_OFFSET = StatsContribution.HEADER_BYTES + (SlotLayout.COUNTERS + 1) * CT
      + Secp256k1.POINT_BYTES + RangeProof.encodedLength(64, 2);

  private static byte[] enc() {
    return StatsFixtures.honest().toBytes();
  }

  private static CryptoException refusedToDecode(byte[] enc) {
    return assertThrows(CryptoException.class, () -> StatsContribution.fromBytes(enc, COMMITTEE));
  }

  @Test
  void everyTruncationAndAnyTrailingByteIsRefused() {
    byte[] e = enc();
    for (int len = 0; len < e.length; len += (len < 64 ? 1 : 331)) {
      CryptoException ex = refusedToDecode(Arrays.copyOf(e, len));
      assertEquals(Wire.MALFORMED, ex.code(), "prefix " + len);
    }
    assertEquals(Wire.MALFORMED, refusedToDecode(Arrays.copyOf(e, e.length - 1)).code());
    assertEquals(Wire.MALFORMED, refusedToDecode(Arrays.copyOf(e, e.length + 1)).code());
    assertEquals(Wire.MALFORMED, assertThrows(CryptoException.class, () -> StatsContribution.fromBytes(null, COMMITTEE)).code());
  }

  @Test
  void headerFieldsAreChecked() {
    byte[] e = enc();
    for (int[] patch : new int[][] {{0, 0x30}, {1, 2}, {2, 0x0C}, {4, 21}, {5, 11}}) {
      byte[] bad = e.clone();
      bad[patch[0]] = (byte) patch[1];
      assertEquals(Wire.MALFORMED, refusedToDecode(bad).code(), "byte " + patch[0]);
    }
    // Decoding against a key of another size is refused by the header, before any field.
    CryptoException ex = assertThrows(CryptoException.class,
        () -> StatsContribution.fromBytes(e, TestKeys.key3072().publicKey()));
    assertEquals(Wire.MALFORMED, ex.code());
  }

  @Test
  void ciphertextsOutsideTheGroupAreRefusedByTheDecoder() {
    BigInteger n = COMMITTEE.n();
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, n, COMMITTEE.nSquared().subtract(n), COMMITTEE.nSquared(),
        BigInteger.ONE.shiftLeft(2 * COMMITTEE.bits()).subtract(BigInteger.ONE)}) {
      byte[] e = enc();
      System.arraycopy(Bytes.fixed(bad, CT), 0, e, StatsContribution.HEADER_BYTES + 5 * CT, CT);
      assertEquals("MALFORMED_CIPHERTEXT", refusedToDecode(e).code(), bad.toString(16));
    }
  }

  @Test
  void proofGroupElementsAreReducedByTheDecoderAndUnitsCheckedByTheVerifier() {
    byte[] e = enc();
    System.arraycopy(Bytes.fixed(COMMITTEE.nSquared(), CT), 0, e, CATEGORY_PROOF_OFFSET, CT);
    assertEquals(Wire.MALFORMED, refusedToDecode(e).code());
    for (BigInteger nonUnit : new BigInteger[] {BigInteger.ZERO, COMMITTEE.n()}) {
      byte[] f = enc();
      System.arraycopy(Bytes.fixed(nonUnit, CT), 0, f, CATEGORY_PROOF_OFFSET, CT);
      StatsContribution decoded = StatsContribution.fromBytes(f, COMMITTEE);
      ProofException ex = assertThrows(ProofException.class, () -> decoded.verify(COMMITTEE, CTX));
      assertTrue(ex.getMessage().contains("categories: a0[0] is not in Z*_{n²}"), ex.getMessage());
    }
  }

  @Test
  void integersAboveTheirBoundsAreRefusedByTheDecoder() {
    // z0 of entry 0 follows a0, a1 and e0; its field is one byte wider than needed only if the bound says so.
    int zBits = OneHotProof.betaBits(COMMITTEE) + 1;
    int zBytes = Wire.bytesFor(zBits);
    int z0Offset = CATEGORY_PROOF_OFFSET + 2 * CT + 16;
    byte[] e = enc();
    Arrays.fill(e, z0Offset, z0Offset + zBytes, (byte) 0xFF);
    if (zBits % 8 != 0) {
      assertEquals(Wire.MALFORMED, refusedToDecode(e).code());
    }
    // The fee's curve point must be a canonical point.
    byte[] p = enc();
    int vOffset = StatsContribution.HEADER_BYTES + (SlotLayout.COUNTERS + 1) * CT;
    p[vOffset] = 0x05;
    assertEquals("MALFORMED_POINT", refusedToDecode(p).code());
    // The fee link's zκ must be below q (last 32 bytes).
    byte[] s = enc();
    Arrays.fill(s, s.length - 32, s.length, (byte) 0xFF);
    assertEquals("MALFORMED_SCALAR", refusedToDecode(s).code());
  }

  @Test
  void aDecodedContributionWithAFlippedBitDoesNotVerify() {
    byte[] e = enc();
    // One bit in the middle of the age-band proof: decodes (a value is still in range) but fails.
    int offset = CATEGORY_PROOF_OFFSET + OneHotProof.encodedLength(COMMITTEE, IcdChapter.COUNT) + CT / 2;
    e[offset] ^= 0x01;
    StatsContribution decoded = StatsContribution.fromBytes(e, COMMITTEE);
    assertThrows(ProofException.class, () -> decoded.verify(COMMITTEE, CTX));
  }

  @Test
  void keysTooSmallForTheLayoutAreRefused() {
    MalformedInputException ex = assertThrows(MalformedInputException.class,
        () -> StatsContribution.fromBytes(enc(), TestKeys.key1024().publicKey()));
    assertEquals("UNSUPPORTED_KEY_SIZE", ex.code());
    ex = assertThrows(MalformedInputException.class,
        () -> StatsFixtures.honest().verify(TestKeys.key1024().publicKey(), CTX));
    assertEquals("UNSUPPORTED_KEY_SIZE", ex.code());
  }
}
