package org.medledger.crypto.internal;

import java.math.BigInteger;
import java.util.Arrays;

/** Canonical conversions between non-negative integers and big-endian byte strings. */
public final class Bytes {
  private Bytes() {}

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
