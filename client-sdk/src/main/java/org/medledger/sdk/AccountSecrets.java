package org.medledger.sdk;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.Role;

/**
 * An account's secrets, held only by its client: the Ed25519 signing key (as its 32-byte seed)
 * and the Paillier secret key. Never printed; {@link #destroy()} wipes the seed and drops the
 * Paillier key. Reading the signing key needs {@link SecretAccess#explicit()}; the Paillier key is
 * handed out as a key object whose raw material needs the token in turn (docs/client-sdk.md §1.1).
 */
public final class AccountSecrets implements Destroyable {
  private final Role role;
  private final byte[] signingSeed;
  private final PaillierSecretKey paillier;
  private final byte[] signingPublicKey;
  private final String accountId;
  private boolean destroyed;

  /**
   * Holds an account's secrets.
   *
   * @param role the account's role
   * @param signingSeed the 32-byte Ed25519 seed (copied; the caller should zero its array)
   * @param paillier the account's Paillier secret key (kept, not copied); null for a
   *     {@link #signingOnly} account
   */
  public AccountSecrets(Role role, byte[] signingSeed, PaillierSecretKey paillier) {
    if (signingSeed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
    }
    this.role = role;
    this.signingSeed = signingSeed.clone();
    this.paillier = paillier;
    this.signingPublicKey = new Ed25519PrivateKeyParameters(this.signingSeed, 0).generatePublicKey().getEncoded();
    this.accountId = AccountKeys.accountId(signingPublicKey);
  }

  /**
   * A new account's secrets: a fresh Ed25519 seed from {@code rnd} (zeroed here once copied) and
   * the given Paillier key.
   *
   * @param role the account's role
   * @param paillier the account's Paillier secret key, e.g. from {@code PaillierKeyGenerator}
   * @param rnd the source of the seed
   * @return the secrets
   */
  public static AccountSecrets generate(Role role, PaillierSecretKey paillier, SecureRandom rnd) {
    byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
    rnd.nextBytes(seed);
    try {
      return new AccountSecrets(role, seed, paillier);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Secrets of an account whose Paillier key nobody holds alone: the regulator account of a
   * channel with a threshold committee (docs/client-sdk.md §12), whose key is the committee's. Only
   * the Ed25519 seed is fresh; {@link #paillier()} refuses.
   *
   * @param role the account's role (REGULATOR)
   * @param rnd the source of the seed
   * @return the secrets
   */
  public static AccountSecrets signingOnly(Role role, SecureRandom rnd) {
    return generate(role, null, rnd);
  }

  /** Whether this account holds its own Paillier secret key (false for {@link #signingOnly}). */
  public boolean hasPaillier() {
    return paillier != null;
  }

  /**
   * The account's role.
   *
   * @return the role
   */
  public Role role() {
    return role;
  }

  /**
   * The pseudonymous account id derived from the signing key.
   *
   * @return the account id
   */
  public String accountId() {
    return accountId;
  }

  /**
   * The Ed25519 public key (32 bytes), which is not secret.
   *
   * @return a fresh copy of the encoded public key
   */
  public byte[] signingPublicKey() {
    return signingPublicKey.clone();
  }

  /**
   * The Ed25519 signing key, to sign requests and channel states with. Secret.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return a fresh key object holding a copy of the seed
   */
  public Ed25519PrivateKeyParameters signingKey(SecretAccess access) {
    SecretAccess.require(access);
    live();
    return new Ed25519PrivateKeyParameters(signingSeed, 0);
  }

  /**
   * The Paillier secret key object; decrypting and proving with it need no token, reading its
   * factors or encoding does.
   *
   * @return the key (not a copy)
   */
  public PaillierSecretKey paillier() {
    live();
    if (paillier == null) {
      throw new IllegalStateException("this account holds no Paillier secret key: its key is the committee's");
    }
    return paillier;
  }

  byte[] signingSeed(SecretAccess access) {
    SecretAccess.require(access);
    live();
    return signingSeed.clone();
  }

  private void live() {
    if (destroyed) {
      throw new IllegalStateException("account secrets have been destroyed");
    }
  }

  @Override
  public void destroy() {
    Arrays.fill(signingSeed, (byte) 0);
    if (paillier != null) {
      paillier.destroy();
    }
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "AccountSecrets[" + role + ", " + accountId + ", secrets redacted]";
  }
}
