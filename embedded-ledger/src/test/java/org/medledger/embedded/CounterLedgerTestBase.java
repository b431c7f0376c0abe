package org.medledger.embedded;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of the embedded ledger's own semantics share: a fresh in-memory ledger running one
 * {@link CounterContract}, closed after each test; an identity alice of Org1MSP; and transaction
 * times one second apart from {@link #T0}.
 */
abstract class CounterLedgerTestBase {
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  final CounterContract contract = new CounterContract();
  final EmbeddedLedger ledger;
  final Identity alice;
  /** Seconds after {@link #T0} of the next {@link #now()}. */
  int clock;

  CounterLedgerTestBase(String channel) {
    ledger = EmbeddedLedger.inMemory(channel, contract);
    alice = ledger.identity("Org1MSP", "alice");
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  /** The next transaction time: one second after the last. */
  Instant now() {
    return T0.plusSeconds(clock++);
  }
}
