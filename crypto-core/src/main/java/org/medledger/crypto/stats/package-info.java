/**
 * Encrypted statistics (docs/protocol.md §11, issue 14): a hospital's {@link
 * org.medledger.crypto.stats.StatsContribution} to a record — one-hot ICD-10 chapter and age band and
 * the fee, encrypted under the committee's Paillier key with a proof that the vectors are one-hot and
 * the fee lies in [0, 2^40) — the {@link org.medledger.crypto.stats.SlotLayout} that packs all of a
 * bucket's counters into one plaintext, and the deterministic {@link
 * org.medledger.crypto.stats.StatsAggregate} the chaincode folds contributions into. Nothing here
 * knows about Fabric; the prover needs only the committee's public key.
 */
package org.medledger.crypto.stats;
