package org.medledger.sdk.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.ChannelMessages;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.Wire.Accept;
import org.medledger.sdk.channel.Wire.CloseAccept;
import org.medledger.sdk.channel.Wire.CloseProposal;
import org.medledger.sdk.channel.Wire.CloseRefuse;
import org.medledger.sdk.channel.Wire.Message;
import org.medledger.sdk.channel.Wire.Propose;
import org.medledger.sdk.channel.Wire.Refuse;
import org.medledger.sdk.channel.Wire.Reject;
import org.medledger.sdk.channel.Wire.Request;
import org.medledger.sdk.channel.Wire.States;
import org.medledger.sdk.channel.Wire.Sync;

/**
 * One party of one payment channel (docs/payment-channels.md §3): the state machine that signs,
 * checks and persists off-chain states and talks to the other party over a link: it listens through
 * a {@link ChannelServer} or dials with {@link #connect}.
 *
 * <p>Everything runs on one engine thread. Each round it takes every pending event (payments,
 * messages), handles them, lets A propose what is queued, then writes every record of the round to
 * its state log with one fdatasync, and only then sends the round's messages and completes its
 * futures. So each state is durable before this party acknowledges it (B's acceptance, A's next
 * proposal or a payment's completion), and one sync serves many states.
 *
 * <p>A (the proposer) never signs two states under one sequence number: each proposal takes the
 * number after the highest it has ever signed, and that proposal is in the log (fsync) before it is
 * sent. It signs no number more than {@code depth} beyond its latest state signed by both, counting
 * withdrawn proposals too, so a B that withholds acceptances stalls A rather than collecting
 * alternatives. B (the acceptor) signs only the proposals {@code ProposalCheck} allows. Once a
 * party took its close snapshot ({@link #stopAndSnapshot}) it signs no state.
 *
 * <p>The engine owns three package-private helpers, each confined to its thread: the payments
 * ({@code PaymentFlow}), the resynchronisation of a new link ({@code StateSync}) and the cooperative
 * close ({@code CloseNegotiation}). This class keeps the round (stage, persist, then send and
 * complete), the latest state and the states kept for a peer that is behind, and the closing flag.
 */
public final class ChannelParty implements AutoCloseable {
  /** Callbacks on the engine thread; they must not block. */
  public interface Listener {
    /**
     * A state signed by both became this party's latest, after it was persisted.
     *
     * @param state the new latest state
     */
    void onState(SignedState state);

    /**
     * Both parties signed a cooperative close (this party's copy, to submit or keep).
     *
     * @param close the close both signed
     */
    default void onCooperativeClose(CooperativeClose close) {}
  }

  /**
   * Tuning: payments per state (1 = one update per payment) and when to compact the log.
   *
   * @param maxPaymentsPerState the most payments one state carries, at least 1
   * @param compactAboveBytes the log size above which it is compacted, at least 1024
   */
  public record Options(int maxPaymentsPerState, long compactAboveBytes) {
    /** 256 payments per state; compaction above 64 MiB. */
    public static final Options DEFAULT = new Options(256, 64L << 20);

    /** Checks both bounds. */
    public Options {
      if (maxPaymentsPerState < 1 || compactAboveBytes < 1024) {
        throw new IllegalArgumentException("invalid options");
      }
    }
  }

  /** A link to the other party kept up by {@link #connect}: redialled after every failure until closed. */
  public interface Connection extends AutoCloseable {
    /**
     * Whether a link is up now.
     *
     * @return true while an authenticated link is open
     */
    boolean connected();

    /** Stops redialling and closes the current link. */
    @Override
    void close();
  }

  private record Outgoing(ChannelLink link, Message message) {}

  private final ChannelParams params;
  private final Side side;
  private final Ed25519PrivateKeyParameters signingKey;
  private final PaillierSecretKey paillier;
  private final SecureRandom rnd;
  private final Options options;
  private final StateLog log;
  private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Thread engine;
  private volatile SignedState published;
  private volatile boolean running = true;
  private volatile Throwable failure;

  // Engine-confined state.
  final PaymentFlow payments;
  final StateSync sync;
  final CloseNegotiation closeNegotiation;
  private SignedState tentative;
  private final ArrayDeque<SignedState> recent = new ArrayDeque<>();
  /** Every state signed by both with a number above this one is in {@link #recent}. */
  private long recentFloor;
  private boolean chainClosing;
  private ChannelLink link;
  // The round being built: records to persist, then messages to send and callbacks to run.
  private final List<byte[]> staged = new ArrayList<>();
  private final List<Outgoing> outbox = new ArrayList<>();
  private final List<Runnable> afterSync = new ArrayList<>();
  private ChannelLink dropAfterRound;

  private ChannelParty(ChannelParams params, AccountSecrets secrets, StateLog log, StateLog.Recovered rec,
      Options options, SecureRandom rnd) {
    this.params = params;
    this.side = params.sideOf(secrets.accountId());
    this.signingKey = secrets.signingKey(SecretAccess.explicit());
    this.paillier = secrets.paillier();
    if (!paillier.publicKey().equals(params.paillierKey(side))) {
      throw new IllegalArgumentException("the account's Paillier key is not the channel's key for " + side);
    }
    this.rnd = rnd;
    this.options = options;
    this.log = log;
    this.payments = new PaymentFlow(this);
    this.sync = new StateSync(this);
    this.closeNegotiation = new CloseNegotiation(this, rec == null ? -1 : rec.closeSignedSeq());
    this.tentative = rec == null ? SignedState.opening(params) : rec.latest();
    if (rec != null) {
      recent.addAll(rec.recent());
      recentFloor = recent.isEmpty() ? tentative.seq() : recent.getFirst().seq() - 1;
      payments.restore(rec.proposals());
    }
    this.published = tentative;
    this.engine = new Thread(this::run, "channel-" + params.channelId() + "-" + side);
    this.engine.setDaemon(true);
    this.engine.start();
  }

  /**
   * Starts a party of a newly opened channel with a new log.
   *
   * @param params the channel, as {@link ChannelClient#params} derives it from the ledger
   * @param secrets this party's account secrets (one of the channel's two accounts)
   * @param logFile the state log to create (it must not exist); owner-only
   * @param options tuning
   * @param rnd randomness for request ids and settlement bundles
   * @return the running party
   * @throws IOException if the log cannot be created
   */
  public static ChannelParty create(ChannelParams params, AccountSecrets secrets, Path logFile, Options options,
      SecureRandom rnd) throws IOException {
    return new ChannelParty(params, secrets, StateLog.create(logFile, params, recentLimit(params)), null, options, rnd);
  }

  /**
   * Restarts a party from its log: its latest state, its pending proposals, its close mark.
   *
   * @param logFile the party's state log
   * @param secrets this party's account secrets
   * @param options tuning
   * @param rnd randomness for request ids and settlement bundles
   * @return the running party
   * @throws IOException if the log cannot be read, or is corrupt
   */
  public static ChannelParty restore(Path logFile, AccountSecrets secrets, Options options, SecureRandom rnd)
      throws IOException {
    StateLog.Opened o = StateLog.open(logFile, Integer.MAX_VALUE);
    StateLog.Recovered r = o.recovered();
    StateLog.Recovered trimmed = new StateLog.Recovered(r.params(), r.latest(),
        r.recent().subList(Math.max(0, r.recent().size() - recentLimit(r.params())), r.recent().size()), r.proposals(),
        r.closeSignedSeq());
    return new ChannelParty(r.params(), secrets, o.log(), trimmed, options, rnd);
  }

  private static int recentLimit(ChannelParams p) {
    return Math.max(64, 2 * p.depth());
  }

  // ------------------------------------------------------------------------------ public API

  /**
   * The channel's parameters.
   *
   * @return what both parties know of the channel
   */
  public ChannelParams params() {
    return params;
  }

  /**
   * This party's side.
   *
   * @return A (the proposer) or B (the acceptor)
   */
  public Side side() {
    return side;
  }

  /**
   * The latest state signed by both and persisted (safe from any thread).
   *
   * @return the latest state
   */
  public SignedState latest() {
    return published;
  }

  /**
   * Calls {@code l} on the engine thread for every new state and cooperative close.
   *
   * @param l the listener; it must not block
   */
  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Keeps this party connected to the other party's {@link ChannelServer}: dials, and after the link
   * drops (or a dial fails) dials again after a short pause, until the returned connection is closed.
   * Each new link starts with a resynchronisation, so both resume from their latest state.
   *
   * @param otherParty the address of the other party's server
   * @param rnd randomness for the handshake nonces
   * @return the connection; close it before closing this party
   */
  public Connection connect(InetSocketAddress otherParty, SecureRandom rnd) {
    return ChannelDialer.start(this, otherParty, rnd);
  }

  /**
   * Pays the other party {@code amount} off chain. A proposes it (in a state with other queued
   * payments, up to {@link Options#maxPaymentsPerState}); B asks A to include it. The future
   * completes with the first state signed by both that contains it, once this party persisted it.
   *
   * @param amount at least 1, at most this party's balance less its payments not yet in a state
   * @return completes with the state that carries the payment, or fails if it was refused
   */
  public CompletableFuture<SignedState> pay(long amount) {
    CompletableFuture<SignedState> f = new CompletableFuture<>();
    post(() -> payments.onPay(amount, f));
    return f;
  }

  /**
   * Asks the other party to close cooperatively on the latest state; both must be idle. Completes
   * with the close both signed. Having signed a close, this party signs no later state.
   *
   * @return completes with the close both signed, or fails if it was refused
   */
  public CompletableFuture<CooperativeClose> closeCooperatively() {
    CompletableFuture<CooperativeClose> f = new CompletableFuture<>();
    post(() -> closeNegotiation.onCloseRequest(f));
    return f;
  }

  /**
   * The cooperative close both signed, if any (either side's copy).
   *
   * @return the close, or empty
   */
  public Optional<CooperativeClose> agreedClose() {
    return call(() -> Optional.ofNullable(closeNegotiation.agreedClose()));
  }

  /**
   * The plaintext of state {@code seq} if this party signed it: a state signed by both that it
   * still holds, or (A) a proposal it signed. The watcher needs it to answer or check a close.
   *
   * @param seq the state's number
   * @return its plaintext, or empty
   */
  public Optional<ChannelState> signedState(long seq) {
    return call(() -> lookup(seq));
  }

  /**
   * The plaintext of state {@code seq} that this party signed and whose digest is {@code digestHex}
   * (the digest of the state a close is on, as the ledger shows it; empty for state 0). Empty when
   * no state this party signed matches: then it must neither answer nor contest on its basis.
   *
   * @param seq the state's number
   * @param digestHex the state's digest in hex, as the ledger shows it
   * @return its plaintext, or empty
   */
  public Optional<ChannelState> signedState(long seq, String digestHex) {
    return signedState(seq).filter(s -> java.util.HexFormat.of().formatHex(params.digest(s)).equals(digestHex));
  }

  private Optional<ChannelState> lookup(long seq) {
    if (seq == 0) {
      return Optional.of(SignedState.opening(params).state());
    }
    SignedState s = stateAt(seq);
    StateLog.Proposal p = payments.signedProposal(seq);
    return s != null ? Optional.of(s.state()) : p == null ? Optional.empty() : Optional.of(p.state());
  }

  /**
   * Stops off-chain updates, without waiting: the channel is closing on chain. Payments not yet
   * proposed fail; proposals already sent still complete if B's acceptance arrives. To submit a
   * state on chain use {@link #stopAndSnapshot}: the latest state read after this call may not be
   * the last one this party signs.
   */
  public void stopUpdates() {
    post(this::stop);
  }

  /**
   * Stops off-chain updates and takes the state to submit on chain (close or dispute) in one step on
   * the engine thread (docs/payment-channels.md §3.5): events queued before are handled first; the
   * snapshot is then the latest state signed by both, returned once persisted. After it this party
   * signs no state (A may still adopt B's acceptance of a proposal sent before).
   *
   * @return the close snapshot
   */
  public SignedState stopAndSnapshot() {
    if (Thread.currentThread() == engine) {
      stop();
      return tentative;
    }
    CompletableFuture<SignedState> f = new CompletableFuture<>();
    post(() -> {
      stop();
      SignedState snapshot = tentative;
      afterSync.add(() -> f.complete(snapshot));
    });
    return await(f);
  }

  private void stop() {
    chainClosing = true;
    payments.failUnproposed("the channel is closing on chain");
  }

  /**
   * Whether this party no longer signs new states.
   *
   * @return true once it stopped updates, or signed, proposed or agreed a cooperative close
   */
  public boolean closing() {
    return call(this::isClosing);
  }

  /** Closes the current link, as a network failure would; the dialer (if any) reconnects. */
  public void disconnect() {
    post(() -> {
      if (link != null) {
        link.close();
      }
    });
  }

  /** Whether a link is attached, as the engine sees it once everything posted before is handled (a test hook). */
  boolean hasLink() {
    return call(this::linked);
  }

  /** Events posted to the engine and not yet taken (a test hook). */
  int queuedEvents() {
    return inbox.size();
  }

  /** Waits until the engine has handled everything posted before (tests, benchmarks). */
  public void awaitIdle() {
    call(() -> Boolean.TRUE);
  }

  /** Stops the engine after the current round and closes the link and the log. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    post(() -> {
      running = false;
      payments.failQueued("the party is shutting down");
      if (link != null) {
        link.close();
      }
    });
    try {
      engine.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- link events (any thread)

  void attach(ChannelLink l) {
    post(() -> {
      if (link != null && link != l) {
        link.close();
      }
      link = l;
      sync.attached();
      payments.linkChanged();
      send(new Sync(tentative.seq()));
    });
  }

  void detached(ChannelLink l) {
    post(() -> {
      if (link == l) {
        link = null;
        sync.detached();
        payments.linkChanged();
      }
    });
  }

  void received(ChannelLink l, Message m) {
    post(() -> {
      if (l == link) {
        dispatch(m);
      }
    });
  }

  private void dispatch(Message m) {
    if (m instanceof Sync s) {
      sync.onSync(s.latestSeq());
    } else if (m instanceof States s) {
      sync.onStates(s.states());
    } else if (m instanceof Propose p && side == Side.B) {
      payments.onPropose(p);
    } else if (m instanceof Accept a && side == Side.A) {
      payments.onAccept(a);
    } else if (m instanceof Refuse r && side == Side.A) {
      payments.onRefuse(r);
    } else if (m instanceof Request r && side == Side.A) {
      payments.onRequest(r);
    } else if (m instanceof Reject r && side == Side.B) {
      payments.onReject(r);
    } else if (m instanceof CloseProposal c) {
      closeNegotiation.onCloseProposal(c);
    } else if (m instanceof CloseAccept c) {
      closeNegotiation.onCloseAccept(c);
    } else if (m instanceof CloseRefuse c) {
      closeNegotiation.onCloseRefuse(c);
    } else {
      protocolError("unexpected " + m.getClass().getSimpleName() + " for side " + side);
    }
  }

  // ------------------------------------------------------------------------------- the engine

  private void post(Runnable r) {
    inbox.add(r);
  }

  private <T> T call(Supplier<T> s) {
    if (Thread.currentThread() == engine) {
      return s.get();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    post(() -> f.complete(s.get()));
    return await(f);
  }

  private <T> T await(CompletableFuture<T> f) {
    if (!running) {
      throw new IllegalStateException("the channel engine has stopped", failure);
    }
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the channel engine did not answer", e);
    }
  }

  private void run() {
    List<Runnable> round = new ArrayList<>();
    while (running) {
      try {
        round.add(inbox.take());
      } catch (InterruptedException e) {
        break;
      }
      inbox.drainTo(round, 4096);
      for (Runnable r : round) {
        r.run();
      }
      round.clear();
      payments.pump();
      try {
        finishRound();
      } catch (IOException | RuntimeException e) {
        // The log cannot be written: nothing of this round was acknowledged. Stop.
        failure = e;
        running = false;
        afterSync.clear();
        outbox.clear();
        if (link != null) {
          link.close();
        }
        payments.failQueued("the state log failed: " + e);
      }
    }
  }

  /** Persist the round, then publish, send and complete: the order that makes acknowledgements safe. */
  private void finishRound() throws IOException {
    if (!staged.isEmpty()) {
      log.append(staged);
      staged.clear();
    }
    published = tentative;
    for (Outgoing o : outbox) {
      if (o.link() == link && link != null) {
        o.link().send(o.message());
      }
    }
    if (link != null) {
      link.flush();
    }
    outbox.clear();
    List<Runnable> done = new ArrayList<>(afterSync);
    afterSync.clear();
    done.forEach(Runnable::run);
    if (dropAfterRound != null) {
      dropAfterRound.close();
      dropAfterRound = null;
    }
    if (log.size() > options.compactAboveBytes()) {
      log.compact(params, List.copyOf(recent), payments.signedProposals(), closeNegotiation.closeSignedSeq());
    }
  }

  /**
   * Why the engine stopped, if it did.
   *
   * @return the log failure that stopped it, or empty
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  // ------------------------------------------ the round, for the helpers (engine thread only)

  Options options() {
    return options;
  }

  SecureRandom rnd() {
    return rnd;
  }

  PaillierSecretKey paillier() {
    return paillier;
  }

  boolean running() {
    return running;
  }

  /** Whether a link is attached now. */
  boolean linked() {
    return link != null;
  }

  /** The latest state signed by both, persisted or staged in this round. */
  SignedState tentative() {
    return tentative;
  }

  /** The states signed by both that this party keeps for a peer that is behind, oldest first. */
  Collection<SignedState> recent() {
    return recent;
  }

  /** Every state signed by both with a number above this one is in {@link #recent()}. */
  long recentFloor() {
    return recentFloor;
  }

  /** Sends {@code m} on the current link once the round is persisted. */
  void send(Message m) {
    outbox.add(new Outgoing(link, m));
  }

  /** Adds a record to the round's single write and fdatasync. */
  void stage(byte[] record) {
    staged.add(record);
  }

  /** Runs {@code r} after the round is persisted and its messages are sent. */
  void afterSync(Runnable r) {
    afterSync.add(r);
  }

  /** Drops the current link after this round (its messages, a refusal included, still go out). */
  void protocolError(String why) {
    dropAfterRound = link;
  }

  void notifyListeners(Consumer<Listener> call) {
    listeners.forEach(call);
  }

  /** Whether this party signs no new state: stopped for a close on chain, or in a cooperative close. */
  boolean isClosing() {
    return chainClosing || closeNegotiation.active();
  }

  /** A state signed by both becomes the latest: stage its record; publish and notify after the sync. */
  void adopt(SignedState s) {
    staged.add(StateLog.stateRecord(s));
    tentative = s;
    recent.addLast(s);
    while (recent.size() > log.recentLimit()) {
      recentFloor = recent.removeFirst().seq();
    }
    payments.superseded(s.seq());
    afterSync.add(() -> listeners.forEach(l -> l.onState(s)));
  }

  /** The state signed by both numbered {@code seq}, if this party still keeps it. */
  SignedState stateAt(long seq) {
    for (SignedState s : recent) {
      if (s.seq() == seq) {
        return s;
      }
    }
    return null;
  }

  byte[] sign(byte[] message) {
    return ChannelMessages.sign(message, signingKey);
  }

  /** The handshake signature of {@link ChannelLink} (any thread: the key is immutable). */
  byte[] signHello(byte[] message) {
    return sign(message);
  }

  static byte[] bundleDigest(byte[] bundle) {
    return CloseNegotiation.bundleDigest(bundle);
  }
}
