package org.medledger.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The patients' connection in the fault run: passes every call on, and keeps the transfers in
 * flight (with their start times) and how long committed submissions took, so that the fault
 * schedule can kill the gateway peer while a transfer waits for its commit status.
 */
final class FaultInFlight extends ForwardingConnection {
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Long> started = new ConcurrentHashMap<>();
  private final List<Long> committedMs = Collections.synchronizedList(new ArrayList<>());

  FaultInFlight(LedgerConnection inner) {
    super(inner);
  }

  int count() {
    return started.size();
  }

  /** How long the oldest transfer in flight has been, in ms; -1 if none is. */
  long oldestMs() {
    long now = System.nanoTime();
    return started.values().stream().mapToLong(t -> (now - t) / 1_000_000).max().orElse(-1);
  }

  /** The median time of a committed transfer submission (endorse, submit, commit status) so far; -1 if none. */
  long medianCommittedMs() {
    synchronized (committedMs) {
      if (committedMs.isEmpty()) {
        return -1;
      }
      List<Long> s = new ArrayList<>(committedMs);
      Collections.sort(s);
      return s.get(s.size() / 2);
    }
  }

  @Override
  public String submit(String function, String... args) throws LedgerCallException {
    if (!function.equals("money:transfer")) {
      return inner.submit(function, args);
    }
    long id = ids.incrementAndGet();
    long t = System.nanoTime();
    started.put(id, t);
    try {
      String out = inner.submit(function, args);
      committedMs.add((System.nanoTime() - t) / 1_000_000);
      return out;
    } finally {
      started.remove(id);
    }
  }

  /**
   * Tells no commit status, as this connection always has: an UNKNOWN transfer of the fault run is
   * resolved from the ledger's records and nonces only.
   */
  @Override
  public Optional<String> commitStatus(String txId) {
    return Optional.empty();
  }
}
