package org.medledger.crypto;

/** A zero-knowledge proof did not verify; the message names the check that failed. */
public final class ProofException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public ProofException(String code, String message) {
    super(code, message);
  }
}
