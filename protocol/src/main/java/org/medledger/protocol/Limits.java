package org.medledger.protocol;

/** Limits both sides of the wire must agree on (docs/chaincode.md §5). */
public final class Limits {
  private Limits() {}

  /** Most pending credits one transfer or balance update may fold in. */
  public static final int MAX_FOLD = 64;
}
