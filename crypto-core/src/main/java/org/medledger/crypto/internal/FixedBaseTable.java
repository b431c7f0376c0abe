package org.medledger.crypto.internal;

import java.math.BigInteger;

/**
 * Fixed-base windowed exponentiation for a long-lived base modulo an odd modulus (docs/protocol.md
 * §3.3): the table holds base^(d·2^(w·i)) in Montgomery form, so an exponentiation with an
 * exponent of L bits costs ⌈L/w⌉ Montgomery products and no squarings. Immutable and thread-safe
 * once built. Exponents outside the table's range fall back to {@link BigInteger#modPow}.
 */
public final class FixedBaseTable {
  private final BigInteger base;
  private final BigInteger modulus;
  private final int window;
  private final int maxBits;
  private final int rBits;
  private final BigInteger rMask;
  private final BigInteger nPrime;
  private final BigInteger[][] table;

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
    this.rBits = ((modulus.bitLength() + 31) / 32) * 32;
    BigInteger r = BigInteger.ONE.shiftLeft(rBits);
    this.rMask = r.subtract(BigInteger.ONE);
    this.nPrime = modulus.negate().modInverse(r);
    int windows = (maxBits + window - 1) / window;
    int digits = 1 << window;
    this.table = new BigInteger[windows][digits];
    BigInteger b = this.base.shiftLeft(rBits).mod(modulus);
    for (int i = 0; i < windows; i++) {
      table[i][1] = b;
      for (int d = 2; d < digits; d++) {
        table[i][d] = montMul(table[i][d - 1], b);
      }
      b = montMul(table[i][digits - 1], b);
    }
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
    BigInteger acc = null;
    int windows = (e.bitLength() + window - 1) / window;
    int mask = (1 << window) - 1;
    for (int i = 0; i < windows; i++) {
      int d = digit(e, i * window, mask);
      if (d != 0) {
        acc = acc == null ? table[i][d] : montMul(acc, table[i][d]);
      }
    }
    if (acc == null) {
      return BigInteger.ONE.mod(modulus);
    }
    return redc(acc);
  }

  private int digit(BigInteger e, int from, int mask) {
    int d = 0;
    for (int j = window - 1; j >= 0; j--) {
      d = (d << 1) | (e.testBit(from + j) ? 1 : 0);
    }
    return d & mask;
  }

  private BigInteger montMul(BigInteger a, BigInteger b) {
    return redc(a.multiply(b));
  }

  private BigInteger redc(BigInteger t) {
    BigInteger m = t.and(rMask).multiply(nPrime).and(rMask);
    BigInteger u = t.add(m.multiply(modulus)).shiftRight(rBits);
    return u.compareTo(modulus) >= 0 ? u.subtract(modulus) : u;
  }
}
