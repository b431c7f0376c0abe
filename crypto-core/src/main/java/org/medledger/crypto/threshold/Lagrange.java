package org.medledger.crypto.threshold;

import java.math.BigInteger;

/**
 * Integer Lagrange coefficients scaled by Δ = m! (docs/protocol.md §10.1). For a set S of member
 * indices in [1, m], a member i ∈ S and a point x, Δ·λ^S_{x,i} = Δ·∏_{j∈S, j≠i} (x − j)/(i − j) is
 * an integer (Shoup, EUROCRYPT 2000, §3), so interpolation in the exponent of a group of unknown
 * order never needs an inverse modulo that order.
 */
final class Lagrange {
  private Lagrange() {}

  /** Δ = m!. */
  static BigInteger delta(int m) {
    BigInteger d = BigInteger.ONE;
    for (int i = 2; i <= m; i++) {
      d = d.multiply(BigInteger.valueOf(i));
    }
    return d;
  }

  /** Δ·λ^S_{x,i} for i ∈ S, exactly; S holds distinct indices in [1, m]. */
  static BigInteger scaled(BigInteger delta, int[] set, int i, int x) {
    BigInteger num = delta;
    BigInteger den = BigInteger.ONE;
    for (int j : set) {
      if (j == i) {
        continue;
      }
      num = num.multiply(BigInteger.valueOf((long) x - j));
      den = den.multiply(BigInteger.valueOf((long) i - j));
    }
    BigInteger[] qr = num.divideAndRemainder(den);
    if (qr[1].signum() != 0) {
      throw new IllegalStateException("Δ·λ is not an integer: set outside [1, m]");
    }
    return qr[0];
  }
}
