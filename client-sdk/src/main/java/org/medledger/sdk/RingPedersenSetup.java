package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.util.Base64;
import org.medledger.protocol.CanonicalJson;
import org.medledger.crypto.proof.RingPedersenParams;

/**
 * Fetches the channel's ring-Pedersen parameters published by records:setup and validates them
 * with their Π^prm proof (docs/protocol.md §5.4). Shared by {@link RecordClient} (re-encryption
 * proofs) and {@link AccountClient} (the Π^fac proof of a registration).
 */
final class RingPedersenSetup {
  private RingPedersenSetup() {}

  /**
   * The validated parameters.
   *
   * @throws LedgerCallException RECORDS_NOT_SET_UP before records:setup, or if the ledger cannot be read
   * @throws org.medledger.crypto.CryptoException if the published parameters do not validate
   */
  static RingPedersenParams fetch(LedgerConnection ledger) throws LedgerCallException {
    JsonObject s = CanonicalJson.parseObject(ledger.evaluate("records:getSetup"));
    Base64.Decoder d = Base64.getDecoder();
    return RingPedersenParams.fromBytes(d.decode(s.get("params").getAsString()), d.decode(s.get("proof").getAsString()));
  }
}
