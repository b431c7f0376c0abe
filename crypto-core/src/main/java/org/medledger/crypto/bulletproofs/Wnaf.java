package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;

/** Width-w non-adjacent form: k = Σ d_i·2^i with every non-zero d_i odd and |d_i| &lt; 2^(w−1). */
final class Wnaf {
  private Wnaf() {}

  /**
   * The digits of a non-negative k, least significant first; the array has bitLength(k) + 1
   * entries (the last may be zero).
   */
  static byte[] of(BigInteger k, int w) {
    if (k.signum() < 0) {
      throw new IllegalArgumentException("negative scalar");
    }
    if (w < 2 || w > 8) {
      throw new IllegalArgumentException("window width must be in [2, 8]");
    }
    int len = k.bitLength() + 1;
    long[] words = new long[(len + 63) / 64 + 1];
    for (int i = 0; i < words.length; i++) {
      words[i] = k.shiftRight(64 * i).longValue();
    }
    byte[] out = new byte[len];
    int carry = 0;
    int bit = 0;
    while (bit < len) {
      if (bits(words, bit, 1) == carry) {
        bit++;
        continue;
      }
      int now = Math.min(w, len - bit);
      int word = bits(words, bit, now) + carry;
      carry = (word >> (w - 1)) & 1;
      word -= carry << w;
      out[bit] = (byte) word;
      bit += now;
    }
    if (carry != 0) {
      throw new AssertionError("wNAF recoding left a carry");
    }
    return out;
  }

  private static int bits(long[] words, int pos, int count) {
    int idx = pos >>> 6;
    int sh = pos & 63;
    long v = words[idx] >>> sh;
    if (sh + count > 64) {
      v |= words[idx + 1] << (64 - sh);
    }
    return (int) (v & ((1L << count) - 1));
  }
}
