package org.medledger.chaincode;

import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeException;

/** Builds the ChaincodeException for a refused request: message "CODE: detail", payload "CODE". */
public final class LedgerException {
  private LedgerException() {}

  public static ChaincodeException of(ErrorCode code, String detail) {
    return new ChaincodeException(code.name() + ": " + detail, code.name().getBytes(StandardCharsets.UTF_8));
  }

  /** The error code carried by a ChaincodeException's payload, or null if it has none of ours. */
  public static ErrorCode codeOf(ChaincodeException e) {
    byte[] p = e.getPayload();
    if (p == null) {
      return null;
    }
    try {
      return ErrorCode.valueOf(new String(p, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notOurs) {
      return null;
    }
  }
}
