package org.medledger.sdk;

import java.util.Optional;

/**
 * What the ledger says about a {@link PendingPayment} (docs/client-sdk.md §5.2).
 *
 * @param committed YES: one attempt committed ({@link #txId()}; {@link #record()} holds its record
 *     once the answering peer has it); NO: the ledger proves no attempt can ever commit; UNKNOWN:
 *     neither is proven yet, ask again later
 * @param txId the committed attempt for YES, else empty
 * @param record the committed transaction's record, if the peer that answered has it
 * @param detail why, in words
 */
public record PaymentStatus(Outcome committed, String txId, Optional<String> record, String detail) {
  /** The three answers a client can be given about a payment. */
  public enum Outcome {
    YES,
    NO,
    UNKNOWN
  }
}
