package org.medledger.crypto.bulletproofs;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;

/**
 * An aggregated Bulletproofs range proof (Bünz, Bootle, Boneh, Poelstra, Wuille, Maxwell, "Bulletproofs:
 * Short Proofs for Confidential Transactions and More", IEEE S&amp;P 2018, §4.2–4.3 with the
 * inner-product argument of §3): for m Pedersen commitments V_j = v_j·G + γ_j·H on secp256k1 ({@link
 * Secp256k1#commit}) it shows that every v_j lies in [0, 2^n), n ∈ {8, 16, 32, 64}, m ∈ {1, 2, 4, 8,
 * 16}. The protocol, its transcript and the verification equation are specified in
 * docs/protocol.md §4.2.
 *
 * <p>Instances are immutable and thread-safe. {@link #verify} is deterministic; {@link
 * #verifyBatch} draws random weights, or derives them from a transcript of the whole batch.
 */
public final class RangeProof {
  /** Encoding version byte. */
  public static final int VERSION = 1;
  /** The domain label appended first to the caller's transcript. */
  public static final String DOMAIN = "medledger/bulletproofs/range-proof/v1";
  /** Code of every verification failure. */
  public static final String INVALID = "RANGE_PROOF_INVALID";
  /** Code of a structurally bad encoding. */
  public static final String MALFORMED = "MALFORMED_RANGE_PROOF";
  /** Code of unsupported or mismatched parameters (n, m, number of commitments). */
  public static final String PARAMS = "RANGE_PROOF_PARAMS";

  static final String LABEL_DOMAIN = "bp/domain";
  static final String LABEL_N = "bp/n";
  static final String LABEL_M = "bp/m";
  static final String LABEL_V = "bp/V";
  static final String LABEL_A = "bp/A";
  static final String LABEL_S = "bp/S";
  static final String LABEL_Y = "bp/y";
  static final String LABEL_Z = "bp/z";
  static final String LABEL_T1 = "bp/T1";
  static final String LABEL_T2 = "bp/T2";
  static final String LABEL_X = "bp/x";
  static final String LABEL_TAU_X = "bp/tau_x";
  static final String LABEL_MU = "bp/mu";
  static final String LABEL_T_HAT = "bp/t_hat";
  static final String LABEL_W = "bp/w";
  static final String LABEL_L = "bp/L";
  static final String LABEL_R = "bp/R";
  static final String LABEL_U = "bp/u";
  static final String LABEL_A_FINAL = "bp/a";
  static final String LABEL_B_FINAL = "bp/b";
  static final String LABEL_PROOF = "bp/proof";
  static final String LABEL_BATCH = "bp/batch-weight";

  private static final int HEADER = 3;
  private static final int PB = Secp256k1.POINT_BYTES;
  private static final int SB = Secp256k1.SCALAR_BYTES;

  private final int bits;
  private final int m;
  private final ECPoint a;
  private final ECPoint s;
  private final ECPoint t1;
  private final ECPoint t2;
  private final BigInteger tauX;
  private final BigInteger mu;
  private final BigInteger tHat;
  private final ECPoint[] ls;
  private final ECPoint[] rs;
  private final BigInteger aFinal;
  private final BigInteger bFinal;
  private final byte[] encoding;

  private RangeProof(
      int bits, int m, ECPoint a, ECPoint s, ECPoint t1, ECPoint t2,
      BigInteger tauX, BigInteger mu, BigInteger tHat, ECPoint[] ls, ECPoint[] rs,
      BigInteger aFinal, BigInteger bFinal) {
    this.bits = bits;
    this.m = m;
    this.a = a;
    this.s = s;
    this.t1 = t1;
    this.t2 = t2;
    this.tauX = tauX;
    this.mu = mu;
    this.tHat = tHat;
    this.ls = ls;
    this.rs = rs;
    this.aFinal = aFinal;
    this.bFinal = bFinal;
    this.encoding = encode();
  }

  /** The bit length n the proof was made for. */
  public int bits() {
    return bits;
  }

  /** The number m of values the proof covers. */
  public int valueCount() {
    return m;
  }

  /** Length in bytes of the encoding for the given parameters. */
  public static int encodedLength(int bits, int m) {
    checkParams(bits, m, false);
    int rounds = Integer.numberOfTrailingZeros(bits * m);
    return HEADER + 4 * PB + 3 * SB + 2 * rounds * PB + 2 * SB;
  }

  // ---------------------------------------------------------------------------------- proving

  /**
   * Proves values[j] ∈ [0, 2^bits) for the commitments {@link Secp256k1#commit}(values[j],
   * blindings[j]). The transcript must already be bound to the caller's context; it is advanced
   * exactly as {@link #verify} advances it.
   *
   * @param bits n ∈ {8, 16, 32, 64}
   * @throws IllegalArgumentException if a parameter is unsupported, the arrays differ in length,
   *     m = values.length ∉ {1, 2, 4, 8, 16}, or a value is outside [0, 2^bits)
   */
  public static RangeProof prove(
      Transcript transcript, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd) {
    validateProverInputs(transcript, values, blindings, bits, rnd);
    BigInteger bound = BigInteger.ONE.shiftLeft(bits);
    for (BigInteger v : values) {
      if (v.signum() < 0 || v.compareTo(bound) >= 0) {
        throw new IllegalArgumentException("value outside [0, 2^" + bits + ")");
      }
    }
    return proveUnchecked(transcript, values, blindings, bits, rnd);
  }

  /**
   * The prover without the range check, for the malicious-prover tests only: values are reduced
   * modulo q and their low {@code bits} bits are used as the bit vector, so an out-of-range value
   * yields a proof that must fail verification.
   */
  static RangeProof proveUnchecked(
      Transcript transcript, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd) {
    return proveUnchecked(transcript, values, blindings, bits, rnd, null);
  }

  /** As above with an explicit inner-product schedule (see {@link InnerProductProver#plan}); tests only. */
  static RangeProof proveUnchecked(
      Transcript transcript, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd,
      boolean[] schedule) {
    validateProverInputs(transcript, values, blindings, bits, rnd);
    int m = values.length;
    int n = bits;
    int total = n * m;
    BulletproofGenerators gens = BulletproofGenerators.standard();
    BulletproofGenerators.Fixed gBase = gens.valueBase();
    BulletproofGenerators.Fixed hBase = gens.blindingBase();
    ShiftTable[] gs = gens.shiftsG(total);
    ShiftTable[] hs = gens.shiftsH(total);

    BigInteger[] v = new BigInteger[m];
    BigInteger[] gamma = new BigInteger[m];
    for (int j = 0; j < m; j++) {
      v[j] = values[j].mod(Scalars.Q);
      gamma[j] = blindings[j].mod(Scalars.Q);
    }

    // V_j = v_j·G + γ_j·H
    ECPoint[] commitments = new ECPoint[m];
    for (int j = 0; j < m; j++) {
      MultiExp me = new MultiExp(4);
      gBase.base.addTo(me, v[j]);
      hBase.base.addTo(me, gamma[j]);
      commitments[j] = FieldOps.toEcPoint(me.evaluate());
    }
    bindStatement(transcript, bits, m, commitments, true);

    // A = α·H + ⟨a_L, G⟩ + ⟨a_R, H⟩ with a_L the bits and a_R = a_L − 1.
    boolean[] aL = new boolean[total];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < n; i++) {
        aL[j * n + i] = v[j].testBit(i);
      }
    }
    BigInteger alpha = Scalars.random(rnd);
    MultiExp me = new MultiExp(2);
    hBase.base.addTo(me, alpha);
    JacobianPoint acc = me.evaluate();
    int[] x = new int[8];
    int[] y = new int[8];
    for (int i = 0; i < total; i++) {
      if (aL[i]) {
        gs[i].loadBase(x, y);
        acc.addAffine(x, y, false);
      } else {
        hs[i].loadBase(x, y);
        acc.addAffine(x, y, true);
      }
    }
    ECPoint bigA = requireFinite(FieldOps.toEcPoint(acc));

    // S = ρ·H + ⟨s_L, G⟩ + ⟨s_R, H⟩
    BigInteger rho = Scalars.random(rnd);
    BigInteger[] sL = Scalars.random(rnd, total);
    BigInteger[] sR = Scalars.random(rnd, total);
    BucketMultiExp bucket = new BucketMultiExp(1);
    for (int i = 0; i < total; i++) {
      bucket.add(0, gs[i], sL[i]);
      bucket.add(0, hs[i], sR[i]);
    }
    bucket.add(0, hBase.shifts, rho);
    ECPoint bigS = requireFinite(FieldOps.toEcPoint(bucket.evaluate()[0]));

    transcript.appendBytes(LABEL_A, bigA.getEncoded(true));
    transcript.appendBytes(LABEL_S, bigS.getEncoded(true));
    BigInteger yc = proverChallenge(transcript, LABEL_Y);
    BigInteger zc = proverChallenge(transcript, LABEL_Z);

    // l(X) = (a_L − z·1) + s_L·X ; r(X) = y^N ∘ (a_R + z·1 + s_R·X) + Σ_j z^(2+j)·(0…, 2^n, …0)
    BigInteger[] yPow = Scalars.powers(yc, total);
    BigInteger[] zPow = Scalars.powers(zc, m + 3); // z^0 … z^(m+2)
    BigInteger[] l0 = new BigInteger[total];
    BigInteger[] r0 = new BigInteger[total];
    BigInteger[] r1 = new BigInteger[total];
    BigInteger negZ = Scalars.neg(zc);
    BigInteger oneMinusZ = Scalars.sub(BigInteger.ONE, zc);
    BigInteger zMinusOne = Scalars.sub(zc, BigInteger.ONE);
    for (int j = 0; j < m; j++) {
      BigInteger twoPow = zPow[2 + j]; // z^(2+j)·2^i, updated by doubling
      for (int i = 0; i < n; i++) {
        int k = j * n + i;
        l0[k] = aL[k] ? oneMinusZ : negZ;
        BigInteger aRz = aL[k] ? zc : zMinusOne; // a_R + z
        r0[k] = Scalars.add(Scalars.mul(yPow[k], aRz), twoPow);
        r1[k] = Scalars.mul(yPow[k], sR[k]);
        twoPow = Scalars.add(twoPow, twoPow);
      }
    }
    BigInteger tt1 = Scalars.add(Scalars.inner(l0, 0, r1, 0, total), Scalars.inner(sL, 0, r0, 0, total));
    BigInteger tt2 = Scalars.inner(sL, 0, r1, 0, total);
    BigInteger tau1 = Scalars.random(rnd);
    BigInteger tau2 = Scalars.random(rnd);
    ECPoint bigT1 = requireFinite(twoBase(gBase, tt1, hBase, tau1));
    ECPoint bigT2 = requireFinite(twoBase(gBase, tt2, hBase, tau2));
    transcript.appendBytes(LABEL_T1, bigT1.getEncoded(true));
    transcript.appendBytes(LABEL_T2, bigT2.getEncoded(true));
    BigInteger xc = proverChallenge(transcript, LABEL_X);

    BigInteger[] l = new BigInteger[total];
    BigInteger[] r = new BigInteger[total];
    for (int k = 0; k < total; k++) {
      l[k] = l0[k].add(sL[k].multiply(xc)).mod(Scalars.Q);
      r[k] = r0[k].add(r1[k].multiply(xc)).mod(Scalars.Q);
    }
    BigInteger tHat = Scalars.inner(l, 0, r, 0, total);
    BigInteger tauX = Scalars.add(Scalars.mul(tau2, Scalars.mul(xc, xc)), Scalars.mul(tau1, xc));
    for (int j = 0; j < m; j++) {
      tauX = Scalars.add(tauX, Scalars.mul(zPow[2 + j], gamma[j]));
    }
    BigInteger mu = Scalars.add(alpha, Scalars.mul(rho, xc));
    transcript.appendBytes(LABEL_TAU_X, Secp256k1.encodeScalar(tauX));
    transcript.appendBytes(LABEL_MU, Secp256k1.encodeScalar(mu));
    transcript.appendBytes(LABEL_T_HAT, Secp256k1.encodeScalar(tHat));
    BigInteger wc = proverChallenge(transcript, LABEL_W);

    BigInteger[] yInv = Scalars.powers(Scalars.inv(yc), total);
    InnerProductProver.Result ipa = InnerProductProver.prove(transcript, l, r, yInv, wc, gens, schedule);
    transcript.appendBytes(LABEL_A_FINAL, Secp256k1.encodeScalar(ipa.a));
    transcript.appendBytes(LABEL_B_FINAL, Secp256k1.encodeScalar(ipa.b));
    return new RangeProof(
        bits, m, bigA, bigS, bigT1, bigT2, tauX, mu, tHat, ipa.ls, ipa.rs, ipa.a, ipa.b);
  }

  private static ECPoint twoBase(
      BulletproofGenerators.Fixed p, BigInteger kp, BulletproofGenerators.Fixed q, BigInteger kq) {
    MultiExp me = new MultiExp(4);
    p.base.addTo(me, kp);
    q.base.addTo(me, kq);
    return FieldOps.toEcPoint(me.evaluate());
  }

  private static ECPoint requireFinite(ECPoint p) {
    if (p.isInfinity()) {
      // Happens with negligible probability for honest randomness; a retry needs a new transcript.
      throw new IllegalStateException("proof element is the point at infinity");
    }
    return p;
  }

  private static void validateProverInputs(
      Transcript transcript, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd) {
    Objects.requireNonNull(transcript, "transcript");
    Objects.requireNonNull(rnd, "rnd");
    if (values == null || blindings == null) {
      throw new IllegalArgumentException("values and blindings are required");
    }
    if (values.length != blindings.length) {
      throw new IllegalArgumentException("values and blindings differ in length");
    }
    checkParams(bits, values.length, true);
    for (int j = 0; j < values.length; j++) {
      if (values[j] == null || blindings[j] == null) {
        throw new IllegalArgumentException("null value or blinding at index " + j);
      }
    }
  }

  /** Draws a prover challenge; a zero challenge (probability 2^−256) aborts the proof. */
  static BigInteger proverChallenge(Transcript t, String label) {
    BigInteger c = t.challengeBelow(label, Scalars.Q);
    if (c.signum() == 0) {
      throw new IllegalStateException("zero challenge " + label + "; prove again with a fresh transcript");
    }
    return c;
  }

  private static BigInteger verifierChallenge(Transcript t, String label) {
    BigInteger c = t.challengeBelow(label, Scalars.Q);
    if (c.signum() == 0) {
      throw new ProofException(INVALID, "challenge " + label + " is zero");
    }
    return c;
  }

  private static void bindStatement(Transcript t, int bits, int m, ECPoint[] commitments, boolean prover) {
    t.appendString(LABEL_DOMAIN, DOMAIN);
    t.appendLong(LABEL_N, bits);
    t.appendLong(LABEL_M, m);
    for (ECPoint v : commitments) {
      if (prover && v.isInfinity()) {
        throw new IllegalArgumentException("commitment is the point at infinity");
      }
      t.appendBytes(LABEL_V, Secp256k1.encodePoint(v));
    }
  }

  private static void checkParams(int bits, int m, boolean prover) {
    boolean bitsOk = bits == 8 || bits == 16 || bits == 32 || bits == 64;
    boolean mOk = m == 1 || m == 2 || m == 4 || m == 8 || m == 16;
    if (bitsOk && mOk) {
      return;
    }
    String msg = !bitsOk ? "bits must be 8, 16, 32 or 64, got " + bits
        : "the number of values must be 1, 2, 4, 8 or 16, got " + m;
    if (prover) {
      throw new IllegalArgumentException(msg);
    }
    throw new MalformedInputException(PARAMS, msg);
  }

  // ------------------------------------------------------------------------------- verifying

  /**
   * Verifies the proof for the given commitments and bit length, advancing the transcript exactly
   * as {@link #prove} did.
   *
   * @throws MalformedInputException if a parameter is unsupported or does not match the proof, or
   *     a commitment is not a valid finite secp256k1 point
   * @throws ProofException (code {@value #INVALID}) if the proof does not verify
   */
  public void verify(Transcript transcript, ECPoint[] commitments, int bits) {
    VerificationEquation eq = equation(transcript, commitments, bits);
    if (!eq.holds()) {
      throw new ProofException(INVALID, eq.diagnose());
    }
  }

  /**
   * Verifies many proofs at once with one multi-exponentiation: every proof's verification
   * equation is multiplied by its own weight, uniform in [1, q) from {@code rnd}, and the weighted
   * equations are summed, so the shared generators G_i, H_i, G, H are processed once for the whole
   * batch (docs/protocol.md §4.2, Batch verification). Each entry's transcript is advanced exactly
   * as {@link #verify} advances it. If the sum is not the point at infinity, every proof is
   * checked on its own to name the invalid ones.
   *
   * @throws MalformedInputException as {@link #verify}, for the first entry with a bad parameter
   *     or commitment (its index in the message), before any group operation
   * @throws ProofException (code {@value #INVALID}) naming the indices of the invalid proofs
   */
  public static void verifyBatch(List<BatchEntry> entries, SecureRandom rnd) {
    BatchVerifier.verify(entries, rnd);
  }

  /**
   * {@link #verifyBatch(List, SecureRandom)} with weights derived from {@code weights} instead of
   * drawn: for a deterministic verifier (chaincode). The caller's transcript must already be bound
   * to the context of every entry (what each entry's transcript absorbed before the proof); this
   * method adds every proof's encoding and commitments before squeezing the weights
   * (docs/protocol.md §4.2, Deterministic weights). {@code weights} itself is not advanced.
   */
  public static void verifyBatch(List<BatchEntry> entries, Transcript weights) {
    BatchVerifier.verify(entries, weights);
  }

  /** One statement of a batch: a proof, the caller's transcript, the commitments and n. */
  public static final class BatchEntry {
    final RangeProof proof;
    final Transcript transcript;
    final ECPoint[] commitments;
    final int bits;

    public BatchEntry(RangeProof proof, Transcript transcript, ECPoint[] commitments, int bits) {
      this.proof = Objects.requireNonNull(proof, "proof");
      this.transcript = Objects.requireNonNull(transcript, "transcript");
      this.commitments = commitments == null ? null : commitments.clone();
      this.bits = bits;
    }
  }

  /**
   * Validates the statement, replays the transcript and forms the verification equation
   * (everything of {@link #verify} but the multi-exponentiation).
   */
  VerificationEquation equation(Transcript transcript, ECPoint[] commitments, int bits) {
    Objects.requireNonNull(transcript, "transcript");
    if (commitments == null) {
      throw new MalformedInputException(PARAMS, "commitments are required");
    }
    checkParams(bits, commitments.length, false);
    if (bits != this.bits || commitments.length != this.m) {
      throw new MalformedInputException(
          PARAMS, "proof is for n=" + this.bits + ", m=" + this.m + " but n=" + bits + ", m="
              + commitments.length + " was asked");
    }
    int n = bits;
    int total = n * m;
    int rounds = ls.length;
    ECPoint[] vs = new ECPoint[m];
    for (int j = 0; j < m; j++) {
      vs[j] = validCommitment(commitments[j], j);
    }

    // Transcript replay.
    bindStatement(transcript, bits, m, vs, false);
    transcript.appendBytes(LABEL_A, a.getEncoded(true));
    transcript.appendBytes(LABEL_S, s.getEncoded(true));
    BigInteger yc = verifierChallenge(transcript, LABEL_Y);
    BigInteger zc = verifierChallenge(transcript, LABEL_Z);
    transcript.appendBytes(LABEL_T1, t1.getEncoded(true));
    transcript.appendBytes(LABEL_T2, t2.getEncoded(true));
    BigInteger xc = verifierChallenge(transcript, LABEL_X);
    transcript.appendBytes(LABEL_TAU_X, Secp256k1.encodeScalar(tauX));
    transcript.appendBytes(LABEL_MU, Secp256k1.encodeScalar(mu));
    transcript.appendBytes(LABEL_T_HAT, Secp256k1.encodeScalar(tHat));
    BigInteger wc = verifierChallenge(transcript, LABEL_W);
    BigInteger[] u = new BigInteger[rounds];
    for (int k = 0; k < rounds; k++) {
      transcript.appendBytes(LABEL_L, ls[k].getEncoded(true));
      transcript.appendBytes(LABEL_R, rs[k].getEncoded(true));
      u[k] = verifierChallenge(transcript, LABEL_U);
    }
    transcript.appendBytes(LABEL_A_FINAL, Secp256k1.encodeScalar(aFinal));
    transcript.appendBytes(LABEL_B_FINAL, Secp256k1.encodeScalar(bFinal));
    Transcript batch = transcript.fork();
    batch.appendBytes(LABEL_PROOF, encoding);
    BigInteger c = verifierChallenge(batch, LABEL_BATCH);

    // s_i = Π_k u_k^(±1): + when bit (rounds−1−k) of i is set; s_i⁻¹ = s_(N−1−i). One modular
    // inversion serves every u_k and y (all non-zero, checked when drawn).
    BigInteger[] toInvert = Arrays.copyOf(u, rounds + 1);
    toInvert[rounds] = yc;
    BigInteger[] inverses = Scalars.invAll(toInvert);
    BigInteger[] uInv = Arrays.copyOf(inverses, rounds);
    BigInteger yInv = inverses[rounds];
    BigInteger[] uSq = new BigInteger[rounds];
    BigInteger[] uInvSq = new BigInteger[rounds];
    BigInteger s0 = BigInteger.ONE;
    for (int k = 0; k < rounds; k++) {
      uSq[k] = Scalars.mul(u[k], u[k]);
      uInvSq[k] = Scalars.mul(uInv[k], uInv[k]);
      s0 = Scalars.mul(s0, uInv[k]);
    }
    BigInteger[] sv = new BigInteger[total];
    sv[0] = s0;
    for (int i = 1; i < total; i++) {
      int hb = 31 - Integer.numberOfLeadingZeros(i);
      sv[i] = Scalars.mul(sv[i - (1 << hb)], uSq[rounds - 1 - hb]);
    }

    BigInteger[] zPow = Scalars.powers(zc, m + 4); // z^0 … z^(m+3)
    BigInteger ab = Scalars.mul(aFinal, bFinal);
    BigInteger negZ = Scalars.neg(zc);

    BigInteger[] gk = new BigInteger[total];
    BigInteger[] hk = new BigInteger[total];
    BigInteger yInvPow = BigInteger.ONE; // y^(−i)
    BigInteger sumY = BigInteger.ZERO; // Σ y^i
    BigInteger yPow = BigInteger.ONE;
    for (int j = 0; j < m; j++) {
      BigInteger zeta = zPow[2 + j]; // z^(2+j)·2^i
      for (int i = 0; i < n; i++) {
        int k = j * n + i;
        // One reduction per coefficient: mod q also maps the negative intermediates into [0, q).
        gk[k] = negZ.subtract(aFinal.multiply(sv[k])).mod(Scalars.Q);
        BigInteger inner = zeta.subtract(Scalars.mul(bFinal, sv[total - 1 - k])); // in (−q, q)
        hk[k] = zc.add(yInvPow.multiply(inner)).mod(Scalars.Q);
        sumY = sumY.add(yPow); // reduced after the loop
        yPow = Scalars.mul(yPow, yc);
        yInvPow = Scalars.mul(yInvPow, yInv);
        zeta = Scalars.add(zeta, zeta);
      }
    }
    sumY = sumY.mod(Scalars.Q);
    BigInteger twoNMinusOne = BigInteger.ONE.shiftLeft(n).subtract(BigInteger.ONE);
    BigInteger zSum = BigInteger.ZERO; // Σ_j z^(3+j)
    for (int j = 0; j < m; j++) {
      zSum = Scalars.add(zSum, zPow[3 + j]);
    }
    BigInteger delta = Scalars.sub(
        Scalars.mul(Scalars.sub(zc, zPow[2]), sumY), Scalars.mul(zSum, twoNMinusOne));
    BigInteger gCoef = Scalars.add(
        Scalars.mul(wc, Scalars.sub(tHat, ab)), Scalars.mul(c, Scalars.sub(delta, tHat)));
    BigInteger hCoef = Scalars.neg(Scalars.add(mu, Scalars.mul(c, tauX)));

    // Per-proof points: S, T1, T2, V_j, L_k, R_k; A has coefficient 1.
    int dyn = 3 + m + 2 * rounds;
    ECPoint[] dp = new ECPoint[dyn];
    BigInteger[] dk = new BigInteger[dyn];
    int d = 0;
    dp[d] = s;
    dk[d++] = xc;
    dp[d] = t1;
    dk[d++] = Scalars.mul(c, xc);
    dp[d] = t2;
    dk[d++] = Scalars.mul(c, Scalars.mul(xc, xc));
    for (int j = 0; j < m; j++) {
      dp[d] = vs[j];
      dk[d++] = Scalars.mul(c, zPow[2 + j]);
    }
    for (int k = 0; k < rounds; k++) {
      dp[d] = ls[k];
      dk[d++] = uSq[k];
      dp[d] = rs[k];
      dk[d++] = uInvSq[k];
    }
    VerificationEquation.Polynomial poly =
        new VerificationEquation.Polynomial(vs, xc, zPow, delta, tHat, tauX, t1, t2);
    return new VerificationEquation(gk, hk, gCoef, hCoef, dp, dk, a, poly);
  }

  private static ECPoint validCommitment(ECPoint c, int j) {
    if (c == null) {
      throw new MalformedInputException("MALFORMED_POINT", "commitment " + j + " is missing");
    }
    if (c.isInfinity()) {
      throw new MalformedInputException("MALFORMED_POINT", "commitment " + j + " is the point at infinity");
    }
    // Decoding the compressed form checks x and yields a normalised point of this curve; the
    // full coordinates are then compared, so an off-curve (x, y) cannot pass as (x, ±√(x³ + 7)).
    ECPoint n = c.normalize();
    ECPoint d = Secp256k1.decodePoint(n.getEncoded(true));
    if (!d.getAffineXCoord().toBigInteger().equals(n.getAffineXCoord().toBigInteger())
        || !d.getAffineYCoord().toBigInteger().equals(n.getAffineYCoord().toBigInteger())) {
      throw new MalformedInputException("MALFORMED_POINT", "commitment " + j + " is not on secp256k1");
    }
    return d;
  }

  // -------------------------------------------------------------------------------- encoding

  /**
   * The canonical encoding: version (1 byte), n (1 byte), m (1 byte), then A, S, T1, T2 (33-byte
   * compressed points), τ_x, μ, t̂ (32-byte big-endian scalars), L_1, R_1, …, L_K, R_K (K =
   * log2(n·m)), a, b.
   */
  public byte[] toBytes() {
    return encoding.clone();
  }

  private byte[] encode() {
    byte[] out = new byte[encodedLength(bits, m)];
    out[0] = (byte) VERSION;
    out[1] = (byte) bits;
    out[2] = (byte) m;
    int off = HEADER;
    for (ECPoint p : new ECPoint[] {a, s, t1, t2}) {
      off = put(out, off, Secp256k1.encodePoint(p));
    }
    for (BigInteger k : new BigInteger[] {tauX, mu, tHat}) {
      off = put(out, off, Secp256k1.encodeScalar(k));
    }
    for (int k = 0; k < ls.length; k++) {
      off = put(out, off, Secp256k1.encodePoint(ls[k]));
      off = put(out, off, Secp256k1.encodePoint(rs[k]));
    }
    off = put(out, off, Secp256k1.encodeScalar(aFinal));
    off = put(out, off, Secp256k1.encodeScalar(bFinal));
    if (off != out.length) {
      throw new AssertionError("encoding length");
    }
    return out;
  }

  private static int put(byte[] out, int off, byte[] src) {
    System.arraycopy(src, 0, out, off, src.length);
    return off + src.length;
  }

  /**
   * Decodes a proof for the given parameters. Strict: exact length, known version, header
   * matching {@code bits} and {@code m}, every point a valid finite compressed secp256k1 point in
   * canonical form, every scalar below q.
   *
   * @throws MalformedInputException with code {@value #MALFORMED}, {@value #PARAMS},
   *     MALFORMED_POINT or MALFORMED_SCALAR
   */
  public static RangeProof fromBytes(byte[] enc, int bits, int m) {
    checkParams(bits, m, false);
    if (enc == null) {
      throw new MalformedInputException(MALFORMED, "no encoding");
    }
    int expected = encodedLength(bits, m);
    if (enc.length != expected) {
      throw new MalformedInputException(
          MALFORMED, "expected " + expected + " bytes for n=" + bits + ", m=" + m + ", got " + enc.length);
    }
    if ((enc[0] & 0xFF) != VERSION) {
      throw new MalformedInputException(MALFORMED, "unknown version " + (enc[0] & 0xFF));
    }
    if ((enc[1] & 0xFF) != bits || (enc[2] & 0xFF) != m) {
      throw new MalformedInputException(
          PARAMS, "encoding is for n=" + (enc[1] & 0xFF) + ", m=" + (enc[2] & 0xFF));
    }
    int rounds = Integer.numberOfTrailingZeros(bits * m);
    int[] off = {HEADER};
    ECPoint pa = point(enc, off);
    ECPoint ps = point(enc, off);
    ECPoint pt1 = point(enc, off);
    ECPoint pt2 = point(enc, off);
    BigInteger tauX = scalar(enc, off);
    BigInteger mu = scalar(enc, off);
    BigInteger tHat = scalar(enc, off);
    ECPoint[] ls = new ECPoint[rounds];
    ECPoint[] rs = new ECPoint[rounds];
    for (int k = 0; k < rounds; k++) {
      ls[k] = point(enc, off);
      rs[k] = point(enc, off);
    }
    BigInteger af = scalar(enc, off);
    BigInteger bf = scalar(enc, off);
    RangeProof proof = new RangeProof(bits, m, pa, ps, pt1, pt2, tauX, mu, tHat, ls, rs, af, bf);
    if (!Arrays.equals(proof.encoding, enc)) {
      throw new MalformedInputException(MALFORMED, "non-canonical encoding");
    }
    return proof;
  }

  private static ECPoint point(byte[] enc, int[] off) {
    ECPoint p = Secp256k1.decodePoint(Arrays.copyOfRange(enc, off[0], off[0] + PB));
    off[0] += PB;
    return p;
  }

  private static BigInteger scalar(byte[] enc, int[] off) {
    BigInteger k = Secp256k1.decodeScalar(Arrays.copyOfRange(enc, off[0], off[0] + SB));
    off[0] += SB;
    return k;
  }

  // For tests: substituting parts of a proof.
  RangeProof withLR(ECPoint[] newLs, ECPoint[] newRs) {
    return new RangeProof(bits, m, a, s, t1, t2, tauX, mu, tHat, newLs.clone(), newRs.clone(), aFinal, bFinal);
  }

  ECPoint[] ls() {
    return ls.clone();
  }

  /** For tests: A, S, T1, T2. */
  ECPoint[] commitmentsOfProof() {
    return new ECPoint[] {a, s, t1, t2};
  }

  /** For tests: τ_x, μ, t̂, a, b. */
  BigInteger[] scalarsOfProof() {
    return new BigInteger[] {tauX, mu, tHat, aFinal, bFinal};
  }

  ECPoint[] rs() {
    return rs.clone();
  }
}
