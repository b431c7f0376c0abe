/**
 * The zero-knowledge proofs MedLedger's contracts verify, each non-interactive through the
 * {@link org.medledger.crypto.Transcript} and each with a malicious-prover suite beside its tests:
 * the Paillier–Blum key proof and the no-small-factor proof that a registered key is well formed
 * (docs/protocol.md §3.4–3.5), the transfer bundle that moves an encrypted amount between
 * balances without revealing it (§4.3), the author's record proof and the re-encryption proof for
 * a grantee (§5.2–5.3), and the ring-Pedersen parameters with their proof that the factor proof is
 * checked against (§5.4). Verifiers validate every input before any exponentiation and are
 * deterministic, so every endorsing peer reaches the same verdict.
 */
package org.medledger.crypto.proof;
