/**
 * JMH benchmarks of crypto-core (docs/performance.md): Paillier encryption and decryption against
 * javallier, the key and no-small-factor proofs, range proofs, transfer bundles, record
 * encryption with its proof, and grants (re-encryption for a grantee with its proof); the keys
 * they share, generated once per JVM; and the tool that turns a JMH result file into
 * {@code benchmarks/results/crypto.json} and the table of docs/performance.md. Figures come only
 * from here, never from timed unit tests.
 */
package org.medledger.bench;
