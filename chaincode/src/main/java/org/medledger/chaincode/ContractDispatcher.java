package org.medledger.chaincode;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.protocol.ErrorCode;

/**
 * Routes {@code contract:function} to the {@link Transaction} methods of the MedLedger contracts,
 * the way Fabric's contract router does on a peer, so the embedded ledger runs the very same
 * contract code. Every transaction method takes the context and string arguments and returns a
 * string (canonical JSON). Every proposal passes {@link EntryCheck} first, as on a peer. The
 * embedded ledger (module embedded-ledger, {@code MedLedgerContracts}) runs it in process.
 */
public final class ContractDispatcher {
  private record Target(ContractInterface contract, Method method) {}

  private final Map<String, Target> targets = new TreeMap<>();

  /** A dispatcher over fresh instances of every MedLedger contract. */
  public static ContractDispatcher medledger() {
    return new ContractDispatcher(new AccountContract(), new MoneyContract(), new RecordContract(),
        new ChannelContract(), new CommitteeContract(), new StatsContract());
  }

  public ContractDispatcher(ContractInterface... contracts) {
    for (ContractInterface c : contracts) {
      Contract info = c.getClass().getAnnotation(Contract.class);
      if (info == null) {
        throw new IllegalArgumentException(c.getClass() + " is not annotated @Contract");
      }
      for (Method m : c.getClass().getMethods()) {
        if (m.isAnnotationPresent(Transaction.class)) {
          String name = info.name() + ":" + m.getName();
          List<EntryCheck.Kind> kinds = EntryCheck.signature(name);
          if (kinds == null || kinds.size() != m.getParameterCount() - 1) {
            throw new IllegalStateException(name + " is missing from EntryCheck or has another argument count there");
          }
          targets.put(name, new Target(c, m));
        }
      }
    }
  }

  /**
   * Runs one proposal: the entry check, then the transaction method.
   *
   * @return the response payload (UTF-8 of the method's result; empty for null)
   * @throws org.hyperledger.fabric.shim.ChaincodeException to refuse the proposal
   */
  public byte[] invoke(Context ctx, String function, List<String> args) {
    // The same entry check as GuardedChaincode runs on a peer: name, argument count, sizes, ids.
    EntryCheck.check(function, args);
    Target t = targets.get(function);
    if (t == null) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, "unknown function " + function);
    }
    int expected = t.method().getParameterCount() - 1;
    if (args.size() != expected) {
      throw LedgerException.of(ErrorCode.MALFORMED_REQUEST, function + " takes " + expected + " arguments, got " + args.size());
    }
    Object[] call = new Object[expected + 1];
    call[0] = ctx;
    for (int i = 0; i < expected; i++) {
      call[i + 1] = args.get(i);
    }
    try {
      Object out = t.method().invoke(t.contract(), call);
      return out == null ? new byte[0] : out.toString().getBytes(StandardCharsets.UTF_8);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof ChaincodeException ce) {
        throw ce;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
