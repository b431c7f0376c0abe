package org.medledger.sdk;

import java.util.Optional;

/**
 * What the ledger says about a {@link PendingPayment} (docs/client-sdk.md §5.2).
 *
 * @param committed YES: one attempt committed ({@link #txId()}; {@link #transfer()} holds its
 *     record once the answering peer has it); NO: the ledger proves no attempt can ever commit;
 *     UNKNOWN: neither is proven yet, ask again later
 * @param txId the committed attempt for YES, else empty
 * @param transfer the committed transaction, if the peer that answered has its record
 * @param detail why, in words
 */
public record PaymentStatus(Outcome committed, String txId, Optional<Transfer> transfer, String detail) {
  /** The three answers a client can be given about a payment. */
  public enum Outcome {
    YES,
    NO,
    UNKNOWN
  }
}
