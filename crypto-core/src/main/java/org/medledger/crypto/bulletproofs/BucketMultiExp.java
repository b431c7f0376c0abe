package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Σ k_i·P_i over long-lived bases by the bucket method (Pippenger) on their {@link ShiftTable}s:
 * every non-zero signed radix-2^8 digit d of every scalar adds ±2^(8t)·P_i to bucket |d|, the
 * bucket additions are done in affine coordinates in batches sharing one inversion ({@link
 * AffineBatch}), and Σ_b b·B_b is formed by the usual running sums. Several independent sums
 * ("outputs") can be evaluated together; each has its own 128 buckets. Variable time. Not
 * thread-safe; use one instance per computation.
 */
final class BucketMultiExp {
  private static final int BUCKETS = 128;
  private static final int MAX_BATCH = 256;

  private final int outputs;
  private ShiftTable[] tables = new ShiftTable[64];
  private int tableCount;
  /** Items: table index (bits 32–63), digit position t (16–23), bucket slot (0–15) and sign (bit 24). */
  private long[] items = new long[1024];
  private int itemCount;

  BucketMultiExp(int outputs) {
    if (outputs < 1 || outputs * BUCKETS > 1 << 16) {
      throw new IllegalArgumentException("unsupported number of outputs");
    }
    this.outputs = outputs;
  }

  /** Adds k·P (k ∈ [0, q)) to output {@code output}. */
  void add(int output, ShiftTable table, BigInteger k) {
    if (output < 0 || output >= outputs) {
      throw new IllegalArgumentException("no such output");
    }
    if (k.signum() == 0) {
      return;
    }
    int[] d = ShiftTable.digits(k);
    if (tableCount == tables.length) {
      tables = Arrays.copyOf(tables, 2 * tableCount);
    }
    long ti = tableCount;
    tables[tableCount++] = table;
    if (itemCount + d.length > items.length) {
      items = Arrays.copyOf(items, Math.max(2 * items.length, itemCount + d.length));
    }
    for (int t = 0; t < d.length; t++) {
      int v = d[t];
      if (v == 0) {
        continue;
      }
      long neg = v < 0 ? 1L : 0L;
      int slot = output * BUCKETS + Math.abs(v) - 1;
      items[itemCount++] = (ti << 32) | (neg << 24) | ((long) t << 16) | slot;
    }
  }

  /** The sums, one per output, as Jacobian points. */
  JacobianPoint[] evaluate() {
    int slots = outputs * BUCKETS;
    // Counting sort of the items by bucket.
    int[] count = new int[slots + 1];
    for (int i = 0; i < itemCount; i++) {
      count[(int) (items[i] & 0xFFFF) + 1]++;
    }
    for (int b = 0; b < slots; b++) {
      count[b + 1] += count[b];
    }
    int[] start = Arrays.copyOf(count, slots);
    long[] sorted = new long[itemCount];
    int[] fill = Arrays.copyOf(count, slots);
    for (int i = 0; i < itemCount; i++) {
      long item = items[i];
      sorted[fill[(int) (item & 0xFFFF)]++] = item;
    }
    // Buckets are filled in rounds that take at most one item per accumulator, so that a round
    // is a batch of independent additions sharing one inversion. Bucket sizes are uneven (the
    // top digit of almost every scalar is ±1, so bucket 1 holds about three times the average),
    // so a bucket with more than `cap` items is spread over several accumulators of the same
    // weight: the number of rounds (and of inversions) is `cap` instead of the largest bucket.
    int cap = Math.max(1, (int) Math.ceil(1.25 * itemCount / slots));
    int[] firstAcc = new int[slots + 1];
    for (int b = 0; b < slots; b++) {
      int size = count[b + 1] - start[b];
      firstAcc[b + 1] = firstAcc[b] + Math.max(1, (size + cap - 1) / cap);
    }
    int accumulators = firstAcc[slots];
    AffineBatch.Slots acc = new AffineBatch.Slots(accumulators);
    AffineBatch batch = new AffineBatch(Math.min(accumulators, MAX_BATCH));
    for (int r = 0; r < cap; r++) {
      for (int b = 0; b < slots; b++) {
        int end = count[b + 1];
        for (int a = firstAcc[b], idx = start[b] + r; a < firstAcc[b + 1] && idx < end; a++, idx += cap) {
          long item = sorted[idx];
          ShiftTable table = tables[(int) (item >>> 32)];
          int t = (int) ((item >>> 16) & 0xFF);
          boolean neg = ((item >>> 24) & 1) != 0;
          if (batch.queueAdd(acc, a, table.limbs(), table.limbOffset(t), neg)) {
            batch.flush();
          }
        }
      }
      batch.flush();
    }
    JacobianPoint[] out = new JacobianPoint[outputs];
    for (int o = 0; o < outputs; o++) {
      JacobianPoint running = new JacobianPoint();
      JacobianPoint total = new JacobianPoint();
      for (int b = BUCKETS - 1; b >= 0; b--) {
        int s = o * BUCKETS + b;
        for (int a = firstAcc[s]; a < firstAcc[s + 1]; a++) {
          if (!acc.empty[a]) {
            running.addAffine(acc.x[a], acc.y[a], false);
          }
        }
        total.add(running); // total = Σ_b (b + 1)·B_b once the loop ends
      }
      out[o] = total;
    }
    return out;
  }
}
