package org.medledger.sdk;

import java.util.Objects;

/**
 * A transfer built, proven and signed by its payer but not sent (docs/client-sdk.md §3.6): what
 * {@link AccountClient#prepareTransfers} returns and a {@link Till} submits in a batch. It is
 * exactly a {@code money:transfer} request, so it counts once whichever way it reaches the ledger:
 * its nonce is the payer's next (or the one after the previous transfer of a chain).
 *
 * @param payer the paying account
 * @param payee the paid account
 * @param nonce the payer's nonce it carries
 * @param request the signed request, canonical JSON
 */
public record SignedTransfer(String payer, String payee, long nonce, String request) {
  public SignedTransfer {
    Objects.requireNonNull(payer, "payer");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(request, "request");
  }
}
