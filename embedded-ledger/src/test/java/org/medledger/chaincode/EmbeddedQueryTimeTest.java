package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.RecordProtocol;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.SteppingClock;

/**
 * A query through {@link EmbeddedConnection} carries the connection's clock, as a Fabric gateway
 * client stamps every proposal (evaluate or submit) with its own clock when it creates it; it
 * does not carry the time of the latest committed transaction. The signed trail query's
 * {@code notAfter} is judged against that proposal time, so it tells the two apart.
 */
class EmbeddedQueryTimeTest {
  private RecordDesk d;
  private Channel ch;
  private Actor alice;
  /** A client clock that the test moves; it does not move by itself. */
  private SteppingClock clock;
  private EmbeddedConnection alicesGateway;

  @BeforeEach
  void setUp() {
    d = RecordDesk.open();
    ch = d.ch;
    alice = d.patient("alice");
    // An hour passes with no transaction on the channel.
    clock = new SteppingClock(ch.ledger.lastTimestamp().plusSeconds(3600), Duration.ZERO);
    alicesGateway = new EmbeddedConnection(ch.ledger, ch.gateway(alice), "medledger", clock);
  }

  private String trail(long notAfter) throws LedgerCallException {
    return alicesGateway.evaluate("records:trail", d.trailQuery(alice, notAfter), "10", "");
  }

  @Test
  void theQueryTimeIsTheClientsClockNotTheLastCommit() {
    assertEquals(clock.instant(), alicesGateway.queryTime());
    assertTrue(alicesGateway.queryTime().isAfter(ch.ledger.lastTimestamp()));
  }

  @Test
  void aTrailQueryValidByTheClientsClockIsAnswered() throws Exception {
    long now = clock.instant().getEpochSecond();
    // Beyond the last commit's time + the maximum validity: the stale stamp would refuse it.
    assertTrue(now + 300 > ch.ledger.lastTimestamp().getEpochSecond() + RecordProtocol.MAX_QUERY_VALIDITY_SECONDS);
    assertEquals(0, CanonicalJson.parseObject(trail(now + 300)).getAsJsonArray("items").size());
    long height = ch.ledger.height();
    assertEquals(0, CanonicalJson.parseObject(trail(alicesGateway.queryTime().getEpochSecond() + 60))
        .getAsJsonArray("items").size());
    assertEquals(height, ch.ledger.height(), "a query commits nothing");
  }

  @Test
  void aTrailQueryExpiredByTheClientsClockIsRefused() {
    // Five minutes since the last commit: a notAfter a minute ago is within the validity of the
    // last commit's time, but past by the client's clock.
    clock.set(ch.ledger.lastTimestamp().plusSeconds(300));
    long notAfter = clock.instant().getEpochSecond() - 60;
    long last = ch.ledger.lastTimestamp().getEpochSecond();
    assertTrue(notAfter > last && notAfter < last + RecordProtocol.MAX_QUERY_VALIDITY_SECONDS);
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> trail(notAfter));
    assertEquals(LedgerCallException.Kind.REFUSED, e.kind());
    assertEquals(ErrorCode.QUERY_EXPIRED.name(), e.errorCode());
  }
}
