package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.Transcript;

/**
 * The prover of the inner-product argument (Bünz et al. 2018, §3, Protocol 2 with the
 * Fiat–Shamir challenges u_k) for the relation P = ⟨a, G⟩ + ⟨b, H'⟩ + ⟨a, b⟩·Q with H'_i =
 * y^(−i)·H_i and Q = w·G.
 *
 * <p>The textbook prover folds the generator vectors after every round, which costs one
 * two-point multiplication per generator per round and dominates proving time. Here the
 * generators of round k are never formed; instead the round's L_k and R_k are computed as
 * multi-exponentiations over an explicit <em>basis</em> — at first the fixed generators G_i and
 * H_i themselves — with scalars multiplied by the accumulated challenge products ("folded
 * scalars instead of folded points"). Because that makes every round as expensive as the basis
 * is large, the prover now and then replaces the basis by the folded generators of the current
 * round (one batched recombination); a small cost model ({@link #plan}) picks those rounds. The
 * points sent are exactly those of the textbook prover. Variable time.
 */
final class InnerProductProver {
  /** The messages of the argument. */
  static final class Result {
    final ECPoint[] ls;
    final ECPoint[] rs;
    final BigInteger a;
    final BigInteger b;

    Result(ECPoint[] ls, ECPoint[] rs, BigInteger a, BigInteger b) {
      this.ls = ls;
      this.rs = rs;
      this.a = a;
      this.b = b;
    }
  }

  /** Generators the rounds are expressed in, with the challenge products gathered so far. */
  private static final class Basis {
    final int size;
    final ShiftTable[] gShifts; // the fixed generators (level 0) only
    final ShiftTable[] hShifts;
    private Base[] g; // built on demand at level 0
    private Base[] h;
    final BulletproofGenerators gens;
    /**
     * Challenge products per block: basis point i has pattern pat[i / n] in the round of size n,
     * because every earlier round on this basis split on a bit of i above log2(n).
     */
    BigInteger[] patG = {BigInteger.ONE};

    BigInteger[] patH = {BigInteger.ONE};

    private Basis(int size, BulletproofGenerators gens, ShiftTable[] gs, ShiftTable[] hs, Base[] g, Base[] h) {
      this.size = size;
      this.gens = gens;
      this.gShifts = gs;
      this.hShifts = hs;
      this.g = g;
      this.h = h;
    }

    static Basis generators(BulletproofGenerators gens, int size) {
      return new Basis(size, gens, gens.shiftsG(size), gens.shiftsH(size), null, null);
    }

    static Basis derived(Base[] g, Base[] h) {
      return new Basis(g.length, null, null, null, g, h);
    }

    boolean fixed() {
      return gShifts != null;
    }

    Base gBase(int i) {
      if (g == null) {
        g = gens.basesG(size);
      }
      return g[i];
    }

    Base hBase(int i) {
      if (h == null) {
        h = gens.basesH(size);
      }
      return h[i];
    }
  }

  private InnerProductProver() {}

  /**
   * Runs the argument, appending L_k and R_k and drawing u_k on the transcript.
   *
   * @param yInv the powers y^(−i), i &lt; N: H'_i = y^(−i)·H_i
   * @param schedule for each round whether to rebase first, or null for {@link #plan}
   */
  static Result prove(
      Transcript transcript,
      BigInteger[] aIn,
      BigInteger[] bIn,
      BigInteger[] yInv,
      BigInteger w,
      BulletproofGenerators gens,
      boolean[] schedule) {
    int total = aIn.length;
    int rounds = Integer.numberOfTrailingZeros(total);
    BigInteger[] a = aIn.clone();
    BigInteger[] b = bIn.clone();
    BulletproofGenerators.Fixed q = gens.valueBase();
    Basis basis = Basis.generators(gens, total);
    boolean[] rebase = schedule != null ? schedule : plan(total);
    if (rebase.length != rounds || rebase[0]) {
      throw new IllegalArgumentException("bad schedule");
    }
    ECPoint[] ls = new ECPoint[rounds];
    ECPoint[] rs = new ECPoint[rounds];
    int n = total;
    for (int k = 0; k < rounds; k++, n /= 2) {
      if (rebase[k]) {
        basis = rebase(basis, n, yInv);
      }
      int half = n / 2;
      BigInteger cl = Scalars.mul(Scalars.inner(a, 0, b, half, half), w);
      BigInteger cr = Scalars.mul(Scalars.inner(a, half, b, 0, half), w);
      JacobianPoint[] lr = basis.fixed()
          ? roundOnFixed(basis, a, b, n, yInv, cl, cr, q)
          : roundOnDerived(basis, a, b, n, yInv, cl, cr, q);
      int[] flat = new int[32];
      int[] jac = new int[48];
      FieldOps.store(lr[0], jac, 0);
      FieldOps.store(lr[1], jac, 1);
      FieldOps.batchToAffine(jac, 2, flat, 0);
      ls[k] = FieldOps.toEcPoint(Arrays.copyOfRange(flat, 0, 8), Arrays.copyOfRange(flat, 8, 16));
      rs[k] = FieldOps.toEcPoint(Arrays.copyOfRange(flat, 16, 24), Arrays.copyOfRange(flat, 24, 32));
      transcript.appendBytes(RangeProof.LABEL_L, ls[k].getEncoded(true));
      transcript.appendBytes(RangeProof.LABEL_R, rs[k].getEncoded(true));
      BigInteger u = RangeProof.proverChallenge(transcript, RangeProof.LABEL_U);
      BigInteger ui = Scalars.inv(u);
      BigInteger[] na = new BigInteger[half];
      BigInteger[] nb = new BigInteger[half];
      for (int i = 0; i < half; i++) {
        na[i] = a[i].multiply(u).add(a[half + i].multiply(ui)).mod(Scalars.Q);
        nb[i] = b[i].multiply(ui).add(b[half + i].multiply(u)).mod(Scalars.Q);
      }
      a = na;
      b = nb;
      int blocks = basis.patG.length;
      BigInteger[] pg = new BigInteger[2 * blocks];
      BigInteger[] ph = new BigInteger[2 * blocks];
      for (int t = 0; t < blocks; t++) {
        pg[2 * t] = Scalars.mul(basis.patG[t], ui); // lower half of block t
        pg[2 * t + 1] = Scalars.mul(basis.patG[t], u);
        ph[2 * t] = Scalars.mul(basis.patH[t], u);
        ph[2 * t + 1] = Scalars.mul(basis.patH[t], ui);
      }
      basis.patG = pg;
      basis.patH = ph;
    }
    return new Result(ls, rs, a[0], b[0]);
  }

  /** L and R over the fixed generators: one bucket-method pass with two outputs. */
  private static JacobianPoint[] roundOnFixed(
      Basis basis, BigInteger[] a, BigInteger[] b, int n, BigInteger[] yInv,
      BigInteger cl, BigInteger cr, BulletproofGenerators.Fixed q) {
    int half = n / 2;
    int shift = Integer.numberOfTrailingZeros(n);
    BucketMultiExp me = new BucketMultiExp(2);
    for (int i = 0; i < basis.size; i++) {
      int r = i & (n - 1);
      BigInteger pg = basis.patG[i >> shift];
      BigInteger hw = Scalars.mul(basis.patH[i >> shift], yInv[i]);
      if (r >= half) {
        me.add(0, basis.gShifts[i], Scalars.mul(a[r - half], pg));
        me.add(1, basis.hShifts[i], Scalars.mul(b[r - half], hw));
      } else {
        me.add(1, basis.gShifts[i], Scalars.mul(a[r + half], pg));
        me.add(0, basis.hShifts[i], Scalars.mul(b[r + half], hw));
      }
    }
    me.add(0, q.shifts, cl);
    me.add(1, q.shifts, cr);
    return me.evaluate();
  }

  /** L and R over a derived basis: two Straus multi-exponentiations. */
  private static JacobianPoint[] roundOnDerived(
      Basis basis, BigInteger[] a, BigInteger[] b, int n, BigInteger[] yInv,
      BigInteger cl, BigInteger cr, BulletproofGenerators.Fixed q) {
    int half = n / 2;
    int shift = Integer.numberOfTrailingZeros(n);
    MultiExp ml = new MultiExp(2 * basis.size + 2);
    MultiExp mr = new MultiExp(2 * basis.size + 2);
    for (int i = 0; i < basis.size; i++) {
      int r = i & (n - 1);
      BigInteger pg = basis.patG[i >> shift];
      BigInteger hw = Scalars.mul(basis.patH[i >> shift], yInv[i]);
      if (r >= half) {
        basis.gBase(i).addTo(ml, Scalars.mul(a[r - half], pg));
        basis.hBase(i).addTo(mr, Scalars.mul(b[r - half], hw));
      } else {
        basis.gBase(i).addTo(mr, Scalars.mul(a[r + half], pg));
        basis.hBase(i).addTo(ml, Scalars.mul(b[r + half], hw));
      }
    }
    q.base.addTo(ml, cl);
    q.base.addTo(mr, cr);
    return new JacobianPoint[] {ml.evaluate(), mr.evaluate()};
  }

  /**
   * The folded generators of the current round (size n) as a new basis. Basis point i = j + n·t
   * carries the challenge product pat(t), the same for every j, and the H side also y^(−i) =
   * y^(−j)·y^(−n·t); the factor y^(−j) stays with the new point. Every output therefore uses the
   * same scalars, each recoded once, and dividing them by the t = 0 scalar (which becomes the new
   * basis' pattern) turns the first term into a plain addition.
   */
  private static Basis rebase(Basis old, int n, BigInteger[] yInv) {
    int blocks = old.size / n;
    BigInteger g0 = old.patG[0];
    BigInteger h0 = old.patH[0];
    BigInteger g0Inv = Scalars.inv(g0);
    BigInteger h0Inv = Scalars.inv(h0);
    Base.Recoded[] sg = new Base.Recoded[blocks];
    Base.Recoded[] sh = new Base.Recoded[blocks];
    for (int t = 1; t < blocks; t++) {
      BigInteger kg = Scalars.mul(old.patG[t], g0Inv);
      BigInteger kh = Scalars.mul(Scalars.mul(old.patH[t], h0Inv), yInv[t * n]);
      sg[t] = old.gBase(t * n).recode(kg);
      sh[t] = old.hBase(t * n).recode(kh);
    }
    int outputs = 2 * n;
    int[] first = new int[16 * outputs]; // the t = 0 points, added with coefficient one
    int[] x = new int[8];
    int[] y = new int[8];
    for (int j = 0; j < n; j++) {
      old.gBase(j).loadAffine(x, y);
      System.arraycopy(x, 0, first, 16 * j, 8);
      System.arraycopy(y, 0, first, 16 * j + 8, 8);
      old.hBase(j).loadAffine(x, y);
      System.arraycopy(x, 0, first, 16 * (n + j), 8);
      System.arraycopy(y, 0, first, 16 * (n + j) + 8, 8);
    }
    int[] flat = new int[16 * outputs];
    if (outputs >= LOCKSTEP_MIN_OUTPUTS) {
      LockstepMultiExp me = new LockstepMultiExp(outputs);
      for (int j = 0; j < n; j++) {
        for (int t = 1; t < blocks; t++) {
          old.gBase(j + t * n).addTo(me.output(j), sg[t]);
          old.hBase(j + t * n).addTo(me.output(n + j), sh[t]);
        }
      }
      AffineBatch.Slots res = me.evaluate(first);
      for (int o = 0; o < outputs; o++) {
        if (res.empty[o]) {
          throw new IllegalStateException("folded generator is the point at infinity");
        }
        Fe.toWords(res.x[o], flat, 16 * o);
        Fe.toWords(res.y[o], flat, 16 * o + 8);
      }
    } else {
      int[] jac = new int[24 * outputs];
      for (int o = 0; o < outputs; o++) {
        MultiExp me = new MultiExp(2 * blocks);
        int j = o % n;
        for (int t = 1; t < blocks; t++) {
          if (o < n) {
            old.gBase(j + t * n).addTo(me, sg[t]);
          } else {
            old.hBase(j + t * n).addTo(me, sh[t]);
          }
        }
        System.arraycopy(first, 16 * o, x, 0, 8);
        System.arraycopy(first, 16 * o + 8, y, 0, 8);
        FieldOps.store(me.evaluate().addAffine(x, y, false), jac, o);
      }
      FieldOps.batchToAffine(jac, outputs, flat, 0);
    }
    Base[] all = Base.dynamic(flat, outputs, Base.REUSED_WIDTH);
    Basis next = Basis.derived(Arrays.copyOfRange(all, 0, n), Arrays.copyOfRange(all, n, outputs));
    next.patG = new BigInteger[] {g0};
    next.patH = new BigInteger[] {h0};
    return next;
  }

  static final int LOCKSTEP_MIN_OUTPUTS = 16;

  // Cost model in microseconds, from measurements of the engines on a 2.6 GHz x86-64 core; only
  // the ratios matter.
  private static final double MADD = 0.66; // mixed Jacobian addition
  private static final double DOUBLING = 0.44; // Jacobian doubling
  private static final double BATCHED = 0.45; // batched affine addition or doubling
  private static final double BUCKET_ITEM = 0.45;
  private static final double BUCKET_AGGREGATION = 128 * (0.66 + 0.94);
  private static final double TABLE = 18; // tables of one new per-proof base

  /** Additions per point of a Straus multi-exponentiation over a basis. */
  private static double strausAdds(boolean fixed) {
    return fixed
        ? Base.FIXED_PIECES * (Base.FIXED_PIECE_BITS + 1) / (Base.FIXED_WIDTH + 1.0)
        : 2 * 129 / (Base.REUSED_WIDTH + 1.0);
  }

  /** Length of the doubling chain of a Straus multi-exponentiation over a basis. */
  private static double strausDoublings(boolean fixed) {
    return fixed ? Base.FIXED_PIECE_BITS : 129;
  }

  private static double roundCost(int basisSize, boolean fixed) {
    if (fixed) {
      return (2 * basisSize + 2) * 32 * BUCKET_ITEM + 2 * BUCKET_AGGREGATION;
    }
    return 2 * ((basisSize + 1) * strausAdds(false) * MADD + strausDoublings(false) * DOUBLING);
  }

  private static double rebaseCost(int from, boolean fixed, int to) {
    int outputs = 2 * to;
    double points = (double) from / to - 1; // the first term is a plain addition
    double perOutput = outputs >= LOCKSTEP_MIN_OUTPUTS
        ? (points * strausAdds(fixed) + strausDoublings(fixed)) * BATCHED
        : points * strausAdds(fixed) * MADD + strausDoublings(fixed) * DOUBLING;
    return outputs * (perOutput + TABLE);
  }

  /**
   * For each round, whether to rebase before it: the cheapest schedule under the cost model
   * (dynamic programming over the basis size in use).
   */
  static boolean[] plan(int total) {
    int rounds = Integer.numberOfTrailingZeros(total);
    // best[k][l]: cost of rounds k… with the basis of round l (l ≤ k; level 0 is the fixed one).
    double[][] best = new double[rounds + 1][rounds + 1];
    boolean[][] choice = new boolean[rounds + 1][rounds + 1];
    for (int k = rounds - 1; k >= 0; k--) {
      int n = total >> k;
      for (int l = 0; l <= k; l++) {
        int size = total >> l;
        double stay = roundCost(size, l == 0) + best[k + 1][l];
        double move = Double.POSITIVE_INFINITY;
        if (l < k) {
          move = rebaseCost(size, l == 0, n) + roundCost(n, false) + best[k + 1][k];
        }
        best[k][l] = Math.min(stay, move);
        choice[k][l] = move < stay;
      }
    }
    boolean[] rebase = new boolean[rounds];
    int l = 0;
    for (int k = 0; k < rounds; k++) {
      if (choice[k][l]) {
        rebase[k] = true;
        l = k;
      }
    }
    return rebase;
  }
}
