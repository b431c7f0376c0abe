package org.medledger.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.embedded.RangeRead.KeyVersion;
import org.medledger.embedded.WorldState.VersionedValue;

/**
 * One Fabric channel with one chaincode, in-process: the contract runs unchanged against a {@link
 * SimulatedStub}, and transactions go through Fabric's endorse, order, validate and commit steps.
 *
 * <ul>
 *   <li>{@link #endorse} simulates a proposal against the committed state and captures its read
 *       set, range reads, write set, event and response, or the contract's ChaincodeException;
 *   <li>{@link #commitBlock} orders endorsements into the next block and validates them in order
 *       as a Fabric peer does (MVCC on every read key, re-execution of every range read), then
 *       applies the valid ones, appends history and emits their events;
 *   <li>{@link #submit} and {@link #evaluate} are what a Fabric gateway client calls.
 * </ul>
 *
 * <p>A ledger made by {@link #open} keeps every block in an append-only log in its directory and
 * rebuilds state, history and events from it when opened again. State transitions read no clock
 * and no randomness: timestamps come from the submitter and transaction ids are hashes of the
 * proposal and a counter, so the same calls give the same ledger.
 *
 * <p>Thread-safe: every operation holds the ledger's lock, so simulations and commits run one at a
 * time.
 */
public final class EmbeddedLedger implements AutoCloseable {
  /** The contract side: runs one transaction function against a context. */
  @FunctionalInterface
  public interface Dispatcher {
    /**
     * Runs {@code function} with {@code args}, reading and writing through {@code ctx.getStub()}.
     *
     * @return the response payload (null means empty)
     * @throws ChaincodeException to refuse the proposal: the endorsement fails with the
     *     exception's message and payload, and none of its writes is kept. Any other exception is
     *     treated as a bug in the contract and propagates to the caller of endorse.
     */
    byte[] invoke(Context ctx, String function, List<String> args);
  }

  /** A registered event listener; closing it stops delivery. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private static final String MSP_DIR = "msp";

  private final String channel;
  private final Dispatcher dispatcher;
  private final IdentityIssuer issuer;
  private final WorldState state = new WorldState();
  private final Set<String> txIds = new HashSet<>();
  private final List<LedgerEvent> events = new ArrayList<>();
  private final List<Listener> listeners = new ArrayList<>();
  private BlockLog log;
  private long height;
  private long nextNonce;
  private Instant lastTimestamp = Instant.EPOCH;
  private boolean simulating;
  private boolean delivering;
  private boolean closed;

  private EmbeddedLedger(String channel, Dispatcher dispatcher, IdentityIssuer issuer) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.issuer = issuer;
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("channel must not be empty");
    }
  }

  /** A ledger that lives in memory only; its identities are derived from the channel name. */
  public static EmbeddedLedger inMemory(String channel, Dispatcher dispatcher) {
    return new EmbeddedLedger(channel, dispatcher, IdentityIssuer.deterministic(channel));
  }

  /**
   * Opens the persisted ledger in {@code dir} for reading and writing, creating it if the directory
   * holds none, and replays its block log after verifying every block's hash and link. The
   * directory stays locked until {@link #close}. A torn final record (a crash while appending) is
   * cut off and reported in {@link #warnings()}.
   *
   * @throws LedgerLogException if the directory is locked by another open ledger (in this process
   *     or another), belongs to another channel, is of another format, or holds a damaged log
   * @throws IOException if a file cannot be read or written
   */
  public static EmbeddedLedger open(Path dir, String channel, Dispatcher dispatcher) throws IOException {
    return open(dir, channel, dispatcher, false);
  }

  /**
   * Opens the persisted ledger in {@code dir} for queries only: it must exist, no file of it is
   * written (a torn final record is reported in {@link #warnings()} and left in place), and
   * {@link #commitBlock} throws IllegalStateException. Identities are still created on first use
   * in its {@code msp/} directory.
   *
   * @throws LedgerLogException as {@link #open(Path, String, Dispatcher)}, and with {@link
   *     LedgerLogException.Code#NOT_FOUND} if the directory holds no ledger
   */
  public static EmbeddedLedger openReadOnly(Path dir, String channel, Dispatcher dispatcher) throws IOException {
    return open(dir, channel, dispatcher, true);
  }

  private static EmbeddedLedger open(Path dir, String channel, Dispatcher dispatcher, boolean readOnly)
      throws IOException {
    EmbeddedLedger ledger = new EmbeddedLedger(channel, dispatcher, IdentityIssuer.persisted(dir.resolve(MSP_DIR)));
    ledger.log = BlockLog.open(dir, channel, readOnly, json -> ledger.replay(BlockCodec.decode(json)));
    return ledger;
  }

  /**
   * Rewrites the format-1 ledger in {@code dir} (blocks without hashes) in the current format,
   * keeping the old log beside it; the ledger must not be open.
   *
   * @return what was done, in one sentence
   * @throws LedgerLogException if there is no ledger, it is not in format 1, or a line is damaged
   */
  public static String migrate(Path dir, String channel) throws IOException {
    return Migration.migrate(dir, channel);
  }

  /** What opening the log recovered (a torn final record), one sentence each; empty if nothing. */
  public List<String> warnings() {
    return log == null ? List.of() : log.warnings();
  }

  public String channel() {
    return channel;
  }

  /** The number of blocks; the next block gets this number (the first block is 0). */
  public synchronized long height() {
    checkOpen();
    return height;
  }

  /**
   * The client {@code commonName} of organisation {@code mspId}, with a certificate from that
   * organisation's CA. The CA and the client are created on first use and the same ones returned
   * afterwards (a persisted ledger keeps them in its directory).
   */
  public synchronized Identity identity(String mspId, String commonName) {
    checkOpen();
    return issuer.identity(mspId, commonName);
  }

  // --- endorsement ---

  /** Simulates {@code function(args)} against the committed state; commits nothing. */
  public Endorsement endorse(Identity who, Instant timestamp, String function, String... args) {
    return endorse(who, timestamp, Map.of(), function, args);
  }

  /** As {@link #endorse(Identity, Instant, String, String...)}, with transient data for the stub. */
  public synchronized Endorsement endorse(
      Identity who, Instant timestamp, Map<String, byte[]> transientData, String function, String... args) {
    checkOpen();
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(transientData, "transientData");
    Objects.requireNonNull(function, "function");
    if (simulating) {
      throw new IllegalStateException("a simulation is already running: the embedded ledger does not run"
          + " nested simulations (chaincode-to-chaincode calls are not simulated)");
    }
    List<String> argList = List.of(args);
    long nonce = nextNonce++;
    String txId = TxIds.derive(channel, who.creator(), timestamp, function, argList, nonce);
    Endorsement.Proposal proposal = new Endorsement.Proposal(txId, nonce, timestamp, who, function, argList);
    SimulatedStub stub = new SimulatedStub(state, channel, txId, timestamp, who, function, argList, transientData);
    simulating = true;
    try {
      byte[] payload = dispatcher.invoke(new Context(stub), function, argList);
      return Endorsement.success(this, proposal, payload, stub);
    } catch (ChaincodeException e) {
      return Endorsement.failure(this, proposal, e.getMessage(), e.getPayload());
    } finally {
      stub.finish();
      simulating = false;
    }
  }

  /**
   * Simulates a query and returns its response, committing nothing. The proposal carries the
   * timestamp of the latest committed transaction (the epoch on an empty ledger), so that no
   * clock is read. This is for callers that hold no clock (the contract tests that drive the
   * ledger directly); it differs from a peer, whose query proposals carry the client's clock, so a
   * caller that stands for a client uses {@link #evaluate(Identity, Instant, String, String...)}
   * with its clock, as {@link EmbeddedConnection} does.
   *
   * @throws ChaincodeException with the contract's message and payload if it refuses
   */
  public synchronized byte[] evaluate(Identity who, String function, String... args) {
    checkOpen();
    return evaluate(who, lastTimestamp, function, args);
  }

  /**
   * The timestamp of the latest committed transaction (the epoch on an empty ledger): the proposal
   * time of {@link #evaluate(Identity, String, String...)}.
   */
  public synchronized Instant lastTimestamp() {
    return lastTimestamp;
  }

  /** As {@link #evaluate(Identity, String, String...)} with the proposal's timestamp given. */
  public byte[] evaluate(Identity who, Instant timestamp, String function, String... args) {
    Endorsement e = endorse(who, timestamp, function, args);
    if (!e.succeeded()) {
      throw new ChaincodeException(e.errorMessage(), e.payload());
    }
    return e.payload();
  }

  /**
   * Endorses and, if the contract accepted the proposal, commits it alone in the next block. A
   * refused proposal is not ordered, as a Fabric gateway does not submit it: the result has status
   * {@link TxStatus#ENDORSEMENT_FAILURE} and block number −1, and the height does not change.
   */
  public synchronized TxResult submit(Identity who, Instant timestamp, String function, String... args) {
    Endorsement e = endorse(who, timestamp, function, args);
    if (!e.succeeded()) {
      return new TxResult(e.txId(), -1, -1, TxStatus.ENDORSEMENT_FAILURE, e.payload(), e.errorMessage());
    }
    return commitBlock(List.of(e)).get(0);
  }

  // --- ordering, validation, commit ---

  /** A write of an earlier valid transaction of the block being validated. */
  private record Pending(boolean deleted, Version version) {}

  private record Verdict(TxStatus status, String message) {
    static final Verdict VALID = new Verdict(TxStatus.VALID, "");
  }

  /**
   * Orders the endorsements, in the given order, into the next block and commits it. Each is
   * validated as a Fabric peer does, against the committed state plus the writes of the valid
   * transactions before it in the block:
   *
   * <ol>
   *   <li>a failed endorsement is {@link TxStatus#ENDORSEMENT_FAILURE};
   *   <li>a transaction id already on the ledger or earlier in the block is {@link
   *       TxStatus#DUPLICATE_TXID};
   *   <li>a read key whose version changed, or that an earlier transaction of the block wrote, is
   *       {@link TxStatus#MVCC_READ_CONFLICT};
   *   <li>a range read that would now return other keys or versions is {@link
   *       TxStatus#PHANTOM_READ_CONFLICT}.
   * </ol>
   *
   * The block, invalid transactions included, is appended to the log (persisted ledgers) before
   * anything is applied; then the valid transactions' writes are applied with version (block,
   * index), history is appended and their events go to the listeners.
   *
   * @return one result per endorsement, in order
   * @throws IllegalStateException if a listener threw; the block is committed all the same and the
   *     listener unsubscribed
   */
  public synchronized List<TxResult> commitBlock(List<Endorsement> txs) {
    checkOpen();
    if (simulating || delivering) {
      throw new IllegalStateException("commitBlock cannot be called from a contract or an event listener");
    }
    if (log != null && log.readOnly()) {
      throw new IllegalStateException("the embedded ledger was opened read-only: it commits no block");
    }
    if (txs.isEmpty()) {
      throw new IllegalArgumentException("a block needs at least one transaction");
    }
    for (Endorsement e : txs) {
      if (e.ledger != this) {
        throw new IllegalArgumentException("endorsement " + e.txId() + " was simulated by another ledger");
      }
    }
    long number = height;
    NavigableMap<String, Pending> pending = new TreeMap<>(Keys.ORDER);
    Set<String> inBlock = new HashSet<>();
    List<BlockCodec.Tx> records = new ArrayList<>();
    List<TxResult> results = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      Endorsement e = txs.get(i);
      Verdict verdict = validate(e, pending, inBlock);
      inBlock.add(e.txId());
      if (verdict.status().isValid()) {
        Version version = new Version(number, i);
        e.writes.forEach((key, value) -> pending.put(key, new Pending(value.length == 0, version)));
      }
      records.add(new BlockCodec.Tx(i, e.txId(), e.nonce(), e.timestamp(), e.creator().mspId(), e.function(),
          e.args(), verdict.status(), e.writes, e.eventName, e.eventPayload));
      results.add(new TxResult(e.txId(), number, i, verdict.status(), e.payload(), verdict.message()));
    }
    BlockCodec.Block block = new BlockCodec.Block(number, records);
    if (log != null) {
      log.append(BlockCodec.encode(block));
    }
    deliver(apply(block));
    return results;
  }

  private Verdict validate(Endorsement e, NavigableMap<String, Pending> pending, Set<String> inBlock) {
    if (!e.succeeded()) {
      return new Verdict(TxStatus.ENDORSEMENT_FAILURE, e.errorMessage());
    }
    if (txIds.contains(e.txId()) || inBlock.contains(e.txId())) {
      return new Verdict(TxStatus.DUPLICATE_TXID, "transaction id " + e.txId() + " is already on the ledger");
    }
    for (Map.Entry<String, Version> read : e.reads.entrySet()) {
      String key = read.getKey();
      if (pending.containsKey(key)) {
        return new Verdict(TxStatus.MVCC_READ_CONFLICT,
            "key " + Keys.printable(key) + " was written by an earlier transaction of the block");
      }
      VersionedValue now = state.get(key);
      Version current = now == null ? null : now.version();
      if (!Objects.equals(current, read.getValue())) {
        return new Verdict(TxStatus.MVCC_READ_CONFLICT, "key " + Keys.printable(key) + " was read at version "
            + read.getValue() + " and is now at version " + current);
      }
    }
    for (RangeRead range : e.rangeReads) {
      if (!rerun(range, pending).equals(range.results())) {
        return new Verdict(TxStatus.PHANTOM_READ_CONFLICT, "range [" + Keys.printable(range.start()) + ", "
            + Keys.printable(range.end()) + (range.endInclusive() ? "]" : ")") + " changed after the simulation");
      }
    }
    return Verdict.VALID;
  }

  /** The keys and versions the range read would return now, earlier writes of the block included. */
  private List<KeyVersion> rerun(RangeRead range, NavigableMap<String, Pending> pending) {
    NavigableMap<String, Version> now = new TreeMap<>(Keys.ORDER);
    state.range(range.start(), range.end(), range.endInclusive()).forEach((k, v) -> now.put(k, v.version()));
    Keys.slice(pending, range.start(), range.end(), range.endInclusive()).forEach((k, p) -> {
      if (p.deleted()) {
        now.remove(k);
      } else {
        now.put(k, p.version());
      }
    });
    List<KeyVersion> out = new ArrayList<>(now.size());
    now.forEach((k, v) -> out.add(new KeyVersion(k, v)));
    return out;
  }

  /** Rebuilds the ledger from one block of the log; the block must be the next one. */
  private void replay(BlockCodec.Block block) {
    if (block.number() != height) {
      throw new IllegalArgumentException("expected block " + height + ", found block " + block.number());
    }
    for (int i = 0; i < block.txs().size(); i++) {
      if (block.txs().get(i).index() != i) {
        throw new IllegalArgumentException("block " + block.number() + " has transaction index "
            + block.txs().get(i).index() + " at position " + i);
      }
    }
    apply(block);
  }

  /**
   * Applies a validated block: the one path by which both commit and replay change the ledger, so
   * a reopened ledger is the ledger that was closed.
   */
  private List<LedgerEvent> apply(BlockCodec.Block block) {
    List<LedgerEvent> emitted = new ArrayList<>();
    for (BlockCodec.Tx tx : block.txs()) {
      txIds.add(tx.txId());
      nextNonce = Math.max(nextNonce, tx.nonce() + 1);
      lastTimestamp = tx.timestamp();
      if (tx.status().isValid()) {
        Version version = new Version(block.number(), tx.index());
        tx.writes().forEach((key, value) -> state.apply(key, value, version, tx.txId(), tx.timestamp()));
        if (tx.eventName() != null) {
          emitted.add(new LedgerEvent(block.number(), tx.index(), tx.txId(), tx.eventName(), tx.eventPayload()));
        }
      }
    }
    events.addAll(emitted);
    height = block.number() + 1;
    return emitted;
  }

  // --- events ---

  /** The events of valid transactions in blocks {@code startBlock} and later, in commit order. */
  public synchronized List<LedgerEvent> events(long startBlock) {
    checkOpen();
    int lo = 0;
    int hi = events.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (events.get(mid).blockNumber() < startBlock) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return List.copyOf(events.subList(lo, events.size()));
  }

  /** Delivers the events of blocks committed from now on. */
  public synchronized Subscription addListener(Consumer<LedgerEvent> listener) {
    checkOpen();
    return addListener(height, listener);
  }

  /**
   * Delivers, on the calling thread, the events already committed in blocks {@code startBlock} and
   * later, then those of each block committed from now on, on the committing thread once the block
   * is durable. With the block number and transaction id of the last event handled, a client can
   * resume after a restart without gap: start from that block and skip the transactions it has
   * seen. A listener that throws is unsubscribed.
   */
  public synchronized Subscription addListener(long startBlock, Consumer<LedgerEvent> listener) {
    checkOpen();
    if (startBlock < 0) {
      throw new IllegalArgumentException("startBlock must not be negative");
    }
    Listener l = new Listener(startBlock, Objects.requireNonNull(listener, "listener"));
    delivering = true;
    try {
      events(startBlock).forEach(listener);
    } finally {
      delivering = false;
    }
    listeners.add(l);
    return l;
  }

  private void deliver(List<LedgerEvent> emitted) {
    RuntimeException failure = null;
    delivering = true;
    try {
      for (Listener l : List.copyOf(listeners)) {
        for (LedgerEvent event : emitted) {
          if (!l.active || event.blockNumber() < l.startBlock) {
            continue;
          }
          try {
            l.consumer.accept(event);
          } catch (RuntimeException ex) {
            l.close();
            if (failure == null) {
              failure = ex;
            } else {
              failure.addSuppressed(ex);
            }
          }
        }
      }
    } finally {
      delivering = false;
    }
    if (failure != null) {
      throw new IllegalStateException("block " + (height - 1) + " is committed, but an event listener failed"
          + " and was unsubscribed", failure);
    }
  }

  private final class Listener implements Subscription {
    final long startBlock;
    final Consumer<LedgerEvent> consumer;
    boolean active = true;

    Listener(long startBlock, Consumer<LedgerEvent> consumer) {
      this.startBlock = startBlock;
      this.consumer = consumer;
    }

    @Override
    public void close() {
      synchronized (EmbeddedLedger.this) {
        active = false;
        listeners.remove(this);
      }
    }
  }

  // --- inspection (tests) and lifecycle ---

  /** A copy of the committed state. */
  synchronized NavigableMap<String, VersionedValue> stateSnapshot() {
    return state.snapshot();
  }

  /** Every committed write of the key, oldest first. */
  synchronized List<HistoryEntry> history(String key) {
    return List.copyOf(state.history(key));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the embedded ledger is closed");
    }
  }

  /** Releases the directory of a persisted ledger; the ledger cannot be used afterwards. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    listeners.clear();
    if (log != null) {
      try {
        log.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not release the ledger directory", e);
      }
    }
  }
}
