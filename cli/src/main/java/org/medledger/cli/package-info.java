/**
 * The {@code medledger} command line (docs/cli.md), built with picocli: one subcommand class per
 * area (keys, accounts, transfers, balances, records, claims, audit, ledger, configuration, the
 * demo), the backends that open the embedded ledger in a local directory or a Fabric network
 * through gateway profiles, keystore passwords, and the mapping of SDK and ledger errors to stable
 * exit codes. It holds no secrets of its own: keystores are opened through client-sdk, and every
 * command is meant to be a call into the SDK.
 */
package org.medledger.cli;
