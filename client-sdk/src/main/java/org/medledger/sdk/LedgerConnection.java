package org.medledger.sdk;

import java.time.Instant;
import java.util.Optional;

/**
 * How the SDK reaches a MedLedger chaincode: the embedded ledger ({@code EmbeddedConnection} (module embedded-ledger)) or a
 * Fabric gateway peer ({@link GatewayConnection}). Functions are {@code contract:function};
 * arguments and results are the chaincode's strings (docs/chaincode.md). Failures are {@link
 * LedgerCallException}s saying whether the transaction can be on the ledger (docs/client-sdk.md §4.2).
 * A connection is {@link AutoCloseable}: {@code try (LedgerConnection c = …) { … }}.
 */
public interface LedgerConnection extends AutoCloseable {
  /** Endorses and commits a transaction; returns its response, or throws with what happened. */
  String submit(String function, String... args) throws LedgerCallException;

  /** Evaluates a query on the current state. */
  String evaluate(String function, String... args) throws LedgerCallException;

  /** The channel name requests are bound to. */
  String channel();

  /** The chaincode name requests are bound to. */
  String chaincode();

  /**
   * The timestamp this connection's queries ({@link #evaluate}) carry; signed queries bound their
   * validity from it (docs/records.md §4). A Fabric client stamps proposals with its system clock.
   */
  default Instant queryTime() {
    return Instant.now();
  }

  /**
   * The validation code of transaction {@code txId} once it is in a block ({@code "VALID"}, or the
   * code it was invalidated with, such as {@code "MVCC_READ_CONFLICT"}); empty if this connection
   * cannot tell, or the transaction is not in a block as far as it can see within its deadline.
   * Never waits longer than that deadline.
   */
  default Optional<String> commitStatus(String txId) throws LedgerCallException {
    return Optional.empty();
  }

  /**
   * Releases what the connection opened (a gateway connection: its event subscriptions, the gateway
   * and the gRPC channel it made). The embedded connection opens nothing: its ledger is closed by
   * its owner. Idempotent; throws no checked exception.
   */
  @Override
  default void close() {}
}
