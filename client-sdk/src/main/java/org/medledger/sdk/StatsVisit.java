package org.medledger.sdk;

import java.util.Objects;
import org.medledger.crypto.stats.AgeBand;
import org.medledger.crypto.stats.IcdChapter;
import org.medledger.crypto.stats.SlotLayout;

/**
 * What a hospital's statistical contribution to one record says (docs/protocol.md §11.1): the
 * ICD-10 chapter of the visit, the patient's age band and the fee, 0 ≤ fee &lt; 2^40. It is
 * encrypted under the committee key and proven well-formed; the chain never sees it in clear.
 */
public record StatsVisit(IcdChapter chapter, AgeBand band, long fee) {
  public StatsVisit {
    Objects.requireNonNull(chapter, "chapter");
    Objects.requireNonNull(band, "band");
    if (fee < 0 || fee >= (1L << SlotLayout.FEE_BITS)) {
      throw new IllegalArgumentException("fee must lie in [0, 2^" + SlotLayout.FEE_BITS + ")");
    }
  }

  /** The visit of a patient aged {@code age} (completed years, 0..150). */
  public static StatsVisit of(IcdChapter chapter, int age, long fee) {
    return new StatsVisit(chapter, AgeBand.of(age), fee);
  }
}
