package org.medledger.cli.demo;

import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.RecordClient;

/**
 * One participant: a local label that never reaches the ledger, its secrets and its clients (the
 * committee client is for members' requests, shares and acts, and for a patient's disclosure trail).
 */
record Party(String label, Role role, String org, AccountSecrets secrets, LedgerConnection connection, AccountClient client,
    RecordClient records, CommitteeClient committee) {
  String account() {
    return secrets.accountId();
  }

  /** Whether the party holds a Paillier secret key of its own (the committee's regulator account does not). */
  boolean readsOwnCopies() {
    return secrets.hasPaillier();
  }
}
