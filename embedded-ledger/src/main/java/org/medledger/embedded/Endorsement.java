package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of simulating one transaction against the committed state: its read set, range
 * reads, write set, event and response, or the chaincode's refusal. Nothing is applied until
 * {@link EmbeddedLedger#commitBlock} validates it. Immutable.
 */
public final class Endorsement {
  final EmbeddedLedger ledger;
  private final String txId;
  private final long nonce;
  private final Instant timestamp;
  private final Identity creator;
  private final String function;
  private final List<String> args;
  private final boolean succeeded;
  private final byte[] payload;
  private final String errorMessage;
  /** Keys read, with the version then committed; null for a key that did not exist. */
  final SortedMap<String, Version> reads;
  final List<RangeRead> rangeReads;
  /** Last write per key; an empty value is a delete, as in Fabric's write sets. */
  final SortedMap<String, byte[]> writes;
  final String eventName;
  final byte[] eventPayload;

  private Endorsement(
      EmbeddedLedger ledger,
      Proposal p,
      boolean succeeded,
      byte[] payload,
      String errorMessage,
      SortedMap<String, Version> reads,
      List<RangeRead> rangeReads,
      SortedMap<String, byte[]> writes,
      String eventName,
      byte[] eventPayload) {
    this.ledger = ledger;
    this.txId = p.txId();
    this.nonce = p.nonce();
    this.timestamp = p.timestamp();
    this.creator = p.creator();
    this.function = p.function();
    this.args = p.args();
    this.succeeded = succeeded;
    this.payload = payload == null ? new byte[0] : payload.clone();
    this.errorMessage = errorMessage;
    this.reads = Collections.unmodifiableSortedMap(new TreeMap<>(reads));
    this.rangeReads = List.copyOf(rangeReads);
    this.writes = Collections.unmodifiableSortedMap(new TreeMap<>(writes));
    this.eventName = eventName;
    this.eventPayload = eventPayload;
  }

  /** What was proposed: the transaction's identity and input. */
  record Proposal(String txId, long nonce, Instant timestamp, Identity creator, String function, List<String> args) {
    Proposal {
      args = List.copyOf(args);
    }
  }

  static Endorsement success(EmbeddedLedger ledger, Proposal p, byte[] payload, SimulatedStub stub) {
    return new Endorsement(
        ledger,
        p,
        true,
        payload,
        "",
        stub.reads(),
        stub.rangeReads(),
        stub.writes(),
        stub.getEvent() == null ? null : stub.getEvent().getEventName(),
        stub.getEvent() == null ? null : stub.getEvent().getPayload().toByteArray());
  }

  /** A refused proposal: its message and payload, and no reads, writes or event. */
  static Endorsement failure(EmbeddedLedger ledger, Proposal p, String message, byte[] payload) {
    return new Endorsement(
        ledger, p, false, payload, message == null ? "" : message, new TreeMap<>(), List.of(), new TreeMap<>(), null, null);
  }

  public String txId() {
    return txId;
  }

  long nonce() {
    return nonce;
  }

  public Instant timestamp() {
    return timestamp;
  }

  public Identity creator() {
    return creator;
  }

  public String function() {
    return function;
  }

  public List<String> args() {
    return args;
  }

  /** Whether the chaincode accepted the proposal (returned normally). */
  public boolean succeeded() {
    return succeeded;
  }

  /** The response payload, or on failure the ChaincodeException's payload; empty if none. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The ChaincodeException's message on failure; empty on success. */
  public String errorMessage() {
    return errorMessage;
  }

  /**
   * The ChaincodeException's payload as UTF-8 text, where MedLedger's contracts put their error
   * code; empty if the endorsement succeeded or the exception carried no payload.
   */
  public String errorCode() {
    return succeeded ? "" : new String(payload, UTF_8);
  }

  /** The keys the simulation read (point reads, not range reads). */
  public Set<String> readKeys() {
    return reads.keySet();
  }

  /** The keys the simulation wrote or deleted. */
  public Set<String> writtenKeys() {
    return writes.keySet();
  }

  /** The event the chaincode set, if any. */
  public Optional<String> eventName() {
    return Optional.ofNullable(eventName);
  }

  @Override
  public String toString() {
    return "Endorsement[" + txId + " " + function + (succeeded ? " ok" : " failed: " + errorMessage) + "]";
  }
}
