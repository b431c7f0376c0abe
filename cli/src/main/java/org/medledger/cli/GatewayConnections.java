package org.medledger.cli;

/**
 * Opens client-sdk Fabric gateway connections from profiles. This build has no Fabric gateway
 * connection in client-sdk yet, so opening one fails with GATEWAY_NOT_AVAILABLE.
 */
final class GatewayConnections {
  private GatewayConnections() {}

  static org.medledger.sdk.LedgerConnection open(GatewayProfile profile) throws CliException {
    throw new CliException(ExitCode.UNAVAILABLE, "GATEWAY_NOT_AVAILABLE", "Fabric gateway mode is not available in"
        + " this build (client-sdk has no gateway connection yet); leave out --gateway to use the embedded ledger");
  }

  static void closeAll() {}
}
