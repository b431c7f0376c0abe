package org.medledger.crypto.internal;

import java.math.BigInteger;

/**
 * Simultaneous multi-exponentiation Π b_i^{e_i} mod m (Straus's interleaving with a sliding window
 * per base, docs/protocol.md §3.2) on {@link Montgomery} products: one chain of squarings as long
 * as the longest exponent, shared by every base, and for each base a table of its odd powers
 * b, b³, …, b^(2^w − 1) and about |e_i|/(w+1) products.
 *
 * <p>Variable-time in the exponents (which digits exist, and where, decides which products run):
 * for verifiers, whose exponents are public. Never for secret exponents.
 */
public final class MultiExp {
  private MultiExp() {}

  /**
   * Π bases[i]^exps[i] mod m, fully reduced. Bases are any non-negative integers (reduced modulo m
   * when needed); exponents are non-negative.
   */
  public static BigInteger pow(Montgomery mont, BigInteger[] bases, BigInteger[] exps) {
    if (bases.length != exps.length) {
      throw new IllegalArgumentException("bases and exponents differ in number");
    }
    int k = bases.length;
    int top = 0;
    for (BigInteger e : exps) {
      if (e.signum() < 0) {
        throw new IllegalArgumentException("negative exponent");
      }
      top = Math.max(top, e.bitLength());
    }
    if (top == 0) {
      return BigInteger.ONE.mod(mont.modulus());
    }
    // Digits: at bit position pos[i][j] the odd digit dig[i][j] of base i (right-to-left sliding windows).
    int[][] pos = new int[k][];
    int[][] dig = new int[k][];
    long[][][] odd = new long[k][][];
    // Per position, which bases contribute: linked lists threaded through arrays.
    int[] head = new int[top];
    java.util.Arrays.fill(head, -1);
    int total = 0;
    int[] counts = new int[k];
    for (int i = 0; i < k; i++) {
      BigInteger e = exps[i];
      int w = window(e.bitLength());
      int[] p = new int[e.bitLength() / (w + 1) + 2];
      int[] d = new int[p.length];
      int c = 0;
      int bit = e.getLowestSetBit();
      while (bit >= 0 && bit < e.bitLength()) {
        int v = 0;
        for (int j = Math.min(w, e.bitLength() - bit) - 1; j >= 0; j--) {
          v = (v << 1) | (e.testBit(bit + j) ? 1 : 0);
        }
        if (c == p.length) {
          p = java.util.Arrays.copyOf(p, 2 * c);
          d = java.util.Arrays.copyOf(d, 2 * c);
        }
        p[c] = bit;
        d[c] = v;
        c++;
        bit += w;
        while (bit < e.bitLength() && !e.testBit(bit)) {
          bit++;
        }
      }
      pos[i] = p;
      dig[i] = d;
      counts[i] = c;
      total += c;
      if (c > 0) {
        int maxDigit = 0;
        for (int j = 0; j < c; j++) {
          maxDigit = Math.max(maxDigit, d[j]);
        }
        odd[i] = oddPowers(mont, bases[i], maxDigit);
      }
    }
    int[] next = new int[total];
    int[] who = new int[total];
    int[] what = new int[total];
    int slot = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < counts[i]; j++) {
        who[slot] = i;
        what[slot] = dig[i][j];
        next[slot] = head[pos[i][j]];
        head[pos[i][j]] = slot;
        slot++;
      }
    }
    long[] acc = null;
    long[] tmp = mont.newElement();
    for (int b = top - 1; b >= 0; b--) {
      if (acc != null) {
        mont.mul(acc, acc, tmp);
        long[] s = acc;
        acc = tmp;
        tmp = s;
      }
      for (int s = head[b]; s >= 0; s = next[s]) {
        long[] f = odd[who[s]][what[s] >>> 1];
        if (acc == null) {
          acc = f.clone();
        } else {
          mont.mul(acc, f, tmp);
          long[] x = acc;
          acc = tmp;
          tmp = x;
        }
      }
    }
    return mont.fromMontgomery(acc);
  }

  /** Window width for an exponent of {@code bits} bits: the w minimising 2^(w−1) + bits/(w+1). */
  static int window(int bits) {
    int best = 1;
    double cost = Double.MAX_VALUE;
    for (int w = 1; w <= 7; w++) {
      double c = (w == 1 ? 0 : (1 << (w - 1))) + bits / (double) (w + 1);
      if (c < cost) {
        cost = c;
        best = w;
      }
    }
    return best;
  }

  /** b^1, b^3, …, b^maxOdd in Montgomery form, indexed by (d − 1)/2 = d >>> 1. */
  private static long[][] oddPowers(Montgomery mont, BigInteger base, int maxOdd) {
    long[][] t = new long[(maxOdd >>> 1) + 1][];
    t[0] = mont.toMontgomery(base);
    if (t.length > 1) {
      long[] b2 = mont.newElement();
      mont.mul(t[0], t[0], b2);
      for (int j = 1; j < t.length; j++) {
        t[j] = mont.newElement();
        mont.mul(t[j - 1], b2, t[j]);
      }
    }
    return t;
  }
}
