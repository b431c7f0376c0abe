package org.medledger.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Committed state: each key's latest value and version, in Fabric's key order, and each key's
 * history of committed writes. Values are never mutated once stored and never handed out
 * without a copy.
 */
final class WorldState {
  /** A committed value with the version of the transaction that wrote it. */
  record VersionedValue(byte[] value, Version version) {
    @Override
    public boolean equals(Object o) {
      return o instanceof VersionedValue v && version.equals(v.version) && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
      return 31 * version.hashCode() + Arrays.hashCode(value);
    }
  }

  private final NavigableMap<String, VersionedValue> values = new TreeMap<>(Keys.ORDER);
  private final Map<String, List<HistoryEntry>> history = new HashMap<>();

  VersionedValue get(String key) {
    return values.get(key);
  }

  /** The committed entries in [start, end) (or [start, end] if {@code endInclusive}); empty end = unbounded. */
  NavigableMap<String, VersionedValue> range(String start, String end, boolean endInclusive) {
    return Collections.unmodifiableNavigableMap(Keys.slice(values, start, end, endInclusive));
  }

  /** Every committed write of the key, oldest first. */
  List<HistoryEntry> history(String key) {
    return Collections.unmodifiableList(history.getOrDefault(key, List.of()));
  }

  /** Applies one committed write; an empty value deletes the key, as in Fabric. */
  void apply(String key, byte[] value, Version version, String txId, Instant timestamp) {
    boolean delete = value.length == 0;
    if (delete) {
      values.remove(key);
    } else {
      values.put(key, new VersionedValue(value, version));
    }
    history.computeIfAbsent(key, k -> new ArrayList<>()).add(new HistoryEntry(txId, timestamp, value, delete));
  }

  /** A copy of the committed state, for comparisons. */
  NavigableMap<String, VersionedValue> snapshot() {
    return Collections.unmodifiableNavigableMap(new TreeMap<>(values));
  }
}
