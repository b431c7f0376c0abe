package org.medledger.sdk.channel;

import java.util.function.Consumer;

/**
 * The one thing the {@link ChannelWatcher} needs from a ledger besides {@code LedgerConnection}:
 * the chaincode events of committed transactions, from a block on, in commit order. Adapters:
 * {@link EmbeddedChainEvents} for the embedded ledger; a Fabric gateway's chaincode-event stream
 * maps onto it the same way (block number, transaction id, name, payload).
 */
public interface ChainEvents {
  /** One chaincode event of a committed, valid transaction. */
  record Event(long blockNumber, String txId, String name, byte[] payload) {}

  /** Stops delivery when closed. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Delivers the events of blocks {@code fromBlock} and later, then each new one. Delivery may
   * happen on the ledger's own thread: listeners hand work off and return.
   */
  Subscription subscribe(long fromBlock, Consumer<Event> listener);
}
