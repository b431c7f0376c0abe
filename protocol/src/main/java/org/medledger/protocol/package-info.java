/**
 * The wire format the chaincode and the client SDK both speak, and nothing else: canonical JSON
 * (the bytes requests are signed over and the ledger stores), the signed request envelope,
 * account keys and ids, roles, the payment-channel messages both parties sign, the record ids and
 * proof contexts of the records protocol, the shared limits and the stable {@link
 * org.medledger.protocol.ErrorCode}s (docs/chaincode.md). It depends on crypto-core and Gson only,
 * so neither side has to depend on the other.
 */
package org.medledger.protocol;
