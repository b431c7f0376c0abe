package org.medledger.crypto.internal;

import java.math.BigInteger;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Canonical conversions between non-negative integers and big-endian byte strings. */
public final class Bytes {
  private Bytes() {}

  /**
   * UTF-8 that refuses, rather than replaces, a lone surrogate: {@code String.getBytes(UTF_8)}
   * writes one as '?', so two different strings would share their bytes. Transcript contexts use
   * this so that their encoding is injective.
   *
   * @throws IllegalArgumentException if {@code s} is not well-formed Unicode
   */
  public static byte[] strictUtf8(String s) {
    try {
      var buf = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (CharacterCodingException ex) {
      throw new IllegalArgumentException("context fields must be well-formed Unicode (no lone surrogate)");
    }
  }

  /** Minimal unsigned big-endian magnitude; zero is the empty string. */
  public static byte[] unsigned(BigInteger v) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException("negative value");
    }
    if (v.signum() == 0) {
      return new byte[0];
    }
    byte[] b = v.toByteArray();
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  /** Unsigned big-endian magnitude left-padded to exactly {@code length} bytes. */
  public static byte[] fixed(BigInteger v, int length) {
    byte[] m = unsigned(v);
    if (m.length > length) {
      throw new IllegalArgumentException("value does not fit in " + length + " bytes");
    }
    byte[] out = new byte[length];
    System.arraycopy(m, 0, out, length - m.length, m.length);
    return out;
  }
}
