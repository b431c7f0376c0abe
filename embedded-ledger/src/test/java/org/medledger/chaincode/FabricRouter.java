package org.medledger.chaincode;

import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.medledger.embedded.EmbeddedLedger;

/**
 * Runs each proposal through the chaincode the service serves on a peer (Fabric's contract router
 * behind MedLedger's entry check), turning an error response into the exception the embedded
 * ledger expects. One router for the test run, started as the service starts it, with a server
 * that does not listen.
 */
final class FabricRouter implements EmbeddedLedger.Dispatcher {
  private static GuardedChaincode chaincode;

  static synchronized GuardedChaincode chaincode() {
    if (chaincode == null) {
      try {
        GuardedChaincode c = new GuardedChaincode(new String[] {"-i", "medledger_test:0"});
        c.start(new ChaincodeServer() {
          @Override
          public void start() {}

          @Override
          public void stop() {}
        });
        chaincode = c;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return chaincode;
  }

  @Override
  public byte[] invoke(Context ctx, String function, List<String> args) {
    Chaincode.Response r = chaincode().invoke(ctx.getStub());
    if (r.getStatus() != Chaincode.Response.Status.SUCCESS) {
      throw new ChaincodeException(r.getMessage(), r.getPayload());
    }
    return r.getPayload() == null ? new byte[0] : r.getPayload();
  }
}
