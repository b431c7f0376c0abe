package org.medledger.sdk.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the code in the docs compiled and run: a region of a test source between
 * {@code // [doc:NAME]} and {@code // [/doc:NAME]} must stand, de-indented and verbatim, in the
 * {@code java} block that follows {@code <!-- snippet: NAME -->} in a Markdown file.
 */
public final class DocSnippets {
  private DocSnippets() {}

  /** The repository root, found from the working directory (a module directory under Maven). */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("docs/architecture.md"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** The region NAME of a source file, de-indented by its first line's indentation. */
  public static String region(Path source, String name) throws IOException {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    int begin = indexOf(lines, "// [doc:" + name + "]", source);
    int end = indexOf(lines, "// [/doc:" + name + "]", source);
    if (end <= begin + 1) {
      throw new IllegalStateException("empty region " + name + " in " + source);
    }
    List<String> body = lines.subList(begin + 1, end);
    int indent = body.get(0).length() - body.get(0).stripLeading().length();
    List<String> out = new ArrayList<>();
    for (String l : body) {
      String lead = l.substring(0, Math.min(indent, l.length()));
      if (!lead.isBlank()) {
        throw new IllegalStateException("region " + name + " in " + source + " is indented less than its first line: " + l);
      }
      out.add(l.length() <= indent ? "" : l.substring(indent));
    }
    return String.join("\n", out);
  }

  /** The java block that follows {@code <!-- snippet: NAME -->} in a Markdown file. */
  public static String block(Path markdown, String name) throws IOException {
    List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
    int marker = indexOf(lines, "<!-- snippet: " + name + " -->", markdown);
    if (marker + 1 >= lines.size() || !lines.get(marker + 1).strip().equals("```java")) {
      throw new IllegalStateException("no ```java block right after the snippet marker " + name + " in " + markdown);
    }
    int close = marker + 2;
    while (close < lines.size() && !lines.get(close).strip().equals("```")) {
      close++;
    }
    if (close == lines.size()) {
      throw new IllegalStateException("unclosed block " + name + " in " + markdown);
    }
    return String.join("\n", lines.subList(marker + 2, close));
  }

  private static int indexOf(List<String> lines, String marker, Path file) {
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        if (found >= 0) {
          throw new IllegalStateException("marker " + marker + " twice in " + file);
        }
        found = i;
      }
    }
    if (found < 0) {
      throw new IllegalStateException("no marker " + marker + " in " + file);
    }
    return found;
  }
}
