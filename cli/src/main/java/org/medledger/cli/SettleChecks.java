package org.medledger.cli;

import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.RecordClient;

/**
 * What {@code claims settle} checks before the logged read of the record, which cannot be undone:
 * that the claim is open on this insurer (docs/cli.md §3).
 */
final class SettleChecks {
  private SettleChecks() {}

  /** Refuses, before anything is read or paid, a claim that is another insurer's or no longer FILED. */
  static RecordClient.ClaimInfo before(Base.Acting a, String claimId) throws CliException, LedgerCallException {
    RecordClient.ClaimInfo c = a.records().claim(claimId);
    if (!c.insurer().equals(a.account())) {
      throw CliException.local("NOT_CLAIM_PARTY", "claim " + claimId + " is on another insurer (" + c.insurer()
          + "); nothing was read or paid");
    }
    if (!c.status().equals("FILED")) {
      throw CliException.local("CLAIM_CLOSED", "claim " + claimId + " is " + c.status() + " already"
          + (c.transferTx().isEmpty() ? "" : " (transfer " + c.transferTx() + ")") + "; nothing was read or paid");
    }
    return c;
  }
}
