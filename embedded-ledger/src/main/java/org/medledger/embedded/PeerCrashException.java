package org.medledger.embedded;

/**
 * Thrown where a Fabric peer would crash or hang rather than answer, so that a simulated
 * transaction that reaches such a call fails loudly instead of passing on a behaviour no peer has
 * (docs/embedded-ledger.md). A contract must never reach one.
 */
public final class PeerCrashException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public PeerCrashException(String message) {
    super(message);
  }
}
