package org.medledger.sdk;

/**
 * A decrypted record failed a client-side check (docs/records.md §2): its segments do not
 * reassemble ({@code RECORD_CORRUPT}) or its plaintext does not match the commitment the author
 * signed ({@code COMMITMENT_MISMATCH}). Nothing is returned for such a record.
 */
public final class RecordIntegrityException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String recordId;

  public RecordIntegrityException(String code, String recordId, String message) {
    super(code + ": record " + recordId + ": " + message);
    this.code = code;
    this.recordId = recordId;
  }

  public String code() {
    return code;
  }

  public String recordId() {
    return recordId;
  }
}
