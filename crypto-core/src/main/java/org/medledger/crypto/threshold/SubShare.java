package org.medledger.crypto.threshold;

import java.math.BigInteger;
import javax.security.auth.Destroyable;
import org.medledger.crypto.SecretAccess;

/**
 * Old member i's sub-share σ_{i,j} = g_i(j) for new member j (docs/protocol.md §10.4). Secret: it
 * travels only encrypted to j, and is never printed. {@link Resharing#verifySubShare} checks it
 * against i's commitments.
 */
public final class SubShare implements Destroyable {
  private final int dealer;
  private final int recipient;
  private BigInteger value;
  private boolean destroyed;

  SubShare(int dealer, int recipient, BigInteger value) {
    this.dealer = dealer;
    this.recipient = recipient;
    this.value = value;
  }

  public int dealer() {
    return dealer;
  }

  public int recipient() {
    return recipient;
  }

  BigInteger value(SecretAccess access) {
    SecretAccess.require(access);
    if (destroyed) {
      throw new IllegalStateException("sub-share has been destroyed");
    }
    return value;
  }

  @Override
  public void destroy() {
    value = null;
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "SubShare[from " + dealer + " to " + recipient + ", secret material redacted]";
  }
}
