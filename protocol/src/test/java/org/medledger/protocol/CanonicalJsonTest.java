package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;

class CanonicalJsonTest {
  @Test
  void sameObjectSameBytesPinned() {
    JsonObject a = CanonicalJson.parseObject("{\"b\":1,\"a\":[true,null,\"x<é>\"],\"c\":{\"z\":1,\"y\":-2}}");
    JsonObject b = CanonicalJson.parseObject("{ \"c\" : {\"y\":-2, \"z\":1}, \"a\":[true, null, \"x<\\u00e9>\"], \"b\":1 }");
    String expected = "{\"a\":[true,null,\"x<é>\"],\"b\":1,\"c\":{\"y\":-2,\"z\":1}}";
    assertEquals(expected, CanonicalJson.toString(a));
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), CanonicalJson.toBytes(b));
    assertEquals("{\"n\":10}", CanonicalJson.toString(CanonicalJson.parseObject("{\"n\":1.0E1}")));
  }

  @Test
  void strictParsing() {
    for (String bad : new String[] {"{\"a\":1,\"a\":2}", "{\"a\":1} x", "[1]", "{a:1}", "{\"a\":1,}", "", "{\"a\":NaN}"}) {
      assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parseObject(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.toString(CanonicalJson.parseObject("{\"f\":1.5}")));
  }
}
