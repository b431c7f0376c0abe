/**
 * Threshold Paillier decryption by a regulator committee (docs/protocol.md §10), after Shoup and
 * Damgård–Jurik: a trusted dealer's committee key and member {@link
 * org.medledger.crypto.threshold.KeyShare}s, partial decryptions with their proofs of correct
 * exponentiation, the combination of t verified shares into the plaintext, and re-sharing to a
 * new committee without ever reconstructing the secret. Every share, message and sub-share is
 * checked before use, and a refusal names the member it came from. Key shares and sub-shares are
 * secret and are read only through {@link org.medledger.crypto.SecretAccess}.
 */
package org.medledger.crypto.threshold;
