package org.medledger.cli;

/**
 * A command that only reads the ledger: it opens an existing embedded ledger read-only, and a
 * missing one is an error ({@link Base#readOnly}).
 */
abstract class Query extends Base {
  @Override
  final boolean readOnly() {
    return true;
  }
}
