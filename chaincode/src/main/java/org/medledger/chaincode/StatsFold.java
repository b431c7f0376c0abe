package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.stats.SlotLayout;
import org.medledger.crypto.stats.StatsTally;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.StatsProtocol.Bucket;
import org.medledger.protocol.StatsProtocol.State;

/**
 * Folding a closed bucket in bounded batches, and publishing its opened result (docs/chaincode.md
 * §11.3–11.4). Both are unsigned: anyone may run them, they are deterministic and reveal nothing
 * the committee's disclosure does not.
 */
final class StatsFold {
  private StatsFold() {}

  /**
   * Folds at most {@code maxBatch} unfolded contributions of a closed bucket into its aggregate and
   * deletes their keys (each key is read, multiplied in and removed in the same transaction, so a
   * contribution is folded exactly once). Folding never seals: contributions written later are folded
   * by later folds, until a committee member's signed opening request seals the bucket (OPENING,
   * {@link StatsDisclosure}); after that a fold is STATS_SEALED.
   */
  static String fold(Ledger ledger, ChannelConfig cfg, String bucketId, String maxBatch) {
    Bucket b = StatsBuckets.parse(bucketId);
    int batch = batch(maxBatch);
    requireClosed(ledger, b);
    JsonObject st = StatsBuckets.state(ledger, b);
    if (st != null && StatsBuckets.sealed(st)) {
      throw LedgerException.of(ErrorCode.STATS_SEALED, b.id() + " is " + st.get("state").getAsString());
    }
    List<KeyValue> found = StatsBuckets.unfolded(ledger, b, batch + 1);
    if (st == null && found.isEmpty()) {
      throw LedgerException.of(ErrorCode.STATS_BAD_BUCKET, b.id() + " holds no contribution");
    }
    if (found.isEmpty()) {
      throw LedgerException.of(ErrorCode.STATS_NOTHING_TO_FOLD, b.id() + " has no contribution left to fold");
    }
    if (st == null) {
      st = StatsBuckets.fresh(b);
    }
    PaillierPublicKey pk = Contracts.regulator(ledger).publicKey();
    String agg = st.get("aggregate").getAsString();
    BigInteger n2 = pk.nSquared();
    BigInteger acc = agg.isEmpty() ? BigInteger.ONE : MoneyContract.ciphertext(pk, agg).value();
    long folded = st.get("folded").getAsLong();
    int take = Math.min(batch, found.size());
    if (folded + take > SlotLayout.MAX_CONTRIBUTIONS) {
      throw LedgerException.of(ErrorCode.STATS_SEALED, b.id() + " would pass " + SlotLayout.MAX_CONTRIBUTIONS
          + " contributions");
    }
    for (int i = 0; i < take; i++) {
      KeyValue kv = found.get(i);
      JsonObject c = CanonicalJson.parseObject(kv.getStringValue());
      // Every stored contribution was verified (or computed) by the chaincode under this key.
      acc = acc.multiply(MoneyContract.ciphertext(pk, c.get("c").getAsString()).value()).mod(n2);
      ledger.delete(kv.getKey());
    }
    st.addProperty("folded", folded + take);
    st.addProperty("aggregate", MoneyContract.b64(pk.ciphertext(acc)));
    // Stored state stays FOLDING (not sealed); FOLDED is shown while no unfolded contribution is left.
    st.addProperty("state", State.FOLDING.name());
    StatsBuckets.save(ledger, b, st);
    // At most the one past the batch is known to be left (a lower bound, countExact false).
    int left = found.size() - take;
    Contracts.emit(ledger, "medledger.StatsFolded", "bucketId", b.id(), "folded", Long.toString(folded + take),
        "state", (left == 0 ? State.FOLDED : State.FOLDING).name());
    return CanonicalJson.toString(StatsBuckets.view(ledger, cfg, b, st, left, left == 0));
  }

  private static int batch(String s) {
    if (s == null || s.isEmpty() || s.length() > 4 || s.charAt(0) == '0' || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw LedgerException.of(ErrorCode.BAD_PAGE, "a fold batch is a whole number 1.." + StatsProtocol.MAX_FOLD_BATCH);
    }
    int n = Integer.parseInt(s);
    if (n > StatsProtocol.MAX_FOLD_BATCH) {
      throw LedgerException.of(ErrorCode.BAD_PAGE, "a fold batch is a whole number 1.." + StatsProtocol.MAX_FOLD_BATCH);
    }
    return n;
  }

  /**
   * STATS_NOT_CLOSED unless this transaction is dated at or after the first instant after the
   * bucket's month (the ordering of transaction timestamps every contract uses, docs/chaincode.md §11.2).
   * For a fold this is a convenience only (an unsigned client may post-date it, and a fold seals
   * nothing); for an opening request it is the signed requester's accountable claim.
   */
  static void requireClosed(Ledger ledger, Bucket b) {
    if (ledger.timestamp().isBefore(b.closesAt())) {
      throw LedgerException.of(ErrorCode.STATS_NOT_CLOSED, b.id() + " closes at " + b.closesAt()
          + "; this transaction is dated " + ledger.timestamp());
    }
  }

  // ------------------------------------------------------------------------------- publishing

  /**
   * Stores the result of a bucket whose disclosure the committee has opened: the plaintext, the
   * count, the money total or (RECORDS) the counters and fee total unpacked with {@link
   * SlotLayout#unpack}, which checks them against the count.
   */
  static String publish(Ledger ledger, ChannelConfig cfg, String bucketId) {
    Bucket b = StatsBuckets.parse(bucketId);
    JsonObject st = StatsBuckets.state(ledger, b);
    if (st == null || !st.get("state").getAsString().equals(State.OPENING.name())) {
      String s = st == null ? StatsBuckets.stateAt(b, null, ledger.timestamp(), 0).name() : st.get("state").getAsString();
      throw LedgerException.of(s.equals(State.OPENED.name()) ? ErrorCode.STATS_ALREADY_OPENED : ErrorCode.STATS_NOT_OPENED,
          b.id() + " is " + s);
    }
    String disclosureId = st.get("disclosureId").getAsString();
    JsonObject d = ledger.get(ledger.key(Disclosures.DISCLOSURE, disclosureId));
    if (d == null || !d.get("status").getAsString().equals("OPENED") || !d.has("plaintext")) {
      throw LedgerException.of(ErrorCode.STATS_NOT_OPENED, "disclosure " + disclosureId + " has no plaintext yet");
    }
    if (!d.get("targetKind").getAsString().equals(CommitteeProtocol.Target.STATS_BUCKET.name())
        || !d.get("targetId").getAsString().equals(b.id())
        || !d.get("ciphertext").getAsString().equals(st.get("aggregate").getAsString())) {
      throw new IllegalStateException("disclosure " + disclosureId + " is not the opening of " + b.id());
    }
    BigInteger m = new BigInteger(d.get("plaintext").getAsString());
    long count = st.get("folded").getAsLong();
    JsonObject r = new JsonObject();
    r.addProperty("count", count);
    r.addProperty("plaintext", m.toString());
    if (b.kind().money()) {
      r.addProperty("total", m.toString());
    } else {
      StatsTally t;
      try {
        t = SlotLayout.unpack(m, count);
      } catch (CryptoException e) {
        throw LedgerException.of(ErrorCode.STATS_NOT_OPENED, e.getMessage());
      }
      long[] counters = t.counters();
      JsonArray cat = new JsonArray();
      JsonArray bands = new JsonArray();
      for (int i = 0; i < counters.length; i++) {
        (i < org.medledger.crypto.stats.IcdChapter.COUNT ? cat : bands).add(counters[i]);
      }
      r.add("categories", cat);
      r.add("bands", bands);
      r.addProperty("total", t.feeTotal().toString());
    }
    r.addProperty("disclosureId", disclosureId);
    r.addProperty("txId", ledger.txId());
    r.addProperty("publishedAt", ledger.timestamp().toString());
    st.add("result", r);
    st.addProperty("state", State.OPENED.name());
    StatsBuckets.save(ledger, b, st);
    Contracts.emit(ledger, "medledger.StatsPublished", "bucketId", b.id(), "count", Long.toString(count));
    int late = StatsBuckets.unfolded(ledger, b, StatsBuckets.COUNT_CAP + 1).size();
    return CanonicalJson.toString(StatsBuckets.view(ledger, cfg, b, st, Math.min(late, StatsBuckets.COUNT_CAP),
        late <= StatsBuckets.COUNT_CAP));
  }
}
