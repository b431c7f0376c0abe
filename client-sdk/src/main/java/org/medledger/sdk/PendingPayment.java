package org.medledger.sdk;

import java.util.List;
import java.util.Objects;

/**
 * A payment whose outcome {@link AccountClient#pay} could not see (docs/client-sdk.md §5): every
 * attempt that may have reached the orderer carried nonce {@link #nonce()} of account {@link
 * #account()}, so at most one of them can ever commit. Pass it to {@link
 * AccountClient#paymentStatus(PendingPayment)} later to learn the outcome.
 *
 * @param account the paying account
 * @param nonce the nonce every attempt of unknown outcome carried
 * @param txIds the transaction ids of those attempts, oldest first
 */
public record PendingPayment(String account, long nonce, List<String> txIds) {
  public PendingPayment {
    Objects.requireNonNull(account, "account");
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must not be negative");
    }
    txIds = List.copyOf(txIds);
    if (txIds.isEmpty() || txIds.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("a pending payment names at least one transaction id, none empty");
    }
  }
}
