package org.medledger.crypto;

/** An encoding, key, ciphertext or parameter failed validation before any use. */
public final class MalformedInputException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public MalformedInputException(String code, String message) {
    super(code, message);
  }

  public MalformedInputException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
