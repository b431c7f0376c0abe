package org.medledger.sdk.channel;

import java.util.ArrayList;
import java.util.List;
import org.medledger.sdk.channel.Wire.States;

/**
 * The resynchronisation of one {@link ChannelParty} on every new link (docs/payment-channels.md
 * §3.3): both send {@code Sync} with their latest state signed by both; the side with more states
 * sends the missing ones, which the other verifies and adopts as successors. Once this party holds
 * at least the peer's latest state the link is synced, and the payments of the earlier link are
 * settled ({@link PaymentFlow#resynchronised}). Engine thread only.
 */
final class StateSync {
  private final ChannelParty party;
  private boolean synced;
  private long peerLatest = -1;

  StateSync(ChannelParty party) {
    this.party = party;
  }

  /** Whether the current link finished resynchronising: B signs, A proposes only then. */
  boolean synced() {
    return synced;
  }

  /** A new link: nothing is known of the peer yet. */
  void attached() {
    synced = false;
    peerLatest = -1;
  }

  /** The link is gone. */
  void detached() {
    synced = false;
  }

  void onSync(long peerSeq) {
    peerLatest = peerSeq;
    SignedState latest = party.tentative();
    if (peerSeq < latest.seq()) {
      List<SignedState> missing = new ArrayList<>();
      for (SignedState s : party.recent()) {
        if (s.seq() > peerSeq) {
          missing.add(s);
        }
      }
      if (missing.isEmpty() || peerSeq < party.recentFloor()) {
        party.protocolError("the peer is further behind than the states kept");
        return;
      }
      party.send(new States(missing));
    }
    if (peerSeq <= latest.seq()) {
      markSynced();
    }
  }

  void onStates(List<SignedState> states) {
    for (SignedState s : states) {
      if (s.seq() <= party.tentative().seq()) {
        continue;
      }
      if (!party.params().verify(s)) {
        party.protocolError("a state from the peer is not signed by both");
        return;
      }
      party.payments.adoptingFromPeer(s);
      party.adopt(s);
    }
    party.payments.settleInFlightUpToLatest();
    if (!synced && peerLatest >= 0 && party.tentative().seq() >= peerLatest) {
      markSynced();
    }
  }

  private void markSynced() {
    synced = true;
    party.payments.resynchronised();
  }
}
