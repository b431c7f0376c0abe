package org.medledger.embedded;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.hyperledger.fabric.client.Checkpointer;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.sdk.EventPump;
import org.medledger.sdk.EventSubscription;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.LedgerEvents;
import org.medledger.sdk.MedLedgerEvent;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.embedded.LedgerEvent;
import org.medledger.embedded.TxResult;

/**
 * A connection to the embedded ledger through one organisation's gateway identity. The client
 * (not the chaincode) supplies proposal timestamps, from a clock that never goes backwards: as a
 * Fabric gateway client stamps every proposal it creates, a query ({@link #evaluate}) as well as a
 * transaction ({@link #submit}), with its own clock.
 * Events come from the ledger's listeners, which replay committed blocks from any block number.
 */
public final class EmbeddedConnection implements LedgerConnection, LedgerEvents {
  private final EmbeddedLedger ledger;
  private final Identity identity;
  private final String chaincode;
  private final Clock clock;
  private Instant last = Instant.EPOCH;

  public EmbeddedConnection(EmbeddedLedger ledger, Identity identity, String chaincode, Clock clock) {
    this.ledger = ledger;
    this.identity = identity;
    this.chaincode = chaincode;
    this.clock = clock;
  }

  /** The connection's clock, read once: strictly after every earlier reading of this connection. */
  private synchronized Instant now() {
    Instant t = clock.instant();
    last = t.isAfter(last) ? t : last.plusNanos(1000);
    return last;
  }

  @Override
  public String submit(String function, String... args) throws LedgerCallException {
    TxResult r = ledger.submit(identity, now(), function, args);
    if (r.isValid()) {
      return r.payloadText();
    }
    String code = new String(r.payload(), StandardCharsets.UTF_8);
    switch (r.status()) {
      case ENDORSEMENT_FAILURE -> throw new LedgerCallException(LedgerCallException.Kind.REFUSED, code, r.txId(), r.message());
      default -> throw new LedgerCallException(LedgerCallException.Kind.CONFLICT, r.status().name(), r.txId(), r.message());
    }
  }

  /**
   * The connection's clock, as a Fabric client's query time is its own clock; the next {@link
   * #evaluate} carries a timestamp no earlier than this one.
   */
  @Override
  public Instant queryTime() {
    return now();
  }

  /** Evaluates a query whose proposal carries this connection's clock, as a Fabric gateway client's does. */
  @Override
  public String evaluate(String function, String... args) throws LedgerCallException {
    try {
      return new String(ledger.evaluate(identity, now(), function, args), StandardCharsets.UTF_8);
    } catch (ChaincodeException e) {
      byte[] p = e.getPayload();
      throw new LedgerCallException(LedgerCallException.Kind.REFUSED, p == null ? "" : new String(p, StandardCharsets.UTF_8), "",
          e.getMessage());
    }
  }

  @Override
  public EventSubscription subscribe(long startBlock, Checkpointer checkpointer, EventListener listener) {
    if (startBlock < 0) {
      throw new IllegalArgumentException("startBlock must not be negative");
    }
    long from = checkpointer.getBlockNumber().orElse(startBlock);
    QueueSource source = new QueueSource(from, checkpointer.getTransactionId());
    source.subscription = ledger.addListener(from, source.queue::add);
    return EventPump.start(source, checkpointer, listener, "medledger-events-embedded-" + chaincode);
  }

  /**
   * Events the ledger pushed, queued for the delivery thread so that a listener never runs on the
   * committing thread. Resumes as a Fabric peer does from a checkpoint (block, last transaction):
   * within that block, events up to and including that transaction are skipped.
   */
  private static final class QueueSource implements EventPump.Source {
    private static final LedgerEvent STOP = new LedgerEvent(-1, 0, "", "", new byte[0]);
    final BlockingQueue<LedgerEvent> queue = new LinkedBlockingQueue<>();
    private final long checkpointBlock;
    private String skipThrough;
    volatile EmbeddedLedger.Subscription subscription;

    QueueSource(long checkpointBlock, Optional<String> afterTx) {
      this.checkpointBlock = checkpointBlock;
      this.skipThrough = afterTx.orElse(null);
    }

    @Override
    public MedLedgerEvent next() throws InterruptedException {
      while (true) {
        LedgerEvent e = queue.take();
        if (e == STOP) {
          return null;
        }
        if (skipThrough != null && e.blockNumber() == checkpointBlock) {
          if (e.txId().equals(skipThrough)) {
            skipThrough = null;
          }
          continue;
        }
        skipThrough = null;
        return new MedLedgerEvent(e.blockNumber(), e.txId(), e.name(), e.payload());
      }
    }

    @Override
    public void stop() {
      subscription.close();
      queue.add(STOP);
    }
  }

  @Override
  public String channel() {
    return ledger.channel();
  }

  @Override
  public String chaincode() {
    return chaincode;
  }
}
