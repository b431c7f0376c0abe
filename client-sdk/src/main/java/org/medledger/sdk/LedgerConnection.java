package org.medledger.sdk;

/**
 * How the SDK reaches a MedLedger chaincode: the embedded ledger ({@link EmbeddedConnection}) or a
 * Fabric gateway (issue 4). Functions are {@code contract:function}; arguments and results are the
 * chaincode's strings (docs/chaincode.md).
 */
public interface LedgerConnection {
  /** Endorses and commits a transaction; returns its response, or throws with what happened. */
  String submit(String function, String... args) throws LedgerCallException;

  /** Evaluates a query on the current state. */
  String evaluate(String function, String... args) throws LedgerCallException;

  /** The channel and chaincode names requests are bound to. */
  String channel();

  String chaincode();
}
