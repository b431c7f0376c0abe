/**
 * The secp256k1 group of the money layer (docs/protocol.md §4.1): the curve from BouncyCastle,
 * Pedersen commitments v·G + γ·H, point and scalar encodings with their validation, and the
 * hash to the curve that derives generators whose discrete logarithms nobody knows.
 */
package org.medledger.crypto.ec;
