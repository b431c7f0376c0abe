package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.medledger.crypto.stats.StatsFixtures.BAND;
import static org.medledger.crypto.stats.StatsFixtures.CHAPTER;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE_SK;
import static org.medledger.crypto.stats.StatsFixtures.CTX;
import static org.medledger.crypto.stats.StatsFixtures.FEE;
import static org.medledger.crypto.stats.StatsFixtures.RND;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.testing.TestKeys;

/** Honest paths of the statistical contribution (docs/protocol.md §11.3, §11.6). */
class StatsContributionTest {

  @Test
  void honestContributionVerifiesAndItsPackedCiphertextOpensToTheOneHotsAndFee() {
    StatsContribution c = StatsFixtures.honest();
    PaillierCiphertext packed = c.verify(COMMITTEE, CTX);
    StatsTally t = SlotLayout.unpack(COMMITTEE_SK.decrypt(packed), 1);
    for (IcdChapter ch : IcdChapter.values()) {
      assertEquals(ch == CHAPTER ? 1 : 0, t.count(ch), ch.name());
    }
    for (AgeBand b : AgeBand.values()) {
      assertEquals(b == BAND ? 1 : 0, t.count(b), b.name());
    }
    assertEquals(BigInteger.valueOf(FEE), t.feeTotal());
    // The unpacked ciphertexts decrypt to the entries themselves.
    PaillierCiphertext[] cats = c.categoryCiphertexts();
    for (int j = 0; j < cats.length; j++) {
      assertEquals(BigInteger.valueOf(j == CHAPTER.index() ? 1 : 0), COMMITTEE_SK.decrypt(cats[j]));
    }
    assertEquals(BigInteger.valueOf(FEE), COMMITTEE_SK.decrypt(c.feeCiphertext()));
  }

  @Test
  void aVerifierWithoutTablesReachesTheSameVerdictAndPackedCiphertext() {
    StatsContribution c = StatsFixtures.honest();
    assertEquals(c.verify(COMMITTEE, CTX), c.verify(StatsFixtures.plainCommittee(), CTX));
  }

  @Test
  void boundaryFeesAndTheFirstAndLastCategoriesVerify() {
    StatsContribution low = StatsContribution.prove(COMMITTEE, CTX, IcdChapter.I, AgeBand.Y0_4, 0, RND);
    StatsTally t = SlotLayout.unpack(COMMITTEE_SK.decrypt(low.verify(COMMITTEE, CTX)), 1);
    assertEquals(1, t.count(IcdChapter.I));
    assertEquals(1, t.count(AgeBand.Y0_4));
    assertEquals(BigInteger.ZERO, t.feeTotal());
    long maxFee = (1L << 40) - 1;
    StatsContribution high = StatsContribution.prove(COMMITTEE, CTX, IcdChapter.XXII, AgeBand.Y85_PLUS, maxFee, RND);
    t = SlotLayout.unpack(COMMITTEE_SK.decrypt(high.verify(COMMITTEE, CTX)), 1);
    assertEquals(1, t.count(IcdChapter.XXII));
    assertEquals(1, t.count(AgeBand.Y85_PLUS));
    assertEquals(BigInteger.valueOf(maxFee), t.feeTotal());
  }

  @Test
  void encodingRoundTripsByteForByteAndStillVerifies() {
    StatsContribution c = StatsFixtures.honest();
    byte[] enc = c.toBytes();
    assertEquals(StatsContribution.encodedLength(COMMITTEE), enc.length);
    StatsContribution back = StatsContribution.fromBytes(enc, COMMITTEE);
    assertArrayEquals(enc, back.toBytes());
    assertEquals(c.verify(COMMITTEE, CTX), back.verify(COMMITTEE, CTX));
  }

  @Test
  void honestProverRefusesFeesOutsideTheRangeAndSmallKeys() {
    assertThrows(IllegalArgumentException.class,
        () -> StatsContribution.prove(COMMITTEE, CTX, CHAPTER, BAND, 1L << 40, RND));
    assertThrows(IllegalArgumentException.class, () -> StatsContribution.prove(COMMITTEE, CTX, CHAPTER, BAND, -1, RND));
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> StatsContribution.prove(TestKeys.key1024().publicKey(), CTX, CHAPTER, BAND, 1, RND));
    assertEquals("UNSUPPORTED_KEY_SIZE", e.code());
  }

  @Test
  void contextValidatesItsFields() {
    assertThrows(IllegalArgumentException.class, () -> new StatsContext("c", "cc", "r", "h", "2026-13"));
    assertThrows(IllegalArgumentException.class, () -> new StatsContext("c", "cc", "r", "h", "2026-1"));
    assertThrows(IllegalArgumentException.class, () -> new StatsContext("c", "cc", "", "h", "2026-01"));
    assertThrows(NullPointerException.class, () -> new StatsContext("c", "cc", "r", null, "2026-01"));
    assertThrows(IllegalArgumentException.class, () -> new StatsContext("c", "cc", "r".repeat(1025), "h", "2026-01"));
  }

  @Test
  void categoryListsAreTheDocumentedOnes() {
    assertEquals(IcdChapter.COUNT, IcdChapter.values().length);
    assertEquals(AgeBand.COUNT, AgeBand.values().length);
    assertEquals("I00–I99", IcdChapter.IX.codes());
    assertEquals(IcdChapter.XXII, IcdChapter.ofIndex(21));
    assertEquals(AgeBand.Y0_4, AgeBand.of(0));
    assertEquals(AgeBand.Y0_4, AgeBand.of(4));
    assertEquals(AgeBand.Y5_14, AgeBand.of(5));
    assertEquals(AgeBand.Y75_84, AgeBand.of(84));
    assertEquals(AgeBand.Y85_PLUS, AgeBand.of(85));
    assertEquals(AgeBand.Y85_PLUS, AgeBand.of(AgeBand.MAX_AGE));
    assertEquals(AgeBand.MAX_AGE, AgeBand.Y85_PLUS.to());
    assertThrows(IllegalArgumentException.class, () -> AgeBand.of(-1));
    assertThrows(IllegalArgumentException.class, () -> AgeBand.of(AgeBand.MAX_AGE + 1));
    // Bands tile [0, MAX_AGE] without gaps or overlaps.
    int next = 0;
    for (AgeBand b : AgeBand.values()) {
      assertEquals(next, b.from());
      next = b.to() + 1;
    }
    assertEquals(AgeBand.MAX_AGE + 1, next);
  }
}
