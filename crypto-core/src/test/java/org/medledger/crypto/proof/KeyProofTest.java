package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/** Completeness, encoding and tampering of honest {@link KeyProof}s. */
class KeyProofTest {
  private static final byte[] CONTEXT = "channel=medledger;account=hospital-7".getBytes(StandardCharsets.UTF_8);
  private final SecureRandom rnd = new SecureRandom();

  @Test
  void honestProofsVerifyForEverySupportedTestKey() {
    for (PaillierSecretKey sk : new PaillierSecretKey[] {TestKeys.key1024(), TestKeys.key2048a(), TestKeys.key3072()}) {
      PaillierPublicKey pk = sk.publicKey();
      KeyProof proof = KeyProof.prove(sk, CONTEXT, rnd);
      assertEquals(pk.bits(), proof.bits());
      assertDoesNotThrow(() -> proof.verify(pk, CONTEXT), "bits=" + pk.bits());
      KeyProof decoded = KeyProof.fromBytes(proof.toBytes(), PaillierPublicKey.fromBytes(pk.toBytes()));
      assertDoesNotThrow(() -> decoded.verify(pk, CONTEXT));
    }
  }

  @Test
  void encodingIsCanonicalAndHasTheDocumentedLength() {
    PaillierSecretKey sk = TestKeys.key2048b();
    KeyProof proof = KeyProof.prove(sk, CONTEXT, rnd);
    byte[] enc = proof.toBytes();
    assertEquals(KeyProof.encodedLength(2048), enc.length);
    assertEquals(4 + 128 + 137 * 256, enc.length);
    assertEquals(0x20, enc[0]);
    assertEquals(1, enc[1]);
    KeyProof decoded = KeyProof.fromBytes(enc, sk.publicKey());
    assertEquals(proof, decoded);
    assertArrayEquals(enc, decoded.toBytes());
  }

  @Test
  void emptyAndLongContextsWork() {
    PaillierSecretKey sk = TestKeys.key1024();
    byte[] longContext = new byte[10_000];
    rnd.nextBytes(longContext);
    for (byte[] ctx : new byte[][] {new byte[0], longContext}) {
      KeyProof proof = KeyProof.prove(sk, ctx, rnd);
      assertDoesNotThrow(() -> proof.verify(sk.publicKey(), ctx));
    }
  }

  @Test
  void proofsAreRandomisedButVerificationIsDeterministic() {
    PaillierSecretKey sk = TestKeys.key1024();
    KeyProof p1 = KeyProof.prove(sk, CONTEXT, rnd);
    KeyProof p2 = KeyProof.prove(sk, CONTEXT, rnd);
    assertNotEquals(p1, p2, "fresh w each time");
    byte[] other = "channel=medledger;account=hospital-8".getBytes(StandardCharsets.UTF_8);
    String first = message(() -> p1.verify(sk.publicKey(), other));
    for (int i = 0; i < 3; i++) {
      assertEquals(first, message(() -> p1.verify(sk.publicKey(), other)), "same verdict on every peer");
    }
  }

  @Test
  void proofUnderAnotherContextIsRejected() {
    PaillierSecretKey sk = TestKeys.key2048a();
    KeyProof proof = KeyProof.prove(sk, CONTEXT, rnd);
    byte[] other = CONTEXT.clone();
    other[other.length - 1] ^= 1;
    ProofException e = assertThrows(ProofException.class, () -> proof.verify(sk.publicKey(), other));
    assertEquals("KEY_PROOF_INVALID", e.code());
    assertTrue(e.getMessage().contains("x["), e.getMessage());
  }

  @Test
  void proofForKeyAPresentedWithKeyBIsRejected() {
    PaillierSecretKey a = TestKeys.key2048a();
    PaillierPublicKey b = TestKeys.key2048b().publicKey();
    byte[] enc = KeyProof.prove(a, CONTEXT, rnd).toBytes();
    CryptoException e = assertThrows(CryptoException.class, () -> KeyProof.fromBytes(enc, b).verify(b, CONTEXT));
    assertTrue(Set.of("KEY_PROOF_INVALID", "MALFORMED_KEY_PROOF").contains(e.code()), e.getMessage());

    // Same n, different h: h is part of the statement.
    PaillierPublicKey sameN = withOtherH(a.publicKey());
    ProofException e2 = assertThrows(ProofException.class,
        () -> KeyProof.fromBytes(enc, sameN).verify(sameN, CONTEXT));
    assertEquals("KEY_PROOF_INVALID", e2.code());

    // A proof for a 1024-bit key is refused by size for a 2048-bit key.
    byte[] small = KeyProof.prove(TestKeys.key1024(), CONTEXT, rnd).toBytes();
    MalformedInputException e3 = assertThrows(MalformedInputException.class, () -> KeyProof.fromBytes(small, b));
    assertEquals("MALFORMED_KEY_PROOF", e3.code());
    assertTrue(e3.getMessage().contains("1024-bit"), e3.getMessage());
  }

  @Test
  void truncatedOversizedAndForeignEncodingsAreRejected() {
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    byte[] enc = KeyProof.prove(sk, CONTEXT, rnd).toBytes();
    byte[][] bad = {
      null,
      new byte[0],
      Arrays.copyOf(enc, 3),
      Arrays.copyOf(enc, 4),
      Arrays.copyOf(enc, enc.length - 1),
      Arrays.copyOf(enc, enc.length + 1),
      Arrays.copyOfRange(enc, 1, enc.length),
      concat(enc, enc),
      pk.toBytes(),
    };
    for (byte[] b : bad) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> KeyProof.fromBytes(b, pk));
      assertEquals("MALFORMED_KEY_PROOF", e.code());
    }
  }

  @Test
  void outOfRangeValuesAndReservedFlagBitsAreRejectedByTheDecoder() {
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    byte[] enc = KeyProof.prove(sk, CONTEXT, rnd).toBytes();
    int len = 128;
    byte[] nBytes = Bytes.fixed(pk.n(), len);

    byte[] wIsN = enc.clone();
    System.arraycopy(nBytes, 0, wIsN, 4, len);
    assertMalformed(wIsN, pk, "w outside");

    byte[] x0Zero = enc.clone();
    Arrays.fill(x0Zero, 4 + len + 1, 4 + len + 1 + len, (byte) 0);
    assertMalformed(x0Zero, pk, "x[0] outside");

    byte[] zLastAllOnes = enc.clone();
    Arrays.fill(zLastAllOnes, enc.length - len, enc.length, (byte) 0xFF);
    assertMalformed(zLastAllOnes, pk, "z[7] outside");

    for (int bit = 2; bit < 8; bit++) {
      byte[] flag = enc.clone();
      flag[4 + len + 5 * (1 + len)] |= (byte) (1 << bit);
      assertMalformed(flag, pk, "flag byte 5");
    }
  }

  @Test
  void everySingleByteFlipIsRejected() {
    // Every byte of a 1024-bit proof (17 668 bytes) is flipped (XOR 0x01; also XOR 0x80 on the
    // header, w, every flag byte and the leading byte of every x_i and z_i) and the result decoded
    // and checked. The flips never touch the key, so the modulus
    // checks (covered elsewhere) are skipped and the challenges are reused while w is unchanged:
    // they are a pure function of (key, context, w). The header, all of w and every 256th
    // position run the full public verify().
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    KeyProof proof = KeyProof.prove(sk, CONTEXT, rnd);
    BigInteger[] y = KeyProof.challenges(pk, CONTEXT, proof.w());
    byte[] enc = proof.toBytes();
    int len = 128;
    int wEnd = 4 + len;
    int zStart = wEnd + 128 * (1 + len);
    IntStream.range(0, enc.length).parallel().forEach(pos -> {
      boolean edge = pos < wEnd
          || pos < zStart && (pos - wEnd) % (1 + len) <= 1
          || pos >= zStart && (pos - zStart) % len == 0;
      for (int mask : new int[] {0x01, 0x80}) {
        if (mask == 0x80 && !edge) {
          continue;
        }
        byte[] t = enc.clone();
        t[pos] ^= (byte) mask;
        boolean full = pos < wEnd || pos % 256 == 0;
        try {
          KeyProof k = KeyProof.fromBytes(t, pk);
          if (full) {
            k.verify(pk, CONTEXT);
          } else {
            assertEquals(proof.w(), k.w());
            k.verifyRelations(pk, CONTEXT, y);
          }
          fail("flip at byte " + pos + " (mask " + mask + ") was accepted");
        } catch (ProofException | MalformedInputException e) {
          assertTrue(Set.of("KEY_PROOF_INVALID", "MALFORMED_KEY_PROOF").contains(e.code()), e.getMessage());
        }
      }
    });
  }

  @Test
  void replacedZIsRejected() {
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    byte[] enc = KeyProof.prove(sk, CONTEXT, rnd).toBytes();
    int len = 128;
    int zStart = 4 + len + 128 * (1 + len);
    BigInteger z3 = new BigInteger(1, Arrays.copyOfRange(enc, zStart + 3 * len, zStart + 4 * len));
    BigInteger[] replacements = {
      NumberTheory.randomUnit(rnd, pk.n()),
      pk.n().subtract(z3), // (−z)^n = −z^n since n is odd
      new BigInteger(1, Arrays.copyOfRange(enc, zStart + 4 * len, zStart + 5 * len)), // z[4]
      BigInteger.ONE,
    };
    for (BigInteger r : replacements) {
      byte[] t = enc.clone();
      System.arraycopy(Bytes.fixed(r, len), 0, t, zStart + 3 * len, len);
      ProofException e = assertThrows(ProofException.class, () -> KeyProof.fromBytes(t, pk).verify(pk, CONTEXT));
      assertTrue(e.getMessage().contains("z[3]"), e.getMessage());
    }
  }

  @Test
  void proofsAreMalleableOnlyInTheSignOfX() {
    // Documented property: x_i ↦ n − x_i gives another valid proof of the same statement.
    PaillierSecretKey sk = TestKeys.key1024();
    PaillierPublicKey pk = sk.publicKey();
    byte[] enc = KeyProof.prove(sk, CONTEXT, rnd).toBytes();
    int len = 128;
    int x0 = 4 + len + 1;
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(enc, x0, x0 + len));
    byte[] t = enc.clone();
    System.arraycopy(Bytes.fixed(pk.n().subtract(x), len), 0, t, x0, len);
    assertDoesNotThrow(() -> KeyProof.fromBytes(t, pk).verify(pk, CONTEXT));
    assertFalse(Arrays.equals(enc, t));
  }

  private static void assertMalformed(byte[] enc, PaillierPublicKey pk, String fragment) {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> KeyProof.fromBytes(enc, pk));
    assertEquals("MALFORMED_KEY_PROOF", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private PaillierPublicKey withOtherH(PaillierPublicKey pk) {
    BigInteger x = NumberTheory.randomUnit(rnd, pk.n());
    return PaillierPublicKey.of(pk.n(), pk.n().subtract(x.multiply(x).mod(pk.n())));
  }

  private static String message(Runnable r) {
    try {
      r.run();
      return "accepted";
    } catch (CryptoException e) {
      return e.getMessage();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
