package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.medledger.crypto.stats.SlotLayout;
import org.medledger.crypto.stats.StatsTally;
import org.medledger.protocol.StatsProtocol;

/**
 * The published result of an opened bucket (docs/chaincode.md §11.4), as stored on chain.
 *
 * @param bucketId the bucket
 * @param kind its kind
 * @param count how many contributions the opened aggregate folded
 * @param total for a money bucket, the sum of the amounts; for a RECORDS bucket, the sum of the fees
 * @param tally for a RECORDS bucket, the visits per ICD-10 chapter and per age band (and the fee
 *     total again); empty for a money bucket
 * @param disclosureId the committee disclosure that decrypted the aggregate
 * @param txId the transaction that published the result
 * @param publishedAt that transaction's timestamp
 */
public record StatsResult(String bucketId, StatsProtocol.Kind kind, long count, BigInteger total,
    Optional<StatsTally> tally, String disclosureId, String txId, Instant publishedAt) {

  /**
   * Reads a stored result. The tally is recomputed here from the decrypted packed plaintext with
   * {@link SlotLayout#unpack} (which checks it against the count) and must equal the counters the
   * chaincode stored, so a client never shows counts that the plaintext does not hold.
   */
  static StatsResult fromJson(String bucketId, StatsProtocol.Kind kind, JsonObject o) {
    long count = o.get("count").getAsLong();
    BigInteger total = new BigInteger(o.get("total").getAsString());
    Optional<StatsTally> tally = Optional.empty();
    if (!kind.money()) {
      StatsTally t = SlotLayout.unpack(new BigInteger(o.get("plaintext").getAsString()), count);
      long[] stored = new long[SlotLayout.COUNTERS];
      int i = 0;
      for (var e : o.getAsJsonArray("categories")) {
        stored[i++] = e.getAsLong();
      }
      for (var e : o.getAsJsonArray("bands")) {
        stored[i++] = e.getAsLong();
      }
      if (!java.util.Arrays.equals(stored, t.counters()) || !t.feeTotal().equals(total)) {
        throw new IllegalStateException("the stored counters of " + bucketId + " do not match its plaintext");
      }
      tally = Optional.of(t);
    }
    return new StatsResult(bucketId, kind, count, total, tally, o.get("disclosureId").getAsString(),
        o.get("txId").getAsString(), Instant.parse(o.get("publishedAt").getAsString()));
  }
}
