package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;

/**
 * Canonical encoding of a signed integer with |x| &lt; 2^bits: one sign byte (0 for x ≥ 0, 1 for
 * x &lt; 0; zero is never negative) and the magnitude in exactly ⌈bits/8⌉ bytes.
 */
final class SignedInt {
  private SignedInt() {}

  static int length(int bits) {
    return 1 + (bits + 7) / 8;
  }

  static byte[] encode(BigInteger x, int bits) {
    byte[] out = new byte[length(bits)];
    out[0] = (byte) (x.signum() < 0 ? 1 : 0);
    byte[] mag = Bytes.fixed(x.abs(), out.length - 1);
    System.arraycopy(mag, 0, out, 1, mag.length);
    return out;
  }

  /** Decodes and checks the sign byte and |x| &lt; 2^bits; {@code code} names the failure. */
  static BigInteger decode(byte[] b, int at, int bits, String code, String what) {
    int len = length(bits);
    if (at + len > b.length) {
      throw new MalformedInputException(code, what + " truncated");
    }
    int sign = b[at];
    if (sign != 0 && sign != 1) {
      throw new MalformedInputException(code, what + " has an invalid sign byte");
    }
    BigInteger mag = new BigInteger(1, Arrays.copyOfRange(b, at + 1, at + len));
    if (mag.bitLength() > bits) {
      throw new MalformedInputException(code, what + " exceeds 2^" + bits);
    }
    if (sign == 1 && mag.signum() == 0) {
      throw new MalformedInputException(code, what + " is a negative zero");
    }
    return sign == 1 ? mag.negate() : mag;
  }
}
