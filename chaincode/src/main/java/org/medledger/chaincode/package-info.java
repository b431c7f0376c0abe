/**
 * The MedLedger chaincode (docs/chaincode.md): four Fabric contracts that keep encrypted balances,
 * medical records, consent, the access log, claims and payment channels, and verify every proof
 * the client SDK builds. It holds no secrets; the cryptography is in crypto-core and the wire
 * format in the protocol module.
 *
 * <p>The public classes are what a peer or the embedded ledger needs:
 * <ul>
 *   <li>the contracts, each a thin {@code @Contract} class whose {@code @Transaction} methods
 *       name the functions: {@link org.medledger.chaincode.AccountContract} ({@code accounts}),
 *       {@link org.medledger.chaincode.MoneyContract} ({@code money}),
 *       {@link org.medledger.chaincode.RecordContract} ({@code records}) and
 *       {@link org.medledger.chaincode.ChannelContract} ({@code channels});</li>
 *   <li>{@link org.medledger.chaincode.ChaincodeService} and
 *       {@link org.medledger.chaincode.GuardedChaincode}, which serve the contracts on a peer
 *       behind the entry check, and {@link org.medledger.chaincode.ContractDispatcher}, which
 *       routes to them in the embedded ledger.</li>
 * </ul>
 *
 * <p>Everything else is package-private. The records contract's logic is in {@code Records}
 * (set-up and records), {@code Consent} (grants and copies), {@code AccessLog} (reads and trails)
 * and {@code Claims}; the channels contract's in {@code ChannelOpen}, {@code ChannelDispute},
 * {@code ChannelSettlement} and {@code Channels}. What the contracts share is in
 * {@code Contracts} (role and organisation checks, the regulator, paged lists, events, transfer
 * bundles), {@code Requests} (signed requests), {@code Json} (strict fields), {@code Paging}
 * (page sizes and opaque bookmarks), {@code EntryCheck} and {@code Ids} (the checks before any
 * contract code), {@code Ledger} and {@code RecordStore} (world state).
 */
package org.medledger.chaincode;
