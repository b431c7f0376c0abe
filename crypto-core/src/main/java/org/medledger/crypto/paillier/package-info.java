/**
 * Paillier encryption with g = n + 1 and the Damgård–Jurik–Nielsen generator h
 * (docs/protocol.md §3.1–3.3): key generation with p ≡ q ≡ 3 (mod 4), public and secret keys,
 * ciphertexts that exist only after a membership check in Z*_{n²}, the CRT shortcuts only the key
 * owner can take, and the canonical binary and JSON encodings with their strict decoders. The
 * secret key's factors and encoding are read only through {@link
 * org.medledger.crypto.SecretAccess}; decrypting and proving with it need no token.
 */
package org.medledger.crypto.paillier;
