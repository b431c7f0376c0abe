package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.CTX;
import static org.medledger.crypto.stats.StatsFixtures.RND;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.SecretAccess;

/** The hospital's opening and the auditor's comparison (docs/protocol.md §11.7). */
class StatsOpeningTest {

  @Test
  void anOpeningMatchesItsContributionAndNoOther() {
    StatsOpening o = StatsContribution.proveOpened(COMMITTEE, CTX, IcdChapter.X, AgeBand.Y65_74, 42_000, RND);
    assertEquals(IcdChapter.X, o.chapter());
    assertEquals(AgeBand.Y65_74, o.band());
    assertEquals(42_000, o.fee());
    o.contribution().verify(COMMITTEE, CTX);
    assertTrue(o.matches(COMMITTEE, o.contribution()));
    // The same values under fresh randomness: an auditor cannot be shown someone else's opening.
    StatsContribution same = StatsContribution.prove(COMMITTEE, CTX, IcdChapter.X, AgeBand.Y65_74, 42_000, RND);
    assertFalse(o.matches(COMMITTEE, same));
    assertFalse(o.matches(COMMITTEE, StatsFixtures.honest()));
  }

  @Test
  void encodingNeedsTheTokenRoundTripsAndIsStrict() {
    StatsOpening o = StatsContribution.proveOpened(COMMITTEE, CTX, IcdChapter.I, AgeBand.Y85_PLUS, (1L << 40) - 1, RND);
    assertThrows(NullPointerException.class, () -> o.toBytes(null));
    byte[] enc = o.toBytes(SecretAccess.explicit());
    StatsOpening back = StatsOpening.fromBytes(enc, COMMITTEE);
    assertEquals(o, back);
    assertArrayEquals(enc, back.toBytes(SecretAccess.explicit()));
    assertTrue(back.matches(COMMITTEE, o.contribution()));
    assertEquals("StatsOpening[redacted]", back.toString());
    for (int[] patch : new int[][] {{0, 0x41}, {4, IcdChapter.COUNT}, {5, AgeBand.COUNT}, {8, 0x01}}) {
      byte[] bad = enc.clone();
      bad[patch[0]] = (byte) patch[1];
      assertEquals(Wire.MALFORMED, assertThrows(CryptoException.class, () -> StatsOpening.fromBytes(bad, COMMITTEE)).code(),
          "byte " + patch[0]);
    }
    assertThrows(CryptoException.class, () -> StatsOpening.fromBytes(Arrays.copyOf(enc, enc.length - 1), COMMITTEE));
    // A wrong ρ is caught by the comparison.
    byte[] other = enc.clone();
    other[other.length - 1] ^= 1;
    assertFalse(StatsOpening.fromBytes(other, COMMITTEE).matches(COMMITTEE, o.contribution()));
  }
}
