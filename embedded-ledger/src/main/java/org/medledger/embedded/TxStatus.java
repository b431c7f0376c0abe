package org.medledger.embedded;

/** How a transaction fared at commit; the names are Fabric's validation codes. */
public enum TxStatus {
  /** Committed: its writes are applied and its event emitted. */
  VALID,
  /** A key it read was changed after the simulation, by an earlier block or an earlier transaction of its block. */
  MVCC_READ_CONFLICT,
  /** A range it read would now return other keys, or other versions of them. */
  PHANTOM_READ_CONFLICT,
  /** The chaincode refused it during simulation (threw a ChaincodeException). */
  ENDORSEMENT_FAILURE,
  /** Its transaction id is already on the ledger, or earlier in its block. */
  DUPLICATE_TXID;

  public boolean isValid() {
    return this == VALID;
  }
}
