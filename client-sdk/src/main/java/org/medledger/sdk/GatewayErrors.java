package org.medledger.sdk;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.medledger.protocol.ErrorCode;
import org.medledger.sdk.LedgerCallException.Committed;
import org.medledger.sdk.LedgerCallException.Kind;

/**
 * Maps what a Fabric gateway reports to {@link LedgerCallException}s (docs/client-sdk.md §4.2).
 *
 * <p>A chaincode refusal reaches the client as text only: the contract throws a
 * ChaincodeException with message {@code "CODE: detail"} and payload {@code "CODE"}, the Java shim
 * turns it into a proposal response with status 500 and that message, and the peer's gateway drops
 * the payload and reports {@code "chaincode response 500, CODE: detail"}, in an {@link ErrorDetail}
 * per endorsing peer (endorse: gRPC ABORTED) and in the status description too (evaluate: gRPC
 * UNKNOWN). The code is taken from that text and accepted only if it is one of {@link ErrorCode}.
 */
final class GatewayErrors {
  private static final Pattern CHAINCODE_CODE = Pattern.compile("(?:chaincode response \\d+, |^)([A-Z][A-Z0-9_]*): ");

  /**
   * What a gateway reports per endorser when that endorser could not be asked or did not answer in
   * time (a connection it closed or lost, its deadline, a chaincode that timed out or went away, a
   * chaincode server that is down so the peer could not launch or reach it): the proposal may
   * succeed when sent again, or to other endorsers.
   */
  private static final Pattern TRANSIENT_DETAIL = Pattern.compile(
      "rpc error: code = (?:Unavailable|Canceled|DeadlineExceeded)|timeout expired while executing transaction|stream terminated"
          + "|could not launch chaincode|connect: connection refused");

  /** Statuses with which the gateway or orderer refuses a submission it did not pass on. */
  private static final Set<Status.Code> SUBMIT_REFUSALS = EnumSet.of(Status.Code.INVALID_ARGUMENT,
      Status.Code.FAILED_PRECONDITION, Status.Code.ABORTED, Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED,
      Status.Code.NOT_FOUND, Status.Code.ALREADY_EXISTS, Status.Code.OUT_OF_RANGE, Status.Code.UNIMPLEMENTED);

  private GatewayErrors() {}

  /** An evaluation failed: nothing can have been written. */
  static LedgerCallException evaluate(String txId, GatewayException e) {
    return beforeOrdering("evaluate", txId, e);
  }

  /** Endorsement failed or timed out: the client never signed the transaction for the orderer. */
  static LedgerCallException endorse(EndorseException e) {
    return beforeOrdering("endorse", e.getTransactionId(), e);
  }

  private static LedgerCallException beforeOrdering(String phase, String txId, GatewayException e) {
    Status status = e.getStatus();
    Optional<Refusal> refusal = chaincodeRefusal(status, e.getDetails());
    if (refusal.isPresent()) {
      return new LedgerCallException(Kind.REFUSED, refusal.get().code(), txId, Committed.NO, refusal.get().message(), e);
    }
    String text = phase + " failed: " + describe(status, e.getDetails());
    if (transientOnly(e.getDetails()) || (e.getDetails().isEmpty() && transientText(status.getDescription()))) {
      return new LedgerCallException(Kind.UNAVAILABLE, status.getCode().name(), txId, Committed.NO,
          phase + " failed because endorsers could not be reached or could not run the chaincode in time: "
              + describe(status, e.getDetails()), e);
    }
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> new LedgerCallException(Kind.TIMEOUT, status.getCode().name(), txId, Committed.NO,
          phase + " deadline passed before the transaction was sent to the orderer: " + describe(status, e.getDetails()), e);
      case UNAVAILABLE, CANCELLED -> new LedgerCallException(Kind.UNAVAILABLE, status.getCode().name(), txId, Committed.NO, text, e);
      // What a gateway peer answers while it cannot yet serve the channel, e.g. right after a restart
      // before discovery has found the other peers: retried with bounds like UNAVAILABLE.
      case FAILED_PRECONDITION -> new LedgerCallException(Kind.UNAVAILABLE, status.getCode().name(), txId, Committed.NO,
          phase + " failed because the gateway was not ready: " + describe(status, e.getDetails()), e);
      default -> new LedgerCallException(Kind.REJECTED, status.getCode().name(), txId, Committed.NO, text, e);
    };
  }

  private static boolean transientText(String description) {
    return description != null && TRANSIENT_DETAIL.matcher(description).find();
  }

  /** The organisations of the endorsers that could not answer, from a transient endorsement failure's details. */
  static Set<String> failedOrganisations(GatewayException e) {
    Set<String> out = new TreeSet<>();
    for (ErrorDetail d : e.getDetails()) {
      if (!d.getMspId().isEmpty() && TRANSIENT_DETAIL.matcher(d.getMessage()).find()) {
        out.add(d.getMspId());
      }
    }
    return out;
  }

  /**
   * Sending the signed transaction to the orderer failed. An explicit refusal by the gateway or
   * orderer means it was not passed on; a lost connection or a passed deadline leaves it unknown.
   */
  static LedgerCallException submit(SubmitException e) {
    Status status = e.getStatus();
    String txId = e.getTransactionId();
    String text = "submit to the orderer failed: " + describe(status, e.getDetails());
    if (SUBMIT_REFUSALS.contains(status.getCode())) {
      return new LedgerCallException(Kind.REJECTED, status.getCode().name(), txId, Committed.NO, text, e);
    }
    Kind kind = status.getCode() == Status.Code.DEADLINE_EXCEEDED || status.getCode() == Status.Code.CANCELLED
        ? Kind.TIMEOUT : Kind.UNAVAILABLE;
    return new LedgerCallException(kind, status.getCode().name(), txId, Committed.UNKNOWN, text, e);
  }

  /** The orderer took the transaction but its commit status was not obtained. */
  static LedgerCallException commitStatus(CommitStatusException e) {
    Status status = e.getStatus();
    Kind kind = status.getCode() == Status.Code.DEADLINE_EXCEEDED || status.getCode() == Status.Code.CANCELLED
        ? Kind.TIMEOUT : Kind.UNAVAILABLE;
    return new LedgerCallException(kind, status.getCode().name(), e.getTransactionId(), Committed.UNKNOWN,
        "the orderer accepted the transaction but its commit status was not obtained: " + describe(status, e.getDetails()), e);
  }

  /** The transaction is in a block but was invalidated. */
  static LedgerCallException commit(String txId, TxValidationCode code, long blockNumber) {
    String text = "invalidated in block " + blockNumber + " with validation code " + code.name();
    if (code == TxValidationCode.MVCC_READ_CONFLICT || code == TxValidationCode.PHANTOM_READ_CONFLICT) {
      return new LedgerCallException(Kind.CONFLICT, code.name(), txId, Committed.NO, text);
    }
    return new LedgerCallException(Kind.REJECTED, code.name(), txId, Committed.NO, text);
  }

  record Refusal(String code, String message) {}

  /** The MedLedger error code of a chaincode refusal, from the details first, then the status description. */
  static Optional<Refusal> chaincodeRefusal(Status status, List<ErrorDetail> details) {
    List<String> texts = new ArrayList<>();
    details.forEach(d -> texts.add(d.getMessage()));
    if (status.getDescription() != null) {
      texts.add(status.getDescription());
    }
    for (String text : texts) {
      Matcher m = CHAINCODE_CODE.matcher(text);
      while (m.find()) {
        if (isErrorCode(m.group(1))) {
          return Optional.of(new Refusal(m.group(1), text.substring(m.start(1))));
        }
      }
    }
    return Optional.empty();
  }

  /** True if there are details and each one is a transport failure or a timeout, not an answer. */
  static boolean transientOnly(List<ErrorDetail> details) {
    return !details.isEmpty() && details.stream().allMatch(d -> TRANSIENT_DETAIL.matcher(d.getMessage()).find());
  }

  private static boolean isErrorCode(String name) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Status status, List<ErrorDetail> details) {
    StringBuilder b = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      b.append(' ').append(status.getDescription());
    }
    for (ErrorDetail d : details) {
      b.append("; ").append(d.getMspId()).append(" at ").append(d.getAddress()).append(": ").append(d.getMessage());
    }
    return b.toString();
  }
}
