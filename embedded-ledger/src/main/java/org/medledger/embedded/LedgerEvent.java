package org.medledger.embedded;

import java.util.Arrays;
import java.util.Objects;

/**
 * A chaincode event of a committed, valid transaction, with where it was committed: what a Fabric
 * client receives from a chaincode event stream, and what it needs to checkpoint one.
 */
public record LedgerEvent(long blockNumber, int txIndex, String txId, String name, byte[] payload) {
  public LedgerEvent {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(name, "name");
    payload = payload.clone();
  }

  /** A copy of the payload (empty if the chaincode set none). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerEvent e
        && blockNumber == e.blockNumber
        && txIndex == e.txIndex
        && txId.equals(e.txId)
        && name.equals(e.name)
        && Arrays.equals(payload, e.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(blockNumber, txIndex, txId, name, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "LedgerEvent[block " + blockNumber + ", tx " + txIndex + " " + txId + ", " + name + ", " + payload.length + " bytes]";
  }
}
