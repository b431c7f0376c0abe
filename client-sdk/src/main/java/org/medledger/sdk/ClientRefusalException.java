package org.medledger.sdk;

import java.util.Objects;

/**
 * The client refused a call on its own, by a check of its inputs or of what it read from the
 * ledger, and sent nothing that could change the ledger (docs/client-sdk.md §3.3). The message is
 * {@code CODE: detail}.
 */
public final class ClientRefusalException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ClientError code;
  private final String detail;

  public ClientRefusalException(ClientError code, String detail) {
    super(Objects.requireNonNull(code, "code").name() + ": " + detail);
    this.code = code;
    this.detail = detail;
  }

  /** Why the call was refused. */
  public ClientError errorCode() {
    return code;
  }

  /** The message without its code. */
  public String detail() {
    return detail;
  }
}
