package org.medledger.crypto.internal;

import java.math.BigInteger;

/**
 * Fixed-base windowed exponentiation for a long-lived base modulo an odd modulus (docs/protocol.md
 * §3.2): the table holds base^(d·2^(w·i)) in Montgomery form ({@link Montgomery}, 60-bit limbs), so
 * an exponentiation with an exponent of L bits costs ⌈L/w⌉ Montgomery products and no squarings.
 * Immutable and thread-safe once built. Exponents outside the table's range fall back to
 * {@link BigInteger#modPow}.
 *
 * <p>Each product is branch-free with fixed loop counts; a zero digit multiplies by the table's
 * entry for 0 (one) instead of being skipped. The exponent's window digits still select table
 * entries by index and the number of windows follows the exponent's bit length, as before: this
 * is not a constant-time exponentiation (docs/protocol.md §3.2).
 */
public final class FixedBaseTable {
  private final BigInteger base;
  private final BigInteger modulus;
  private final int window;
  private final int maxBits;
  private final Montgomery mont;
  private final long[][][] table;

  public FixedBaseTable(BigInteger base, BigInteger modulus, int maxBits, int window) {
    if (!modulus.testBit(0) || modulus.bitLength() < 3) {
      throw new IllegalArgumentException("modulus must be odd");
    }
    if (window < 1 || window > 10 || maxBits < 1) {
      throw new IllegalArgumentException("bad window or exponent size");
    }
    this.base = base.mod(modulus);
    this.modulus = modulus;
    this.window = window;
    this.maxBits = maxBits;
    this.mont = new Montgomery(modulus);
    int windows = (maxBits + window - 1) / window;
    int digits = 1 << window;
    this.table = new long[windows][digits][];
    long[] b = mont.toMontgomery(this.base);
    long[] one = mont.one();
    for (int i = 0; i < windows; i++) {
      table[i][0] = one;
      table[i][1] = b;
      for (int d = 2; d < digits; d++) {
        table[i][d] = mont.newElement();
        mont.mul(table[i][d - 1], b, table[i][d]);
      }
      long[] next = mont.newElement();
      mont.mul(table[i][digits - 1], b, next);
      b = next;
    }
  }

  /** Approximate heap bytes of a table for this modulus size, exponent size and window. */
  public static long tableBytes(int modulusBits, int maxBits, int window) {
    long windows = (maxBits + window - 1) / window;
    long entry = 16L + 8L * Montgomery.limbsFor(modulusBits);
    return windows * (1L << window) * entry;
  }

  public BigInteger base() {
    return base;
  }

  public BigInteger modulus() {
    return modulus;
  }

  /** base^e mod modulus for e ≥ 0. */
  public BigInteger pow(BigInteger e) {
    if (e.signum() < 0) {
      throw new IllegalArgumentException("negative exponent");
    }
    if (e.bitLength() > maxBits) {
      return base.modPow(e, modulus);
    }
    if (e.signum() == 0) {
      return BigInteger.ONE.mod(modulus);
    }
    int windows = (e.bitLength() + window - 1) / window;
    long[] acc = table[0][digit(e, 0)].clone();
    long[] tmp = mont.newElement();
    for (int i = 1; i < windows; i++) {
      mont.mul(acc, table[i][digit(e, i * window)], tmp);
      long[] swap = acc;
      acc = tmp;
      tmp = swap;
    }
    return mont.fromMontgomery(acc);
  }

  private int digit(BigInteger e, int from) {
    int d = 0;
    for (int j = window - 1; j >= 0; j--) {
      d = (d << 1) | (e.testBit(from + j) ? 1 : 0);
    }
    return d;
  }
}
