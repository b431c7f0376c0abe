package org.medledger.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of one transfer a {@link Till} was given (docs/client-sdk.md §3.6), with the
 * outcome model of single payments (§5): YES (committed: {@link #recordId()} and, if the
 * answering peer returned it, {@link #result()}), NO (nothing of it was written, and this till
 * will not send it again: {@link #errorCode()} and {@link #detail()} say why) or UNKNOWN (its
 * batch {@link #batchTxId()} may still commit; ask {@link Till#status} later and do not send it
 * again before that says NO). A transfer given twice (the same signed request) is sent once; the
 * copy has {@link #errorCode()} {@code BATCH_DUPLICATE}, a detail naming the transfer it repeats,
 * and that transfer's outcome and record id, without a {@link #result()}.
 *
 * @param index the transfer's position in the list given to {@link Till#submit}
 * @param transfer the transfer itself
 * @param committed YES, NO or UNKNOWN
 * @param batchTxId the batch transaction it committed in (YES) or was last sent in (UNKNOWN), else ""
 * @param recordId the member id of its record (batch transaction id, dot, two digits) for YES and
 *     UNKNOWN, else ""
 * @param errorCode the chaincode's code for NO when the chaincode refused it, {@code BATCH_DUPLICATE} for
 *     a copy of another transfer of the list (with that one's outcome), else ""
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
