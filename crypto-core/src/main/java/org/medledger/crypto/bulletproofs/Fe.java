package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;

/**
 * secp256k1 base-field arithmetic (p = 2^256 − 2^32 − 977) on five 52-bit limbs held in a {@code
 * long[5]}, value = Σ a_i·2^(52·i). BouncyCastle's {@link SecP256K1Field} works on eight 32-bit
 * words and reduces fully after every operation, with a serial carry chain through each of its 64
 * partial products; here the 25 partial products of a multiplication are independent (each
 * 104-bit product is split at bit 52 with {@code Math.multiplyHigh}, exact because every operand
 * is non-negative and below 2^63) and results are kept only <em>weakly</em> reduced.
 *
 * <p><b>Weak form.</b> Every operation returns limbs a_0…a_3 &lt; 2^52 and a_4 &lt; 2^49, so the
 * value is below 2^257 (it may exceed p) and its limbs are unique for that value. Every operation
 * accepts any weak-form input; {@link #normalize} gives the canonical residue in [0, p). Results
 * may alias inputs. Bounds of each step are stated beside it; {@code FeTest} checks every
 * operation against {@link BigInteger} on random and extreme weak-form inputs.
 *
 * <p>Variable time only where stated ({@link #isZero} and {@link #normalize} branch on the
 * value; {@link #inv} is BouncyCastle's). The multi-exponentiation engine that uses this class is
 * variable-time as a whole (docs/protocol.md §4.2).
 */
final class Fe {
  static final long M52 = 0xFFFFFFFFFFFFFL;
  static final long M48 = 0xFFFFFFFFFFFFL;
  /** 2^256 mod p. */
  private static final long C = 0x1000003D1L;
  /** 2^260 mod p = 16·C. */
  private static final long R = 0x1000003D10L;

  static final BigInteger P = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(C));
  /** p and 2p in weak form: the only non-zero weak-form values ≡ 0 (mod p). */
  private static final long[] P1 = limbs(P);
  private static final long[] P2 = limbs(P.shiftLeft(1));
  /** 4p limb by limb (not carried): every limb exceeds the matching weak-form limb bound. */
  private static final long[] P4 = {P1[0] << 2, P1[1] << 2, P1[2] << 2, P1[3] << 2, P1[4] << 2};

  static {
    if (!P.equals(org.medledger.crypto.ec.Secp256k1.CURVE.getField().getCharacteristic())
        || P1[4] != M48 || P4[4] < (1L << 49) || P4[0] < (1L << 52)) {
      throw new ExceptionInInitializerError("unexpected secp256k1 field prime");
    }
  }

  private Fe() {}

  /** The limbs of 0 ≤ v &lt; 2^257 (weak form). */
  static long[] limbs(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 257) {
      throw new IllegalArgumentException("out of range");
    }
    long[] r = new long[5];
    for (int i = 0; i < 4; i++) {
      r[i] = v.shiftRight(52 * i).longValue() & M52;
    }
    r[4] = v.shiftRight(208).longValue();
    return r;
  }

  /** The integer the limbs stand for (not reduced modulo p). */
  static BigInteger value(long[] a) {
    BigInteger v = BigInteger.ZERO;
    for (int i = 4; i >= 0; i--) {
      v = v.shiftLeft(52).add(BigInteger.valueOf(a[i]));
    }
    return v;
  }

  static long[] create() {
    return new long[5];
  }

  static void copy(long[] a, long[] r) {
    r[0] = a[0];
    r[1] = a[1];
    r[2] = a[2];
    r[3] = a[3];
    r[4] = a[4];
  }

  static void setOne(long[] r) {
    r[0] = 1;
    r[1] = 0;
    r[2] = 0;
    r[3] = 0;
    r[4] = 0;
  }

  /** Reads eight little-endian 32-bit words (any value below 2^256) at {@code w[off…off+8)}. */
  static void fromWords(int[] w, int off, long[] r) {
    long w0 = w[off] & 0xFFFFFFFFL;
    long w1 = w[off + 1] & 0xFFFFFFFFL;
    long w2 = w[off + 2] & 0xFFFFFFFFL;
    long w3 = w[off + 3] & 0xFFFFFFFFL;
    long w4 = w[off + 4] & 0xFFFFFFFFL;
    long w5 = w[off + 5] & 0xFFFFFFFFL;
    long w6 = w[off + 6] & 0xFFFFFFFFL;
    long w7 = w[off + 7] & 0xFFFFFFFFL;
    r[0] = w0 | ((w1 & 0xFFFFFL) << 32);
    r[1] = (w1 >>> 20) | (w2 << 12) | ((w3 & 0xFFL) << 44);
    r[2] = (w3 >>> 8) | ((w4 & 0xFFFFFFFL) << 24);
    r[3] = (w4 >>> 28) | (w5 << 4) | ((w6 & 0xFFFFL) << 36);
    r[4] = (w6 >>> 16) | (w7 << 16);
  }

  /** Writes the canonical residue of {@code a} (left unchanged) as eight 32-bit words. */
  static void toWords(long[] a, int[] w, int off) {
    long[] c = a.clone();
    normalize(c);
    long r0 = c[0];
    long r1 = c[1];
    long r2 = c[2];
    long r3 = c[3];
    long r4 = c[4];
    w[off] = (int) r0;
    w[off + 1] = (int) ((r0 >>> 32) | (r1 << 20));
    w[off + 2] = (int) (r1 >>> 12);
    w[off + 3] = (int) ((r1 >>> 44) | (r2 << 8));
    w[off + 4] = (int) ((r2 >>> 24) | (r3 << 28));
    w[off + 5] = (int) (r3 >>> 4);
    w[off + 6] = (int) ((r3 >>> 36) | (r4 << 16));
    w[off + 7] = (int) (r4 >>> 16);
  }

  /**
   * Carries limbs t_0…t_4, each in [0, 2^62), into weak form: the part of t_4 from bit 48 up
   * (below 2^14) is folded in as c·2^256 ≡ c·C, then one carry pass.
   */
  private static void carry(long t0, long t1, long t2, long t3, long t4, long[] r) {
    long c = t4 >>> 48;
    t4 &= M48;
    t0 += c * C; // < 2^62 + 2^47
    t1 += t0 >>> 52;
    t0 &= M52;
    t2 += t1 >>> 52;
    t1 &= M52;
    t3 += t2 >>> 52;
    t2 &= M52;
    t4 += t3 >>> 52; // < 2^48 + 2^11
    t3 &= M52;
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
    r[4] = t4;
  }

  /** r ← a + b. */
  static void add(long[] a, long[] b, long[] r) {
    carry(a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], r);
  }

  /** r ← 2·a. */
  static void twice(long[] a, long[] r) {
    carry(a[0] << 1, a[1] << 1, a[2] << 1, a[3] << 1, a[4] << 1, r);
  }

  /** r ← a − b, computed as a + 4p − b limb by limb (every limb stays non-negative). */
  static void sub(long[] a, long[] b, long[] r) {
    carry(a[0] + P4[0] - b[0], a[1] + P4[1] - b[1], a[2] + P4[2] - b[2], a[3] + P4[3] - b[3],
        a[4] + P4[4] - b[4], r);
  }

  /** r ← −a. */
  static void negate(long[] a, long[] r) {
    carry(P4[0] - a[0], P4[1] - a[1], P4[2] - a[2], P4[3] - a[3], P4[4] - a[4], r);
  }

  /** Whether a ≡ 0 (mod p): a weak-form value below 2^257 is then 0, p or 2p. Variable time. */
  static boolean isZero(long[] a) {
    if ((a[0] | a[1] | a[2] | a[3] | a[4]) == 0) {
      return true;
    }
    return equalLimbs(a, P1) || equalLimbs(a, P2);
  }

  private static boolean equalLimbs(long[] a, long[] b) {
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4];
  }

  /** Whether a ≡ b (mod p). Variable time. */
  static boolean equal(long[] a, long[] b) {
    long[] d = new long[5];
    sub(a, b, d);
    return isZero(d);
  }

  /** Reduces a weak-form value in place to its canonical residue in [0, p). Variable time. */
  static void normalize(long[] a) {
    carry(a[0], a[1], a[2], a[3], a[4], a); // now below 2^256 + 2^220, a_4 < 2^48 + 2^11
    carry(a[0], a[1], a[2], a[3], a[4], a); // a_4 ≥ 2^48 is folded again: now below 2^256
    if ((a[4] >>> 48) != 0) {
      throw new IllegalStateException("field element not reduced"); // unreachable
    }
    // a ≥ p iff a + C ≥ 2^256; then a − p = a + C − 2^256.
    long t0 = a[0] + C;
    long t1 = a[1] + (t0 >>> 52);
    t0 &= M52;
    long t2 = a[2] + (t1 >>> 52);
    t1 &= M52;
    long t3 = a[3] + (t2 >>> 52);
    t2 &= M52;
    long t4 = a[4] + (t3 >>> 52);
    t3 &= M52;
    if ((t4 >>> 48) != 0) {
      a[0] = t0;
      a[1] = t1;
      a[2] = t2;
      a[3] = t3;
      a[4] = t4 & M48;
    }
  }

  /**
   * Folds the product columns d_0…d_9 (each below 2^62, value Σ d_k·2^(52·k)) into weak form,
   * using 2^260 ≡ R = 16·C (mod p).
   */
  private static void reduce(
      long d0, long d1, long d2, long d3, long d4,
      long d5, long d6, long d7, long d8, long d9, long[] r) {
    long p;
    long h;
    long c;
    // f_k = d_k + R·d_(k+5), R·d < 2^98 split at bit 52; the high part moves up one limb.
    p = d5 * R;
    h = Math.multiplyHigh(d5, R);
    long f0 = d0 + (p & M52);
    c = (p >>> 52) | (h << 12);
    p = d6 * R;
    h = Math.multiplyHigh(d6, R);
    long f1 = d1 + (p & M52) + c;
    c = (p >>> 52) | (h << 12);
    p = d7 * R;
    h = Math.multiplyHigh(d7, R);
    long f2 = d2 + (p & M52) + c;
    c = (p >>> 52) | (h << 12);
    p = d8 * R;
    h = Math.multiplyHigh(d8, R);
    long f3 = d3 + (p & M52) + c;
    c = (p >>> 52) | (h << 12);
    p = d9 * R;
    h = Math.multiplyHigh(d9, R);
    long f4 = d4 + (p & M52) + c;
    c = (p >>> 52) | (h << 12); // < 2^46, at 2^260
    f1 += f0 >>> 52;
    f0 &= M52;
    f2 += f1 >>> 52;
    f1 &= M52;
    f3 += f2 >>> 52;
    f2 &= M52;
    f4 += f3 >>> 52;
    f3 &= M52;
    long top = (f4 >>> 48) + (c << 4); // the multiple of 2^256, below 2^51
    f4 &= M48;
    // top·C = top·977 + top·2^32, the latter split at bit 52.
    f0 += top * 0x3D1L + ((top & 0xFFFFFL) << 32);
    f1 += top >>> 20;
    f1 += f0 >>> 52;
    f0 &= M52;
    f2 += f1 >>> 52;
    f1 &= M52;
    f3 += f2 >>> 52;
    f2 &= M52;
    f4 += f3 >>> 52; // < 2^48 + 2
    f3 &= M52;
    r[0] = f0;
    r[1] = f1;
    r[2] = f2;
    r[3] = f3;
    r[4] = f4;
  }

  /**
   * r ← a·b. Accepts limbs below 2^55 (weak form or sums of a few), so each partial product is
   * below 2^110 and a column's low and high sums stay below 2^55 and 2^61.
   */
  static void mul(long[] a, long[] b, long[] r) {
    long a0 = a[0];
    long a1 = a[1];
    long a2 = a[2];
    long a3 = a[3];
    long a4 = a[4];
    long b0 = b[0];
    long b1 = b[1];
    long b2 = b[2];
    long b3 = b[3];
    long b4 = b[4];
    long p;
    long h;
    long l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0;
    long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 0;
    p = a0 * b0;
    h = Math.multiplyHigh(a0, b0);
    l0 += p & M52;
    h0 += (p >>> 52) | (h << 12);
    p = a0 * b1;
    h = Math.multiplyHigh(a0, b1);
    l1 += p & M52;
    h1 += (p >>> 52) | (h << 12);
    p = a1 * b0;
    h = Math.multiplyHigh(a1, b0);
    l1 += p & M52;
    h1 += (p >>> 52) | (h << 12);
    p = a0 * b2;
    h = Math.multiplyHigh(a0, b2);
    l2 += p & M52;
    h2 += (p >>> 52) | (h << 12);
    p = a1 * b1;
    h = Math.multiplyHigh(a1, b1);
    l2 += p & M52;
    h2 += (p >>> 52) | (h << 12);
    p = a2 * b0;
    h = Math.multiplyHigh(a2, b0);
    l2 += p & M52;
    h2 += (p >>> 52) | (h << 12);
    p = a0 * b3;
    h = Math.multiplyHigh(a0, b3);
    l3 += p & M52;
    h3 += (p >>> 52) | (h << 12);
    p = a1 * b2;
    h = Math.multiplyHigh(a1, b2);
    l3 += p & M52;
    h3 += (p >>> 52) | (h << 12);
    p = a2 * b1;
    h = Math.multiplyHigh(a2, b1);
    l3 += p & M52;
    h3 += (p >>> 52) | (h << 12);
    p = a3 * b0;
    h = Math.multiplyHigh(a3, b0);
    l3 += p & M52;
    h3 += (p >>> 52) | (h << 12);
    p = a0 * b4;
    h = Math.multiplyHigh(a0, b4);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a1 * b3;
    h = Math.multiplyHigh(a1, b3);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a2 * b2;
    h = Math.multiplyHigh(a2, b2);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a3 * b1;
    h = Math.multiplyHigh(a3, b1);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a4 * b0;
    h = Math.multiplyHigh(a4, b0);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a1 * b4;
    h = Math.multiplyHigh(a1, b4);
    l5 += p & M52;
    h5 += (p >>> 52) | (h << 12);
    p = a2 * b3;
    h = Math.multiplyHigh(a2, b3);
    l5 += p & M52;
    h5 += (p >>> 52) | (h << 12);
    p = a3 * b2;
    h = Math.multiplyHigh(a3, b2);
    l5 += p & M52;
    h5 += (p >>> 52) | (h << 12);
    p = a4 * b1;
    h = Math.multiplyHigh(a4, b1);
    l5 += p & M52;
    h5 += (p >>> 52) | (h << 12);
    p = a2 * b4;
    h = Math.multiplyHigh(a2, b4);
    l6 += p & M52;
    h6 += (p >>> 52) | (h << 12);
    p = a3 * b3;
    h = Math.multiplyHigh(a3, b3);
    l6 += p & M52;
    h6 += (p >>> 52) | (h << 12);
    p = a4 * b2;
    h = Math.multiplyHigh(a4, b2);
    l6 += p & M52;
    h6 += (p >>> 52) | (h << 12);
    p = a3 * b4;
    h = Math.multiplyHigh(a3, b4);
    l7 += p & M52;
    h7 += (p >>> 52) | (h << 12);
    p = a4 * b3;
    h = Math.multiplyHigh(a4, b3);
    l7 += p & M52;
    h7 += (p >>> 52) | (h << 12);
    p = a4 * b4;
    h = Math.multiplyHigh(a4, b4);
    l8 += p & M52;
    h8 += (p >>> 52) | (h << 12);
    reduce(l0, l1 + h0, l2 + h1, l3 + h2, l4 + h3, l5 + h4, l6 + h5, l7 + h6, l8 + h7, h8, r);
  }

  /** r ← a². Same bounds as {@link #mul}; cross products use the doubled limb d_j = 2·a_j. */
  static void sqr(long[] a, long[] r) {
    long a0 = a[0];
    long a1 = a[1];
    long a2 = a[2];
    long a3 = a[3];
    long a4 = a[4];
    long d1 = a1 << 1;
    long d2 = a2 << 1;
    long d3 = a3 << 1;
    long d4 = a4 << 1;
    long p;
    long h;
    long l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0;
    long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 0;
    p = a0 * a0;
    h = Math.multiplyHigh(a0, a0);
    l0 += p & M52;
    h0 += (p >>> 52) | (h << 12);
    p = a0 * d1;
    h = Math.multiplyHigh(a0, d1);
    l1 += p & M52;
    h1 += (p >>> 52) | (h << 12);
    p = a0 * d2;
    h = Math.multiplyHigh(a0, d2);
    l2 += p & M52;
    h2 += (p >>> 52) | (h << 12);
    p = a1 * a1;
    h = Math.multiplyHigh(a1, a1);
    l2 += p & M52;
    h2 += (p >>> 52) | (h << 12);
    p = a0 * d3;
    h = Math.multiplyHigh(a0, d3);
    l3 += p & M52;
    h3 += (p >>> 52) | (h << 12);
    p = a1 * d2;
    h = Math.multiplyHigh(a1, d2);
    l3 += p & M52;
    h3 += (p >>> 52) | (h << 12);
    p = a0 * d4;
    h = Math.multiplyHigh(a0, d4);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a1 * d3;
    h = Math.multiplyHigh(a1, d3);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a2 * a2;
    h = Math.multiplyHigh(a2, a2);
    l4 += p & M52;
    h4 += (p >>> 52) | (h << 12);
    p = a1 * d4;
    h = Math.multiplyHigh(a1, d4);
    l5 += p & M52;
    h5 += (p >>> 52) | (h << 12);
    p = a2 * d3;
    h = Math.multiplyHigh(a2, d3);
    l5 += p & M52;
    h5 += (p >>> 52) | (h << 12);
    p = a2 * d4;
    h = Math.multiplyHigh(a2, d4);
    l6 += p & M52;
    h6 += (p >>> 52) | (h << 12);
    p = a3 * a3;
    h = Math.multiplyHigh(a3, a3);
    l6 += p & M52;
    h6 += (p >>> 52) | (h << 12);
    p = a3 * d4;
    h = Math.multiplyHigh(a3, d4);
    l7 += p & M52;
    h7 += (p >>> 52) | (h << 12);
    p = a4 * a4;
    h = Math.multiplyHigh(a4, a4);
    l8 += p & M52;
    h8 += (p >>> 52) | (h << 12);
    reduce(l0, l1 + h0, l2 + h1, l3 + h2, l4 + h3, l5 + h4, l6 + h5, l7 + h6, l8 + h7, h8, r);
  }

  /** r ← a⁻¹ (a ≢ 0), by BouncyCastle's inversion on the canonical words. */
  static void inv(long[] a, long[] r) {
    int[] w = new int[8];
    toWords(a, w, 0);
    int[] z = new int[8];
    SecP256K1Field.inv(w, z);
    fromWords(z, 0, r);
  }
}
