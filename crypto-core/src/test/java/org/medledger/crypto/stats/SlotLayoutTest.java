package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE_SK;
import static org.medledger.crypto.stats.StatsFixtures.RND;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.testing.TestKeys;

/** The packing headroom argument of docs/protocol.md §11.4, tested at its bound. */
class SlotLayoutTest {
  private static final long MAX = SlotLayout.MAX_CONTRIBUTIONS;
  private static final BigInteger MAX_FEE = BigInteger.ONE.shiftLeft(SlotLayout.FEE_BITS).subtract(BigInteger.ONE);

  private static PaillierCiphertext[] encryptAll(long[] m) {
    PaillierCiphertext[] c = new PaillierCiphertext[m.length];
    for (int i = 0; i < m.length; i++) {
      c[i] = COMMITTEE.encrypt(m[i], RND);
    }
    return c;
  }

  private static long[] contribution(IcdChapter ch, AgeBand b) {
    long[] m = new long[SlotLayout.COUNTERS];
    m[SlotLayout.slot(ch)] = 1;
    m[SlotLayout.slot(b)] = 1;
    return m;
  }

  @Test
  void theLayoutFitsEverySupportedKeyAndTheBoundIsTwoToTheWidthMinusOne() {
    assertEquals(1096, SlotLayout.TOTAL_BITS);
    assertEquals((1L << 32) - 1, MAX);
    // A fee total of MAX·(2^40 − 1) fits its slot; every counter ≤ MAX fits its slot.
    assertEquals(SlotLayout.FEE_SLOT_BITS, BigInteger.valueOf(MAX).multiply(MAX_FEE).bitLength());
    assertEquals(SlotLayout.COUNTER_BITS, BigInteger.valueOf(MAX).bitLength());
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> StatsAggregate.empty(TestKeys.key1024().publicKey()));
    assertEquals("UNSUPPORTED_KEY_SIZE", e.code());
  }

  @Test
  void homomorphicPackingDecryptsToThePlainPacking() {
    long[] m = contribution(IcdChapter.XIV, AgeBand.Y25_34);
    BigInteger fee = BigInteger.valueOf(987_654_321L);
    PaillierCiphertext packed = SlotLayout.packCiphertexts(COMMITTEE, encryptAll(m), COMMITTEE.encrypt(fee, RND));
    BigInteger plain = COMMITTEE_SK.decrypt(packed);
    assertEquals(SlotLayout.pack(m, fee), plain);
    StatsTally t = SlotLayout.unpack(plain, 1);
    assertArrayEquals(m, t.counters());
    assertEquals(fee, t.feeTotal());
  }

  @Test
  void foldingTheMaximumNumberOfContributionsIntoOneSlotDoesNotCarry() {
    // MAX contributions all in chapter XXII (the counter slot just below the first band slot), all in the
    // top band (just below the fee slot) and all with the largest fee: c^MAX is the homomorphic sum of
    // MAX copies, exactly what folding MAX such contributions gives.
    long[] m = contribution(IcdChapter.XXII, AgeBand.Y85_PLUS);
    PaillierCiphertext one = SlotLayout.packCiphertexts(COMMITTEE, encryptAll(m), COMMITTEE.encrypt(MAX_FEE, RND));
    BigInteger plain = COMMITTEE_SK.decrypt(COMMITTEE.multiply(one, BigInteger.valueOf(MAX)));
    StatsTally t = SlotLayout.unpack(plain, MAX);
    assertEquals(MAX, t.count(IcdChapter.XXII));
    assertEquals(MAX, t.count(AgeBand.Y85_PLUS));
    assertEquals(0, t.count(AgeBand.Y0_4));
    assertEquals(0, t.count(IcdChapter.XXI));
    assertEquals(BigInteger.valueOf(MAX).multiply(MAX_FEE), t.feeTotal());
  }

  @Test
  void oneContributionPastTheBoundWouldCarryIntoTheNextSlot() {
    // Why the bound exists: 2^32 contributions in chapter XXII read back as 0 in XXII and 1 in the first band.
    long[] m = contribution(IcdChapter.XXII, AgeBand.Y85_PLUS);
    PaillierCiphertext one = SlotLayout.packCiphertexts(COMMITTEE, encryptAll(m), COMMITTEE.encrypt(BigInteger.ZERO, RND));
    BigInteger plain = COMMITTEE_SK.decrypt(COMMITTEE.multiply(one, BigInteger.valueOf(MAX + 1)));
    BigInteger slotXxii = plain.shiftRight(SlotLayout.offset(SlotLayout.slot(IcdChapter.XXII)))
        .and(BigInteger.valueOf(MAX));
    BigInteger slotBand0 = plain.shiftRight(SlotLayout.offset(SlotLayout.slot(AgeBand.Y0_4)))
        .and(BigInteger.valueOf(MAX));
    assertEquals(BigInteger.ZERO, slotXxii);
    assertEquals(BigInteger.ONE, slotBand0);
    assertThrows(IllegalArgumentException.class, () -> SlotLayout.unpack(plain, MAX + 1));
  }

  @Test
  void theAggregateRefusesToFoldPastTheBound() {
    PaillierCiphertext packed = SlotLayout.packCiphertexts(COMMITTEE,
        encryptAll(contribution(IcdChapter.I, AgeBand.Y0_4)), COMMITTEE.encrypt(BigInteger.ONE, RND));
    StatsAggregate nearlyFull = atCount(MAX - 1, packed);
    StatsAggregate full = nearlyFull.plus(packed);
    assertEquals(MAX, full.count());
    CryptoException e = assertThrows(CryptoException.class, () -> full.plus(packed));
    assertEquals(StatsAggregate.FULL, e.code());
    StatsAggregate two = StatsAggregate.empty(COMMITTEE).plus(packed).plus(packed);
    e = assertThrows(CryptoException.class, () -> nearlyFull.merge(two));
    assertEquals(StatsAggregate.FULL, e.code());
    assertEquals(MAX, nearlyFull.merge(StatsAggregate.empty(COMMITTEE).plus(packed)).count());
  }

  /** An aggregate that claims {@code count} contributions (as a stored bucket would), built through its encoding. */
  private static StatsAggregate atCount(long count, PaillierCiphertext c) {
    byte[] enc = StatsAggregate.empty(COMMITTEE).plus(c).toBytes();
    for (int i = 0; i < 4; i++) {
      enc[4 + i] = (byte) (count >>> (24 - 8 * i));
    }
    return StatsAggregate.fromBytes(enc, COMMITTEE);
  }

  @Test
  void unpackRefusesPlaintextsThatNoValidBucketProduces() {
    long[] m = contribution(IcdChapter.II, AgeBand.Y15_24);
    BigInteger ok = SlotLayout.pack(m, BigInteger.TEN);
    assertEquals(1, SlotLayout.unpack(ok, 1).count(IcdChapter.II));
    for (long count : new long[] {0, 2}) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> SlotLayout.unpack(ok, count));
      assertEquals("STATS_TALLY_INCONSISTENT", e.code());
    }
    BigInteger twoCategories = ok.add(BigInteger.ONE.shiftLeft(SlotLayout.offset(0)));
    assertThrows(MalformedInputException.class, () -> SlotLayout.unpack(twoCategories, 1));
    BigInteger tooBig = ok.setBit(SlotLayout.TOTAL_BITS);
    assertThrows(MalformedInputException.class, () -> SlotLayout.unpack(tooBig, 1));
    BigInteger feeTooLarge = SlotLayout.pack(m, BigInteger.ONE.shiftLeft(SlotLayout.FEE_BITS));
    assertThrows(MalformedInputException.class, () -> SlotLayout.unpack(feeTooLarge, 1));
    assertEquals(MAX_FEE, SlotLayout.unpack(SlotLayout.pack(m, MAX_FEE), 1).feeTotal());
  }

  @Test
  void aggregateEncodingIsCanonicalAndStrict() {
    StatsAggregate empty = StatsAggregate.empty(COMMITTEE);
    assertEquals(empty, StatsAggregate.fromBytes(empty.toBytes(), COMMITTEE));
    PaillierCiphertext packed = SlotLayout.packCiphertexts(COMMITTEE,
        encryptAll(contribution(IcdChapter.V, AgeBand.Y35_44)), COMMITTEE.encrypt(BigInteger.TWO, RND));
    StatsAggregate a = empty.plus(packed);
    byte[] enc = a.toBytes();
    assertArrayEquals(enc, StatsAggregate.fromBytes(enc, COMMITTEE).toBytes());
    // An empty bucket with a ciphertext other than 1 has two encodings of one state: refused.
    byte[] emptyWithCt = enc.clone();
    java.util.Arrays.fill(emptyWithCt, 4, 8, (byte) 0);
    assertCode(StatsAggregate.MALFORMED, () -> StatsAggregate.fromBytes(emptyWithCt, COMMITTEE));
    assertCode(StatsAggregate.MALFORMED, () -> StatsAggregate.fromBytes(java.util.Arrays.copyOf(enc, enc.length - 1), COMMITTEE));
    assertCode(StatsAggregate.MALFORMED, () -> StatsAggregate.fromBytes(java.util.Arrays.copyOf(enc, enc.length + 1), COMMITTEE));
    byte[] wrongType = enc.clone();
    wrongType[0] = 0x40;
    assertCode(StatsAggregate.MALFORMED, () -> StatsAggregate.fromBytes(wrongType, COMMITTEE));
    byte[] nonUnit = enc.clone();
    byte[] n = org.medledger.crypto.internal.Bytes.fixed(COMMITTEE.n(), enc.length - 8);
    System.arraycopy(n, 0, nonUnit, 8, n.length);
    assertCode(StatsAggregate.MALFORMED, () -> StatsAggregate.fromBytes(nonUnit, COMMITTEE));
    PaillierPublicKey other = TestKeys.key2048b().publicKey();
    assertThrows(MalformedInputException.class, () -> a.merge(StatsAggregate.empty(other)));
    // A ciphertext of another key of the same size cannot be told apart (it carries only its size): the
    // chaincode folds only what verify returned under the committee key (docs/protocol.md §11.5).
    assertThrows(MalformedInputException.class,
        () -> a.plus(org.medledger.crypto.paillier.UncheckedCiphertexts.of(COMMITTEE.n(), COMMITTEE.bits())));
    assertThrows(MalformedInputException.class, () -> a.plus(TestKeys.key3072().publicKey().encrypt(1, RND)));
    assertNotEquals(a, empty);
  }

  @Test
  void foldingIsDeterministicAndOrderFree() {
    PaillierCiphertext x = SlotLayout.packCiphertexts(COMMITTEE,
        encryptAll(contribution(IcdChapter.V, AgeBand.Y35_44)), COMMITTEE.encrypt(BigInteger.TWO, RND));
    PaillierCiphertext y = SlotLayout.packCiphertexts(COMMITTEE,
        encryptAll(contribution(IcdChapter.X, AgeBand.Y5_14)), COMMITTEE.encrypt(BigInteger.TEN, RND));
    StatsAggregate e = StatsAggregate.empty(COMMITTEE);
    assertArrayEquals(e.plus(x).plus(y).toBytes(), e.plus(y).plus(x).toBytes());
    assertArrayEquals(e.plus(x).plus(y).toBytes(), e.plus(x).merge(e.plus(y)).toBytes());
  }

  private static void assertCode(String code, org.junit.jupiter.api.function.Executable ex) {
    assertEquals(code, assertThrows(CryptoException.class, ex).code());
  }
}
