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
    // Counting sort of the items by bucket, then rounds that take the r-th item of every bucket:
    // the buckets of one round are distinct, so a round is one batch of independent additions.
    int[] count = new int[slots + 1];
    for (int i = 0; i < itemCount; i++) {
      count[(int) (items[i] & 0xFFFF) + 1]++;
    }
    int maxPerBucket = 0;
    for (int b = 0; b < slots; b++) {
      maxPerBucket = Math.max(maxPerBucket, count[b + 1]);
      count[b + 1] += count[b];
    }
    int[] start = Arrays.copyOf(count, slots);
    long[] sorted = new long[itemCount];
    int[] fill = Arrays.copyOf(count, slots);
    for (int i = 0; i < itemCount; i++) {
      long item = items[i];
      sorted[fill[(int) (item & 0xFFFF)]++] = item;
    }
    AffineBatch.Slots buckets = new AffineBatch.Slots(slots);
    AffineBatch batch = new AffineBatch(Math.min(slots, MAX_BATCH));
    for (int r = 0; r < maxPerBucket; r++) {
      for (int b = 0; b < slots; b++) {
        int idx = start[b] + r;
        if (idx >= count[b + 1]) {
          continue;
        }
        long item = sorted[idx];
        ShiftTable table = tables[(int) (item >>> 32)];
        int t = (int) ((item >>> 16) & 0xFF);
        boolean neg = ((item >>> 24) & 1) != 0;
        if (batch.queueAdd(buckets, b, table.data(), table.offset(t), neg)) {
          batch.flush();
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
        if (!buckets.empty[s]) {
          running.addAffine(buckets.x[s], buckets.y[s], false);
        }
        total.add(running); // total = Σ_b (b + 1)·B_b once the loop ends
      }
      out[o] = total;
    }
    return out;
  }
}
