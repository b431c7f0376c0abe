package org.medledger.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of one transfer a {@link Till} was given (docs/client-sdk.md §3.6), with the
 * outcome model of single payments (§5): YES (committed: {@link #recordId()} and, if the
 * answering peer returned it, {@link #result()}), NO (nothing of it was written, and it cannot
 * commit any more: {@link #errorCode()} and {@link #detail()} say why) or UNKNOWN (its batch
 * {@link #batchTxId()} may still commit; ask {@link Till#status} later and do not send it again
 * before that says NO).
 *
 * @param index the transfer's position in the list given to {@link Till#submit}
 * @param transfer the transfer itself
 * @param committed YES, NO or UNKNOWN
 * @param batchTxId the batch transaction it was last sent in ("" if none was sent)
 * @param recordId the member id of its record (batch transaction id, dot, two digits) for YES and
 *     UNKNOWN, else ""
 * @param errorCode the chaincode's code for NO when the chaincode refused it, else ""
 * @param detail why, in words
 * @param result the committed transfer as the till (or the payer) sees it, for YES
 */
public record BatchOutcome(int index, SignedTransfer transfer, PaymentStatus.Outcome committed, String batchTxId,
    String recordId, String errorCode, String detail, Optional<Transfer> result) {
  public BatchOutcome {
    Objects.requireNonNull(transfer, "transfer");
    Objects.requireNonNull(committed, "committed");
    Objects.requireNonNull(batchTxId, "batchTxId");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(result, "result");
  }
}
