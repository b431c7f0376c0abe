package org.medledger.crypto.internal;

import java.math.BigInteger;

/**
 * Montgomery arithmetic modulo a fixed odd modulus over {@code long[]} limbs of 60 bits
 * (docs/protocol.md §3.2), written for the 2048- to 6144-bit moduli of Paillier keys (n, p², n²).
 *
 * <p>Representation: a residue x is held as x·R mod m, little-endian, {@link #limbs()} limbs of
 * {@link #LIMB_BITS} bits each, R = 2^(60·limbs). The limb count is chosen so that 4m ≤ R, which
 * lets every product take inputs in [0, 2m) and return a value in [0, 2m) without a final
 * subtraction (Walter's bound): products have no data-dependent branch and no data-dependent
 * memory access, and their loops run a fixed number of times. Values are fully reduced only by
 * {@link #fromMontgomery}. A 60-bit radix leaves four spare bits per 64-bit word, so the carries of
 * the inner loop are plain shifts and the signed {@link Math#multiplyHigh} gives the high half of
 * each 120-bit limb product without the unsigned corrections a 64-bit radix would need. Limbs are
 * stored shifted left by 2 ({@link #toStored}), which saves the masks and shifts that split each
 * limb product into its two 60-bit halves.
 *
 * <p>{@link #mul} is the coarsely integrated operand-scanning method (multiplication and
 * reduction in one loop, two limb products per iteration); it does not allocate. Squares use it
 * too: a separated squaring (each cross product once, then the reduction) was measured about 20 %
 * slower than this product at 4096 bits, because its loops do one limb product per iteration
 * (docs/performance.md, "Montgomery products in Java"). Immutable and thread-safe; callers own
 * their arrays. Output arrays must not alias inputs.
 */
public final class Montgomery {
  /** Bits per limb. */
  public static final int LIMB_BITS = 60;
  private static final long MASK = (1L << LIMB_BITS) - 1;

  private final BigInteger modulus;
  private final int len;
  /** The modulus's limbs, each shifted left by 2 (the stored form, see {@link #toStored}). */
  private final long[] n4;
  private final long n0inv;
  private final long[] r2;
  private final long[] one;

  public Montgomery(BigInteger modulus) {
    if (modulus.signum() <= 0 || !modulus.testBit(0) || modulus.bitLength() < 3) {
      throw new IllegalArgumentException("modulus must be odd and at least 3 bits");
    }
    this.modulus = modulus;
    this.len = limbsFor(modulus.bitLength());
    long[] n = toLimbs(modulus, len);
    long x = n[0];
    for (int i = 0; i < 6; i++) {
      x *= 2 - n[0] * x; // Newton: doubles the correct low bits (3 → 96)
    }
    this.n0inv = -x & MASK;
    this.n4 = toStored(n);
    BigInteger r = BigInteger.ONE.shiftLeft(LIMB_BITS * len);
    this.one = toStored(toLimbs(r.mod(modulus), len));
    this.r2 = toStored(toLimbs(r.multiply(r).mod(modulus), len));
  }

  /** Limbs for a modulus of {@code bits} bits: the least L with 60·L ≥ bits + 2 (4m ≤ R). */
  public static int limbsFor(int bits) {
    return (bits + 2 + LIMB_BITS - 1) / LIMB_BITS;
  }

  public BigInteger modulus() {
    return modulus;
  }

  public int limbs() {
    return len;
  }

  /** A fresh array for one residue. */
  public long[] newElement() {
    return new long[len];
  }

  /** 1 in Montgomery form (R mod m), a fresh array. */
  public long[] one() {
    return one.clone();
  }

  /** x·R mod m for any x ≥ 0 (reduced modulo m first when x ≥ m), a fresh array. */
  public long[] toMontgomery(BigInteger x) {
    if (x.signum() < 0) {
      throw new IllegalArgumentException("negative residue");
    }
    BigInteger v = x.compareTo(modulus) >= 0 ? x.mod(modulus) : x;
    long[] out = new long[len];
    mul(toStored(toLimbs(v, len)), r2, out);
    return out;
  }

  /** The fully reduced residue x·R⁻¹ mod m of a Montgomery-form value in [0, 2m). */
  public BigInteger fromMontgomery(long[] a) {
    long[] unit = new long[len];
    unit[0] = 1L << 2;
    long[] out = new long[len];
    mul(a, unit, out);
    // (a + M·m)/R < (2m + R·m)/R ≤ m + 1: the value is at most m, and m only for a ≡ 0.
    BigInteger v = fromStored(out);
    return v.compareTo(modulus) >= 0 ? v.subtract(modulus) : v;
  }

  /**
   * out = a·b·R⁻¹ mod m, in [0, 2m) for a, b in [0, 2m). {@code out} must not be {@code a} or
   * {@code b}.
   */
  public void mul(long[] a, long[] b, long[] out) {
    final long[] t = out;
    final long[] nn = n4;
    final int l = len;
    java.util.Arrays.fill(t, 0L);
    for (int i = 0; i < l; i++) {
      final long bi = b[i];
      final long a0 = a[0];
      long p1 = a0 * bi;
      long h1 = Math.multiplyHigh(a0, bi);
      long s = t[0] + (p1 >>> 4);
      final long m4 = ((s * n0inv) & MASK) << 2;
      long p2 = m4 * nn[0];
      long h2 = Math.multiplyHigh(m4, nn[0]);
      s += p2 >>> 4; // ≡ 0 mod 2^60
      long c = (s >>> LIMB_BITS) + h1 + h2;
      for (int j = 1; j < l; j++) {
        final long aj = a[j];
        final long nj = nn[j];
        p1 = aj * bi;
        h1 = Math.multiplyHigh(aj, bi);
        p2 = m4 * nj;
        h2 = Math.multiplyHigh(m4, nj);
        s = t[j] + (p1 >>> 4) + (p2 >>> 4) + c;
        t[j - 1] = s & MASK;
        c = (s >>> LIMB_BITS) + h1 + h2;
      }
      // The running value stays below 4m ≤ R, so the top carry is a normalised limb.
      t[l - 1] = c;
    }
    for (int j = 0; j < l; j++) {
      t[j] <<= 2;
    }
  }

  /**
   * Limbs in the stored form: each 60-bit limb shifted left by 2. With both factors so shifted,
   * the low word of their 64-bit product shifted right by 4 is the low 60 bits of the limb
   * product, and its high word ({@link Math#multiplyHigh}, exact for operands below 2^63) is the
   * limb product's high part above 2^60: two multiplications and a shift give both halves.
   */
  static long[] toStored(long[] limbs) {
    long[] out = new long[limbs.length];
    for (int i = 0; i < limbs.length; i++) {
      out[i] = limbs[i] << 2;
    }
    return out;
  }

  /** The non-negative integer of stored-form limbs (see {@link #toStored}). */
  static BigInteger fromStored(long[] stored) {
    long[] limbs = new long[stored.length];
    for (int i = 0; i < stored.length; i++) {
      limbs[i] = stored[i] >>> 2;
    }
    return fromLimbs(limbs);
  }

  /** x (0 ≤ x &lt; 2^(60·limbs)) as little-endian 60-bit limbs. */
  static long[] toLimbs(BigInteger x, int limbs) {
    long[] out = new long[limbs];
    byte[] be = x.toByteArray();
    int bitPos = 0;
    for (int i = be.length - 1; i >= 0; i--, bitPos += 8) {
      long v = be[i] & 0xFF;
      int limb = bitPos / LIMB_BITS;
      int off = bitPos % LIMB_BITS;
      if (limb < limbs) {
        out[limb] |= (v << off) & MASK;
      }
      if (off > LIMB_BITS - 8 && limb + 1 < limbs) {
        out[limb + 1] |= v >>> (LIMB_BITS - off);
      }
    }
    return out;
  }

  /** The non-negative integer of normalised little-endian 60-bit limbs. */
  static BigInteger fromLimbs(long[] a) {
    int limbs = a.length;
    int bytes = (LIMB_BITS * limbs + 7) / 8;
    byte[] be = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int bitPos = 8 * i;
      int limb = bitPos / LIMB_BITS;
      int off = bitPos % LIMB_BITS;
      long v = a[limb] >>> off;
      if (off > LIMB_BITS - 8 && limb + 1 < limbs) {
        v |= a[limb + 1] << (LIMB_BITS - off);
      }
      be[bytes - 1 - i] = (byte) v;
    }
    return new BigInteger(1, be);
  }
}
