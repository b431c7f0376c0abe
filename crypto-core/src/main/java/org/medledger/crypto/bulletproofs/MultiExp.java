package org.medledger.crypto.bulletproofs;

import java.util.Arrays;

/**
 * Σ k_i·P_i by Straus' interleaved wNAF method: one shared chain of about 128 doublings and,
 * per term, one mixed addition per non-zero digit. Terms come from {@link Base#addTo}. Variable
 * time. Not thread-safe; use one instance per computation.
 */
final class MultiExp implements TermSink {
  private PointTable[] tables;
  private byte[][] digits;
  private boolean[] negate;
  private int size;
  private int maxLen;

  MultiExp(int expectedTerms) {
    int cap = Math.max(4, 2 * expectedTerms);
    tables = new PointTable[cap];
    digits = new byte[cap][];
    negate = new boolean[cap];
  }

  @Override
  public void add(PointTable table, byte[] wnaf, boolean neg) {
    if (size == tables.length) {
      int cap = 2 * size;
      tables = Arrays.copyOf(tables, cap);
      digits = Arrays.copyOf(digits, cap);
      negate = Arrays.copyOf(negate, cap);
    }
    tables[size] = table;
    digits[size] = wnaf;
    negate[size] = neg;
    size++;
    maxLen = Math.max(maxLen, wnaf.length);
  }

  /** Evaluates the sum into {@code acc} (overwritten) and returns it. */
  JacobianPoint evaluate(JacobianPoint acc) {
    acc.setInfinity();
    for (int bit = maxLen - 1; bit >= 0; bit--) {
      acc.twice();
      for (int t = 0; t < size; t++) {
        byte[] d = digits[t];
        if (bit < d.length) {
          int v = d[bit];
          if (v != 0) {
            boolean neg = negate[t];
            if (v < 0) {
              v = -v;
              neg = !neg;
            }
            acc.addAffineAt(tables[t].limbs(), 10 * (v >> 1), neg);
          }
        }
      }
    }
    return acc;
  }

  JacobianPoint evaluate() {
    return evaluate(new JacobianPoint());
  }
}
