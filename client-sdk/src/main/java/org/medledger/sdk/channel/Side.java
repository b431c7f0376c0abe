package org.medledger.sdk.channel;

/**
 * Which party of a channel: A proposes every state, B accepts (docs/payment-channels.md §3).
 * B pays A by asking A to propose a state that includes its payment.
 */
public enum Side {
  A,
  B;

  public Side other() {
    return this == A ? B : A;
  }
}
