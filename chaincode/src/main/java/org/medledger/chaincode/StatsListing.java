package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.YearMonth;
import java.util.List;
import java.util.TreeSet;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.StatsProtocol;
import org.medledger.protocol.StatsProtocol.Bucket;

/**
 * {@code stats:listBuckets} (docs/chaincode.md §11.5): the buckets that hold a contribution or a
 * state, in id order (month, kind, account), one page at a time. A bucket with unfolded
 * contributions is found by a skip scan over {@code statsc} (one one-key range read per bucket,
 * restarting after the bucket's last possible key); a bucket being or done folding by its
 * {@code statss} key. The bookmark is the last bucket id of the page: checked to be a canonical
 * bucket id of the queried month, so the start keys built from it lie inside the queried ranges.
 */
final class StatsListing {
  private static final String MAX_RUNE = new String(Character.toChars(Character.MAX_CODE_POINT));

  private StatsListing() {}

  static String list(Ledger ledger, ChannelConfig cfg, String month, String pageSize, String bookmark) {
    int size = Paging.pageSize(pageSize);
    String[] prefix;
    if (month.isEmpty()) {
      prefix = new String[0];
    } else {
      try {
        YearMonth m = YearMonth.parse(month);
        if (!StatsProtocol.monthText(m).equals(month)) {
          throw new IllegalArgumentException();
        }
      } catch (RuntimeException e) {
        throw LedgerException.of(ErrorCode.STATS_BAD_BUCKET, "month must be yyyy-MM or empty");
      }
      prefix = new String[] {month};
    }
    Bucket after = null;
    if (!bookmark.isEmpty()) {
      try {
        after = StatsProtocol.parse(bookmark);
      } catch (IllegalArgumentException e) {
        throw LedgerException.of(ErrorCode.BAD_BOOKMARK, "bookmark was not issued for this query");
      }
      if (!month.isEmpty() && !after.monthText().equals(month)) {
        throw LedgerException.of(ErrorCode.BAD_BOOKMARK, "bookmark was not issued for this query");
      }
    }
    TreeSet<String> ids = new TreeSet<>((x, y) -> sortKey(x).compareTo(sortKey(y)));
    skipScan(ledger, StatsBuckets.CONTRIBUTION, prefix, after, size, ids);
    skipScan(ledger, StatsBuckets.STATE, prefix, after, size, ids);
    JsonArray items = new JsonArray();
    String last = "";
    for (String id : ids) {
      if (items.size() == size) {
        break;
      }
      items.add(StatsBuckets.view(ledger, cfg, StatsProtocol.parse(id)));
      last = id;
    }
    JsonObject o = new JsonObject();
    o.add("items", items);
    o.addProperty("bookmark", items.size() == size ? last : "");
    return CanonicalJson.toString(o);
  }

  /** Bucket order = composite-key order: month, kind, account compared as strings (all ASCII). */
  private static String sortKey(String id) {
    Bucket b = StatsProtocol.parse(id);
    return b.monthText() + '\u0000' + b.kind().name() + '\u0000' + b.account() + '\u0000';
  }

  /** Up to {@code size} distinct buckets under {@code type}/{@code prefix}, after {@code after}. */
  private static void skipScan(Ledger ledger, String type, String[] prefix, Bucket after, int size, TreeSet<String> out) {
    CompositeKey partial = ledger.stub().createCompositeKey(type, prefix);
    String start = after == null ? "" : ledger.key(type, StatsBuckets.attrs(after)) + MAX_RUNE;
    for (int found = 0; found < size; found++) {
      KeyValue kv = first(ledger, partial, start);
      if (kv == null) {
        return;
      }
      List<String> a = ledger.stub().splitCompositeKey(kv.getKey()).getAttributes();
      Bucket b = StatsProtocol.parse(a.get(0) + "." + a.get(1) + "." + a.get(2));
      out.add(b.id());
      start = ledger.key(type, StatsBuckets.attrs(b)) + MAX_RUNE;
    }
  }

  private static KeyValue first(Ledger ledger, CompositeKey partial, String start) {
    try (QueryResultsIteratorWithMetadata<KeyValue> it =
        ledger.stub().getStateByPartialCompositeKeyWithPagination(partial, 1, start)) {
      for (KeyValue kv : it) {
        return kv;
      }
      return null;
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
  }
}
