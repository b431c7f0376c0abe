package org.medledger.embedded;

import java.util.List;

/**
 * A range query of a simulation, as Fabric records it for phantom detection: the range and the
 * keys it returned with their versions. At commit the range is run again over the state as it is
 * then; any difference (a key added, removed or rewritten) is a phantom read.
 *
 * @param end exclusive upper bound unless {@code endInclusive}; empty means unbounded
 * @param endInclusive set for a page that stopped before the end of its range: only the part of
 *     the range the page covered, up to and including its last key, is checked
 */
record RangeRead(String start, String end, boolean endInclusive, List<KeyVersion> results) {
  RangeRead {
    results = List.copyOf(results);
  }

  /** One key a range query returned, with the version it had. */
  record KeyVersion(String key, Version version) {}
}
