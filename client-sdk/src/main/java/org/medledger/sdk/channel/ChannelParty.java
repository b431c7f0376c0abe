package org.medledger.sdk.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * checks and persists off-chain states and talks to the other party over a {@link ChannelLink}.
 *
 * <p>Everything runs on one engine thread. Each round it takes every pending event (payments,
 * messages), handles them, lets A propose what is queued, then writes every record of the round to
 * the {@link StateLog} with one fdatasync, and only then sends the round's messages and completes
 * its futures. So each state is durable before this party acknowledges it (B's acceptance, A's next
 * proposal or a payment's completion), and one sync serves many states.
 *
 * <p>A (the proposer) never signs two states under one sequence number: each proposal takes the
 * number after the highest it has ever signed, and that proposal is in the log (fsync) before it is
 * sent. It signs no number more than {@code depth} beyond its latest state signed by both, counting
 * withdrawn proposals too, so a B that withholds acceptances stalls A rather than collecting
 * alternatives. B (the acceptor) signs only the proposals {@link ProposalCheck} allows. Once a
 * party took its close snapshot ({@link #stopAndSnapshot}) it signs no state.
 */
public final class ChannelParty implements AutoCloseable {
  /** Callbacks on the engine thread; they must not block. */
  public interface Listener {
    /** A state signed by both became this party's latest, after it was persisted. */
    void onState(SignedState state);

    /** Both parties signed a cooperative close (this party's copy, to submit or keep). */
    default void onCooperativeClose(CooperativeClose close) {}
  }

  /** Tuning: payments per state (1 = one update per payment) and when to compact the log. */
  public record Options(int maxPaymentsPerState, long compactAboveBytes) {
    public static final Options DEFAULT = new Options(256, 64L << 20);

    public Options {
      if (maxPaymentsPerState < 1 || compactAboveBytes < 1024) {
        throw new IllegalArgumentException("invalid options");
      }
    }
  }

  private record Payment(long amount, CompletableFuture<SignedState> future) {}

  private record Proposal(ChannelState state, byte[] sigA, List<Payment> payments, byte[] message) {}

  private record PendingClose(ChannelState state, byte[] bundle, byte[] signature,
      CompletableFuture<CooperativeClose> future) {}

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
  private SignedState tentative;
  private final ArrayDeque<SignedState> recent = new ArrayDeque<>();
  /** A: proposals sent and not yet accepted, by sequence number. */
  private final TreeMap<Long, Proposal> inFlight = new TreeMap<>();
  /**
   * A: the proposal it signed for each sequence number beyond its latest (persisted), withdrawn
   * ones included: B may still hold A's signature on them, and a number is never signed again.
   */
  private final TreeMap<Long, StateLog.Proposal> signedProposals = new TreeMap<>();
  /** A: its own payments not yet proposed. */
  private final ArrayDeque<Payment> queue = new ArrayDeque<>();
  /** A: B's payment requests not yet proposed, id → amount. */
  private final LinkedHashMap<Long, Long> requests = new LinkedHashMap<>();
  /** B: its payment requests not yet in a state, id → payment. */
  private final LinkedHashMap<Long, Payment> outstanding = new LinkedHashMap<>();
  /** Sums of {@link #queue} and {@link #outstanding}, kept with them. */
  private long queuedSum;
  private long outstandingSum;
  private ChannelLink link;
  private boolean synced;
  private long peerLatest = -1;
  /** Every state signed by both with a number above this one is in {@link #recent}. */
  private long recentFloor;
  private long closeSignedSeq;
  private boolean chainClosing;
  private PendingClose pendingClose;
  /** Responder that built the bundle: its signed close, waiting for the initiator's signature. */
  private PendingClose awaitingCountersignature;
  private CooperativeClose agreedClose;
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
    this.tentative = rec == null ? SignedState.opening(params) : rec.latest();
    this.closeSignedSeq = rec == null ? -1 : rec.closeSignedSeq();
    if (rec != null) {
      recent.addAll(rec.recent());
      recentFloor = recent.isEmpty() ? tentative.seq() : recent.getFirst().seq() - 1;
      signedProposals.putAll(rec.proposals());
      // Proposals recovered from the log were sent on a link that is gone; the next sync settles them.
      rec.proposals().forEach((seq, p) -> inFlight.put(seq, new Proposal(p.state(), p.sigA(), List.of(),
          params.signingBytes(p.state()))));
    }
    this.published = tentative;
    this.engine = new Thread(this::run, "channel-" + params.channelId() + "-" + side);
    this.engine.setDaemon(true);
    this.engine.start();
  }

  /** Starts a party of a newly opened channel with a new log at {@code logFile}. */
  public static ChannelParty create(ChannelParams params, AccountSecrets secrets, Path logFile, Options options,
      SecureRandom rnd) throws IOException {
    return new ChannelParty(params, secrets, StateLog.create(logFile, params, recentLimit(params)), null, options, rnd);
  }

  /** Restarts a party from its log: its latest state, its pending proposals, its close mark. */
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

  public ChannelParams params() {
    return params;
  }

  public Side side() {
    return side;
  }

  /** The latest state signed by both and persisted (safe from any thread). */
  public SignedState latest() {
    return published;
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Pays the other party {@code amount} off chain. A proposes it (in a state with other queued
   * payments, up to {@link Options#maxPaymentsPerState}); B asks A to include it. The future
   * completes with the first state signed by both that contains it, once this party persisted it.
   */
  public CompletableFuture<SignedState> pay(long amount) {
    CompletableFuture<SignedState> f = new CompletableFuture<>();
    post(() -> onPay(amount, f));
    return f;
  }

  /**
   * Asks the other party to close cooperatively on the latest state; both must be idle. Completes
   * with the close both signed. Having signed a close, this party signs no later state.
   */
  public CompletableFuture<CooperativeClose> closeCooperatively() {
    CompletableFuture<CooperativeClose> f = new CompletableFuture<>();
    post(() -> onCloseRequest(f));
    return f;
  }

  /** The cooperative close both signed, if any (either side's copy). */
  public Optional<CooperativeClose> agreedClose() {
    return call(() -> Optional.ofNullable(agreedClose));
  }

  /**
   * The plaintext of state {@code seq} if this party signed it: a state signed by both that it
   * still holds, or (A) a proposal it signed. The watcher needs it to answer or check a close.
   */
  public Optional<ChannelState> signedState(long seq) {
    return call(() -> lookup(seq));
  }

  /**
   * The plaintext of state {@code seq} that this party signed and whose digest is {@code digestHex}
   * (the digest of the state a close is on, as the ledger shows it; empty for state 0). Empty when
   * no state this party signed matches: then it must neither answer nor contest on its basis.
   */
  public Optional<ChannelState> signedState(long seq, String digestHex) {
    return signedState(seq).filter(s -> java.util.HexFormat.of().formatHex(params.digest(s)).equals(digestHex));
  }

  private Optional<ChannelState> lookup(long seq) {
    if (seq == 0) {
      return Optional.of(SignedState.opening(params).state());
    }
    SignedState s = stateAt(seq);
    StateLog.Proposal p = signedProposals.get(seq);
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
    failUnproposed("the channel is closing on chain");
  }

  /** Whether this party no longer signs new states. */
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
      failQueued("the party is shutting down");
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
      synced = false;
      peerLatest = -1;
      requests.clear();
      send(new Sync(tentative.seq()));
    });
  }

  void detached(ChannelLink l) {
    post(() -> {
      if (link == l) {
        link = null;
        synced = false;
        requests.clear();
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
      onSync(s.latestSeq());
    } else if (m instanceof States s) {
      onStates(s.states());
    } else if (m instanceof Propose p && side == Side.B) {
      onPropose(p);
    } else if (m instanceof Accept a && side == Side.A) {
      onAccept(a);
    } else if (m instanceof Refuse r && side == Side.A) {
      onRefuse(r);
    } else if (m instanceof Request r && side == Side.A) {
      onRequest(r);
    } else if (m instanceof Reject r && side == Side.B) {
      onReject(r);
    } else if (m instanceof CloseProposal c) {
      onCloseProposal(c);
    } else if (m instanceof CloseAccept c) {
      onCloseAccept(c);
    } else if (m instanceof CloseRefuse c) {
      onCloseRefuse(c);
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
      pump();
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
        failQueued("the state log failed: " + e);
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
      log.compact(params, List.copyOf(recent), List.copyOf(signedProposals.values()), closeSignedSeq);
    }
  }

  /** Why the engine stopped, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void send(Message m) {
    outbox.add(new Outgoing(link, m));
  }

  private void protocolError(String why) {
    dropAfterRound = link;
  }

  private boolean isClosing() {
    return chainClosing || closeSignedSeq >= 0 || pendingClose != null || agreedClose != null;
  }

  /** A state signed by both becomes the latest: stage its record; publish and notify after the sync. */
  private void adopt(SignedState s) {
    staged.add(StateLog.stateRecord(s));
    tentative = s;
    recent.addLast(s);
    while (recent.size() > log.recentLimit()) {
      recentFloor = recent.removeFirst().seq();
    }
    signedProposals.headMap(s.seq(), true).clear();
    afterSync.add(() -> listeners.forEach(l -> l.onState(s)));
  }

  private byte[] sign(byte[] message) {
    return ChannelMessages.sign(message, signingKey);
  }

  /** The handshake signature of {@link ChannelLink} (any thread: the key is immutable). */
  byte[] signHello(byte[] message) {
    return sign(message);
  }

  /** Fails every payment this party still waits for (shutdown, log failure). */
  private void failQueued(String why) {
    IllegalStateException e = failUnproposed(why);
    for (Proposal p : inFlight.values()) {
      p.payments().forEach(x -> afterSync.add(() -> x.future().completeExceptionally(e)));
    }
    inFlight.clear();
  }

  /** Fails A's queued payments and B's outstanding requests: those that are in no proposal. */
  private IllegalStateException failUnproposed(String why) {
    IllegalStateException e = new IllegalStateException(why);
    queue.forEach(p -> afterSync.add(() -> p.future().completeExceptionally(e)));
    queue.clear();
    queuedSum = 0;
    outstanding.values().forEach(p -> afterSync.add(() -> p.future().completeExceptionally(e)));
    outstanding.clear();
    outstandingSum = 0;
    return e;
  }

  // ------------------------------------------------------------------------------ payments

  /** A: the highest sequence number it has signed, a state signed by both or a proposal. */
  private long highestSigned() {
    return signedProposals.isEmpty() ? tentative.seq() : Math.max(tentative.seq(), signedProposals.lastKey());
  }

  private ChannelState head() {
    return inFlight.isEmpty() ? tentative.state() : inFlight.lastEntry().getValue().state();
  }

  private void onPay(long amount, CompletableFuture<SignedState> f) {
    if (amount < 1) {
      f.completeExceptionally(new IllegalArgumentException("a payment is at least 1"));
      return;
    }
    if (isClosing() || !running) {
      f.completeExceptionally(new IllegalStateException("the channel is closing"));
      return;
    }
    if (side == Side.A) {
      if (amount > head().balanceA() - queuedSum) {
        f.completeExceptionally(new IllegalArgumentException("insufficient channel balance"));
        return;
      }
      queue.addLast(new Payment(amount, f));
      queuedSum += amount;
    } else {
      if (amount > tentative.state().balanceB() - outstandingSum) {
        f.completeExceptionally(new IllegalArgumentException("insufficient channel balance"));
        return;
      }
      long id = rnd.nextLong();
      outstanding.put(id, new Payment(amount, f));
      outstandingSum += amount;
      if (synced && link != null) {
        send(new Request(id, amount));
      }
    }
  }

  /** A: turn queued payments and B's requests into proposals, up to {@code depth} in flight. */
  private void pump() {
    if (side != Side.A || link == null || !synced || isClosing()) {
      return;
    }
    while (highestSigned() - tentative.seq() < params.depth() && (!queue.isEmpty() || !requests.isEmpty())) {
      ChannelState head = head();
      long balA = head.balanceA();
      long balB = head.balanceB();
      List<Payment> pays = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      int n = 0;
      while (n < options.maxPaymentsPerState() && !queue.isEmpty()) {
        Payment p = queue.pollFirst();
        queuedSum -= p.amount();
        if (p.amount() > balA) {
          afterSync.add(() -> p.future().completeExceptionally(new IllegalArgumentException("insufficient channel balance")));
          continue;
        }
        balA -= p.amount();
        balB += p.amount();
        pays.add(p);
        n++;
      }
      Iterator<Map.Entry<Long, Long>> it = requests.entrySet().iterator();
      while (n < options.maxPaymentsPerState() && it.hasNext()) {
        Map.Entry<Long, Long> r = it.next();
        it.remove();
        if (r.getValue() > balB) {
          send(new Reject(r.getKey(), "insufficient channel balance"));
          continue;
        }
        balB -= r.getValue();
        balA += r.getValue();
        ids.add(r.getKey());
        n++;
      }
      if (n == 0) {
        break;
      }
      // Never a number signed before (even for a withdrawn proposal): B may hold that signature.
      ChannelState next = new ChannelState(highestSigned() + 1, balA, balB);
      byte[] message = params.signingBytes(next);
      byte[] sigA = sign(message);
      staged.add(StateLog.proposalRecord(next, sigA));
      inFlight.put(next.seq(), new Proposal(next, sigA, pays, message));
      signedProposals.put(next.seq(), new StateLog.Proposal(next, sigA));
      send(new Propose(next.seq(), balA, balB, ids.stream().mapToLong(Long::longValue).toArray(), sigA));
    }
  }

  private void onRequest(Request r) {
    if (isClosing()) {
      send(new Reject(r.id(), "the channel is closing"));
      return;
    }
    if (r.amount() < 1) {
      send(new Reject(r.id(), "a payment is at least 1"));
      return;
    }
    requests.putIfAbsent(r.id(), r.amount());
  }

  private void onReject(Reject r) {
    Payment p = outstanding.remove(r.id());
    if (p != null) {
      outstandingSum -= p.amount();
      afterSync.add(() -> p.future().completeExceptionally(new IllegalStateException("rejected by A: " + r.reason())));
    }
  }

  /**
   * B: sign a proposal that is the successor of its latest state, changes something and takes only
   * what B asked for ({@link ProposalCheck}).
   */
  private void onPropose(Propose m) {
    String problem = ProposalCheck.problem(params, isClosing(), synced, tentative.state(),
        id -> outstanding.containsKey(id) ? outstanding.get(id).amount() : null, m);
    byte[] message = null;
    if (problem == null) {
      message = params.signingBytes(new ChannelState(m.seq(), m.balanceA(), m.balanceB()));
      if (!params.verify(Side.A, message, m.sigA())) {
        problem = ProposalCheck.Code.BAD_SIGNATURE.reason("A's signature does not verify");
      }
    }
    if (problem != null) {
      send(new Refuse(m.seq(), problem));
      protocolError(problem);
      return;
    }
    ChannelState s = new ChannelState(m.seq(), m.balanceA(), m.balanceB());
    SignedState full = new SignedState(s, m.sigA(), sign(message));
    adopt(full);
    for (long id : m.requestIds()) {
      Payment p = outstanding.remove(id);
      outstandingSum -= p.amount();
      afterSync.add(() -> p.future().complete(full));
    }
    send(new Accept(m.seq(), full.sigB()));
  }

  /** A: B signed the oldest proposal in flight. */
  private void onAccept(Accept a) {
    Map.Entry<Long, Proposal> first = inFlight.firstEntry();
    if (first == null || first.getKey() != a.seq() || first.getKey() <= tentative.seq()) {
      protocolError("unexpected acceptance of state " + a.seq());
      return;
    }
    Proposal p = first.getValue();
    if (!params.verify(Side.B, p.message(), a.sigB())) {
      protocolError("B's signature does not verify");
      return;
    }
    inFlight.pollFirstEntry();
    SignedState full = new SignedState(p.state(), p.sigA(), a.sigB());
    adopt(full);
    p.payments().forEach(x -> afterSync.add(() -> x.future().complete(full)));
  }

  /** A: B refused a proposal. Its payments fail; later proposals are withdrawn and re-queued. */
  private void onRefuse(Refuse r) {
    Proposal refused = inFlight.remove(r.seq());
    if (refused != null) {
      IllegalStateException e = new IllegalStateException("refused by B: " + r.reason());
      refused.payments().forEach(x -> afterSync.add(() -> x.future().completeExceptionally(e)));
    }
    withdrawInFlight(r.seq());
    protocolError(r.reason());
  }

  /**
   * A: proposals after {@code seq} will never be accepted; their payments go back to the queue.
   * Their signatures stay in {@link #signedProposals}: their numbers are never signed again.
   */
  private void withdrawInFlight(long seq) {
    List<Payment> back = new ArrayList<>();
    for (Proposal p : inFlight.tailMap(seq, false).values()) {
      back.addAll(p.payments());
    }
    inFlight.tailMap(seq, false).clear();
    for (int i = back.size() - 1; i >= 0; i--) {
      queue.addFirst(back.get(i));
      queuedSum += back.get(i).amount();
    }
  }

  // ----------------------------------------------------------------------- synchronisation

  private void onSync(long peerSeq) {
    peerLatest = peerSeq;
    if (peerSeq < tentative.seq()) {
      List<SignedState> missing = new ArrayList<>();
      for (SignedState s : recent) {
        if (s.seq() > peerSeq) {
          missing.add(s);
        }
      }
      if (missing.isEmpty() || peerSeq < recentFloor) {
        protocolError("the peer is further behind than the states kept");
        return;
      }
      send(new States(missing));
    }
    if (peerSeq <= tentative.seq()) {
      markSynced();
    }
  }

  private void onStates(List<SignedState> states) {
    for (SignedState s : states) {
      if (s.seq() <= tentative.seq()) {
        continue;
      }
      if (!params.verify(s)) {
        protocolError("a state from the peer is not signed by both");
        return;
      }
      adopt(s);
    }
    if (!synced && peerLatest >= 0 && tentative.seq() >= peerLatest) {
      markSynced();
    }
  }

  private void markSynced() {
    synced = true;
    if (side == Side.A) {
      // Proposals of an earlier link: those the peer signed are now adopted, the rest are withdrawn.
      for (Iterator<Map.Entry<Long, Proposal>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, Proposal> e = it.next();
        if (e.getKey() > tentative.seq()) {
          break;
        }
        SignedState adopted = stateAt(e.getKey());
        Proposal p = e.getValue();
        if (adopted != null && adopted.state().equals(p.state())) {
          p.payments().forEach(x -> afterSync.add(() -> x.future().complete(adopted)));
        } else {
          p.payments().forEach(x -> afterSync.add(() -> x.future().completeExceptionally(
              new IllegalStateException("state " + e.getKey() + " was settled differently"))));
        }
        it.remove();
      }
      withdrawInFlight(tentative.seq());
    } else {
      outstanding.forEach((id, p) -> send(new Request(id, p.amount())));
    }
  }

  private SignedState stateAt(long seq) {
    for (SignedState s : recent) {
      if (s.seq() == seq) {
        return s;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------ cooperative close

  private void onCloseRequest(CompletableFuture<CooperativeClose> f) {
    if (isClosing()) {
      f.completeExceptionally(new IllegalStateException("the channel is already closing"));
      return;
    }
    if (link == null || !synced) {
      f.completeExceptionally(new IllegalStateException("not connected to the other party"));
      return;
    }
    if (!inFlight.isEmpty() || !queue.isEmpty() || !outstanding.isEmpty()) {
      f.completeExceptionally(new IllegalStateException("payments in flight; close when idle"));
      return;
    }
    ChannelState s = tentative.state();
    Side payer = params.payer(s);
    byte[] bundle = new byte[0];
    byte[] sig = new byte[0];
    if (payer != side.other()) {
      if (payer == side) {
        bundle = Settlement.build(params, s, side, paillier, rnd);
      }
      sig = sign(params.closeSigningBytes(s, bundleDigest(bundle)));
      markCloseSigned(s.seq());
    }
    pendingClose = new PendingClose(s, bundle, sig, f);
    send(new CloseProposal(s.seq(), bundle, sig));
  }

  private void onCloseProposal(CloseProposal m) {
    ChannelState s = tentative.state();
    String problem = isClosing() ? "already closing"
        : m.seq() != s.seq() ? "state " + m.seq() + " is not my latest state " + s.seq()
        : !inFlight.isEmpty() || !queue.isEmpty() || !outstanding.isEmpty() ? "payments in flight" : null;
    if (problem != null) {
      send(new CloseRefuse(m.seq(), problem));
      return;
    }
    Side payer = params.payer(s);
    if (payer == side) {
      byte[] bundle = Settlement.build(params, s, side, paillier, rnd);
      byte[] sig = sign(params.closeSigningBytes(s, bundleDigest(bundle)));
      markCloseSigned(s.seq());
      awaitingCountersignature = new PendingClose(s, bundle, sig, null);
      send(new CloseAccept(s.seq(), bundle, sig));
      return;
    }
    if (payer != null && !Settlement.paysExactly(params, s, m.bundle(), paillier)) {
      send(new CloseRefuse(m.seq(), "the bundle does not pay the state's amount"));
      return;
    }
    byte[] msg = params.closeSigningBytes(s, bundleDigest(m.bundle()));
    if (!params.verify(side.other(), msg, m.signature())) {
      send(new CloseRefuse(m.seq(), "the close signature does not verify"));
      return;
    }
    byte[] sig = sign(msg);
    markCloseSigned(s.seq());
    agree(s, m.bundle(), side == Side.A ? sig : m.signature(), side == Side.A ? m.signature() : sig);
    send(new CloseAccept(s.seq(), new byte[0], sig));
  }

  private void onCloseAccept(CloseAccept m) {
    PendingClose pc = pendingClose;
    PendingClose responded = awaitingCountersignature;
    if (pc == null && responded != null && m.seq() == responded.state().seq()) {
      // The initiator signed last, over the bundle this party built.
      awaitingCountersignature = null;
      byte[] msg = params.closeSigningBytes(responded.state(), bundleDigest(responded.bundle()));
      if (params.verify(side.other(), msg, m.signature())) {
        agree(responded.state(), responded.bundle(), side == Side.A ? responded.signature() : m.signature(),
            side == Side.A ? m.signature() : responded.signature());
      }
      return;
    }
    if (pc == null || m.seq() != pc.state().seq()) {
      protocolError("unexpected close acceptance");
      return;
    }
    pendingClose = null;
    ChannelState s = pc.state();
    Side payer = params.payer(s);
    byte[] bundle = payer == side.other() ? m.bundle() : pc.bundle();
    if (payer == side.other() && !Settlement.paysExactly(params, s, bundle, paillier)) {
      pc.future().completeExceptionally(new IllegalStateException("the other party's bundle does not pay the state's amount"));
      return;
    }
    byte[] msg = params.closeSigningBytes(s, bundleDigest(bundle));
    if (!params.verify(side.other(), msg, m.signature())) {
      pc.future().completeExceptionally(new IllegalStateException("the other party's close signature does not verify"));
      return;
    }
    boolean signsLast = pc.signature().length == 0;
    byte[] mine = signsLast ? sign(msg) : pc.signature();
    markCloseSigned(s.seq());
    CooperativeClose c = agree(s, bundle, side == Side.A ? mine : m.signature(), side == Side.A ? m.signature() : mine);
    if (signsLast) {
      send(new CloseAccept(s.seq(), new byte[0], mine)); // the payer gets the countersignature too
    }
    afterSync.add(() -> pc.future().complete(c));
  }

  private void onCloseRefuse(CloseRefuse m) {
    PendingClose pc = pendingClose;
    if (pc != null && pc.state().seq() == m.seq()) {
      pendingClose = null;
      // A close this party signed stays signed: it signs no later state, and closes on chain instead.
      pc.future().completeExceptionally(new IllegalStateException("the other party refused: " + m.reason()));
    }
  }

  private CooperativeClose agree(ChannelState s, byte[] bundle, byte[] sigA, byte[] sigB) {
    CooperativeClose c = new CooperativeClose(params.channelId(), s, params.payerAccount(s), params.digest(s), bundle,
        sigA, sigB);
    agreedClose = c;
    afterSync.add(() -> listeners.forEach(l -> l.onCooperativeClose(c)));
    return c;
  }

  private void markCloseSigned(long seq) {
    if (closeSignedSeq < 0) {
      staged.add(StateLog.closeSignedRecord(seq));
    }
    closeSignedSeq = seq;
  }

  static byte[] bundleDigest(byte[] bundle) {
    return bundle.length == 0 ? new byte[0] : ChannelMessages.sha256(bundle);
  }
}
