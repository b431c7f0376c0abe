package org.medledger.sdk.channel;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongFunction;
import org.medledger.sdk.channel.Wire.Propose;

/**
 * B's rules for signing a proposal (docs/payment-channels.md §3.2), signature aside. A refusal's
 * reason on the wire ({@link Wire.Refuse}) starts with the stable {@link Code} name, then ": " and
 * a human-readable detail.
 */
final class ProposalCheck {
  /** Why B refuses a proposal; the names are stable on the wire. */
  enum Code {
    /** B has stopped signing: it is closing the channel (on chain or cooperatively). */
    CLOSING,
    /** The link has not finished resynchronising. */
    NOT_SYNCED,
    /** The number is not after B's latest state. */
    NOT_AFTER_LATEST,
    /** The number is more than the depth beyond B's latest state. */
    BEYOND_DEPTH,
    /** The balances are negative or do not sum to the deposits. */
    BAD_BALANCES,
    /** A request id is not an outstanding request of B, or is named twice. */
    UNKNOWN_REQUEST,
    /** The state takes from B more than the requests it names. */
    TAKES_TOO_MUCH,
    /** The state moves no money and settles no request: it would only raise the number. */
    NO_CHANGE,
    /** A's signature does not verify. */
    BAD_SIGNATURE;

    String reason(String detail) {
      return name() + ": " + detail;
    }
  }

  private ProposalCheck() {}

  /**
   * Why B must refuse {@code m}, or null if it is an honest successor of {@code latest}.
   * {@code outstanding} gives the amount of each of B's outstanding requests (null if none).
   */
  static String problem(ChannelParams params, boolean closing, boolean synced, ChannelState latest,
      LongFunction<Long> outstanding, Propose m) {
    if (closing) {
      return Code.CLOSING.reason("B is closing the channel");
    }
    if (!synced) {
      return Code.NOT_SYNCED.reason("B is not synchronised");
    }
    if (m.seq() <= latest.seq()) {
      return Code.NOT_AFTER_LATEST.reason("state " + m.seq() + " is not after state " + latest.seq());
    }
    if (m.seq() - latest.seq() > params.depth()) {
      return Code.BEYOND_DEPTH.reason("state " + m.seq() + " is more than depth " + params.depth() + " beyond state "
          + latest.seq());
    }
    if (m.balanceA() < 0 || m.balanceB() < 0 || m.balanceA() + m.balanceB() != params.total()) {
      return Code.BAD_BALANCES.reason("the balances do not sum to the deposits");
    }
    long debit = 0;
    Set<Long> seen = new HashSet<>();
    for (long id : m.requestIds()) {
      Long amount = outstanding.apply(id);
      if (amount == null || !seen.add(id)) {
        return Code.UNKNOWN_REQUEST.reason("request " + id + " is not an outstanding request of B");
      }
      debit += amount;
    }
    long received = m.balanceB() - latest.balanceB() + debit;
    if (received < 0) {
      return Code.TAKES_TOO_MUCH.reason("the state takes more from B than B asked to pay");
    }
    if (m.requestIds().length == 0 && m.balanceB() == latest.balanceB()) {
      return Code.NO_CHANGE.reason("state " + m.seq() + " changes nothing in state " + latest.seq());
    }
    return null;
  }
}
