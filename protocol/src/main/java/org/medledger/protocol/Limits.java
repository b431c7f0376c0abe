package org.medledger.protocol;

/** Limits both sides of the wire must agree on (docs/chaincode.md §5). */
public final class Limits {
  private Limits() {}

  /** Most pending credits one transfer or balance update may fold in. */
  public static final int MAX_FOLD = 64;

  /** Most transfers one {@code money:transferBatch} carries (docs/chaincode.md §5, Batches). */
  public static final int MAX_BATCH_TRANSFERS = 16;

  /**
   * Largest {@code money:transferBatch} argument, in bytes: 16 transfers of at most 64 KiB each
   * (a 32 KiB bundle in base64 is 43.7 KiB, 64 folded credit ids at most 8.3 KiB).
   */
  public static final int MAX_BATCH_BYTES = MAX_BATCH_TRANSFERS * 64 * 1024;
}
