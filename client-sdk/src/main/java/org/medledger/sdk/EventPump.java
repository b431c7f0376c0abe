package org.medledger.sdk;

import java.io.IOException;
import java.util.Optional;
import org.hyperledger.fabric.client.Checkpointer;
import org.hyperledger.fabric.client.FileCheckpointer;

/**
 * The delivery thread of a subscription: takes events from a source, hands each to the listener,
 * then records it in the checkpointer. The source decides where to start from the checkpointer's
 * position and how to wait for the next event.
 *
 * <p>Public for {@link LedgerConnection} implementations outside this package (the embedded
 * ledger's connection); an application uses {@link LedgerEvents#subscribe} instead.
 */
public final class EventPump implements EventSubscription {
  /** Where events come from; {@link #next} blocks until one is committed. */
  public interface Source {
    /** The next event, or null once {@link #stop} was called. */
    MedLedgerEvent next() throws InterruptedException;

    /** Unblocks {@link #next} and releases the source; called once, from any thread (the pump's included). */
    void stop();
  }

  private final Source source;
  private final Checkpointer checkpointer;
  private final LedgerEvents.EventListener listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Throwable failure;

  private EventPump(Source source, Checkpointer checkpointer, LedgerEvents.EventListener listener, String name) {
    this.source = source;
    this.checkpointer = checkpointer;
    this.listener = listener;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /** Starts the delivery thread (a daemon named {@code name}) and returns its subscription. */
  public static EventPump start(Source source, Checkpointer checkpointer, LedgerEvents.EventListener listener, String name) {
    EventPump p = new EventPump(source, checkpointer, listener, name);
    p.thread.start();
    return p;
  }

  private void run() {
    try {
      while (!closed) {
        MedLedgerEvent e = source.next();
        if (e == null || closed) {
          return;
        }
        listener.onEvent(e);
        checkpointer.checkpointTransaction(e.blockNumber(), e.txId());
        if (checkpointer instanceof FileCheckpointer f) {
          f.sync();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      fail(new IOException("the event checkpoint could not be written", e));
    } catch (Exception | Error e) {
      fail(e);
    }
  }

  private synchronized void fail(Throwable t) {
    if (!closed) {
      failure = t;
      closed = true;
      source.stop();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (!closed) {
        closed = true;
        source.stop();
      }
    }
    if (Thread.currentThread() != thread) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isActive() {
    return !closed && thread.isAlive();
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }
}
