package org.medledger.chaincode;

import com.google.gson.JsonObject;
import java.util.List;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.StatsProtocol.Bucket;
import org.medledger.protocol.StatsProtocol.State;

/**
 * The STATS_BUCKET target of a disclosure request (docs/chaincode.md §11.4): the rules under which a
 * committee member may ask to open a bucket, checked in this order, each with its own code and
 * nothing written on refusal: exactly one canonical bucket id (STATS_BAD_BUCKET), PUBLIC mode
 * (STATS_PUBLIC_ONLY), its month over by this transaction's timestamp (STATS_NOT_CLOSED), a
 * contribution or a state (UNKNOWN_TARGET), not requested before (STATS_ALREADY_OPENED), every
 * contribution written so far folded (STATS_NOT_FOLDED: the request does not fold), at least k
 * contributions (STATS_BELOW_K). On success the bucket moves to OPENING with the disclosure's id:
 * this signed request, not a fold, seals the bucket. A second request is refused, and contributions
 * written afterwards are late and never folded.
 */
final class StatsDisclosure {
  private StatsDisclosure() {}

  /** What {@link Disclosures} stores for the request: the aggregate and the accounts concerned. */
  record Target(String ciphertext, List<String> concerned) {}

  static Target target(Ledger ledger, ChannelConfig cfg, String bucketId, CommitteeProtocol.Mode mode,
      String disclosureId) {
    Bucket b = StatsBuckets.parse(bucketId);
    if (mode != CommitteeProtocol.Mode.PUBLIC) {
      throw LedgerException.of(ErrorCode.STATS_PUBLIC_ONLY, "a bucket's result is published on chain: use PUBLIC");
    }
    StatsFold.requireClosed(ledger, b);
    JsonObject st = StatsBuckets.state(ledger, b);
    // A range read of the bucket's contribution keys: a contribution committed concurrently is a
    // phantom that invalidates this request, so the set it seals is exactly the folded one. A peer
    // records a range read only as far as its iterator went, but the request goes on only when the
    // range is empty, and then the iterator is exhausted: the whole range is recorded.
    boolean unfolded = !StatsBuckets.unfolded(ledger, b, 1).isEmpty();
    if (st == null && !unfolded) {
      throw LedgerException.of(ErrorCode.UNKNOWN_TARGET, b.id() + " holds no contribution");
    }
    if (st != null && StatsBuckets.sealed(st)) {
      throw LedgerException.of(ErrorCode.STATS_ALREADY_OPENED, b.id() + " was opened by " + st.get("disclosureId").getAsString());
    }
    if (st == null || unfolded) {
      throw LedgerException.of(ErrorCode.STATS_NOT_FOLDED, b.id() + " has contributions not folded yet: run stats:fold"
          + " until it is FOLDED, then request again");
    }
    long count = st.get("folded").getAsLong();
    if (count < cfg.statsMinContributions()) {
      throw LedgerException.of(ErrorCode.STATS_BELOW_K, b.id() + " holds " + count + " contributions; k = "
          + cfg.statsMinContributions());
    }
    st.addProperty("state", State.OPENING.name());
    st.addProperty("disclosureId", disclosureId);
    StatsBuckets.save(ledger, b, st);
    return new Target(st.get("aggregate").getAsString(), List.of(b.account()));
  }
}
