package org.medledger.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * A ledger call did not succeed (docs/client-sdk.md §4.2). {@link #kind()} says what happened: the
 * chaincode refused it with its stable {@link #errorCode()}, the network refused it, it lost an
 * MVCC race, the peer could not be reached, or a deadline passed. {@link #committed()} says
 * whether the transaction can be on the ledger, so a caller never guesses whether a payment went
 * through: {@code NO} means it is not and never will be; {@code UNKNOWN} means it may be, or may
 * still become so, and {@link #txId()} names the transaction to look up.
 */
public final class LedgerCallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The chaincode refused the request with one of its error codes; nothing was written. */
    REFUSED,
    /**
     * The gateway, a peer or the orderer refused the call for a reason outside the chaincode's
     * error codes (access denied, unknown channel or chaincode, endorsement policy, another
     * validation code than an MVCC one); nothing was written. The code is the gRPC status or the
     * transaction validation code.
     */
    REJECTED,
    /** The transaction was ordered but invalidated because state it read had moved; nothing was written. */
    CONFLICT,
    /** The peer or orderer could not be reached or the connection failed. */
    UNAVAILABLE,
    /** A deadline passed; {@link #committed()} says whether the transaction can still be on the ledger. */
    TIMEOUT
  }

  /**
   * Whether the transaction is on the ledger. A committed transaction is returned, never thrown,
   * so an exception says either that it is not ({@code NO}) or that nobody knows yet ({@code
   * UNKNOWN}).
   */
  public enum Committed {
    /** Not on the ledger and never will be: it was refused, invalidated, or never sent to the orderer. */
    NO,
    /** Sent to the orderer, outcome not seen: look up {@link #txId()} before trying again. */
    UNKNOWN
  }

  private final Kind kind;
  private final String errorCode;
  private final String txId;
  private final Committed committed;
  private final transient PendingPayment pending;

  /** An exception with the usual commit state of its kind: UNKNOWN for UNAVAILABLE and TIMEOUT, else NO. */
  public LedgerCallException(Kind kind, String errorCode, String txId, String message) {
    this(kind, errorCode, txId, kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT ? Committed.UNKNOWN : Committed.NO, message);
  }

  public LedgerCallException(Kind kind, String errorCode, String txId, Committed committed, String message) {
    this(kind, errorCode, txId, committed, message, null);
  }

  public LedgerCallException(Kind kind, String errorCode, String txId, Committed committed, String message, Throwable cause) {
    this(kind, errorCode, txId, committed, message, cause, null);
  }

  /** A payment of unknown outcome: {@code pending} names its nonce and every attempt to look up later. */
  public LedgerCallException(Kind kind, String errorCode, String txId, String message, Throwable cause, PendingPayment pending) {
    this(kind, errorCode, txId, Committed.UNKNOWN, message, cause, Objects.requireNonNull(pending, "pending"));
  }

  private LedgerCallException(Kind kind, String errorCode, String txId, Committed committed, String message, Throwable cause,
      PendingPayment pending) {
    super(kind + (errorCode.isEmpty() ? "" : " " + errorCode) + (txId.isEmpty() ? "" : " (tx " + txId + ")")
        + ": " + message + outcome(kind, committed, txId), cause);
    if ((kind == Kind.REFUSED || kind == Kind.REJECTED || kind == Kind.CONFLICT) && committed != Committed.NO) {
      throw new IllegalArgumentException(kind + " means nothing was written");
    }
    this.kind = kind;
    this.errorCode = errorCode;
    this.txId = txId;
    this.committed = committed;
    this.pending = pending;
  }

  private static String outcome(Kind kind, Committed committed, String txId) {
    if (kind != Kind.UNAVAILABLE && kind != Kind.TIMEOUT) {
      return "";
    }
    if (committed == Committed.NO) {
      return " [not committed]";
    }
    return txId.isEmpty() ? " [commit unknown]" : " [commit unknown: check tx " + txId + " before retrying]";
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The chaincode's error code (docs/chaincode.md §6) for REFUSED, the validation code for CONFLICT
   * and for REJECTED at commit, the gRPC status otherwise; empty if none applies.
   */
  public String errorCode() {
    return errorCode;
  }

  /** The transaction id, empty for calls that have none (an evaluation on the embedded ledger). */
  public String txId() {
    return txId;
  }

  public Committed committed() {
    return committed;
  }

  /**
   * For a payment ({@link AccountClient#pay}) of unknown outcome: its nonce and the ids of every
   * attempt that may commit, to pass to {@link AccountClient#paymentStatus(PendingPayment)} later.
   */
  public Optional<PendingPayment> pending() {
    return Optional.ofNullable(pending);
  }
}
