package org.medledger.embedded;

import org.medledger.chaincode.ContractDispatcher;

/** The MedLedger chaincode as the embedded ledger runs it: every contract behind the entry check. */
public final class MedLedgerContracts {
  private MedLedgerContracts() {}

  /** A dispatcher over fresh instances of every MedLedger contract. */
  public static EmbeddedLedger.Dispatcher dispatcher() {
    ContractDispatcher contracts = ContractDispatcher.medledger();
    return contracts::invoke;
  }
}
