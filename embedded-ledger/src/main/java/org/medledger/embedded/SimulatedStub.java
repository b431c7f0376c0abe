package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.shim.Chaincode.Response;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.medledger.embedded.RangeRead.KeyVersion;
import org.medledger.embedded.WorldState.VersionedValue;

/**
 * The {@link ChaincodeStub} of one transaction simulation, over the committed state of an {@link
 * EmbeddedLedger}. It behaves as a Fabric peer's stub with a LevelDB state database:
 *
 * <ul>
 *   <li>reads see the committed state only, never the transaction's own writes, and each read
 *       records (key, version) in the read set; a missing key reads as an empty array, as the Java
 *       shim returns it;
 *   <li>writes are buffered in the write set, the last write per key winning; writing an empty
 *       value deletes the key, as in Fabric;
 *   <li>range and partial composite key queries return keys in UTF-8 order, simple-key ranges
 *       never return composite keys, and each query is recorded for phantom detection at commit;
 *   <li>an unpaginated query is served in batches of 100 as a peer serves it to the Java shim, and
 *       its recorded range read is only the part of the range the peer's iterator has advanced
 *       over: 101 keys once the query is made, 100 more each time the contract moves past a batch,
 *       the whole range once the iterator is exhausted (see {@link PeerRangeQuery}); a contract that
 *       stops early is not invalidated by a write beyond what the peer fetched;
 *   <li>paginated queries are allowed only in a transaction that writes nothing, and a bookmark
 *       replaces the start key unchecked, as in Fabric (see {@link #getStateByRangeWithPagination});
 *   <li>history comes newest first, as in Fabric 2.x, and is not part of the read set.
 * </ul>
 *
 * <p>What the ledger does not simulate (private data, rich queries, chaincode-to-chaincode calls,
 * state-based endorsement, the signed proposal) throws {@link UnsupportedOperationException}. The
 * stub is usable only while its simulation runs; afterwards every call throws {@link
 * IllegalStateException}.
 */
public final class SimulatedStub implements ChaincodeStub {
  /** Largest value one key may hold. */
  public static final int MAX_VALUE_BYTES = 1 << 20;
  /** Largest write set one transaction may produce: the sum of its keys (UTF-8) and values. */
  public static final int MAX_WRITE_SET_BYTES = 2 << 20;

  /** The shim's substitutes for an open start or end of a simple-key range. */
  private static final String UNSPECIFIED_START_KEY = "\u0001";
  private static final String UNSPECIFIED_END_KEY = "";
  private static final String MAX_UNICODE_RUNE = new String(Character.toChars(Character.MAX_CODE_POINT));
  private static final byte[] EMPTY = new byte[0];
  /**
   * A peer returns at most this many results from one range query (core.yaml
   * {@code ledger.state.totalQueryLimit}, Fabric's default).
   */
  public static final int TOTAL_QUERY_LIMIT = 100_000;

  private final WorldState state;
  private final String channelId;
  private final String txId;
  private final Instant timestamp;
  private final Identity creator;
  private final List<String> args;
  private final Map<String, byte[]> transientData;

  private final SortedMap<String, Version> reads = new TreeMap<>(Keys.ORDER);
  private final SortedMap<String, byte[]> writes = new TreeMap<>(Keys.ORDER);
  /** The range reads of the simulation's queries, as they stand when asked for. */
  private final List<Supplier<RangeRead>> rangeReads = new ArrayList<>();
  private long writeSetBytes;
  private ChaincodeEvent event;
  private boolean writePerformed;
  private boolean paginatedQueryPerformed;
  private boolean finished;

  SimulatedStub(
      WorldState state,
      String channelId,
      String txId,
      Instant timestamp,
      Identity creator,
      String function,
      List<String> args,
      Map<String, byte[]> transientData) {
    this.state = state;
    this.channelId = channelId;
    this.txId = txId;
    this.timestamp = timestamp;
    this.creator = creator;
    this.args = Stream.concat(Stream.of(function), args.stream()).toList();
    Map<String, byte[]> t = new HashMap<>();
    transientData.forEach((k, v) -> t.put(Objects.requireNonNull(k), v.clone()));
    this.transientData = t;
  }

  // --- what the simulation produced (read by EmbeddedLedger once it has finished) ---

  void finish() {
    finished = true;
  }

  SortedMap<String, Version> reads() {
    return reads;
  }

  SortedMap<String, byte[]> writes() {
    return writes;
  }

  List<RangeRead> rangeReads() {
    return rangeReads.stream().map(Supplier::get).toList();
  }

  private void checkActive() {
    if (finished) {
      throw new IllegalStateException(
          "the simulation of transaction " + txId + " has finished; its stub cannot be used any more");
    }
  }

  // --- the proposal ---

  @Override
  public List<byte[]> getArgs() {
    return args.stream().map(a -> a.getBytes(UTF_8)).toList();
  }

  @Override
  public List<String> getStringArgs() {
    return args;
  }

  @Override
  public String getFunction() {
    return args.get(0);
  }

  @Override
  public List<String> getParameters() {
    return args.subList(1, args.size());
  }

  @Override
  public String getTxId() {
    return txId;
  }

  @Override
  public String getChannelId() {
    return channelId;
  }

  /** The timestamp the submitter put in the proposal; the stub never reads a clock. */
  @Override
  public Instant getTxTimestamp() {
    return timestamp;
  }

  /** The serialized identity (msp.SerializedIdentity) of the submitting client. */
  @Override
  public byte[] getCreator() {
    return creator.creator();
  }

  /**
   * The endorsing peer's MSP ID. The simulated peer belongs to the submitter's organisation, as
   * the peer a Fabric gateway of that organisation endorses with first.
   */
  @Override
  public String getMspId() {
    return creator.mspId();
  }

  @Override
  public Map<String, byte[]> getTransient() {
    Map<String, byte[]> copy = new HashMap<>();
    transientData.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  // --- point reads and writes ---

  @Override
  public byte[] getState(String key) {
    checkActive();
    Objects.requireNonNull(key, "key must not be null");
    VersionedValue v = state.get(key);
    reads.put(key, v == null ? null : v.version());
    return v == null ? new byte[0] : v.value().clone();
  }

  /**
   * Reads the key's metadata as Fabric does (recording the read). The embedded ledger keeps no
   * validation parameters, so there is never one to return.
   */
  @Override
  public byte[] getStateValidationParameter(String key) {
    getState(key);
    return null;
  }

  @Override
  public void putState(String key, byte[] value) {
    checkActive();
    Keys.checkWritable(key);
    Objects.requireNonNull(value, "value must not be null");
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("the value for key " + Keys.printable(key) + " is " + value.length
          + " bytes; the embedded ledger accepts at most " + MAX_VALUE_BYTES + " bytes per value");
    }
    write(key, value.clone());
  }

  @Override
  public void delState(String key) {
    checkActive();
    Keys.checkWritable(key);
    write(key, EMPTY);
  }

  private void write(String key, byte[] value) {
    if (paginatedQueryPerformed) {
      throw new IllegalStateException("txid [" + txId + "]: unsupported transaction. Transaction has already"
          + " performed a paginated query. Writes are not allowed");
    }
    long keyBytes = Keys.utf8Length(key);
    byte[] previous = writes.get(key);
    long size = writeSetBytes - (previous == null ? 0 : keyBytes + previous.length) + keyBytes + value.length;
    if (size > MAX_WRITE_SET_BYTES) {
      throw new IllegalArgumentException("writing key " + Keys.printable(key) + " makes the write set of transaction "
          + txId + " " + size + " bytes; the embedded ledger accepts at most " + MAX_WRITE_SET_BYTES
          + " bytes per transaction");
    }
    writePerformed = true;
    writes.put(key, value);
    writeSetBytes = size;
  }

  // --- range queries ---

  @Override
  public QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey) {
    checkActive();
    String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
    String end = endKey == null ? UNSPECIFIED_END_KEY : endKey;
    CompositeKey.validateSimpleKeys(start, end);
    return range(start, end);
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(
      String startKey, String endKey, int pageSize, String bookmark) {
    checkActive();
    String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
    String end = endKey == null ? UNSPECIFIED_END_KEY : endKey;
    CompositeKey.validateSimpleKeys(start, end);
    return page(start, end, pageSize, bookmark);
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey) {
    Objects.requireNonNull(compositeKey, "compositeKey must not be null");
    return getStateByPartialCompositeKey(compositeKey.startsWith(CompositeKey.NAMESPACE)
        ? CompositeKey.parseCompositeKey(compositeKey)
        : new CompositeKey(compositeKey));
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String objectType, String... attributes) {
    return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
  }

  @Override
  public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey) {
    checkActive();
    String prefix = Objects.requireNonNull(compositeKey, "compositeKey must not be null").toString();
    return range(prefix, prefix + MAX_UNICODE_RUNE);
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
      CompositeKey compositeKey, int pageSize, String bookmark) {
    checkActive();
    String prefix = Objects.requireNonNull(compositeKey, "compositeKey must not be null").toString();
    return page(prefix, prefix + MAX_UNICODE_RUNE, pageSize, bookmark);
  }

  /**
   * An unpaginated query, served in batches as a peer serves it and recorded as the part of the
   * range the peer's iterator has advanced over (see {@link PeerRangeQuery}).
   */
  private PeerRangeQuery range(String start, String end) {
    PeerRangeQuery q = new PeerRangeQuery(start, end, state.range(start, end, false), TOTAL_QUERY_LIMIT, this::checkActive);
    rangeReads.add(q::rangeRead);
    return q;
  }

  /**
   * One page of a range, as a Fabric v3.1 peer with LevelDB serves it (core/chaincode/handler.go,
   * statedb/stateleveldb): a query with page size 0 and no bookmark is not paginated at all (the
   * whole range up to the peer's total query limit, no metadata); otherwise a non-empty bookmark
   * <em>replaces the start key without any check</em>, a page size of 0 or below means "up to the
   * total query limit", and the returned bookmark is the first key after the page, or empty when
   * the range is exhausted. So a bookmark before the range returns keys of other ranges, as on a
   * peer. A bookmark past the end of the range makes a Fabric v3.1.1 peer process crash
   * (issue 11); here it throws {@link PeerCrashException}, so that a test that reaches it fails
   * loudly instead of passing on a behaviour no peer has. The page is recorded as a range read over
   * the part of the range it covered.
   */
  private QueryResultsIteratorWithMetadata<KeyValue> page(String start, String end, int pageSize, String bookmark) {
    boolean noBookmark = bookmark == null || bookmark.isEmpty();
    if (pageSize == 0 && noBookmark) {
      return range(start, end);
    }
    if (writePerformed) {
      throw new IllegalStateException("txid [" + txId + "]: unsupported transaction. Paginated queries are"
          + " supported only in a read-only transaction");
    }
    String from = noBookmark ? start : bookmark;
    if (!end.isEmpty() && Keys.ORDER.compare(from, end) > 0) {
      throw new PeerCrashException("bookmark " + Keys.printable(from) + " is past the end of the range "
          + Keys.printable(end) + ": a Fabric v3.1.1 peer process crashes on this query");
    }
    paginatedQueryPerformed = true;
    int limit = pageSize > 0 ? Math.min(pageSize, TOTAL_QUERY_LIMIT) : TOTAL_QUERY_LIMIT;
    NavigableMap<String, VersionedValue> page = new TreeMap<>(Keys.ORDER);
    String next = "";
    for (Map.Entry<String, VersionedValue> e : state.range(from, end, false).entrySet()) {
      if (page.size() == limit) {
        next = e.getKey();
        break;
      }
      page.put(e.getKey(), e.getValue());
    }
    // A peer stops reading once the page is full, without looking for a next key, and records the
    // range read up to the page's last key (ItrExhausted false): an exactly full last page is
    // validated over what it returned only, as a page with more keys after it is.
    RangeRead read = page.size() < limit
        ? new RangeRead(from, end, false, versions(page))
        : new RangeRead(from, page.lastKey(), true, versions(page));
    rangeReads.add(() -> read);
    QueryResponseMetadata metadata = QueryResponseMetadata.newBuilder()
        .setFetchedRecordsCount(page.size())
        .setBookmark(next)
        .build();
    return new Results<>(entries(page), metadata);
  }

  private static List<KeyVersion> versions(NavigableMap<String, VersionedValue> found) {
    List<KeyVersion> out = new ArrayList<>(found.size());
    found.forEach((k, v) -> out.add(new KeyVersion(k, v.version())));
    return out;
  }

  private static List<KeyValue> entries(NavigableMap<String, VersionedValue> found) {
    List<KeyValue> out = new ArrayList<>(found.size());
    found.forEach((k, v) -> out.add(new StateEntry(k, v.value())));
    return out;
  }

  /** A key and its committed value, as range queries return them. */
  record StateEntry(String key, byte[] value) implements KeyValue {
    @Override
    public String getKey() {
      return key;
    }

    @Override
    public byte[] getValue() {
      return value.clone();
    }

    @Override
    public String getStringValue() {
      return new String(value, UTF_8);
    }
  }

  /** Results computed when the query ran; iterating them reads nothing more. */
  private static final class Results<T> implements QueryResultsIteratorWithMetadata<T>, QueryResultsIterator<T> {
    private final List<T> items;
    private final QueryResponseMetadata metadata;
    private boolean closed;

    Results(List<T> items, QueryResponseMetadata metadata) {
      this.items = Collections.unmodifiableList(items);
      this.metadata = metadata;
    }

    @Override
    public Iterator<T> iterator() {
      if (closed) {
        throw new IllegalStateException("the query iterator is closed");
      }
      return items.iterator();
    }

    @Override
    public QueryResponseMetadata getMetadata() {
      return metadata;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  // --- composite keys, history, events ---

  @Override
  public CompositeKey createCompositeKey(String objectType, String... attributes) {
    return new CompositeKey(objectType, attributes);
  }

  @Override
  public CompositeKey splitCompositeKey(String compositeKey) {
    return CompositeKey.parseCompositeKey(compositeKey);
  }

  /** Every committed write of the key, newest first; history reads are not validated at commit. */
  @Override
  public QueryResultsIterator<KeyModification> getHistoryForKey(String key) {
    checkActive();
    Objects.requireNonNull(key, "key must not be null");
    List<KeyModification> newestFirst = new ArrayList<>(state.history(key));
    Collections.reverse(newestFirst);
    return new Results<>(newestFirst, null);
  }

  /** Sets the transaction's event; a later call replaces an earlier one, as in Fabric. */
  @Override
  public void setEvent(String name, byte[] payload) {
    checkActive();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("event name can not be nil string");
    }
    event = ChaincodeEvent.newBuilder()
        .setEventName(name)
        .setPayload(payload == null ? ByteString.EMPTY : ByteString.copyFrom(payload))
        .build();
  }

  @Override
  public ChaincodeEvent getEvent() {
    return event;
  }

  // --- not simulated ---

  private static UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(what + " is not simulated by the embedded ledger");
  }

  private static UnsupportedOperationException richQuery() {
    return new UnsupportedOperationException(
        "rich queries (getQueryResult) need CouchDB; the embedded ledger simulates a LevelDB state database");
  }

  private static UnsupportedOperationException privateData() {
    return unsupported("private data (collections)");
  }

  @Override
  public Response invokeChaincode(String chaincodeName, List<byte[]> args, String channel) {
    throw unsupported("chaincode-to-chaincode invocation (invokeChaincode)");
  }

  @Override
  public void setStateValidationParameter(String key, byte[] value) {
    throw unsupported("state-based endorsement (setStateValidationParameter)");
  }

  @Override
  public QueryResultsIterator<KeyValue> getQueryResult(String query) {
    throw richQuery();
  }

  @Override
  public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(
      String query, int pageSize, String bookmark) {
    throw richQuery();
  }

  @Override
  public SignedProposal getSignedProposal() {
    throw unsupported("the signed proposal");
  }

  @Override
  public byte[] getBinding() {
    throw unsupported("the proposal binding");
  }

  @Override
  public byte[] getPrivateData(String collection, String key) {
    throw privateData();
  }

  @Override
  public byte[] getPrivateDataHash(String collection, String key) {
    throw privateData();
  }

  @Override
  public byte[] getPrivateDataValidationParameter(String collection, String key) {
    throw privateData();
  }

  @Override
  public void putPrivateData(String collection, String key, byte[] value) {
    throw privateData();
  }

  @Override
  public void setPrivateDataValidationParameter(String collection, String key, byte[] value) {
    throw privateData();
  }

  @Override
  public void delPrivateData(String collection, String key) {
    throw privateData();
  }

  @Override
  public void purgePrivateData(String collection, String key) {
    throw privateData();
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByRange(String collection, String startKey, String endKey) {
    throw privateData();
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection, String compositeKey) {
    throw privateData();
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection, CompositeKey compositeKey) {
    throw privateData();
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
      String collection, String objectType, String... attributes) {
    throw privateData();
  }

  @Override
  public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(String collection, String query) {
    throw privateData();
  }
}
