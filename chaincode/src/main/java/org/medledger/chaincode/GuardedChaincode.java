package org.medledger.chaincode;

import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ResponseUtils;

/**
 * The chaincode the service serves on a peer: Fabric's {@link ContractRouter} behind
 * MedLedger's {@link EntryCheck}. The router alone would log every argument of every proposal at
 * INFO before routing it, answer an unknown contract with a bare "Unexpected error" carrying no
 * code, fail on missing arguments with an unchecked exception and ignore extra ones; in front of
 * it, a proposal with an unknown function, the wrong number of arguments, an oversized or
 * non-UTF-8 argument or a malformed id is refused with a stable code before the router (or any
 * parser) sees it. The router is final, so this wraps it rather than extending it.
 */
public final class GuardedChaincode extends ChaincodeBase {
  private final ContractRouter router;
  /** Whether {@code bench:write}, the benchmark's floor ({@link FloorWrite}), is answered. */
  private final boolean floor;

  /** Reads the shim's options from the environment and {@code args}, as {@link ContractRouter} does. */
  public GuardedChaincode(String[] args) {
    this(args, FloorWrite.enabled(System.getenv()));
  }

  GuardedChaincode(String[] args, boolean floor) {
    this.floor = floor;
    router = new ContractRouter(args);
    initializeLogging();
    quietRouter();
    processEnvironmentOptions();
    processCommandLineOptions(args);
    getChaincodeConfig(); // the shim's gRPC server reads its limits from this config
    validateOptions();
    CappedLog.install();
  }

  /**
   * The router writes three INFO records for every proposal (the request, the function found, its
   * arguments) on the hot path of every transaction; its level is raised to WARNING, so that only
   * its warnings and errors remain. The shim's other per-message records are FINE already. The
   * router holds its logger in a static field, so the level stays set.
   */
  static void quietRouter() {
    Logger.getLogger(ContractRouter.class.getName()).setLevel(Level.WARNING);
  }

  /** Scans the contracts, builds their metadata and starts {@code server} (which serves this chaincode). */
  public void start(ChaincodeServer server) throws IOException, InterruptedException {
    router.startRouterWithChaincodeServer(server);
  }

  @Override
  public Response init(ChaincodeStub stub) {
    Response refused = refusal(stub);
    return refused != null ? refused : router.init(stub);
  }

  @Override
  public Response invoke(ChaincodeStub stub) {
    if (floor && FloorWrite.calls(stub.getArgs())) {
      return FloorWrite.invoke(stub);
    }
    Response refused = refusal(stub);
    return refused != null ? refused : router.invoke(stub);
  }

  /** The error response for a proposal the entry check refuses, or null to route it. */
  private static Response refusal(ChaincodeStub stub) {
    List<byte[]> args = stub.getArgs();
    if (args.isEmpty()) {
      return null; // the router answers an empty proposal with an empty success, running nothing
    }
    try {
      EntryCheck.check(args);
      return null;
    } catch (ChaincodeException e) {
      return ResponseUtils.newErrorResponse(e);
    }
  }
}
