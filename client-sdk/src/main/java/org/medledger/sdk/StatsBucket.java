package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import org.medledger.protocol.StatsProtocol;

/**
 * A statistics bucket as the ledger reports it (docs/chaincode.md §11): (account, kind, month), its
 * state and how many contributions it holds.
 *
 * @param id the canonical id {@code yyyy-MM.KIND.account}
 * @param month the calendar month (UTC) of its contributions' transaction timestamps
 * @param kind money kind or RECORDS
 * @param account the hospital or insurer whose bucket it is
 * @param state COLLECTING, CLOSED, FOLDING, FOLDED, OPENING or OPENED; COLLECTING and CLOSED are
 *     judged by the timestamp of the query that read the bucket
 * @param contributions contributions folded plus those not yet folded (see {@code countExact})
 * @param countExact false when the not-yet-folded contributions were counted only up to the
 *     chaincode's listing cap (the true count is then larger)
 * @param folded contributions in the running aggregate
 * @param minContributions k: the least count the bucket needs to be opened
 * @param closesAt first instant after the bucket's month
 * @param disclosureId the committee disclosure of its aggregate, once requested
 * @param result the published result, once opened
 */
public record StatsBucket(String id, YearMonth month, StatsProtocol.Kind kind, String account, StatsProtocol.State state,
    long contributions, boolean countExact, long folded, int minContributions, Instant closesAt,
    Optional<String> disclosureId, Optional<StatsResult> result) {

  /**
   * True iff the bucket holds enough contributions to be opened (k): once sealed by its opening
   * request (OPENING, OPENED), the folded ones (late contributions after the seal are never opened),
   * else all it holds so far (folding never seals).
   */
  public boolean reachesK() {
    boolean sealed = state == StatsProtocol.State.OPENING || state == StatsProtocol.State.OPENED;
    return (sealed ? folded : contributions) >= minContributions;
  }

  static StatsBucket fromJson(JsonObject o) {
    StatsProtocol.Bucket b = StatsProtocol.parse(o.get("bucketId").getAsString());
    String disclosure = o.get("disclosureId").getAsString();
    return new StatsBucket(b.id(), b.month(), b.kind(), b.account(), StatsProtocol.State.valueOf(o.get("state").getAsString()),
        o.get("contributions").getAsLong(), o.get("countExact").getAsBoolean(), o.get("folded").getAsLong(),
        o.get("minContributions").getAsInt(), Instant.parse(o.get("closesAt").getAsString()),
        disclosure.isEmpty() ? Optional.empty() : Optional.of(disclosure),
        o.has("result") ? Optional.of(StatsResult.fromJson(b.id(), b.kind(), o.getAsJsonObject("result"))) : Optional.empty());
  }
}
