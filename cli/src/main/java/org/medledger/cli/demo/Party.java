package org.medledger.cli.demo;

import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.RecordClient;

/** One participant: a local label that never reaches the ledger, its secrets and its clients. */
record Party(String label, Role role, String org, AccountSecrets secrets, AccountClient client, RecordClient records) {
  String account() {
    return secrets.accountId();
  }
}
