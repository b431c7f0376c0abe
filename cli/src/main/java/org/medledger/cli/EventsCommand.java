package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Checkpointer;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.medledger.embedded.LedgerEvent;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.EventSubscription;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.LedgerEvents;
import org.medledger.sdk.MedLedgerEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medledger events}: the ledger's chaincode events in commit order (docs/cli.md §4 events,
 * docs/client-sdk.md §6), one line each, resumable from a checkpoint file. On the embedded ledger
 * it prints what is committed and exits, or with {@code --follow} polls for more, opening the
 * ledger (read-only) only for each poll so that it never blocks the other commands.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = "Print the ledger's events, one line each (JSON with --json); --follow waits for more.")
final class EventsCommand extends Base {
  @Option(names = "--follow", description = "Keep printing new events until stopped (Ctrl-C, SIGTERM) or --limit.")
  boolean follow;

  @Option(names = "--from", paramLabel = "<checkpoint>",
      description = "A checkpoint file: start after the last event it records, and record each event printed.")
  Path from;

  @Option(names = "--start-block", defaultValue = "0", paramLabel = "<n>",
      description = "Without a recorded checkpoint, start at this block (default 0: every event).")
  long startBlock;

  @Option(names = "--limit", paramLabel = "<n>", description = "Stop after printing this many events.")
  Long limit;

  @Option(names = "--poll", defaultValue = "1000", paramLabel = "<ms>",
      description = "With --follow on the embedded ledger: how often to look for new events (default 1000).")
  long pollMillis;

  private long printed;

  @Override
  boolean readOnly() {
    return true;
  }

  @Override
  void execute() throws Exception {
    if (startBlock < 0) {
      throw CliException.usage("--start-block must not be negative, got " + startBlock);
    }
    if (limit != null && limit < 1) {
      throw CliException.usage("--limit must be at least 1, got " + limit);
    }
    if (pollMillis < 50 || pollMillis > 60_000) {
      throw CliException.usage("--poll must be 50..60000 ms, got " + pollMillis);
    }
    if (root().gateway == null) {
      ((EmbeddedBackend) backend()).ledger(); // NO_LEDGER before the checkpoint file is made
    }
    Checkpointer checkpoint;
    try {
      checkpoint = from == null ? new InMemoryCheckpointer() : new FileCheckpointer(from);
    } catch (IOException e) {
      throw CliException.usage("--from: cannot use the checkpoint file " + from + ": " + Errors.cause(e));
    }
    try {
      if (root().gateway != null) {
        if (!follow) {
          throw CliException.usage("on a Fabric network the events are followed: add --follow (a gateway has no 'end')");
        }
        gateway(checkpoint);
      } else {
        do {
          embeddedOnce(checkpoint);
          root().closeBackend(); // released between polls
          if (!follow || done()) {
            break;
          }
          Thread.sleep(pollMillis);
        } while (true);
      }
    } finally {
      if (checkpoint instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private boolean done() {
    return limit != null && printed >= limit;
  }

  /** Delivers every event committed now after the checkpoint, then stops the subscription. */
  private void embeddedOnce(Checkpointer checkpoint) throws Exception {
    Backend b = backend();
    long fromBlock = checkpoint.getBlockNumber().orElse(startBlock);
    List<LedgerEvent> committed = ((EmbeddedBackend) b).ledger().events(fromBlock);
    Optional<String> after = checkpoint.getTransactionId();
    int skip = 0;
    if (after.isPresent()) {
      for (int i = 0; i < committed.size() && committed.get(i).blockNumber() == fromBlock; i++) {
        if (committed.get(i).txId().equals(after.get())) {
          skip = i + 1;
          break;
        }
      }
    }
    long expected = committed.size() - skip;
    if (limit != null) {
      expected = Math.min(expected, limit - printed);
    }
    if (expected <= 0) {
      return;
    }
    deliver(b.connect(Organisations.REGULATOR_ORG), checkpoint, expected);
  }

  private void gateway(Checkpointer checkpoint) throws Exception {
    deliver(backend().connect(Organisations.REGULATOR_ORG), checkpoint, limit == null ? Long.MAX_VALUE : limit);
  }

  /** Prints {@code count} events from the checkpoint on, each recorded after it is printed. */
  private void deliver(LedgerConnection conn, Checkpointer checkpoint, long count) throws Exception {
    if (!(conn instanceof LedgerEvents events)) {
      throw new CliException(ExitCode.INTERNAL, "INTERNAL", "this ledger connection delivers no events");
    }
    LinkedBlockingQueue<Boolean> stop = new LinkedBlockingQueue<>();
    long[] seen = {0};
    try (EventSubscription sub = events.subscribe(startBlock, checkpoint, e -> {
      if (seen[0] >= count) {
        throw new IllegalStateException("limit reached"); // not recorded: the next run starts with it
      }
      print(e);
      if (++seen[0] >= count) {
        stop.add(Boolean.TRUE);
      }
    })) {
      while (stop.poll(200, TimeUnit.MILLISECONDS) == null) {
        if (!sub.isActive()) {
          Throwable f = sub.failure().orElse(null);
          throw new CliException(ExitCode.UNAVAILABLE, "EVENTS_STOPPED", "the event stream stopped: "
              + (f == null ? "closed" : Errors.oneLine(String.valueOf(f.getMessage()))), f);
        }
      }
    }
    printed += seen[0];
  }

  private void print(MedLedgerEvent e) {
    JsonObject o = new JsonObject();
    o.addProperty("block", e.blockNumber());
    o.addProperty("txId", e.txId());
    o.addProperty("name", e.name());
    try {
      o.add("payload", CanonicalJson.parseObject(e.payloadText()));
    } catch (RuntimeException notJson) {
      o.addProperty("payload", e.payloadText());
    }
    synchronized (env().out()) {
      env().out().println(root().json ? CanonicalJson.toString(o)
          : "block " + e.blockNumber() + "  " + e.txId() + "  " + e.name() + "  " + e.payloadText());
      env().out().flush();
    }
  }
}
