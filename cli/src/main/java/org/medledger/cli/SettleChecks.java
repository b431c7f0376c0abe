package org.medledger.cli;

import java.time.Clock;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.RecordClient;

/**
 * What {@code claims settle} checks before the logged read of the record, which cannot be undone
 * (docs/cli.md §4 claims): the claim is open on this insurer, the insurer can pay its fee, and the
 * grant is this insurer's, from the claim's patient, not revoked or expired, and (a record grant)
 * covers the claim's record. The ledger checks the grant again at the read; a category grant's
 * type is checked there only.
 */
final class SettleChecks {
  private static final String NOTHING = "; nothing was read or paid";

  private SettleChecks() {}

  /** Refuses, before anything is read or paid, a settlement that cannot succeed. */
  static RecordClient.ClaimInfo before(Base.Acting a, String claimId, String grantId, Clock clock)
      throws CliException, LedgerCallException {
    RecordClient.ClaimInfo c = a.records().claim(claimId);
    if (!c.insurer().equals(a.account())) {
      throw CliException.local("NOT_CLAIM_PARTY", "claim " + claimId + " is on another insurer (" + c.insurer() + ")" + NOTHING);
    }
    if (!c.status().equals("FILED")) {
      throw CliException.local("CLAIM_CLOSED", "claim " + claimId + " is " + c.status() + " already"
          + (c.transferTx().isEmpty() ? "" : " (transfer " + c.transferTx() + ")") + NOTHING);
    }
    long balance = a.client().balance();
    if (c.fee() < 0 || balance < c.fee()) {
      throw CliException.local("INSUFFICIENT_FUNDS", "'" + a.local().name() + "' holds " + Base.amount(balance)
          + ", less than the claim's fee " + (c.fee() < 0 ? "(unreadable)" : Base.amount(c.fee())) + NOTHING);
    }
    RecordClient.GrantInfo g = a.records().grant(grantId);
    if (!g.grantee().equals(a.account())) {
      throw CliException.local("NOT_GRANTEE", "grant " + grantId + " is to another account (" + g.grantee() + ")" + NOTHING);
    }
    if (!g.patient().equals(c.patient())) {
      throw CliException.local("OUT_OF_SCOPE", "grant " + grantId + " is from another patient than the claim's" + NOTHING);
    }
    if (g.revoked()) {
      throw CliException.local("GRANT_REVOKED", "grant " + grantId + " is revoked; the patient can grant again" + NOTHING);
    }
    if (g.expiresAt() != null && !g.expiresAt().isAfter(clock.instant())) {
      throw CliException.local("GRANT_EXPIRED", "grant " + grantId + " expired at " + g.expiresAt() + NOTHING);
    }
    if (g.scope().equals("RECORD") && !g.target().equals(c.recordId())) {
      throw CliException.local("OUT_OF_SCOPE", "grant " + grantId + " covers record " + g.target() + ", not " + c.recordId()
          + NOTHING);
    }
    return c;
  }
}
