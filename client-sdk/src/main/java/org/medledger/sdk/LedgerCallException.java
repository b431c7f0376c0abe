package org.medledger.sdk;

/**
 * A ledger call did not succeed. {@link #kind()} says whether the chaincode refused it (with its
 * stable {@link #errorCode()}), whether it lost an MVCC race and can be rebuilt and resubmitted,
 * or whether the connection failed; {@link #committed()} says whether it is known to be on the
 * ledger, so a caller never guesses whether a payment went through.
 */
public final class LedgerCallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The chaincode refused the request; nothing was written. */
    REFUSED,
    /** The transaction was ordered but invalidated because state it read had moved; nothing was written. */
    CONFLICT,
    /** The connection failed or timed out; whether the transaction committed is unknown. */
    UNAVAILABLE
  }

  /** Whether the transaction is on the ledger: never for REFUSED and CONFLICT, unknown otherwise. */
  public enum Committed {
    NO,
    UNKNOWN
  }

  private final Kind kind;
  private final String errorCode;
  private final String txId;

  public LedgerCallException(Kind kind, String errorCode, String txId, String message) {
    super(kind + (errorCode.isEmpty() ? "" : " " + errorCode) + (txId.isEmpty() ? "" : " (tx " + txId + ")") + ": " + message);
    this.kind = kind;
    this.errorCode = errorCode;
    this.txId = txId;
  }

  public Kind kind() {
    return kind;
  }

  /** The chaincode's error code (docs/chaincode.md §6) for REFUSED, the validation code for CONFLICT. */
  public String errorCode() {
    return errorCode;
  }

  public String txId() {
    return txId;
  }

  public Committed committed() {
    return kind == Kind.UNAVAILABLE ? Committed.UNKNOWN : Committed.NO;
  }
}
