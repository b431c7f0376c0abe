package org.medledger.crypto.bulletproofs;

import java.util.ArrayList;
import java.util.List;

/**
 * Many independent Straus multi-exponentiations run side by side in affine coordinates: at each
 * bit position every accumulator is doubled, and then the additions due at that position are
 * done in rounds, each round taking at most one addition per accumulator, so that every step is
 * one {@link AffineBatch} sharing a single inversion. This pays off when there are dozens of
 * outputs, as when the inner-product prover recombines generators. Variable time. Not
 * thread-safe; use one instance per computation.
 */
final class LockstepMultiExp {
  private static final class Terms implements TermSink {
    final List<PointTable> tables = new ArrayList<>();
    final List<byte[]> digits = new ArrayList<>();
    final List<Boolean> negate = new ArrayList<>();

    @Override
    public void add(PointTable table, byte[] wnaf, boolean neg) {
      tables.add(table);
      digits.add(wnaf);
      negate.add(neg);
    }
  }

  private final Terms[] outputs;

  LockstepMultiExp(int outputs) {
    this.outputs = new Terms[outputs];
    for (int i = 0; i < outputs; i++) {
      this.outputs[i] = new Terms();
    }
  }

  /** The sink collecting the terms of output {@code i}. */
  TermSink output(int i) {
    return outputs[i];
  }

  /** Evaluates every output; slot i of the result holds output i (empty when it is infinity). */
  AffineBatch.Slots evaluate() {
    return evaluate(null);
  }

  /**
   * As {@link #evaluate()}, then adds to output i the affine point at {@code 16·i} of {@code
   * plain} (coefficient one), if given.
   */
  AffineBatch.Slots evaluate(int[] plain) {
    int n = outputs.length;
    AffineBatch.Slots acc = new AffineBatch.Slots(n);
    AffineBatch batch = new AffineBatch(Math.max(1, n));
    PointTable[][] tables = new PointTable[n][];
    byte[][][] digits = new byte[n][][];
    boolean[][] negate = new boolean[n][];
    int maxLen = 0;
    for (int j = 0; j < n; j++) {
      Terms t = outputs[j];
      int c = t.tables.size();
      tables[j] = t.tables.toArray(new PointTable[0]);
      digits[j] = t.digits.toArray(new byte[0][]);
      negate[j] = new boolean[c];
      for (int k = 0; k < c; k++) {
        negate[j][k] = t.negate.get(k);
        maxLen = Math.max(maxLen, digits[j][k].length);
      }
    }
    int[] cursor = new int[n];
    for (int bit = maxLen - 1; bit >= 0; bit--) {
      for (int j = 0; j < n; j++) {
        batch.queueDouble(acc, j);
      }
      batch.flush();
      java.util.Arrays.fill(cursor, 0);
      boolean pending = true;
      while (pending) {
        pending = false;
        for (int j = 0; j < n; j++) {
          byte[][] dj = digits[j];
          int k = cursor[j];
          while (k < dj.length && (bit >= dj[k].length || dj[k][bit] == 0)) {
            k++;
          }
          if (k == dj.length) {
            cursor[j] = k;
            continue;
          }
          int v = dj[k][bit];
          boolean neg = negate[j][k];
          if (v < 0) {
            v = -v;
            neg = !neg;
          }
          batch.queueAdd(acc, j, tables[j][k].limbs(), 10 * (v >> 1), neg);
          cursor[j] = k + 1;
          pending = true;
        }
        batch.flush();
      }
    }
    if (plain != null) {
      for (int j = 0; j < n; j++) {
        batch.queueAdd(acc, j, plain, 16 * j, false);
      }
      batch.flush();
    }
    return acc;
  }
}
