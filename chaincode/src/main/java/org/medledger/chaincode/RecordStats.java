package org.medledger.chaincode;

import com.google.gson.JsonObject;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.stats.StatsContext;
import org.medledger.crypto.stats.StatsContribution;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.StatsProtocol.Bucket;
import org.medledger.protocol.StatsProtocol.Kind;

/**
 * The optional statistical contribution of a {@code records:write} (docs/chaincode.md §11.1): the
 * member {@code stats}, base64 of a {@link StatsContribution} under the committee (regulator) key,
 * verified for the context (channel, chaincode, this record id, the signing hospital, the month of
 * this transaction's timestamp) and written as its own key in the hospital's RECORDS bucket of that
 * month. The full contribution stays on chain inside the signed write request (record requests are
 * stored), so an auditor can later check it against the hospital's opening (docs/protocol.md §11.7).
 */
final class RecordStats {
  /** Largest encoded contribution accepted: a 4096-bit key's is 122,760 bytes. */
  static final int MAX_STATS_BYTES = 128 * 1024;

  private RecordStats() {}

  /** True iff a {@code record.write} request carries a contribution (decides its member list). */
  static boolean present(String requestJson) {
    return Requests.envelope(requestJson, "record.write").body().has("stats");
  }

  /**
   * Verifies the contribution and writes its packed ciphertext into (hospital, RECORDS, month);
   * STATS_CONTRIBUTION_INVALID (nothing written) for anything that does not decode or verify.
   */
  static void attach(Ledger ledger, ChannelConfig cfg, JsonObject body, String recordId, Account hospital) {
    if (!body.has("stats")) {
      return;
    }
    byte[] bytes = Json.base64(body, "stats", MAX_STATS_BYTES);
    PaillierPublicKey pk = Contracts.regulator(ledger).publicKeyForVerification();
    Bucket bucket = new Bucket(StatsProtocol.month(ledger.timestamp()), Kind.RECORDS, hospital.id());
    PaillierCiphertext packed;
    try {
      StatsContext ctx = new StatsContext(cfg.channel(), cfg.chaincode(), recordId, hospital.id(), bucket.monthText());
      packed = StatsContribution.fromBytes(bytes, pk).verify(pk, ctx);
    } catch (CryptoException | IllegalArgumentException e) {
      throw LedgerException.of(ErrorCode.STATS_CONTRIBUTION_INVALID, e.getMessage());
    }
    StatsBuckets.write(ledger, bucket, recordId, packed);
  }
}
