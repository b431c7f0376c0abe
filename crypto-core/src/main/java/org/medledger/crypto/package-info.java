/**
 * The foundations every other crypto-core package builds on: the Fiat–Shamir {@link
 * org.medledger.crypto.Transcript} that binds each proof to its statement and context
 * (docs/protocol.md §2), the exception hierarchy whose {@link
 * org.medledger.crypto.CryptoException#code() codes} are stable and safe to show
 * (docs/protocol.md §6), and {@link org.medledger.crypto.SecretAccess}, the token every read of
 * secret key material must present. The shared helpers of crypto-core's own packages ({@code Bytes},
 * {@code EncodingHeader}, {@code NumberTheory}, {@code FixedBaseTable}, {@code Montgomery},
 * {@code MultiExp}) live in
 * {@code org.medledger.crypto.internal}, which is not API for callers. Nothing here knows about Fabric or any ledger.
 */
package org.medledger.crypto;
