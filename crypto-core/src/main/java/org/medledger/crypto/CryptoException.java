package org.medledger.crypto;

/** Base of every failure raised by crypto-core; {@link #code()} is stable and safe to show. */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public CryptoException(String code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public CryptoException(String code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  /** A stable, machine-readable error code such as {@code MALFORMED_CIPHERTEXT}. */
  public String code() {
    return code;
  }
}
