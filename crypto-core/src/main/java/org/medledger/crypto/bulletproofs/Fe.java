package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Mod;

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
 * value; {@link #invVar} is BouncyCastle's variable-time inversion). The multi-exponentiation
 * engine that uses this class is variable-time as a whole (docs/protocol.md §4.2).
 */
final class Fe {
  static final long M52 = 0xFFFFFFFFFFFFFL;
  static final long M48 = 0xFFFFFFFFFFFFL;
  /** 2^256 mod p. */
  private static final long C = 0x1000003D1L;
  /** 2^260 mod p = 16·C, shifted left by 11 bits (see {@link #mul}). */
  private static final long RS = 0x1000003D10L << 11;

  static final BigInteger P = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(C));
  /** p and 2p in weak form: the only non-zero weak-form values ≡ 0 (mod p). */
  private static final long[] P1 = limbs(P);
  private static final long[] P2 = limbs(P.shiftLeft(1));
  /** 4p limb by limb (not carried): every limb exceeds the matching weak-form limb bound. */
  private static final long[] P4 = {P1[0] << 2, P1[1] << 2, P1[2] << 2, P1[3] << 2, P1[4] << 2};

  private static final int[] P_WORDS = org.bouncycastle.math.raw.Nat256.fromBigInteger(P);

  static {
    if (!P.equals(org.medledger.crypto.ec.Secp256k1.CURVE.getField().getCharacteristic())
        || !P.equals(org.bouncycastle.math.raw.Nat256.toBigInteger(P_WORDS))
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

  /**
   * The points of a flat eight-word array (x then y, sixteen words each) as limbs, ten longs per
   * point (x then y).
   */
  static long[] pointsFromWords(int[] words) {
    int points = words.length / 16;
    long[] out = new long[10 * points];
    long[] t = new long[5];
    for (int i = 0; i < 2 * points; i++) {
      fromWords(words, 8 * i, t);
      System.arraycopy(t, 0, out, 5 * i, 5);
    }
    return out;
  }

  /** Writes the canonical residue of {@code a} (left unchanged) as eight 32-bit words. */
  static void toWords(long[] a, int[] w, int off) {
    long[] c = a.clone();
    normalize(c);
    toWordsRaw(c, w, off);
  }

  /** Writes limbs already below 2^256 (limb 4 below 2^48) as eight 32-bit words. */
  private static void toWordsRaw(long[] c, int[] w, int off) {
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
   * Folds the product columns into weak form. Column k stands for l_k + h_k·2^53 at 2^(52·k)
   * (products are split at bit 53, see {@link #mul}), each l_k &lt; 2^56 and h_k &lt; 2^57, so
   * d_k = l_k + 2·h_(k−1) &lt; 2^59 is the plain column at 2^(52·k); then 2^260 ≡ R (mod p).
   */
  private static void reduce(
      long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7, long l8,
      long h0, long h1, long h2, long h3, long h4, long h5, long h6, long h7, long h8, long[] r) {
    long d5 = l5 + (h4 << 1);
    long d6 = l6 + (h5 << 1);
    long d7 = l7 + (h6 << 1);
    long d8 = l8 + (h7 << 1);
    long d9 = h8 << 1;
    long p;
    long c;
    // f_k = d_k + R·d_(k+5): R·d < 2^96 split at bit 53 with RS = R·2^11 (below 2^48); the high
    // part (below 2^43) moves up one limb, doubled.
    p = d5 * RS;
    long f0 = l0 + (p >>> 11);
    c = Math.multiplyHigh(d5, RS);
    p = d6 * RS;
    long f1 = l1 + (h0 << 1) + (p >>> 11) + (c << 1);
    c = Math.multiplyHigh(d6, RS);
    p = d7 * RS;
    long f2 = l2 + (h1 << 1) + (p >>> 11) + (c << 1);
    c = Math.multiplyHigh(d7, RS);
    p = d8 * RS;
    long f3 = l3 + (h2 << 1) + (p >>> 11) + (c << 1);
    c = Math.multiplyHigh(d8, RS);
    p = d9 * RS;
    long f4 = l4 + (h3 << 1) + (p >>> 11) + (c << 1);
    c = Math.multiplyHigh(d9, RS); // at 2^(208+53) = 2^256·2^5
    f1 += f0 >>> 52;
    f0 &= M52;
    f2 += f1 >>> 52;
    f1 &= M52;
    f3 += f2 >>> 52;
    f2 &= M52;
    f4 += f3 >>> 52;
    f3 &= M52;
    long top = (f4 >>> 48) + (c << 5); // the multiple of 2^256, below 2^49
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
   * r ← a·b, for a with limbs below 2^55 and b in weak form. b's limbs are shifted left by 11 bits
   * (still below 2^63), so that for each partial product {@code multiplyHigh} yields the part
   * from bit 53 up (below 2^54) and the low word shifted right by 11 the part below bit 53:
   * exact, because both operands are non-negative and below 2^63, and no carry chain is needed
   * while the 25 products are summed by column.
   */
  static void mul(long[] a, long[] b, long[] r) {
    long a0 = a[0];
    long a1 = a[1];
    long a2 = a[2];
    long a3 = a[3];
    long a4 = a[4];
    long s0 = b[0] << 11;
    long s1 = b[1] << 11;
    long s2 = b[2] << 11;
    long s3 = b[3] << 11;
    long s4 = b[4] << 11;
    long p;
    long l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0;
    long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 0;
    p = a0 * s0;
    l0 += p >>> 11;
    h0 += Math.multiplyHigh(a0, s0);
    p = a0 * s1;
    l1 += p >>> 11;
    h1 += Math.multiplyHigh(a0, s1);
    p = a1 * s0;
    l1 += p >>> 11;
    h1 += Math.multiplyHigh(a1, s0);
    p = a0 * s2;
    l2 += p >>> 11;
    h2 += Math.multiplyHigh(a0, s2);
    p = a1 * s1;
    l2 += p >>> 11;
    h2 += Math.multiplyHigh(a1, s1);
    p = a2 * s0;
    l2 += p >>> 11;
    h2 += Math.multiplyHigh(a2, s0);
    p = a0 * s3;
    l3 += p >>> 11;
    h3 += Math.multiplyHigh(a0, s3);
    p = a1 * s2;
    l3 += p >>> 11;
    h3 += Math.multiplyHigh(a1, s2);
    p = a2 * s1;
    l3 += p >>> 11;
    h3 += Math.multiplyHigh(a2, s1);
    p = a3 * s0;
    l3 += p >>> 11;
    h3 += Math.multiplyHigh(a3, s0);
    p = a0 * s4;
    l4 += p >>> 11;
    h4 += Math.multiplyHigh(a0, s4);
    p = a1 * s3;
    l4 += p >>> 11;
    h4 += Math.multiplyHigh(a1, s3);
    p = a2 * s2;
    l4 += p >>> 11;
    h4 += Math.multiplyHigh(a2, s2);
    p = a3 * s1;
    l4 += p >>> 11;
    h4 += Math.multiplyHigh(a3, s1);
    p = a4 * s0;
    l4 += p >>> 11;
    h4 += Math.multiplyHigh(a4, s0);
    p = a1 * s4;
    l5 += p >>> 11;
    h5 += Math.multiplyHigh(a1, s4);
    p = a2 * s3;
    l5 += p >>> 11;
    h5 += Math.multiplyHigh(a2, s3);
    p = a3 * s2;
    l5 += p >>> 11;
    h5 += Math.multiplyHigh(a3, s2);
    p = a4 * s1;
    l5 += p >>> 11;
    h5 += Math.multiplyHigh(a4, s1);
    p = a2 * s4;
    l6 += p >>> 11;
    h6 += Math.multiplyHigh(a2, s4);
    p = a3 * s3;
    l6 += p >>> 11;
    h6 += Math.multiplyHigh(a3, s3);
    p = a4 * s2;
    l6 += p >>> 11;
    h6 += Math.multiplyHigh(a4, s2);
    p = a3 * s4;
    l7 += p >>> 11;
    h7 += Math.multiplyHigh(a3, s4);
    p = a4 * s3;
    l7 += p >>> 11;
    h7 += Math.multiplyHigh(a4, s3);
    p = a4 * s4;
    l8 += p >>> 11;
    h8 += Math.multiplyHigh(a4, s4);
    reduce(l0, l1, l2, l3, l4, l5, l6, l7, l8, h0, h1, h2, h3, h4, h5, h6, h7, h8, r);
  }

  /** r ← a² for a in weak form; cross products are formed once and counted twice. */
  static void sqr(long[] a, long[] r) {
    long a0 = a[0];
    long a1 = a[1];
    long a2 = a[2];
    long a3 = a[3];
    long a4 = a[4];
    long s0 = a0 << 11;
    long s1 = a1 << 11;
    long s2 = a2 << 11;
    long s3 = a3 << 11;
    long s4 = a4 << 11;
    long p;
    long l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0;
    long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 0;
    p = a0 * s0;
    l0 += p >>> 11;
    h0 += Math.multiplyHigh(a0, s0);
    p = a0 * s1;
    l1 += (p >>> 11) << 1;
    h1 += Math.multiplyHigh(a0, s1) << 1;
    p = a0 * s2;
    l2 += (p >>> 11) << 1;
    h2 += Math.multiplyHigh(a0, s2) << 1;
    p = a1 * s1;
    l2 += p >>> 11;
    h2 += Math.multiplyHigh(a1, s1);
    p = a0 * s3;
    l3 += (p >>> 11) << 1;
    h3 += Math.multiplyHigh(a0, s3) << 1;
    p = a1 * s2;
    l3 += (p >>> 11) << 1;
    h3 += Math.multiplyHigh(a1, s2) << 1;
    p = a0 * s4;
    l4 += (p >>> 11) << 1;
    h4 += Math.multiplyHigh(a0, s4) << 1;
    p = a1 * s3;
    l4 += (p >>> 11) << 1;
    h4 += Math.multiplyHigh(a1, s3) << 1;
    p = a2 * s2;
    l4 += p >>> 11;
    h4 += Math.multiplyHigh(a2, s2);
    p = a1 * s4;
    l5 += (p >>> 11) << 1;
    h5 += Math.multiplyHigh(a1, s4) << 1;
    p = a2 * s3;
    l5 += (p >>> 11) << 1;
    h5 += Math.multiplyHigh(a2, s3) << 1;
    p = a2 * s4;
    l6 += (p >>> 11) << 1;
    h6 += Math.multiplyHigh(a2, s4) << 1;
    p = a3 * s3;
    l6 += p >>> 11;
    h6 += Math.multiplyHigh(a3, s3);
    p = a3 * s4;
    l7 += (p >>> 11) << 1;
    h7 += Math.multiplyHigh(a3, s4) << 1;
    p = a4 * s4;
    l8 += p >>> 11;
    h8 += Math.multiplyHigh(a4, s4);
    reduce(l0, l1, l2, l3, l4, l5, l6, l7, l8, h0, h1, h2, h3, h4, h5, h6, h7, h8, r);
  }

  /**
   * r ← a⁻¹, by BouncyCastle's variable-time inversion (safegcd) on the canonical words; the
   * engine that calls it is variable-time as a whole.
   *
   * @throws ArithmeticException if a ≡ 0
   */
  static void invVar(long[] a, long[] r) {
    int[] w = new int[8];
    toWords(a, w, 0);
    int[] z = new int[8];
    Mod.checkedModOddInverseVar(P_WORDS, w, z);
    fromWords(z, 0, r);
  }
}
