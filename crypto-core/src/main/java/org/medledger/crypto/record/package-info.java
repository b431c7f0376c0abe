/**
 * Medical records as Paillier ciphertexts (docs/protocol.md §5.1): {@link
 * org.medledger.crypto.record.SegmentLayout} cuts a byte string into tagged, length-prefixed
 * segment plaintexts bound to the record id, {@link org.medledger.crypto.record.RecordCipher}
 * encrypts them under one key and decrypts them back with every framing check, and {@link
 * org.medledger.crypto.record.RecordOpening} is the author's secret witness (plaintexts and
 * exponents) that the record proof of {@code org.medledger.crypto.proof} needs.
 */
package org.medledger.crypto.record;
