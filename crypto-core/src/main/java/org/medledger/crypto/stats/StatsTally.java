package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An opened bucket (docs/protocol.md §11.4): how many contributions it folded, how many of them fell
 * in each ICD-10 chapter and each age band, and the total of their fees. Made by {@link
 * SlotLayout#unpack}, which checks that both vectors sum to the count.
 */
public final class StatsTally {
  private final long count;
  private final long[] counters;
  private final BigInteger feeTotal;

  StatsTally(long count, long[] counters, BigInteger feeTotal) {
    this.count = count;
    this.counters = counters.clone();
    this.feeTotal = feeTotal;
  }

  /** Number of contributions in the bucket. */
  public long count() {
    return count;
  }

  /** Contributions in one chapter. */
  public long count(IcdChapter chapter) {
    return counters[SlotLayout.slot(chapter)];
  }

  /** Contributions in one age band. */
  public long count(AgeBand band) {
    return counters[SlotLayout.slot(band)];
  }

  /** Sum of the contributions' fees. */
  public BigInteger feeTotal() {
    return feeTotal;
  }

  /** All counter slots in layout order (chapters, then bands); a copy. */
  public long[] counters() {
    return counters.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatsTally t && t.count == count && Arrays.equals(t.counters, counters)
        && t.feeTotal.equals(feeTotal);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counters) * 31 + feeTotal.hashCode();
  }

  @Override
  public String toString() {
    return "StatsTally[count=" + count + ", counters=" + Arrays.toString(counters) + ", fees=" + feeTotal + "]";
  }
}
