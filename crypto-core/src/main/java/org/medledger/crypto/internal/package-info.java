/**
 * crypto-core's own helpers, shared by its packages and not API: byte-string encodings
 * ({@code Bytes}, {@code EncodingHeader}), number theory ({@code NumberTheory}: Jacobi symbols, random units,
 * small primes, CRT), fixed-size Montgomery arithmetic on 60-bit limbs ({@code Montgomery}), fixed-base
 * exponentiation tables ({@code FixedBaseTable}) and the verifiers' variable-time simultaneous
 * multi-exponentiation ({@code MultiExp}; public exponents only).
 * Their signatures may change without notice; applications use the Paillier, proof and record
 * packages instead. The chaincode and the SDK use some of them for decoding and speed.
 */
package org.medledger.crypto.internal;
