package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * A tiny contract for the embedded ledger's tests: counters, plain and composite keys, range and
 * paginated queries, history, events and refusals. Every response is UTF-8 text.
 */
final class CounterContract implements EmbeddedLedger.Dispatcher {
  /** Run by the function "probe", to reach the stub directly from a test. */
  Consumer<ChaincodeStub> probe = stub -> {};

  @Override
  public byte[] invoke(Context ctx, String function, List<String> args) {
    ChaincodeStub stub = ctx.getStub();
    switch (function) {
      case "put": // put k v
        stub.putStringState(args.get(0), args.get(1));
        return text(args.get(1));
      case "del": // del k
        stub.delState(args.get(0));
        return text("");
      case "get": // get k
        return stub.getState(args.get(0));
      case "incr": { // incr k: read-modify-write
        String v = stub.getStringState(args.get(0));
        String next = Long.toString((v.isEmpty() ? 0 : Long.parseLong(v)) + 1);
        stub.putStringState(args.get(0), next);
        return text(next);
      }
      case "putThenGet": // putThenGet k v: what the transaction reads after its own write
        stub.putStringState(args.get(0), args.get(1));
        return stub.getState(args.get(0));
      case "range": // range a z: "k=v;k=v;"
        return text(join(stub.getStateByRange(args.get(0), args.get(1))));
      case "sum": { // sum a z target: writes the sum of the range's values to target
        long sum = 0;
        for (KeyValue kv : stub.getStateByRange(args.get(0), args.get(1))) {
          sum += Long.parseLong(kv.getStringValue());
        }
        stub.putStringState(args.get(2), Long.toString(sum));
        return text(Long.toString(sum));
      }
      case "cput": { // cput type attr... value
        List<String> attrs = args.subList(1, args.size() - 1);
        stub.putStringState(stub.createCompositeKey(args.get(0), attrs.toArray(String[]::new)).toString(),
            args.get(args.size() - 1));
        return text("");
      }
      case "partial": // partial type attr...: "type/attr/attr=v;"
        return text(joinComposite(stub, stub.getStateByPartialCompositeKey(
            args.get(0), args.subList(1, args.size()).toArray(String[]::new))));
      case "page": { // page type pageSize bookmark: "entries|bookmark|count"
        QueryResultsIteratorWithMetadata<KeyValue> page = stub.getStateByPartialCompositeKeyWithPagination(
            new CompositeKey(args.get(0)), Integer.parseInt(args.get(1)), args.get(2));
        return text(joinComposite(stub, page) + "|" + page.getMetadata().getBookmark() + "|"
            + page.getMetadata().getFetchedRecordsCount());
      }
      case "rangePage": { // rangePage a z pageSize bookmark: "entries|bookmark|count"
        QueryResultsIteratorWithMetadata<KeyValue> page = stub.getStateByRangeWithPagination(
            args.get(0), args.get(1), Integer.parseInt(args.get(2)), args.get(3));
        return text(join(page) + "|" + page.getMetadata().getBookmark() + "|" + page.getMetadata().getFetchedRecordsCount());
      }
      case "history": { // history k: "txId:value:deleted," newest first
        StringBuilder sb = new StringBuilder();
        for (KeyModification m : stub.getHistoryForKey(args.get(0))) {
          sb.append(m.getTxId()).append(':').append(m.getStringValue()).append(':').append(m.isDeleted()).append(',');
        }
        return text(sb.toString());
      }
      case "whoami":
        return text(ctx.getClientIdentity().getMSPID() + "\n" + ctx.getClientIdentity().getId());
      case "emit": // emit name payload [key]: sets an event, and writes key if given
        stub.setEvent(args.get(0), text(args.get(1)));
        if (args.size() > 2) {
          stub.putStringState(args.get(2), args.get(1));
        }
        return text("");
      case "incrAndEmit": { // incrAndEmit k name: a read-modify-write with an event
        String v = stub.getStringState(args.get(0));
        stub.putStringState(args.get(0), Long.toString((v.isEmpty() ? 0 : Long.parseLong(v)) + 1));
        stub.setEvent(args.get(1), text(v));
        return text("");
      }
      case "fail": // fail code message: writes, then refuses
        stub.putStringState("written-before-failure", "x");
        throw new ChaincodeException(args.get(1), args.get(0));
      case "bug":
        throw new IllegalStateException("a bug in the contract");
      case "probe":
        probe.accept(stub);
        return text("");
      default:
        throw new ChaincodeException("no such function: " + function, "UNKNOWN_FUNCTION");
    }
  }

  private static String join(Iterable<KeyValue> results) {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : results) {
      sb.append(kv.getKey()).append('=').append(kv.getStringValue()).append(';');
    }
    return sb.toString();
  }

  private static String joinComposite(ChaincodeStub stub, Iterable<KeyValue> results) {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : results) {
      CompositeKey key = stub.splitCompositeKey(kv.getKey());
      List<String> parts = new ArrayList<>();
      parts.add(key.getObjectType());
      parts.addAll(key.getAttributes());
      sb.append(String.join("/", parts)).append('=').append(kv.getStringValue()).append(';');
    }
    return sb.toString();
  }

  static byte[] text(String s) {
    return s.getBytes(UTF_8);
  }
}
