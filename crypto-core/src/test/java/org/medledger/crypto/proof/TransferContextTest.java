package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The context's bytes are injective: no two contexts share them (review of issue 14, §4.3). */
class TransferContextTest {

  @Test
  void aFieldThatIsNotWellFormedUnicodeIsRefused() {
    // String.getBytes(UTF_8) writes a lone surrogate as '?', so "pay-\uD800" and "pay-?" would share
    // their bytes and each accept the other's bundles.
    for (int field = 0; field < 4; field++) {
      String[] f = {"medchannel", "medledger", "alice", "hospital"};
      f[field] = f[field] + "\uD800";
      String[] g = f.clone();
      assertThrows(IllegalArgumentException.class,
          () -> new TransferContext(g[0], g[1], g[2], g[3], 1).toBytes(), "field " + field);
    }
  }

  @Test
  void wellFormedFieldsAreLengthPrefixedUtf8() {
    TransferContext c = new TransferContext("médchannel", "cc", "a\uD83D\uDE00", "b", 7);
    byte[] b = c.toBytes();
    byte[] ch = "médchannel".getBytes(StandardCharsets.UTF_8);
    assertEquals(ch.length, ((b[0] & 0xFF) << 8) | (b[1] & 0xFF));
    byte[] first = java.util.Arrays.copyOfRange(b, 2, 2 + ch.length);
    assertArrayEquals(ch, first);
    assertEquals(7, b[b.length - 1]);
  }
}
