package org.medledger.crypto.threshold;

import org.medledger.crypto.CryptoException;

/**
 * A decryption share, a re-sharing message or a sub-share was refused; {@link #member()} names the
 * committee member it came from (docs/protocol.md §10.6), so the caller can exclude that member.
 */
public final class InvalidShareException extends CryptoException {
  private static final long serialVersionUID = 1L;
  private final int member;

  public InvalidShareException(String code, int member, String message) {
    super(code, "member " + member + ": " + message);
    this.member = member;
  }

  /** The 1-based index of the member whose contribution was refused. */
  public int member() {
    return member;
  }
}
