package org.medledger.sdk;

import java.util.Optional;

/** A running event subscription (docs/client-sdk.md §6). */
public interface EventSubscription extends AutoCloseable {
  /**
   * Stops delivery. When it returns (called from any thread but the listener's own), the listener
   * is not running and will not be called again, and the checkpoint holds the last event it handled.
   */
  @Override
  void close();

  /** True until closed or stopped by a failure. */
  boolean isActive();

  /** Why delivery stopped on its own: the listener threw, or the checkpoint could not be written. */
  Optional<Throwable> failure();
}
