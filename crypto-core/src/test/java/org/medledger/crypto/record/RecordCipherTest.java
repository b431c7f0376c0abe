package org.medledger.crypto.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

class RecordCipherTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey sk = TestKeys.key2048a();
  private final PaillierPublicKey pk = sk.publicKey();

  private static byte[] data(int len, long seed) {
    byte[] b = new byte[len];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 155, 156, 157, 4096, 65536})
  void roundTripsAtEverySizeAroundSegmentBoundaries(int len) {
    byte[] d = data(len, len);
    RecordCipher.Sealed s = RecordCipher.encrypt(d, "rec-" + len, pk, rnd);
    assertEquals(SegmentLayout.segmentCount(len, 2048), s.record().segments().size());
    assertArrayEquals(d, RecordCipher.decrypt(s.record(), sk));
  }

  @Test
  void referenceRecordUsesTheDocumentedSegmentCounts() {
    assertEquals(22, SegmentLayout.segmentCount(4096, 2048));
    assertEquals(14, SegmentLayout.segmentCount(4096, 3072));
    assertEquals(10, SegmentLayout.segmentCount(4096, 4096));
    for (BigInteger m : SegmentLayout.split(data(4096, 1), "r", 2048)) {
      assertTrue(m.bitLength() <= SegmentLayout.segmentBits(2048));
      assertTrue(m.bitLength() <= 2048 - SegmentLayout.RESERVED_BITS);
    }
  }

  private EncryptedRecord with(EncryptedRecord r, List<PaillierCiphertext> segs) {
    return new EncryptedRecord(r.recordId(), r.keyBits(), segs);
  }

  @Test
  void reorderingIsDetected() {
    EncryptedRecord r = RecordCipher.encrypt(data(1000, 2), "rec-a", pk, rnd).record();
    List<PaillierCiphertext> segs = new ArrayList<>(r.segments());
    Collections.swap(segs, 0, 2);
    assertCorrupt(with(r, segs), "index");
  }

  @Test
  void droppingIsDetected() {
    EncryptedRecord r = RecordCipher.encrypt(data(1000, 3), "rec-a", pk, rnd).record();
    List<PaillierCiphertext> segs = new ArrayList<>(r.segments());
    segs.remove(segs.size() - 1);
    assertCorrupt(with(r, segs), "segments");
    List<PaillierCiphertext> first = new ArrayList<>(r.segments());
    first.remove(0);
    assertCorrupt(with(r, first), "index");
  }

  @Test
  void duplicatingIsDetected() {
    EncryptedRecord r = RecordCipher.encrypt(data(1000, 4), "rec-a", pk, rnd).record();
    List<PaillierCiphertext> segs = new ArrayList<>(r.segments());
    segs.set(2, segs.get(1));
    assertCorrupt(with(r, segs), "index");
    List<PaillierCiphertext> longer = new ArrayList<>(r.segments());
    longer.add(longer.get(longer.size() - 1));
    assertCorrupt(with(r, longer), "segments");
  }

  @Test
  void splicingASegmentOfAnotherRecordIsDetected() {
    byte[] d = data(1000, 5);
    EncryptedRecord a = RecordCipher.encrypt(d, "rec-a", pk, rnd).record();
    EncryptedRecord b = RecordCipher.encrypt(d, "rec-b", pk, rnd).record();
    List<PaillierCiphertext> segs = new ArrayList<>(a.segments());
    segs.set(1, b.segments().get(1));
    assertCorrupt(with(a, segs), "another record");
    // the same ciphertexts under another id are refused too
    assertCorrupt(new EncryptedRecord("rec-b", 2048, a.segments()), "another record");
  }

  @Test
  void homomorphicTamperingIsDetectedByTheDigest() {
    EncryptedRecord r = RecordCipher.encrypt("synthetic prescription: drug-042 2x daily".getBytes(StandardCharsets.UTF_8),
        "rec-t", pk, rnd).record();
    List<PaillierCiphertext> segs = new ArrayList<>(r.segments());
    segs.set(0, pk.addPlain(segs.get(0), BigInteger.ONE));
    assertCorrupt(with(r, segs), "digest");
  }

  @Test
  void oversizedRecordIsRefused() {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> RecordCipher.encrypt(new byte[SegmentLayout.MAX_RECORD_BYTES + 1], "big", pk, rnd));
    assertEquals("RECORD_TOO_LARGE", e.code());
  }

  @Test
  void binaryEncodingRoundTripsAndRefusesDamage() {
    EncryptedRecord r = RecordCipher.encrypt(data(500, 6), "rec-enc", pk, rnd).record();
    byte[] enc = r.toBytes();
    assertEquals(r, EncryptedRecord.fromBytes(enc, pk, 100));
    assertThrows(MalformedInputException.class, () -> EncryptedRecord.fromBytes(java.util.Arrays.copyOf(enc, enc.length - 1), pk, 100));
    assertThrows(MalformedInputException.class, () -> EncryptedRecord.fromBytes(enc, pk, 2));
    assertThrows(MalformedInputException.class, () -> EncryptedRecord.fromBytes(enc, TestKeys.key3072().publicKey(), 100));
  }

  private void assertCorrupt(EncryptedRecord r, String fragment) {
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> RecordCipher.decrypt(r, sk));
    assertEquals("RECORD_CORRUPT", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
