package org.medledger.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chaincode event of a committed, valid MedLedger transaction (docs/chaincode.md §5), with the
 * block it was committed in: {@code medledger.Configured}, {@code medledger.Registered}, {@code
 * medledger.Issued}, {@code medledger.Transferred} or {@code medledger.Folded}. The payload is
 * canonical JSON naming the transaction and the parties, never an amount.
 */
public record MedLedgerEvent(long blockNumber, String txId, String name, byte[] payload) {
  public MedLedgerEvent {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(name, "name");
    payload = payload.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload as UTF-8 text (canonical JSON for MedLedger events). */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MedLedgerEvent e
        && blockNumber == e.blockNumber
        && txId.equals(e.txId)
        && name.equals(e.name)
        && Arrays.equals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blockNumber, txId, name, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "MedLedgerEvent[block " + blockNumber + ", " + txId + ", " + name + ", " + payloadText() + "]";
  }
}
