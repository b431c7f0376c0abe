package org.medledger.sdk.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/client-sdk.md shows the gateway example as compiled; GatewayNetworkIT runs it on the network. */
class GatewayExampleDocTest {
  @Test
  void theDocShowsTheGatewayExampleVerbatim() throws Exception {
    Path root = DocSnippets.repoRoot();
    assertEquals(DocSnippets.region(root.resolve("client-sdk/src/test/java/org/medledger/sdk/docs/GatewayExample.java"), "gateway-example"),
        DocSnippets.block(root.resolve("docs/client-sdk.md"), "gateway-example"));
  }

  @Test
  void aSnippetThatDriftedFromTheCodeIsCaught(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("X.java");
    Files.writeString(src, "class X {\n  void f() {\n    // [doc:x]\n    int a = 1;\n      a++;\n    // [/doc:x]\n  }\n}\n");
    Path md = dir.resolve("x.md");
    Files.writeString(md, "text\n<!-- snippet: x -->\n```java\nint a = 1;\n  a++;\n```\n");
    assertEquals(DocSnippets.region(src, "x"), DocSnippets.block(md, "x"));
    Files.writeString(md, "text\n<!-- snippet: x -->\n```java\nint a = 2;\n  a++;\n```\n");
    assertEquals("int a = 1;\n  a++;", DocSnippets.region(src, "x"));
    assertEquals("int a = 2;\n  a++;", DocSnippets.block(md, "x"));
    Files.writeString(md, "text\n```java\nint a = 1;\n```\n");
    assertThrows(IllegalStateException.class, () -> DocSnippets.block(md, "x"));
  }
}
