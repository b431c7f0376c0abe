package org.medledger.embedded;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.medledger.embedded.RangeRead.KeyVersion;
import org.medledger.embedded.WorldState.VersionedValue;

/**
 * An unpaginated range query (getStateByRange, getStateByPartialCompositeKey) as a Fabric v3.1 peer
 * serves it to the Java shim, and the range read the peer records for it.
 *
 * <p>The peer side follows core/chaincode/query_response_generator.go ({@code BuildQueryResponse},
 * {@code MaxResultLimit} = 100 in core/chaincode/chaincode_support.go): the peer moves its state
 * iterator into a pending batch; when the batch holds 100 results and one more result is read, it
 * returns the batch with HasMore and keeps that one result pending; when the iterator returns no
 * more results, or the query has returned {@code totalQueryLimit} results, it returns the batch
 * without HasMore. The first response is built when the query is made, each further one when the
 * shim asks for it (QUERY_STATE_NEXT). So after k responses with HasMore the peer's iterator has
 * advanced over 100k + 1 keys. The range read is what the peer's iterator advanced over
 * (core/ledger/kvledger/txmgmt/txmgr/query_executor.go, {@code updateRangeQueryInfo}): while the
 * iterator is not exhausted, from the start key to the last key advanced over, that key included
 * (the validator's {@code includeEndKey = !ItrExhausted}), with the versions of those keys; once it
 * is exhausted, the whole range [start, end) with every key's version.
 *
 * <p>The shim side follows the Java shim's QueryResultsIteratorImpl: every {@link #iterator()} shares
 * one position, {@code hasNext()} never asks the peer for anything, and {@code next()} asks for the
 * next response only once the current one has been consumed. After {@link #close()} iteration yields
 * nothing. The range read of a closed query stays as it was. An unpaginated query carries no
 * metadata ({@link #getMetadata()} is the empty message, as the shim parses it from a response
 * without any).
 */
final class PeerRangeQuery implements QueryResultsIteratorWithMetadata<KeyValue>, QueryResultsIterator<KeyValue> {
  /** Results per response of an unpaginated query (the peer's MaxResultLimit). */
  static final int BATCH = 100;

  private final String start;
  private final String end;
  private final Iterator<Map.Entry<String, VersionedValue>> db;
  private final int totalLimit;
  private final Runnable checkActive;

  // the peer's side
  private final List<KeyVersion> advanced = new ArrayList<>();
  private final List<KeyValue> pending = new ArrayList<>();
  private int returned;
  private boolean exhausted;

  // the shim's side
  private Iterator<KeyValue> current = Collections.emptyIterator();
  private boolean hasMore;

  /**
   * Runs the query and builds its first response, as the peer does before answering the query.
   *
   * @param range the committed entries of [start, end), in key order; read only while the
   *     simulation runs ({@code checkActive} throws afterwards)
   */
  PeerRangeQuery(String start, String end, Map<String, VersionedValue> range, int totalLimit, Runnable checkActive) {
    this.start = start;
    this.end = end;
    this.db = range.entrySet().iterator();
    this.totalLimit = totalLimit;
    this.checkActive = checkActive;
    respond();
  }

  /** The range read the peer records for this query, as it stands now. */
  RangeRead rangeRead() {
    if (exhausted) {
      return new RangeRead(start, end, false, advanced);
    }
    if (advanced.isEmpty()) {
      throw new IllegalStateException("a range query that advanced over nothing is exhausted");
    }
    return new RangeRead(start, advanced.get(advanced.size() - 1).key(), true, advanced);
  }

  /** One response of the peer: the next batch, and whether the shim may ask for another one. */
  private void respond() {
    while (true) {
      if (returned >= totalLimit) {
        deliver(false);
        return;
      }
      Map.Entry<String, VersionedValue> e = advance();
      if (e == null) {
        deliver(false);
        return;
      }
      KeyValue kv = new SimulatedStub.StateEntry(e.getKey(), e.getValue().value());
      if (pending.size() == BATCH) {
        deliver(true);
        pending.add(kv);
        returned++;
        return;
      }
      pending.add(kv);
      returned++;
    }
  }

  private Map.Entry<String, VersionedValue> advance() {
    if (!db.hasNext()) {
      exhausted = true;
      return null;
    }
    Map.Entry<String, VersionedValue> e = db.next();
    advanced.add(new KeyVersion(e.getKey(), e.getValue().version()));
    return e;
  }

  private void deliver(boolean more) {
    current = List.copyOf(pending).iterator();
    pending.clear();
    hasMore = more;
  }

  @Override
  public Iterator<KeyValue> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return current.hasNext() || hasMore;
      }

      @Override
      public KeyValue next() {
        if (current.hasNext()) {
          return current.next();
        }
        if (!hasMore) {
          throw new NoSuchElementException();
        }
        checkActive.run();
        respond();
        return current.next();
      }
    };
  }

  @Override
  public QueryResponseMetadata getMetadata() {
    return QueryResponseMetadata.getDefaultInstance();
  }

  @Override
  public void close() {
    current = Collections.emptyIterator();
    hasMore = false;
  }
}
