package org.medledger.crypto.bulletproofs;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.ec.Secp256k1;

/**
 * The vector generators of the Bulletproofs range proof: G_i = hashToCurve("medledger/bulletproofs/G/"
 * + i) and H_i = hashToCurve("medledger/bulletproofs/H/" + i) for i &lt; {@link #CAPACITY}, with
 * nobody knowing a discrete-logarithm relation between them, G = {@link Secp256k1#G} and H =
 * {@link Secp256k1#H}.
 *
 * <p>The set is a process-wide singleton ({@link #standard()}). Its points are fixed by their
 * labels; the precomputed tables that make multi-exponentiation fast are built on first use for
 * the prefix a proof needs and published safely, after which they are never modified: the
 * shift tables of the bucket method (2 KiB per generator, needed by prover and verifier) and the
 * prover's Straus tables (16 KiB per generator, built only when a proof is made). Thread-safe.
 */
public final class BulletproofGenerators {
  /** Largest n·m supported: 64-bit ranges for 16 values. */
  public static final int CAPACITY = 64 * 16;

  private static final String G_LABEL = "medledger/bulletproofs/G/";
  private static final String H_LABEL = "medledger/bulletproofs/H/";

  /** A long-lived base with both kinds of precomputation (used for G and H). */
  static final class Fixed {
    final Base base;
    final ShiftTable shifts;

    Fixed(Base base, ShiftTable shifts) {
      this.base = base;
      this.shifts = shifts;
    }
  }

  private static final class Holder {
    static final BulletproofGenerators INSTANCE = new BulletproofGenerators();
  }

  private final Fixed valueBase;
  private final Fixed blindingBase;
  // Published prefixes: each array is replaced by a longer one, never modified after publication.
  private volatile ShiftTable[] gShifts = new ShiftTable[0];
  private volatile ShiftTable[] hShifts = new ShiftTable[0];
  private volatile Base[] gBases = new Base[0];
  private volatile Base[] hBases = new Base[0];

  private BulletproofGenerators() {
    ShiftTable[] shifts = ShiftTable.build(Base.flatten(Secp256k1.G, Secp256k1.H), 2);
    Base[] bases = Base.fixed(shifts, 2);
    valueBase = new Fixed(bases[0], shifts[0]);
    blindingBase = new Fixed(bases[1], shifts[1]);
  }

  /** The shared generator set. */
  public static BulletproofGenerators standard() {
    return Holder.INSTANCE;
  }

  /** G_i, for 0 ≤ i &lt; {@link #CAPACITY}. */
  public ECPoint g(int i) {
    return point(shiftsG(i + 1)[i]);
  }

  /** H_i, for 0 ≤ i &lt; {@link #CAPACITY}. */
  public ECPoint h(int i) {
    return point(shiftsH(i + 1)[i]);
  }

  private static ECPoint point(ShiftTable t) {
    int[] d = t.data();
    return FieldOps.toEcPoint(Arrays.copyOfRange(d, 0, 8), Arrays.copyOfRange(d, 8, 16));
  }

  /** The Pedersen value generator G (also the inner-product base Q before scaling). */
  Fixed valueBase() {
    return valueBase;
  }

  /** The Pedersen blinding generator H. */
  Fixed blindingBase() {
    return blindingBase;
  }

  /** Shift tables of G_0 … G_{count−1} (the array may be longer; do not modify it). */
  ShiftTable[] shiftsG(int count) {
    ensureShifts(count);
    return gShifts;
  }

  /** Shift tables of H_0 … H_{count−1} (the array may be longer; do not modify it). */
  ShiftTable[] shiftsH(int count) {
    ensureShifts(count);
    return hShifts;
  }

  /** Straus tables of G_0 … G_{count−1}, built on first use (only the prover needs them). */
  Base[] basesG(int count) {
    ensureBases(count);
    return gBases;
  }

  /** Straus tables of H_0 … H_{count−1}, built on first use (only the prover needs them). */
  Base[] basesH(int count) {
    ensureBases(count);
    return hBases;
  }

  private static int grow(int have, int count) {
    if (count < 0 || count > CAPACITY) {
      throw new IllegalArgumentException("generator index out of range");
    }
    int want = Math.max(count, Math.max(16, 2 * have));
    return Math.min(CAPACITY, Integer.highestOneBit(want - 1) << 1);
  }

  private void ensureShifts(int count) {
    if (gShifts.length >= count && count >= 0) {
      return;
    }
    synchronized (this) {
      int have = gShifts.length;
      if (have >= count && count >= 0) {
        return;
      }
      int want = grow(have, count);
      ECPoint[] g = new ECPoint[want - have];
      ECPoint[] h = new ECPoint[want - have];
      for (int i = have; i < want; i++) {
        g[i - have] = Secp256k1.hashToCurve(G_LABEL + i);
        h[i - have] = Secp256k1.hashToCurve(H_LABEL + i);
      }
      ShiftTable[] ng = Arrays.copyOf(gShifts, want);
      ShiftTable[] nh = Arrays.copyOf(hShifts, want);
      System.arraycopy(ShiftTable.build(Base.flatten(g), g.length), 0, ng, have, g.length);
      System.arraycopy(ShiftTable.build(Base.flatten(h), h.length), 0, nh, have, h.length);
      hShifts = nh; // publish H before G: readers test gShifts.length
      gShifts = ng;
    }
  }

  private void ensureBases(int count) {
    if (gBases.length >= count && count >= 0) {
      return;
    }
    ensureShifts(count);
    synchronized (this) {
      int have = gBases.length;
      if (have >= count) {
        return;
      }
      int want = Math.min(grow(have, count), gShifts.length);
      ShiftTable[] g = Arrays.copyOfRange(gShifts, have, want);
      ShiftTable[] h = Arrays.copyOfRange(hShifts, have, want);
      Base[] ng = Arrays.copyOf(gBases, want);
      Base[] nh = Arrays.copyOf(hBases, want);
      System.arraycopy(Base.fixed(g, g.length), 0, ng, have, g.length);
      System.arraycopy(Base.fixed(h, h.length), 0, nh, have, h.length);
      hBases = nh;
      gBases = ng;
    }
  }
}
