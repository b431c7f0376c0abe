package org.medledger.sdk;

import org.hyperledger.fabric.client.Checkpointer;

/**
 * The chaincode events of a MedLedger ledger, in commit order, resumable from a checkpoint
 * (docs/client-sdk.md §6). Both {@code EmbeddedConnection} (module embedded-ledger) and {@link GatewayConnection} offer it.
 *
 * <p>Each event goes to the listener on one delivery thread; once the listener returns, the
 * checkpointer records the event (and a {@link org.hyperledger.fabric.client.FileCheckpointer} is
 * synced to disk). A subscription opened again with the same checkpointer starts right after the
 * last recorded event, so across stops and restarts every event reaches the listener exactly once
 * and none is skipped. A listener that throws stops the subscription; its event is not recorded
 * and comes again on the next subscription. A process killed between a listener's return and the
 * checkpoint write sees that one event again (the checkpoint cannot be written atomically with the
 * listener's own effects).
 */
public interface LedgerEvents {
  /**
   * Delivers the events from the checkpoint on, or from block {@code startBlock} if the
   * checkpointer holds no position yet (0 for every event since the channel began).
   */
  EventSubscription subscribe(long startBlock, Checkpointer checkpointer, EventListener listener) throws LedgerCallException;

  /** Receives events; an exception stops the subscription without recording the event. */
  @FunctionalInterface
  interface EventListener {
    void onEvent(MedLedgerEvent event) throws Exception;
  }
}
