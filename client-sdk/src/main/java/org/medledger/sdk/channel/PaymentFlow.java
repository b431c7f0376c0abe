package org.medledger.sdk.channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.medledger.sdk.channel.Wire.Accept;
import org.medledger.sdk.channel.Wire.Propose;
import org.medledger.sdk.channel.Wire.Refuse;
import org.medledger.sdk.channel.Wire.Reject;
import org.medledger.sdk.channel.Wire.Request;

/**
 * The payments of one {@link ChannelParty} (docs/payment-channels.md §3.2): A's queue, its
 * proposals in flight and every proposal it signed; B's outstanding requests and its signing of A's
 * proposals. Engine thread only: every method runs inside a round of the party's engine, stages its
 * records and messages in that round, and completes futures only after the round's sync.
 *
 * <p>A's invariant lives here: each proposal takes the number after the highest A has ever signed
 * ({@link #highestSigned}, withdrawn proposals included), is staged for the log in the round that
 * sends it, and no number is more than {@code depth} beyond A's latest state signed by both.
 */
final class PaymentFlow {
  /** One payment of this party and the future its caller holds. */
  record Payment(long amount, CompletableFuture<SignedState> future) {}

  /**
   * A: a proposal sent and not yet accepted, the payments it carries, the bytes both sign, the
   * message as sent and the state it was built on (both null for a proposal recovered from the log).
   */
  record Proposal(ChannelState state, byte[] sigA, List<Payment> payments, byte[] message, Propose wire,
      ChannelState base) {}

  private final ChannelParty party;
  /** A: proposals sent and not yet accepted, by sequence number. */
  private final TreeMap<Long, Proposal> inFlight = new TreeMap<>();
  /**
   * A: the proposal it signed for each sequence number beyond its latest (persisted), withdrawn
   * ones included: B may still hold A's signature on them, and a number is never signed again.
   */
  private final TreeMap<Long, StateLog.Proposal> signedProposals = new TreeMap<>();
  /**
   * A: proposals withdrawn after a resynchronisation, with what it needs to send one again
   * verbatim when it is stalled ({@link #resendIfStalled}); above its latest state only.
   */
  private final TreeMap<Long, Proposal> withdrawn = new TreeMap<>();
  /**
   * A: payments a state from the peer turned out to carry (one of A's withdrawn proposals, revealed
   * signed by B after B said it lacked it): never queued again. By identity; cleared at each sync.
   */
  private final Set<Payment> settledOnSync = Collections.newSetFromMap(new IdentityHashMap<>());
  /** A: the number of the withdrawn proposal it sent again, or -1. */
  private long resentSeq = -1;
  /** A: its own payments not yet proposed. */
  private final ArrayDeque<Payment> queue = new ArrayDeque<>();
  /** A: B's payment requests not yet proposed, id → amount. */
  private final LinkedHashMap<Long, Long> requests = new LinkedHashMap<>();
  /** B: its payment requests not yet in a state, id → payment. */
  private final LinkedHashMap<Long, Payment> outstanding = new LinkedHashMap<>();
  /** Sums of {@link #queue} and {@link #outstanding}, kept with them. */
  private long queuedSum;
  private long outstandingSum;

  PaymentFlow(ChannelParty party) {
    this.party = party;
  }

  /** A restarted A: proposals recovered from the log were sent on a link that is gone; the next sync settles them. */
  void restore(Map<Long, StateLog.Proposal> proposals) {
    ChannelParams params = party.params();
    signedProposals.putAll(proposals);
    proposals.forEach((seq, p) -> inFlight.put(seq, new Proposal(p.state(), p.sigA(), List.of(),
        params.signingBytes(p.state()), null, null)));
  }

  /** Whether anything is in flight, queued or outstanding: a cooperative close waits for idle. */
  boolean busy() {
    return !inFlight.isEmpty() || !queue.isEmpty() || !outstanding.isEmpty();
  }

  /** A: the highest sequence number it has signed, a state signed by both or a proposal. */
  long highestSigned() {
    long latest = party.tentative().seq();
    return signedProposals.isEmpty() ? latest : Math.max(latest, signedProposals.lastKey());
  }

  /** A: the proposal it signed under {@code seq} and still keeps, if any. */
  StateLog.Proposal signedProposal(long seq) {
    return signedProposals.get(seq);
  }

  /** A: every signed proposal it keeps (for compaction). */
  List<StateLog.Proposal> signedProposals() {
    return List.copyOf(signedProposals.values());
  }

  /** A state signed by both up to {@code seq} supersedes the proposals up to it. */
  void superseded(long seq) {
    signedProposals.headMap(seq, true).clear();
    withdrawn.headMap(seq, true).clear();
  }

  /** A link came or went: B's requests of the old link are forgotten; B sends them again after the next sync. */
  void linkChanged() {
    requests.clear();
  }

  private ChannelState head() {
    return inFlight.isEmpty() ? party.tentative().state() : inFlight.lastEntry().getValue().state();
  }

  void onPay(long amount, CompletableFuture<SignedState> f) {
    if (amount < 1) {
      f.completeExceptionally(new IllegalArgumentException("a payment is at least 1"));
      return;
    }
    if (party.isClosing() || !party.running()) {
      f.completeExceptionally(new IllegalStateException("the channel is closing"));
      return;
    }
    if (party.side() == Side.A) {
      if (amount > head().balanceA() - queuedSum) {
        f.completeExceptionally(new IllegalArgumentException("insufficient channel balance"));
        return;
      }
      queue.addLast(new Payment(amount, f));
      queuedSum += amount;
    } else {
      if (amount > party.tentative().state().balanceB() - outstandingSum) {
        f.completeExceptionally(new IllegalArgumentException("insufficient channel balance"));
        return;
      }
      long id = party.rnd().nextLong();
      outstanding.put(id, new Payment(amount, f));
      outstandingSum += amount;
      if (party.sync.synced() && party.linked()) {
        party.send(new Request(id, amount));
      }
    }
  }

  /** A: turn queued payments and B's requests into proposals, up to {@code depth} in flight. */
  void pump() {
    if (party.side() != Side.A || !party.linked() || !party.sync.synced() || party.isClosing()) {
      return;
    }
    ChannelParams params = party.params();
    int maxPerState = party.options().maxPaymentsPerState();
    while (highestSigned() - party.tentative().seq() < params.depth() && (!queue.isEmpty() || !requests.isEmpty())) {
      ChannelState head = head();
      long balA = head.balanceA();
      long balB = head.balanceB();
      List<Payment> pays = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      int n = 0;
      while (n < maxPerState && !queue.isEmpty()) {
        Payment p = queue.pollFirst();
        queuedSum -= p.amount();
        if (p.amount() > balA) {
          party.afterSync(() -> p.future().completeExceptionally(new IllegalArgumentException("insufficient channel balance")));
          continue;
        }
        balA -= p.amount();
        balB += p.amount();
        pays.add(p);
        n++;
      }
      Iterator<Map.Entry<Long, Long>> it = requests.entrySet().iterator();
      while (n < maxPerState && it.hasNext()) {
        Map.Entry<Long, Long> r = it.next();
        it.remove();
        if (r.getValue() > balB) {
          party.send(new Reject(r.getKey(), "insufficient channel balance"));
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
      byte[] sigA = party.sign(message);
      Propose wire = new Propose(next.seq(), balA, balB, ids.stream().mapToLong(Long::longValue).toArray(), sigA);
      party.stage(StateLog.proposalRecord(next, sigA));
      inFlight.put(next.seq(), new Proposal(next, sigA, pays, message, wire, head));
      signedProposals.put(next.seq(), new StateLog.Proposal(next, sigA));
      party.send(wire);
    }
  }

  void onRequest(Request r) {
    if (party.isClosing()) {
      party.send(new Reject(r.id(), "the channel is closing"));
      return;
    }
    if (r.amount() < 1) {
      party.send(new Reject(r.id(), "a payment is at least 1"));
      return;
    }
    Proposal resent = inFlight.get(resentSeq);
    if (resent != null && names(resent.wire(), r.id())) {
      return; // B asks again for what the proposal sent again already pays
    }
    requests.putIfAbsent(r.id(), r.amount());
  }

  void onReject(Reject r) {
    Payment p = outstanding.remove(r.id());
    if (p != null) {
      outstandingSum -= p.amount();
      party.afterSync(() -> p.future().completeExceptionally(new IllegalStateException("rejected by A: " + r.reason())));
    }
  }

  /**
   * B: sign a proposal that is the successor of its latest state, changes something and takes only
   * what B asked for ({@link ProposalCheck}).
   */
  void onPropose(Propose m) {
    ChannelParams params = party.params();
    String problem = ProposalCheck.problem(params, party.isClosing(), party.sync.synced(), party.tentative().state(),
        id -> outstanding.containsKey(id) ? outstanding.get(id).amount() : null, m);
    byte[] message = null;
    if (problem == null) {
      message = params.signingBytes(new ChannelState(m.seq(), m.balanceA(), m.balanceB()));
      if (!params.verify(Side.A, message, m.sigA())) {
        problem = ProposalCheck.Code.BAD_SIGNATURE.reason("A's signature does not verify");
      }
    }
    if (problem != null) {
      party.send(new Refuse(m.seq(), problem));
      party.protocolError(problem);
      return;
    }
    ChannelState s = new ChannelState(m.seq(), m.balanceA(), m.balanceB());
    SignedState full = new SignedState(s, m.sigA(), party.sign(message));
    party.adopt(full);
    for (long id : m.requestIds()) {
      Payment p = outstanding.remove(id);
      outstandingSum -= p.amount();
      party.afterSync(() -> p.future().complete(full));
    }
    party.send(new Accept(m.seq(), full.sigB()));
  }

  /** A: B signed the oldest proposal in flight. */
  void onAccept(Accept a) {
    Map.Entry<Long, Proposal> first = inFlight.firstEntry();
    if (first == null || first.getKey() != a.seq() || first.getKey() <= party.tentative().seq()) {
      party.protocolError("unexpected acceptance of state " + a.seq());
      return;
    }
    Proposal p = first.getValue();
    if (!party.params().verify(Side.B, p.message(), a.sigB())) {
      party.protocolError("B's signature does not verify");
      return;
    }
    inFlight.pollFirstEntry();
    SignedState full = new SignedState(p.state(), p.sigA(), a.sigB());
    party.adopt(full);
    p.payments().forEach(x -> party.afterSync(() -> x.future().complete(full)));
  }

  /**
   * A: B refused a proposal. Its payments fail; later proposals are withdrawn and re-queued. A
   * refusal of the proposal A sent again ({@link #resendIfStalled}) proves nothing: B held A's
   * signature on it before, and may still show it signed. That proposal is withdrawn again, as it
   * was before A sent it again, and its payments wait in the queue rather than fail.
   */
  void onRefuse(Refuse r) {
    if (r.seq() == resentSeq && inFlight.containsKey(r.seq())) {
      withdrawInFlight(r.seq() - 1);
      party.protocolError(r.reason());
      return;
    }
    Proposal refused = inFlight.remove(r.seq());
    if (refused != null) {
      IllegalStateException e = new IllegalStateException("refused by B: " + r.reason());
      refused.payments().forEach(x -> party.afterSync(() -> x.future().completeExceptionally(e)));
    }
    withdrawInFlight(r.seq());
    party.protocolError(r.reason());
  }

  /**
   * A: proposals after {@code seq} will never be accepted; their payments go back to the queue.
   * Their signatures stay in {@link #signedProposals}: their numbers are never signed again.
   */
  private void withdrawInFlight(long seq) {
    List<Payment> back = new ArrayList<>();
    for (Proposal p : inFlight.tailMap(seq, false).values()) {
      for (Payment x : p.payments()) {
        if (!settledOnSync.contains(x)) {
          back.add(x);
        }
      }
      withdrawn.put(p.state().seq(), p);
    }
    inFlight.tailMap(seq, false).clear();
    for (int i = back.size() - 1; i >= 0; i--) {
      queue.addFirst(back.get(i));
      queuedSum += back.get(i).amount();
    }
  }

  /**
   * The link is synchronised. A settles its proposals of an earlier link: those the peer signed are
   * now adopted and their payments complete, the rest are withdrawn and their payments re-queued.
   * B sends its outstanding requests again.
   */
  void resynchronised() {
    if (party.side() == Side.A) {
      long latest = party.tentative().seq();
      settleInFlightUpToLatest();
      withdrawInFlight(latest);
      settledOnSync.clear();
      resendIfStalled();
    } else {
      outstanding.forEach((id, p) -> party.send(new Request(id, p.amount())));
    }
  }

  /**
   * A: proposals in flight numbered up to its latest state are over: those the peer signed (the
   * latest state or one it keeps) complete their payments, the others fail. Runs at every sync and
   * after every state adopted from the peer's {@code States}: a B may send those after the sync,
   * while a proposal A sent again ({@link #resendIfStalled}, numbered below the withdrawn proposal B
   * reveals) is still in flight, and the next proposal must be built on the latest state, not on
   * that older proposal.
   */
  void settleInFlightUpToLatest() {
    if (party.side() != Side.A) {
      return;
    }
    long latest = party.tentative().seq();
    for (Iterator<Map.Entry<Long, Proposal>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Proposal> e = it.next();
      if (e.getKey() > latest) {
        break;
      }
      SignedState adopted = party.stateAt(e.getKey());
      Proposal p = e.getValue();
      if (adopted != null && adopted.state().equals(p.state())) {
        p.payments().forEach(x -> party.afterSync(() -> x.future().complete(adopted)));
      } else {
        p.payments().forEach(x -> party.afterSync(() -> x.future().completeExceptionally(
            new IllegalStateException("state " + e.getKey() + " was settled differently"))));
      }
      it.remove();
    }
  }

  /**
   * A: the peer sent {@code s} to resynchronise and A is about to adopt it. When {@code s} is a
   * proposal A withdrew (B said it lacked it, and now shows it signed), the payments of that
   * proposal and of the proposals it was built on are paid by {@code s}: they complete with it and
   * are never proposed again, although A had put them back in its queue (and perhaps into a later
   * proposal). Without this a B that lies in its Sync is paid twice for one payment. The chain is
   * followed through A's own proposals (withdrawn or in flight) as far as it goes, not only down to
   * A's latest state: a revealed proposal may be a sibling of that state, built on an older state
   * signed by both (B revealed 1 = {5} on 0, then 2 = {5, 7} also on 0). Each proposal's state is
   * its base plus its own payments, so every payment met on the way is in {@code s}, whatever
   * the chain ends on. The same holds for a proposal still in flight that B shows signed without
   * the ones it was built on (only 2 of 1 and 2): their payments are in it too, and complete with
   * it rather than fail as "settled differently". Called before {@link ChannelParty#adopt}.
   */
  void adoptingFromPeer(SignedState s) {
    if (party.side() != Side.A || !withdrawn.containsKey(s.seq()) && !inFlight.containsKey(s.seq())) {
      return;
    }
    List<Payment> paid = new ArrayList<>();
    ChannelState at = s.state();
    while (at.seq() > 0) {
      Proposal p = withdrawn.containsKey(at.seq()) ? withdrawn.get(at.seq()) : inFlight.get(at.seq());
      if (p == null || p.base() == null || !p.state().equals(at)) {
        break; // not one of A's own proposals (a state signed by both, or recovered from the log)
      }
      paid.addAll(p.payments());
      at = p.base();
    }
    for (Payment x : paid) {
      if (settledOnSync.add(x) && queue.remove(x)) {
        queuedSum -= x.amount();
      }
      party.afterSync(() -> x.future().complete(s));
    }
  }

  /**
   * A: when it may sign no new number (every number up to {@code depth} beyond its latest state is
   * burned by withdrawn proposals, docs/payment-channels.md §3.2), it sends the lowest-numbered
   * withdrawn proposal that was built on its latest state and whose payments all still wait in the
   * queue again, verbatim: same number, state, request ids and signature, so it signs nothing new.
   * Its payments leave the queue with it. An honest B that never received it signs it (B skips
   * numbers A withdrew), and the window moves on. Usually that is number latest + 1; after a first
   * stall it may be a later one (latest + 1 was built on an older state).
   */
  private void resendIfStalled() {
    ChannelState latest = party.tentative().state();
    if (party.isClosing() || highestSigned() - latest.seq() < party.params().depth()) {
      return;
    }
    Proposal p = null;
    for (Proposal w : withdrawn.tailMap(latest.seq(), false).values()) {
      if (canSendAgain(w, latest)) {
        p = w;
        break;
      }
    }
    if (p == null) {
      return;
    }
    for (Payment x : p.payments()) {
      queue.remove(x);
      queuedSum -= x.amount();
    }
    for (long id : p.wire().requestIds()) {
      requests.remove(id);
    }
    withdrawn.remove(p.state().seq());
    inFlight.put(p.state().seq(), p);
    resentSeq = p.state().seq();
    party.send(p.wire());
  }

  /** Whether {@code p} was built on {@code latest} and every payment it carries still waits in the queue. */
  private boolean canSendAgain(Proposal p, ChannelState latest) {
    if (p.wire() == null || p.base() == null || !p.base().equals(latest)) {
      return false;
    }
    for (Payment x : p.payments()) {
      if (x.future().isDone() || !queue.contains(x)) {
        return false;
      }
    }
    return true;
  }

  private static boolean names(Propose p, long requestId) {
    for (long id : p.requestIds()) {
      if (id == requestId) {
        return true;
      }
    }
    return false;
  }

  /** Fails every payment this party still waits for (shutdown, log failure). */
  void failQueued(String why) {
    IllegalStateException e = failUnproposed(why);
    for (Proposal p : inFlight.values()) {
      p.payments().forEach(x -> party.afterSync(() -> x.future().completeExceptionally(e)));
    }
    inFlight.clear();
  }

  /** Fails A's queued payments and B's outstanding requests: those that are in no proposal. */
  IllegalStateException failUnproposed(String why) {
    IllegalStateException e = new IllegalStateException(why);
    queue.forEach(p -> party.afterSync(() -> p.future().completeExceptionally(e)));
    queue.clear();
    queuedSum = 0;
    outstanding.values().forEach(p -> party.afterSync(() -> p.future().completeExceptionally(e)));
    outstanding.clear();
    outstandingSum = 0;
    return e;
  }
}
