package org.medledger.crypto.bulletproofs;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.ec.Secp256k1;

/**
 * The vector generators of the Bulletproofs range proof: G_i = hashToCurve("medledger/bulletproofs/G/"
 * + i) and H_i = hashToCurve("medledger/bulletproofs/H/" + i) for i < {@link #CAPACITY}, with
 * nobody knowing a discrete-logarithm relation between them, G = {@link Secp256k1#G} and H =
 * {@link Secp256k1#H}.
 *
 * <p>The set is a process-wide singleton ({@link #standard()}). Its points are fixed by their
 * labels; the precomputed tables that make multi-exponentiation fast are built on first use for
 * the prefix a proof needs (up to 64·16 generators of each kind, about 10 KiB per generator) and
 * published safely, after which they are never modified. Thread-safe.
 */
public final class BulletproofGenerators {
  /** Largest n·m supported: 64-bit ranges for 16 values. */
  public static final int CAPACITY = 64 * 16;

  private static final String G_LABEL = "medledger/bulletproofs/G/";
  private static final String H_LABEL = "medledger/bulletproofs/H/";

  /** One long-lived base with both kinds of precomputation. */
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
  /** Published prefixes; replaced, never mutated. */
  private volatile Fixed[] gs = new Fixed[0];

  private volatile Fixed[] hs = new Fixed[0];

  private BulletproofGenerators() {
    Fixed[] gh = prepare(new ECPoint[] {Secp256k1.G, Secp256k1.H});
    valueBase = gh[0];
    blindingBase = gh[1];
  }

  /** The shared generator set. */
  public static BulletproofGenerators standard() {
    return Holder.INSTANCE;
  }

  /** G_i, for 0 ≤ i < {@link #CAPACITY}. */
  public ECPoint g(int i) {
    return fixedG(i + 1)[i].base.toEcPoint();
  }

  /** H_i, for 0 ≤ i < {@link #CAPACITY}. */
  public ECPoint h(int i) {
    return fixedH(i + 1)[i].base.toEcPoint();
  }

  /** The Pedersen value generator G (also the inner-product base Q before scaling). */
  Fixed valueBase() {
    return valueBase;
  }

  /** The Pedersen blinding generator H. */
  Fixed blindingBase() {
    return blindingBase;
  }

  /** G_0 … G_{count−1} (the array may be longer; do not modify it). */
  Fixed[] fixedG(int count) {
    ensure(count);
    return gs;
  }

  /** H_0 … H_{count−1} (the array may be longer; do not modify it). */
  Fixed[] fixedH(int count) {
    ensure(count);
    return hs;
  }

  private void ensure(int count) {
    if (count < 0 || count > CAPACITY) {
      throw new IllegalArgumentException("generator index out of range");
    }
    if (gs.length >= count) {
      return;
    }
    synchronized (this) {
      int have = gs.length;
      if (have >= count) {
        return;
      }
      int want = Math.min(CAPACITY, Math.max(count, Math.max(16, 2 * have)));
      want = Integer.highestOneBit(want - 1) << 1; // next power of two
      want = Math.min(CAPACITY, want);
      ECPoint[] g = new ECPoint[want - have];
      ECPoint[] h = new ECPoint[want - have];
      for (int i = have; i < want; i++) {
        g[i - have] = Secp256k1.hashToCurve(G_LABEL + i);
        h[i - have] = Secp256k1.hashToCurve(H_LABEL + i);
      }
      Fixed[] ng = Arrays.copyOf(gs, want);
      Fixed[] nh = Arrays.copyOf(hs, want);
      Fixed[] pg = prepare(g);
      Fixed[] ph = prepare(h);
      System.arraycopy(pg, 0, ng, have, pg.length);
      System.arraycopy(ph, 0, nh, have, ph.length);
      hs = nh; // publish H before G: readers test gs.length
      gs = ng;
    }
  }

  private static Fixed[] prepare(ECPoint[] points) {
    int[] flat = Base.flatten(points);
    ShiftTable[] shifts = ShiftTable.build(flat, points.length);
    Base[] bases = Base.fixed(flat, shifts, points.length);
    Fixed[] out = new Fixed[points.length];
    for (int i = 0; i < points.length; i++) {
      out[i] = new Fixed(bases[i], shifts[i]);
    }
    return out;
  }
}
