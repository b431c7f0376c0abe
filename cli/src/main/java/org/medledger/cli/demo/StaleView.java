package org.medledger.cli.demo;

import org.medledger.sdk.ForwardingConnection;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;

/**
 * A connection through which a client still sees the committee of an earlier epoch: it answers
 * {@code committee:getCommittee} with that committee and passes everything else to the ledger.
 * The demo uses it to play a member who ignores a re-sharing (or left and kept its share), so
 * that what refuses the old share is the ledger, not the member's own client. Closing it leaves
 * the underlying connection open.
 */
final class StaleView extends ForwardingConnection {
  private final String committee;

  StaleView(LedgerConnection inner, String committeeJson) {
    super(inner);
    this.committee = committeeJson;
  }

  @Override
  public String evaluate(String function, String... args) throws LedgerCallException {
    return function.equals("committee:getCommittee") ? committee : inner.evaluate(function, args);
  }
}
