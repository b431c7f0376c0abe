package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one transaction: where it landed and with which {@link TxStatus}.
 *
 * @param blockNumber the block it was committed in, or −1 if it was never ordered ({@link
 *     EmbeddedLedger#submit} does not order a failed endorsement, as a Fabric gateway does not)
 * @param txIndex its position in that block, or −1 if it was never ordered
 * @param payload the chaincode's response on success; on {@link TxStatus#ENDORSEMENT_FAILURE} the
 *     ChaincodeException's payload (empty if it had none)
 * @param message why it is not valid: the ChaincodeException's message, or which read conflicted;
 *     empty when valid
 */
public record TxResult(
    String txId, long blockNumber, int txIndex, TxStatus status, byte[] payload, String message) {
  public TxResult {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    payload = payload.clone();
  }

  public boolean isValid() {
    return status.isValid();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload as UTF-8 text. */
  public String payloadText() {
    return new String(payload, UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TxResult r
        && txId.equals(r.txId)
        && blockNumber == r.blockNumber
        && txIndex == r.txIndex
        && status == r.status
        && Arrays.equals(payload, r.payload)
        && message.equals(r.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(txId, blockNumber, txIndex, status, Arrays.hashCode(payload), message);
  }

  @Override
  public String toString() {
    return "TxResult[" + txId + " " + status + " at " + blockNumber + ":" + txIndex
        + (message.isEmpty() ? "" : ", " + message) + "]";
  }
}
