/**
 * The embedded ledger: an in-process simulator of one Fabric channel with one chaincode, which runs
 * the contract code unchanged and reproduces the ledger semantics the contract depends on
 * (snapshot reads, read/write sets, MVCC and phantom validation, history, events).
 *
 * <p>{@link org.medledger.embedded.EmbeddedLedger} is the entry point; {@link
 * org.medledger.embedded.SimulatedStub} is the {@code ChaincodeStub} a simulation hands
 * to the contract; {@link org.medledger.embedded.MedLedgerContracts} is the MedLedger chaincode as it
 * runs here, and {@link org.medledger.embedded.EmbeddedConnection} is the client SDK's
 * {@code LedgerConnection} to it. docs/embedded-ledger.md lists what is and is not reproduced.
 */
package org.medledger.embedded;
