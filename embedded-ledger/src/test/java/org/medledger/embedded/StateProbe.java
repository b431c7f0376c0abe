package org.medledger.embedded;

import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Test access to the committed world state of an embedded ledger, so that a test can assert that
 * a refused request wrote nothing and that a logged denial wrote only its log entry.
 */
public final class StateProbe {
  private StateProbe() {}

  /** Every committed key with its value (base64) and version. */
  public static Map<String, String> snapshot(EmbeddedLedger ledger) {
    Map<String, String> out = new TreeMap<>();
    ledger.stateSnapshot().forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v.value()) + "@" + v.version()));
    return out;
  }

  /** The keys added, changed or removed between two snapshots. */
  public static Set<String> changed(Map<String, String> before, Map<String, String> after) {
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(k -> java.util.Objects.equals(before.get(k), after.get(k)));
    return keys;
  }

  /** The object types (first composite-key component) of the given keys. */
  public static Set<String> objectTypes(Set<String> keys) {
    Set<String> out = new TreeSet<>();
    for (String k : keys) {
      out.add(k.startsWith("\u0000") ? k.substring(1, k.indexOf('\u0000', 1)) : k);
    }
    return out;
  }
}
