package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;

/**
 * Batch verification of range proofs ({@link RangeProof#verifyBatch}): the verification equations
 * E_1 … E_B, each "a sum of points is the point at infinity", are combined as Σ r_b·E_b with
 * weights r_b uniform in [1, q) drawn from the verifier's SecureRandom after all proofs are
 * fixed, and checked with one multi-exponentiation. The generators G_i, H_i, G and H are shared
 * by all proofs, so their coefficients are summed first and the bucket method processes each
 * once; the per-proof points (A, S, T₁, T₂, V_j, L_k, R_k of every proof) go to one Straus
 * multi-exponentiation. Soundness: docs/protocol.md §4.2, Batch verification.
 */
final class BatchVerifier {
  private BatchVerifier() {}

  static void verify(List<RangeProof.BatchEntry> entries, SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    verify(entries, () -> weight(rnd));
  }

  /**
   * The deterministic variant for chaincode: the weights are squeezed from {@code weights} (a
   * transcript the caller has bound to everything that fixes the batch) after it has also absorbed
   * every entry's proof encoding and commitments, so no weight is known before every equation is
   * fixed (docs/protocol.md §4.2, Deterministic weights).
   */
  static void verify(List<RangeProof.BatchEntry> entries, org.medledger.crypto.Transcript weights) {
    Objects.requireNonNull(weights, "weights");
    if (entries == null || entries.isEmpty()) {
      throw new MalformedInputException(RangeProof.PARAMS, "the batch is empty");
    }
    org.medledger.crypto.Transcript t = weights.fork().appendString("bp/batch", "deterministic-weights");
    t.appendLong("bp/batch-count", entries.size());
    for (RangeProof.BatchEntry e : entries) {
      if (e == null) {
        break; // refused by the common path below, with its index
      }
      t.appendBytes("bp/batch-proof", e.proof.toBytes());
      t.appendLong("bp/batch-bits", e.bits);
      if (e.commitments != null) {
        for (ECPoint c : e.commitments) {
          t.appendBytes("bp/batch-V", c == null || c.isInfinity() ? new byte[0] : c.getEncoded(true));
        }
      }
    }
    int[] next = {0};
    verify(entries, () -> {
      while (true) {
        BigInteger r = t.challengeBelow("bp/batch-r[" + next[0]++ + "]", Scalars.Q);
        if (r.signum() != 0) {
          return r;
        }
      }
    });
  }

  /** Where the weights r_b come from. */
  private interface Weights {
    BigInteger next();
  }

  private static void verify(List<RangeProof.BatchEntry> entries, Weights rnd) {
    if (entries == null || entries.isEmpty()) {
      throw new MalformedInputException(RangeProof.PARAMS, "the batch is empty");
    }
    int count = entries.size();
    VerificationEquation[] eqs = new VerificationEquation[count];
    for (int b = 0; b < count; b++) {
      RangeProof.BatchEntry e = entries.get(b);
      if (e == null) {
        throw new MalformedInputException(RangeProof.PARAMS, "batch entry " + b + " is missing");
      }
      try {
        eqs[b] = e.proof.equation(e.transcript, e.commitments, e.bits);
      } catch (MalformedInputException ex) {
        throw new MalformedInputException(ex.code(), "batch entry " + b + ": " + ex.getMessage(), ex);
      } catch (ProofException ex) {
        // A zero challenge: this proof alone is invalid; the others are checked below.
        eqs[b] = null;
      }
    }
    if (allNonNull(eqs) && combined(eqs, rnd)) {
      return;
    }
    List<Integer> bad = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      if (eqs[b] == null || !eqs[b].holds()) {
        bad.add(b);
      }
    }
    if (bad.isEmpty()) {
      // Cannot happen: when every equation holds, so does every combination of them.
      throw new ProofException(RangeProof.INVALID, "the batch equation failed but every proof verifies");
    }
    throw new ProofException(
        RangeProof.INVALID, "batch verification failed; invalid proofs at indices " + bad);
  }

  private static boolean allNonNull(Object[] a) {
    for (Object o : a) {
      if (o == null) {
        return false;
      }
    }
    return true;
  }

  /** Whether Σ_b r_b·E_b holds for fresh random weights. */
  private static boolean combined(VerificationEquation[] eqs, Weights rnd) {
    BigInteger q = Scalars.Q;
    int maxSize = 0;
    int dynamic = 0;
    for (VerificationEquation e : eqs) {
      maxSize = Math.max(maxSize, e.size());
      dynamic += e.points.length + 1;
    }
    BigInteger[] g = new BigInteger[maxSize];
    BigInteger[] h = new BigInteger[maxSize];
    java.util.Arrays.fill(g, BigInteger.ZERO);
    java.util.Arrays.fill(h, BigInteger.ZERO);
    BigInteger baseG = BigInteger.ZERO;
    BigInteger baseH = BigInteger.ZERO;
    ECPoint[] points = new ECPoint[dynamic];
    BigInteger[] scalars = new BigInteger[dynamic];
    int d = 0;
    for (VerificationEquation e : eqs) {
      BigInteger r = rnd.next();
      for (int i = 0; i < e.size(); i++) {
        g[i] = g[i].add(r.multiply(e.gCoef[i]));
        h[i] = h[i].add(r.multiply(e.hCoef[i]));
      }
      baseG = baseG.add(r.multiply(e.baseG));
      baseH = baseH.add(r.multiply(e.baseH));
      for (int j = 0; j < e.points.length; j++) {
        points[d] = e.points[j];
        scalars[d++] = Scalars.mul(r, e.scalars[j]);
      }
      points[d] = e.a;
      scalars[d++] = r;
    }
    for (int i = 0; i < maxSize; i++) {
      g[i] = g[i].mod(q);
      h[i] = h[i].mod(q);
    }
    BulletproofGenerators gens = BulletproofGenerators.standard();
    ShiftTable[] gs = gens.shiftsG(maxSize);
    ShiftTable[] hs = gens.shiftsH(maxSize);
    BucketMultiExp fixed = new BucketMultiExp(1);
    for (int i = 0; i < maxSize; i++) {
      fixed.add(0, gs[i], g[i]);
      fixed.add(0, hs[i], h[i]);
    }
    fixed.add(0, gens.valueBase().shifts, baseG.mod(q));
    fixed.add(0, gens.blindingBase().shifts, baseH.mod(q));
    Base[] bases = Base.dynamic(Base.flatten(points), dynamic);
    MultiExp me = new MultiExp(2 * dynamic);
    for (int i = 0; i < dynamic; i++) {
      bases[i].addTo(me, scalars[i]);
    }
    JacobianPoint sum = me.evaluate();
    sum.add(fixed.evaluate()[0]);
    return sum.infinity;
  }

  /** A weight uniform in [1, q). */
  private static BigInteger weight(SecureRandom rnd) {
    while (true) {
      BigInteger r = Scalars.random(rnd);
      if (r.signum() != 0) {
        return r;
      }
    }
  }
}
