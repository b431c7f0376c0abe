package org.medledger.sdk.channel;

import java.util.concurrent.CompletableFuture;
import org.medledger.protocol.ChannelMessages;
import org.medledger.sdk.channel.Wire.CloseAccept;
import org.medledger.sdk.channel.Wire.CloseProposal;
import org.medledger.sdk.channel.Wire.CloseRefuse;

/**
 * The cooperative close of one {@link ChannelParty} (docs/payment-channels.md §3.4): either party,
 * when both are idle, proposes its latest state; the net payer builds the settlement bundle, the
 * payee checks it pays exactly the state's amount before signing, and both end up with the same
 * {@link CooperativeClose}. Engine thread only.
 *
 * <p>Its invariant: a party that signed a close signs no later state. {@link #markCloseSigned}
 * stages the close mark for the log in the round that signs, and {@link #active} (part of
 * {@link ChannelParty#isClosing}) stays true from then on, even if the other party refuses.
 */
final class CloseNegotiation {
  private record PendingClose(ChannelState state, byte[] bundle, byte[] signature,
      CompletableFuture<CooperativeClose> future) {}

  private final ChannelParty party;
  private long closeSignedSeq;
  private PendingClose pendingClose;
  /** Responder that built the bundle: its signed close, waiting for the initiator's signature. */
  private PendingClose awaitingCountersignature;
  private CooperativeClose agreedClose;

  CloseNegotiation(ChannelParty party, long closeSignedSeq) {
    this.party = party;
    this.closeSignedSeq = closeSignedSeq;
  }

  /** The number of the close this party signed, or -1. */
  long closeSignedSeq() {
    return closeSignedSeq;
  }

  /** The close both signed, or null. */
  CooperativeClose agreedClose() {
    return agreedClose;
  }

  /** Whether a close is signed, proposed or agreed: then this party signs no new state. */
  boolean active() {
    return closeSignedSeq >= 0 || pendingClose != null || agreedClose != null;
  }

  void onCloseRequest(CompletableFuture<CooperativeClose> f) {
    if (party.isClosing()) {
      f.completeExceptionally(new IllegalStateException("the channel is already closing"));
      return;
    }
    if (!party.linked() || !party.sync.synced()) {
      f.completeExceptionally(new IllegalStateException("not connected to the other party"));
      return;
    }
    if (party.payments.busy()) {
      f.completeExceptionally(new IllegalStateException("payments in flight; close when idle"));
      return;
    }
    ChannelParams params = party.params();
    Side side = party.side();
    ChannelState s = party.tentative().state();
    Side payer = params.payer(s);
    byte[] bundle = new byte[0];
    byte[] sig = new byte[0];
    if (payer != side.other()) {
      if (payer == side) {
        bundle = Settlement.build(params, s, side, party.paillier(), party.rnd());
      }
      sig = party.sign(params.closeSigningBytes(s, bundleDigest(bundle)));
      markCloseSigned(s.seq());
    }
    pendingClose = new PendingClose(s, bundle, sig, f);
    party.send(new CloseProposal(s.seq(), bundle, sig));
  }

  void onCloseProposal(CloseProposal m) {
    ChannelParams params = party.params();
    Side side = party.side();
    ChannelState s = party.tentative().state();
    String problem = party.isClosing() ? "already closing"
        : m.seq() != s.seq() ? "state " + m.seq() + " is not my latest state " + s.seq()
        : party.payments.busy() ? "payments in flight" : null;
    if (problem != null) {
      party.send(new CloseRefuse(m.seq(), problem));
      return;
    }
    Side payer = params.payer(s);
    if (payer == side) {
      byte[] bundle = Settlement.build(params, s, side, party.paillier(), party.rnd());
      byte[] sig = party.sign(params.closeSigningBytes(s, bundleDigest(bundle)));
      markCloseSigned(s.seq());
      awaitingCountersignature = new PendingClose(s, bundle, sig, null);
      party.send(new CloseAccept(s.seq(), bundle, sig));
      return;
    }
    if (payer != null && !Settlement.paysExactly(params, s, m.bundle(), party.paillier())) {
      party.send(new CloseRefuse(m.seq(), "the bundle does not pay the state's amount"));
      return;
    }
    byte[] msg = params.closeSigningBytes(s, bundleDigest(m.bundle()));
    if (!params.verify(side.other(), msg, m.signature())) {
      party.send(new CloseRefuse(m.seq(), "the close signature does not verify"));
      return;
    }
    byte[] sig = party.sign(msg);
    markCloseSigned(s.seq());
    agree(s, m.bundle(), side == Side.A ? sig : m.signature(), side == Side.A ? m.signature() : sig);
    party.send(new CloseAccept(s.seq(), new byte[0], sig));
  }

  void onCloseAccept(CloseAccept m) {
    ChannelParams params = party.params();
    Side side = party.side();
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
      party.protocolError("unexpected close acceptance");
      return;
    }
    pendingClose = null;
    ChannelState s = pc.state();
    Side payer = params.payer(s);
    byte[] bundle = payer == side.other() ? m.bundle() : pc.bundle();
    if (payer == side.other() && !Settlement.paysExactly(params, s, bundle, party.paillier())) {
      pc.future().completeExceptionally(new IllegalStateException("the other party's bundle does not pay the state's amount"));
      return;
    }
    byte[] msg = params.closeSigningBytes(s, bundleDigest(bundle));
    if (!params.verify(side.other(), msg, m.signature())) {
      pc.future().completeExceptionally(new IllegalStateException("the other party's close signature does not verify"));
      return;
    }
    boolean signsLast = pc.signature().length == 0;
    byte[] mine = signsLast ? party.sign(msg) : pc.signature();
    markCloseSigned(s.seq());
    CooperativeClose c = agree(s, bundle, side == Side.A ? mine : m.signature(), side == Side.A ? m.signature() : mine);
    if (signsLast) {
      party.send(new CloseAccept(s.seq(), new byte[0], mine)); // the payer gets the countersignature too
    }
    party.afterSync(() -> pc.future().complete(c));
  }

  void onCloseRefuse(CloseRefuse m) {
    PendingClose pc = pendingClose;
    if (pc != null && pc.state().seq() == m.seq()) {
      pendingClose = null;
      // A close this party signed stays signed: it signs no later state, and closes on chain instead.
      pc.future().completeExceptionally(new IllegalStateException("the other party refused: " + m.reason()));
    }
  }

  private CooperativeClose agree(ChannelState s, byte[] bundle, byte[] sigA, byte[] sigB) {
    ChannelParams params = party.params();
    CooperativeClose c = new CooperativeClose(params.channelId(), s, params.payerAccount(s), params.digest(s), bundle,
        sigA, sigB);
    agreedClose = c;
    party.afterSync(() -> party.notifyListeners(l -> l.onCooperativeClose(c)));
    return c;
  }

  private void markCloseSigned(long seq) {
    if (closeSignedSeq < 0) {
      party.stage(StateLog.closeSignedRecord(seq));
    }
    closeSignedSeq = seq;
  }

  /** The digest of a settlement bundle as the close message covers it (empty for no bundle). */
  static byte[] bundleDigest(byte[] bundle) {
    return bundle.length == 0 ? new byte[0] : ChannelMessages.sha256(bundle);
  }
}
