package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.hyperledger.fabric.shim.ledger.KeyModification;

/** One committed write of a key, as getHistoryForKey returns it; a delete has an empty value. */
record HistoryEntry(String txId, Instant timestamp, byte[] value, boolean deleted) implements KeyModification {
  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryEntry h
        && txId.equals(h.txId)
        && timestamp.equals(h.timestamp)
        && deleted == h.deleted
        && Arrays.equals(value, h.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(txId, timestamp, deleted, Arrays.hashCode(value));
  }

  @Override
  public String getTxId() {
    return txId;
  }

  @Override
  public byte[] getValue() {
    return value.clone();
  }

  @Override
  public String getStringValue() {
    return new String(value, UTF_8);
  }

  @Override
  public Instant getTimestamp() {
    return timestamp;
  }

  @Override
  public boolean isDeleted() {
    return deleted;
  }
}
