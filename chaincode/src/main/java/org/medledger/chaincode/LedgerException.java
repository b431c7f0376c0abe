package org.medledger.chaincode;

import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.medledger.protocol.ErrorCode;

/** Builds the ChaincodeException for a refused request: message "CODE: detail", payload "CODE". */
public final class LedgerException {
  /**
   * Longest detail kept in a refusal's message, in characters. Details may echo client input; the
   * message goes back to the client and into the chaincode's log, so it is cut here.
   */
  public static final int MAX_DETAIL_CHARS = 200;

  private LedgerException() {}

  public static ChaincodeException of(ErrorCode code, String detail) {
    return new ChaincodeException(code.name() + ": " + capped(detail), code.name().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code detail} cut to about {@link #MAX_DETAIL_CHARS} characters (with the number of characters left out), and
   * with control characters, U+10FFFF and lone surrogates written as {@code \\uXXXX}, so that echoed
   * input can neither grow a message without bound nor forge lines in a log.
   */
  static String capped(String detail) {
    String d = String.valueOf(detail);
    StringBuilder out = new StringBuilder(Math.min(d.length(), MAX_DETAIL_CHARS) + 40);
    int i = 0;
    for (; i < d.length() && out.length() < MAX_DETAIL_CHARS; i++) {
      char c = d.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < d.length() && Character.isLowSurrogate(d.charAt(i + 1));
      if (pair && d.codePointAt(i) != Character.MAX_CODE_POINT) {
        out.append(c).append(d.charAt(++i));
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (i < d.length()) {
      out.append("…(").append(d.length() - i).append(" more characters)");
    }
    return out.toString();
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
