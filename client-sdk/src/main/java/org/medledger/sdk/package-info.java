/**
 * The MedLedger client SDK (docs/client-sdk.md): what a patient app, a hospital or insurer back
 * office, or the regulator embeds. It holds an account's secrets ({@link org.medledger.sdk.AccountSecrets},
 * {@link org.medledger.sdk.Keystore}), builds the proofs and signs the requests, and talks to a ledger
 * through a {@link org.medledger.sdk.LedgerConnection}: {@link org.medledger.sdk.GatewayConnection} for a
 * Fabric network, {@code EmbeddedConnection} (module embedded-ledger) in tests.
 *
 * <ul>
 *   <li>{@link org.medledger.sdk.AccountClient}: register, issue, pay (also {@code payAsync}), fold,
 *       balance, history and audit, with the YES/NO/UNKNOWN outcome model of payments;</li>
 *   <li>{@link org.medledger.sdk.RecordClient}: medical records, consent, logged reads and claims;</li>
 *   <li>{@link org.medledger.sdk.PublicLedger}: typed reads of the public state, and the channel's
 *       configuration;</li>
 *   <li>{@link org.medledger.sdk.LedgerEvents}: the chaincode's events, exactly once across restarts.</li>
 * </ul>
 *
 * Failures: {@link org.medledger.sdk.LedgerCallException} (the ledger or the network, with whether the
 * transaction can be on the ledger), {@link org.medledger.sdk.ClientRefusalException} (the client refused
 * on its own and sent nothing), {@link org.medledger.sdk.RecordAccessDeniedException},
 * {@link org.medledger.sdk.RecordIntegrityException} and {@link org.medledger.sdk.KeystoreException}.
 */
package org.medledger.sdk;
