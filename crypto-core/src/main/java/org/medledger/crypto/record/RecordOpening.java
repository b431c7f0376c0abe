package org.medledger.crypto.record;

import java.math.BigInteger;
import java.util.List;
import org.medledger.crypto.SecretAccess;

/**
 * The author's secret witness for an {@link EncryptedRecord}: each segment's plaintext integer and
 * DJN exponent ρ. Held only by the client that encrypted the record; never printed.
 */
public final class RecordOpening {
  private final List<BigInteger> plaintexts;
  private final List<BigInteger> rhos;

  public RecordOpening(List<BigInteger> plaintexts, List<BigInteger> rhos) {
    if (plaintexts.size() != rhos.size()) {
      throw new IllegalArgumentException("one ρ per segment");
    }
    this.plaintexts = List.copyOf(plaintexts);
    this.rhos = List.copyOf(rhos);
  }

  /**
   * Each segment's plaintext integer. Secret.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return the plaintexts, one per segment (unmodifiable)
   */
  public List<BigInteger> plaintexts(SecretAccess access) {
    SecretAccess.require(access);
    return plaintexts;
  }

  /**
   * Each segment's DJN exponent ρ. Secret.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return the exponents, one per segment (unmodifiable)
   */
  public List<BigInteger> rhos(SecretAccess access) {
    SecretAccess.require(access);
    return rhos;
  }

  @Override
  public String toString() {
    return "RecordOpening[" + plaintexts.size() + " segments, redacted]";
  }
}
