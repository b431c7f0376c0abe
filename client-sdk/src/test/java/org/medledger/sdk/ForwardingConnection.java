package org.medledger.sdk;

import java.time.Instant;

/** A connection that forwards every call to another; tests override the calls they tamper with. */
abstract class ForwardingConnection implements LedgerConnection {
  protected final LedgerConnection inner;

  ForwardingConnection(LedgerConnection inner) {
    this.inner = inner;
  }

  @Override
  public String submit(String function, String... args) throws LedgerCallException {
    return inner.submit(function, args);
  }

  @Override
  public String evaluate(String function, String... args) throws LedgerCallException {
    return inner.evaluate(function, args);
  }

  @Override
  public String channel() {
    return inner.channel();
  }

  @Override
  public String chaincode() {
    return inner.chaincode();
  }

  @Override
  public Instant queryTime() {
    return inner.queryTime();
  }
}
