package org.medledger.sdk;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.chaincode.embedded.EmbeddedLedger;
import org.medledger.chaincode.embedded.Identity;
import org.medledger.chaincode.embedded.TxResult;

/**
 * A connection to the embedded ledger through one organisation's gateway identity. The client
 * (not the chaincode) supplies transaction timestamps, from a clock that never goes backwards.
 */
public final class EmbeddedConnection implements LedgerConnection {
  private final EmbeddedLedger ledger;
  private final Identity identity;
  private final String chaincode;
  private final Clock clock;
  private Instant last = Instant.EPOCH;

  public EmbeddedConnection(EmbeddedLedger ledger, Identity identity, String chaincode, Clock clock) {
    this.ledger = ledger;
    this.identity = identity;
    this.chaincode = chaincode;
    this.clock = clock;
  }

  private synchronized Instant now() {
    Instant t = clock.instant();
    last = t.isAfter(last) ? t : last.plusNanos(1000);
    return last;
  }

  @Override
  public String submit(String function, String... args) throws LedgerCallException {
    TxResult r = ledger.submit(identity, now(), function, args);
    if (r.isValid()) {
      return r.payloadText();
    }
    String code = new String(r.payload(), StandardCharsets.UTF_8);
    switch (r.status()) {
      case ENDORSEMENT_FAILURE -> throw new LedgerCallException(LedgerCallException.Kind.REFUSED, code, r.txId(), r.message());
      default -> throw new LedgerCallException(LedgerCallException.Kind.CONFLICT, r.status().name(), r.txId(), r.message());
    }
  }

  @Override
  public String evaluate(String function, String... args) throws LedgerCallException {
    try {
      return new String(ledger.evaluate(identity, function, args), StandardCharsets.UTF_8);
    } catch (ChaincodeException e) {
      byte[] p = e.getPayload();
      throw new LedgerCallException(LedgerCallException.Kind.REFUSED, p == null ? "" : new String(p, StandardCharsets.UTF_8), "",
          e.getMessage());
    }
  }

  @Override
  public String channel() {
    return ledger.channel();
  }

  @Override
  public String chaincode() {
    return chaincode;
  }
}
