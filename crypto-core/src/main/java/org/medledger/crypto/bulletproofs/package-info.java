/**
 * Aggregated Bulletproofs range proofs on secp256k1 (docs/protocol.md §4.1–4.2): {@link
 * org.medledger.crypto.bulletproofs.RangeProof} proves that Pedersen-committed amounts lie in
 * [0, 2^n) and verifies one proof or a batch of them, over the nothing-up-my-sleeve generators of
 * {@link org.medledger.crypto.bulletproofs.BulletproofGenerators}. Everything else in the package
 * is the package-private engine behind it: the inner-product prover, the verification equation,
 * and variable-time multi-exponentiation (Straus with wNAF and GLV, the bucket method, lock-step
 * affine batches) on raw field words. None of it is constant-time, the prover included
 * (docs/protocol.md §4.2 says what that exposes).
 */
package org.medledger.crypto.bulletproofs;
