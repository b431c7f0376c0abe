package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.ec.Secp256k1;

/** Arithmetic modulo the group order q. */
final class Scalars {
  static final BigInteger Q = Secp256k1.ORDER;

  private Scalars() {}

  static BigInteger mul(BigInteger a, BigInteger b) {
    return a.multiply(b).mod(Q);
  }

  static BigInteger add(BigInteger a, BigInteger b) {
    BigInteger s = a.add(b);
    return s.compareTo(Q) >= 0 ? s.subtract(Q) : s;
  }

  static BigInteger sub(BigInteger a, BigInteger b) {
    BigInteger s = a.subtract(b);
    return s.signum() < 0 ? s.add(Q) : s;
  }

  static BigInteger neg(BigInteger a) {
    return a.signum() == 0 ? a : Q.subtract(a);
  }

  static BigInteger inv(BigInteger a) {
    return a.modInverse(Q);
  }

  /**
   * The inverses of non-zero x_0 … x_(n−1) mod q with a single modular inversion (Montgomery's
   * trick: prefix products, one inverse, then 3(n − 1) products).
   *
   * @throws ArithmeticException if some x_i is zero mod q
   */
  static BigInteger[] invAll(BigInteger... x) {
    int n = x.length;
    BigInteger[] prefix = new BigInteger[n];
    BigInteger acc = BigInteger.ONE;
    for (int i = 0; i < n; i++) {
      prefix[i] = acc;
      acc = mul(acc, x[i]);
    }
    BigInteger inv = acc.modInverse(Q); // throws if the product, hence some x_i, is zero
    BigInteger[] out = new BigInteger[n];
    for (int i = n - 1; i >= 0; i--) {
      out[i] = mul(inv, prefix[i]);
      inv = mul(inv, x[i]);
    }
    return out;
  }

  /** Σ a_i·b_i mod q over {@code len} entries starting at the given offsets. */
  static BigInteger inner(BigInteger[] a, int aOff, BigInteger[] b, int bOff, int len) {
    BigInteger s = BigInteger.ZERO;
    for (int i = 0; i < len; i++) {
      s = s.add(a[aOff + i].multiply(b[bOff + i]));
    }
    return s.mod(Q);
  }

  /** 1, x, x², …, x^(count−1) mod q. */
  static BigInteger[] powers(BigInteger x, int count) {
    BigInteger[] out = new BigInteger[count];
    BigInteger p = BigInteger.ONE;
    for (int i = 0; i < count; i++) {
      out[i] = p;
      p = mul(p, x);
    }
    return out;
  }

  /** {@code count} uniform scalars in [0, q) by rejection sampling, drawing the bytes at once. */
  static BigInteger[] random(SecureRandom rnd, int count) {
    BigInteger[] out = new BigInteger[count];
    byte[] buf = new byte[32 * count];
    rnd.nextBytes(buf);
    byte[] one = new byte[32];
    for (int i = 0; i < count; i++) {
      System.arraycopy(buf, 32 * i, one, 0, 32);
      BigInteger k = new BigInteger(1, one);
      out[i] = k.compareTo(Q) < 0 ? k : random(rnd);
    }
    java.util.Arrays.fill(buf, (byte) 0);
    java.util.Arrays.fill(one, (byte) 0);
    return out;
  }

  /** A uniform scalar in [0, q) by rejection sampling. */
  static BigInteger random(SecureRandom rnd) {
    while (true) {
      BigInteger k = new BigInteger(256, rnd);
      if (k.compareTo(Q) < 0) {
        return k;
      }
    }
  }
}
