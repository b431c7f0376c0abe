package org.medledger.sdk;

import java.time.Instant;
import java.util.Optional;

/**
 * A base for decorators of a {@link LedgerConnection}: every call is passed to {@link #inner}
 * unchanged; a subclass overrides only the calls it watches or alters (docs/client-sdk.md §3).
 * Closing it leaves the inner connection open: its owner closes it.
 */
public abstract class ForwardingConnection implements LedgerConnection {
  /** The connection every call not overridden goes to. */
  protected final LedgerConnection inner;

  /**
   * A decorator of {@code inner}.
   *
   * @param inner the connection calls are passed to; not closed by this one
   */
  protected ForwardingConnection(LedgerConnection inner) {
    if (inner == null) {
      throw new IllegalArgumentException("no inner connection");
    }
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

  @Override
  public Optional<String> commitStatus(String txId) throws LedgerCallException {
    return inner.commitStatus(txId);
  }
}
