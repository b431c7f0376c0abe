package org.medledger.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A committed money transaction as one account sees it (docs/client-sdk.md §3.2): what
 * {@link AccountClient#pay}, {@link AccountClient#issue}, {@link AccountClient#history},
 * {@link AccountClient#audit} and {@link AccountClient#transaction} return.
 *
 * @param txId the transaction id
 * @param kind the chaincode's kind: {@code ISSUE}, {@code TRANSFER}, or a channel's
 *     {@code CHANNEL_OPEN}, {@code CHANNEL_SETTLE}, …
 * @param timestamp the transaction's timestamp
 * @param from the paying account (the regulator for an issue)
 * @param to the paid account
 * @param amount the amount: public for an issue, otherwise decrypted from the copy this account
 *     holds the key for (payer, payee or regulator copy); empty when it holds none or the copy does
 *     not decrypt to an amount
 */
public record Transfer(String txId, String kind, Instant timestamp, String from, String to, OptionalLong amount) {
  public Transfer {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(amount, "amount");
  }
}
