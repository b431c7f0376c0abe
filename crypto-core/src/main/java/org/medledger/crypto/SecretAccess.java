package org.medledger.crypto;

/**
 * The token every read of secret key material must present, after Tink's {@code SecretKeyAccess}.
 * An accessor that returns a secret (the Paillier factors and encoding, a threshold key share, an
 * account's signing key or seed, a record opening) takes a {@code SecretAccess} parameter and
 * refuses {@code null}; the only way to obtain one is {@link #explicit()}. So
 * {@code grep -rn SecretAccess} lists every place that reads a secret, and a reviewer can check
 * each of them. Using a key (decrypting, proving, signing through a key object) needs no token:
 * only taking its raw material out does. The token is a visibility marker, not a security
 * boundary against code in the same JVM, which could always use reflection. docs/client-sdk.md §1.1
 * lists what is secret and how it is read.
 */
public final class SecretAccess {
  private static final SecretAccess TOKEN = new SecretAccess();

  private SecretAccess() {}

  /**
   * The token. Call it at the place that reads the secret, not in a field or a helper that hands
   * it on, so that the read stays visible where it happens.
   *
   * @return the single instance
   */
  public static SecretAccess explicit() {
    return TOKEN;
  }

  /**
   * Checks the token a secret accessor was given.
   *
   * @param access the token passed by the caller
   * @return {@code access}
   * @throws NullPointerException if {@code access} is null
   */
  public static SecretAccess require(SecretAccess access) {
    if (access == null) {
      throw new NullPointerException("reading secret material needs SecretAccess.explicit()");
    }
    return access;
  }

  @Override
  public String toString() {
    return "SecretAccess";
  }
}
