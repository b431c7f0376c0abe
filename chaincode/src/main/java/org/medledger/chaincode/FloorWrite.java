package org.medledger.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.shim.Chaincode.Response;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ResponseUtils;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Limits;

/**
 * The end-to-end benchmark's no-verification floor ({@code bench:write}, docs/performance.md "Issue
 * 17: end to end"): a submitted transaction that writes its one argument, as it is, under
 * {@code bench/<tx id>} and does nothing else: no parsing, no signature, no proof. Beside a
 * confidential payment of the same size it shows what the network (gateway, endorsement, ordering,
 * validation, commit) costs on its own.
 *
 * <p>Off unless the chaincode service is started with {@code MEDLEDGER_BENCH_FLOOR=1} (only
 * {@code benchmarks/e2e.sh} does that): then {@link GuardedChaincode} answers {@code bench:write}
 * itself, before the entry check; otherwise the entry check refuses it as an unknown function, as
 * the embedded ledger does. It never reads state, so it cannot conflict, and it is bounded by the
 * size of the largest transfer batch.
 */
final class FloorWrite {
  static final String FUNCTION = "bench:write";
  static final String VARIABLE = "MEDLEDGER_BENCH_FLOOR";
  /** Largest payload: one maximal {@code money:transferBatch} argument. */
  static final int MAX_BYTES = Limits.MAX_BATCH_BYTES;

  private FloorWrite() {}

  /** Whether {@code env} turns the floor on ({@code MEDLEDGER_BENCH_FLOOR=1}, nothing else). */
  static boolean enabled(Map<String, String> env) {
    return "1".equals(env.get(VARIABLE));
  }

  /** Whether {@code args} (function first) call the floor. */
  static boolean calls(List<byte[]> args) {
    return !args.isEmpty() && FUNCTION.equals(new String(args.get(0), StandardCharsets.UTF_8));
  }

  /** Writes the payload under {@code bench/<tx id>}; refuses a missing, extra or oversized argument. */
  static Response invoke(ChaincodeStub stub) {
    List<byte[]> args = stub.getArgs();
    try {
      if (args.size() != 2) {
        throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, FUNCTION + " takes 1 argument, got " + (args.size() - 1));
      }
      byte[] payload = args.get(1);
      if (payload.length > MAX_BYTES) {
        throw LedgerException.of(ErrorCode.PAYLOAD_TOO_LARGE, FUNCTION + ": " + payload.length + " bytes > " + MAX_BYTES);
      }
      stub.putState("bench/" + stub.getTxId(), payload);
      return ResponseUtils.newSuccessResponse(("{\"bytes\":" + payload.length + "}").getBytes(StandardCharsets.UTF_8));
    } catch (ChaincodeException e) {
      return ResponseUtils.newErrorResponse(e);
    }
  }
}
