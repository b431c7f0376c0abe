package org.medledger.bench.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.contract.Context;
import org.medledger.embedded.EmbeddedLedger;

/**
 * A dispatcher for the embedded ledger that runs every contract invocation through {@code inner}
 * and records its wall and thread CPU time (the simulation of one proposal: what a peer's chaincode
 * spends endorsing it, not the client's work nor the ledger's validation and commit), whether it
 * succeeded, in order. Functions named in {@code tools} are benchmark-only queries (e.g. a raw state
 * read for sizes): they run instead of {@code inner} and are not recorded.
 */
public final class TimedDispatcher implements EmbeddedLedger.Dispatcher {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One contract invocation: function, success, wall and thread CPU time in milliseconds. */
  public record Call(String function, boolean ok, double wallMs, double cpuMs) {}

  private final EmbeddedLedger.Dispatcher inner;
  private final Map<String, EmbeddedLedger.Dispatcher> tools;
  private final List<Call> calls = new ArrayList<>();

  public TimedDispatcher(EmbeddedLedger.Dispatcher inner, Map<String, EmbeddedLedger.Dispatcher> tools) {
    this.inner = inner;
    this.tools = Map.copyOf(tools);
  }

  @Override
  public byte[] invoke(Context ctx, String function, List<String> args) {
    EmbeddedLedger.Dispatcher tool = tools.get(function);
    if (tool != null) {
      return tool.invoke(ctx, function, args);
    }
    long w0 = System.nanoTime();
    long c0 = THREADS.getCurrentThreadCpuTime();
    boolean ok = false;
    try {
      byte[] out = inner.invoke(ctx, function, args);
      ok = true;
      return out;
    } finally {
      long c1 = THREADS.getCurrentThreadCpuTime();
      long w1 = System.nanoTime();
      synchronized (calls) {
        calls.add(new Call(function, ok, (w1 - w0) / 1e6, (c1 - c0) / 1e6));
      }
    }
  }

  /** The number of invocations recorded so far: a mark for {@link #since}. */
  public int mark() {
    synchronized (calls) {
      return calls.size();
    }
  }

  /** The invocations recorded after {@code mark}, in order. */
  public List<Call> since(int mark) {
    synchronized (calls) {
      return List.copyOf(calls.subList(mark, calls.size()));
    }
  }

  /** The invocations of {@code function} recorded after {@code mark}, in order. */
  public List<Call> since(int mark, String function) {
    return since(mark).stream().filter(c -> c.function().equals(function)).toList();
  }
}
