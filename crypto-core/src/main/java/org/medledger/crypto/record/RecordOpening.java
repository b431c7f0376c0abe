package org.medledger.crypto.record;

import java.math.BigInteger;
import java.util.List;

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

  public List<BigInteger> plaintexts() {
    return plaintexts;
  }

  public List<BigInteger> rhos() {
    return rhos;
  }

  @Override
  public String toString() {
    return "RecordOpening[" + plaintexts.size() + " segments, redacted]";
  }
}
