package org.medledger.crypto.proof;

import org.medledger.crypto.CryptoException;

/**
 * A batch of transfer bundles was refused because of one member ({@link TransferBatch}): its
 * zero-based {@link #index()} and, as the cause, that member's own failure when verified alone.
 * The code is the member's own ({@code TRANSFER_PROOF_INVALID} or {@code MALFORMED_*}).
 */
public final class BatchMemberException extends CryptoException {
  private static final long serialVersionUID = 1L;
  private final int index;

  public BatchMemberException(int index, CryptoException cause) {
    super(cause.code(), "batch member " + index + ": " + cause.getMessage(), cause);
    this.index = index;
  }

  /** The zero-based index of the first member that fails on its own. */
  public int index() {
    return index;
  }
}
