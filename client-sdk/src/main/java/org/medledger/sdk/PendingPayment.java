package org.medledger.sdk;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A payment whose outcome {@link AccountClient#pay} could not see (docs/client-sdk.md §5): every
 * attempt that may have reached the orderer carried nonce {@link #nonce()} of account {@link
 * #account()}, so at most one of them can ever commit. Pass it to {@link
 * AccountClient#paymentStatus(PendingPayment)} later to learn the outcome.
 *
 * <p>Anyone who saw a signed attempt (a gateway, a relayer) can commit a copy of it under a
 * transaction of its own. {@link #proofDigests()} lets {@code paymentStatus} recognise such a copy
 * ({@code money:transferByNonce}, docs/client-sdk.md §5.2); without them (a payment noted down as
 * transaction id and nonce only) a copy committed elsewhere cannot be told from another request.
 *
 * @param account the paying account
 * @param nonce the nonce every attempt of unknown outcome carried
 * @param txIds the transaction ids of those attempts, oldest first
 * @param proofDigests the bundle digests (the records' {@code proofDigest}: SHA-256 of the bundle,
 *     64 lower-case hex digits) of every transfer request the client sent with that nonce; may be empty
 */
public record PendingPayment(String account, long nonce, List<String> txIds, List<String> proofDigests) {
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  /** A pending payment known by its transaction ids only (no bundle digests). */
  public PendingPayment(String account, long nonce, List<String> txIds) {
    this(account, nonce, txIds, List.of());
  }

  public PendingPayment {
    Objects.requireNonNull(account, "account");
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must not be negative");
    }
    txIds = List.copyOf(txIds);
    if (txIds.isEmpty() || txIds.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("a pending payment names at least one transaction id, none empty");
    }
    proofDigests = List.copyOf(proofDigests);
    if (proofDigests.stream().anyMatch(d -> !DIGEST.matcher(d).matches())) {
      throw new IllegalArgumentException("a proof digest is 64 lower-case hex digits");
    }
  }
}
