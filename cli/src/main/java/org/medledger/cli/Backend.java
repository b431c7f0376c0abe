package org.medledger.cli;

import org.medledger.sdk.LedgerConnection;

/**
 * Where the command's ledger is: the embedded ledger in a local directory, or a Fabric network
 * reached through gateway connection profiles. Opened lazily, closed at the end of the command.
 */
public interface Backend extends AutoCloseable {
  /** A connection through the gateway of organisation {@code mspId} (a hint where the identity is fixed). */
  LedgerConnection connect(String mspId) throws CliException;

  /** One line saying which ledger this is, for human output. */
  String describe();

  @Override
  void close();
}
