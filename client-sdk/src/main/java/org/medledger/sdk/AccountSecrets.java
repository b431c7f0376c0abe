package org.medledger.sdk;

import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.medledger.protocol.AccountKeys;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.PaillierSecretKey;

/**
 * An account's secrets, held only by its client: the Ed25519 signing key (as its 32-byte seed)
 * and the Paillier secret key. Never printed; {@link #destroy()} wipes the seed and drops the
 * Paillier key.
 */
public final class AccountSecrets implements Destroyable {
  private final Role role;
  private final byte[] signingSeed;
  private final PaillierSecretKey paillier;
  private final String accountId;
  private boolean destroyed;

  public AccountSecrets(Role role, byte[] signingSeed, PaillierSecretKey paillier) {
    if (signingSeed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
    }
    this.role = role;
    this.signingSeed = signingSeed.clone();
    this.paillier = paillier;
    this.accountId = AccountKeys.accountId(signingKey().generatePublicKey().getEncoded());
  }

  public Role role() {
    return role;
  }

  /** The pseudonymous account id derived from the signing key. */
  public String accountId() {
    return accountId;
  }

  public Ed25519PrivateKeyParameters signingKey() {
    live();
    return new Ed25519PrivateKeyParameters(signingSeed, 0);
  }

  public PaillierSecretKey paillier() {
    live();
    return paillier;
  }

  byte[] signingSeed() {
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
    paillier.destroy();
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
