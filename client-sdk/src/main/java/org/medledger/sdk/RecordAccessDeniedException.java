package org.medledger.sdk;

/**
 * The chaincode denied a read (docs/records.md §4). Unlike a {@link LedgerCallException}, the
 * read transaction committed: the denial is in the access trail under {@link #txId()}, with the
 * stable {@link #code()} (UNKNOWN_GRANT, NOT_GRANTEE, GRANT_REVOKED, GRANT_EXPIRED,
 * UNKNOWN_RECORD, OUT_OF_SCOPE or NO_COPY).
 */
public final class RecordAccessDeniedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String txId;

  public RecordAccessDeniedException(String code, String txId, String grantId, String recordId) {
    super(code + ": read of " + recordId + " under " + grantId + " denied and logged (tx " + txId + ")");
    this.code = code;
    this.txId = txId;
  }

  public String code() {
    return code;
  }

  /** The committed transaction that logged the denial. */
  public String txId() {
    return txId;
  }
}
