package org.medledger.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.testing.KnownAnswers;

/** The stored known-answer vectors (kat/vectors.json) must still come out of today's code. */
class KnownAnswerTest {
  @Test
  void vectorsFromTheFixedSeedAreStable() throws Exception {
    JsonObject stored;
    try (InputStream in = KnownAnswerTest.class.getResourceAsStream("/kat/vectors.json")) {
      stored = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
    JsonObject now = KnownAnswers.compute();
    for (String k : stored.keySet()) {
      assertEquals(stored.get(k), now.get(k), "vector " + k);
    }
    assertEquals(stored.keySet(), now.keySet());
  }
}
