package org.medledger.sdk;

/** A keystore could not be read or written; {@link #code()} says why, the message says what to do. */
public final class KeystoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a keystore operation failed. */
  public enum Code {
    /** The password is wrong, or the encrypted part of the file was altered. */
    WRONG_PASSWORD_OR_DAMAGED,
    /** The file is not a readable keystore (not JSON, missing or malformed fields). */
    CORRUPT,
    /** A format or version this build does not read. */
    UNSUPPORTED,
    /** The file asks for KDF parameters below the accepted minimum (a downgrade). */
    WEAK_PARAMETERS,
    /** Reading or writing the file failed. */
    IO
  }

  private final Code code;

  public KeystoreException(Code code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public KeystoreException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
