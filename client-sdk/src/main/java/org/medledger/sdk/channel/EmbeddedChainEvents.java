package org.medledger.sdk.channel;

import java.util.function.Consumer;
import org.medledger.chaincode.embedded.EmbeddedLedger;

/** {@link ChainEvents} over the embedded ledger's event listeners. */
public final class EmbeddedChainEvents implements ChainEvents {
  private final EmbeddedLedger ledger;

  public EmbeddedChainEvents(EmbeddedLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Subscription subscribe(long fromBlock, Consumer<Event> listener) {
    EmbeddedLedger.Subscription s = ledger.addListener(fromBlock,
        e -> listener.accept(new Event(e.blockNumber(), e.txId(), e.name(), e.payload())));
    return s::close;
  }
}
