package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;

/**
 * The transfer bundle of paper §3.2 and its verification (§3.3 2a–2d), as specified in
 * docs/protocol.md §4.3.
 *
 * <p>The payer sends the amount T encrypted under its own key (C_A), the payee's key (C_B) and
 * the regulator's key (C_R); the new balance is not sent but derived, C_new = C_old · C_A⁻¹, so
 * "new = old − T" holds by construction. Pedersen commitments V_T to T − 1 and V_N to the new
 * balance A' carry an aggregated 64-bit Bulletproof (T ≥ 1, A' ≥ 0). One Σ-protocol links them:
 * its integer response z_T = α_T + e·T is shared by the equations for C_A, C_B, C_R and V_T + G,
 * and z_N = α_N + e·A' by those for C_new and V_N. Because z_T must also satisfy the curve
 * equation and stays below 2^232 &lt; q/2, T is pinned as an integer in [1, 2^64], which defeats the
 * 2⁻¹ attack on integer responses across moduli.
 */
public final class TransferProof {
  static final String DOMAIN = TransferStatement.DOMAIN;
  static final byte TYPE = 0x30;
  static final byte VERSION = 1;
  /** Range of T − 1 and A'. */
  public static final int RANGE_BITS = 64;
  static final int CHALLENGE_BITS = 128;
  /** Rejection-sampling window of z_T, z_N: accepted iff 2^192 ≤ z &lt; 2^232. */
  static final int Z_LOW_BITS = RANGE_BITS + CHALLENGE_BITS;
  static final int Z_BITS = Z_LOW_BITS + 40;
  static final int STAT_SLACK_BITS = 80;
  static final int BATCH_BITS = 128;
  /** Rounds before an honest prover gives up (each aborts with probability below 2^-38). */
  static final int MAX_REJECTION_ROUNDS = 64;

  final PaillierCiphertext cA;
  final PaillierCiphertext cB;
  final PaillierCiphertext cR;
  final ECPoint vT;
  final ECPoint vN;
  final RangeProof range;
  final BigInteger a1;
  final BigInteger a2;
  final BigInteger aB;
  final BigInteger aR;
  final ECPoint ecT;
  final ECPoint ecN;
  final BigInteger zT;
  final BigInteger zN;
  final BigInteger w1;
  final BigInteger w2;
  final BigInteger zBetaB;
  final BigInteger zBetaR;
  final BigInteger zKappaT;
  final BigInteger zKappaN;

  TransferProof(PaillierCiphertext cA, PaillierCiphertext cB, PaillierCiphertext cR, ECPoint vT, ECPoint vN,
      RangeProof range, BigInteger a1, BigInteger a2, BigInteger aB, BigInteger aR, ECPoint ecT, ECPoint ecN,
      BigInteger zT, BigInteger zN, BigInteger w1, BigInteger w2, BigInteger zBetaB, BigInteger zBetaR,
      BigInteger zKappaT, BigInteger zKappaN) {
    this.cA = cA;
    this.cB = cB;
    this.cR = cR;
    this.vT = vT;
    this.vN = vN;
    this.range = range;
    this.a1 = a1;
    this.a2 = a2;
    this.aB = aB;
    this.aR = aR;
    this.ecT = ecT;
    this.ecN = ecN;
    this.zT = zT;
    this.zN = zN;
    this.w1 = w1;
    this.w2 = w2;
    this.zBetaB = zBetaB;
    this.zBetaR = zBetaR;
    this.zKappaT = zKappaT;
    this.zKappaN = zKappaN;
  }

  /** The amount under the payer's key (the payer's record of the payment). */
  public PaillierCiphertext amountForPayer() {
    return cA;
  }

  /** The amount under the payee's key: the credit the chaincode stores for the payee. */
  public PaillierCiphertext amountForPayee() {
    return cB;
  }

  /** The amount under the regulator's key. */
  public PaillierCiphertext amountForRegulator() {
    return cR;
  }

  /** The payer's new balance, C_old · C_A⁻¹ (what {@link #verify} returns). */
  public static PaillierCiphertext newBalance(TransferStatement st, PaillierCiphertext amountForPayer) {
    return st.payerKey().subtract(st.oldBalance(), amountForPayer);
  }

  static int betaBits(PaillierPublicKey key) {
    return key.rhoBits() + CHALLENGE_BITS + STAT_SLACK_BITS;
  }

  // ---------------------------------------------------------------------------------- proving

  /**
   * Builds the bundle for paying {@code amount} (1 ≤ amount ≤ balance) from the statement's old
   * balance. {@code payer} must be the secret key of the statement's payer key.
   */
  public static TransferProof prove(TransferStatement st, PaillierSecretKey payer, long amount, SecureRandom rnd) {
    PaillierPublicKey pkA = st.payerKey();
    if (!payer.publicKey().equals(pkA)) {
      throw new IllegalArgumentException("secret key does not belong to the payer");
    }
    if (pkA.equals(st.payeeKey()) || pkA.equals(st.regulatorKey()) || st.payeeKey().equals(st.regulatorKey())) {
      throw new IllegalArgumentException("payer, payee and regulator keys must differ");
    }
    if (amount < 1) {
      throw new IllegalArgumentException("amount must be at least 1");
    }
    long balance = payer.decryptAmount(st.oldBalance());
    if (amount > balance) {
      throw new IllegalArgumentException("insufficient balance");
    }
    BigInteger t = BigInteger.valueOf(amount);
    return prove(st, payer, t, t, t, t, BigInteger.valueOf(balance - amount), rnd, RangeProof::prove, true);
  }

  /** How the bundle obtains its range proof; tests substitute a prover that skips the range check. */
  @FunctionalInterface
  interface RangeProver {
    RangeProof prove(Transcript t, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd);
  }

  /**
   * The prover without the honest checks: tests use it to play a malicious payer. It gives up
   * rejection sampling after a few rounds when the values make the window unreachable.
   */
  static TransferProof proveUnchecked(TransferStatement st, PaillierSecretKey payer, BigInteger amount,
      BigInteger newBalance, SecureRandom rnd, RangeProver rangeProver) {
    return prove(st, payer, amount, amount, amount, amount, newBalance, rnd, rangeProver, false);
  }

  /**
   * Fully malicious variant: {@code committed} is the amount in V_T + G and the Σ responses, while
   * the three ciphertexts may hold other plaintexts (reduced modulo their own n).
   */
  static TransferProof proveUnchecked(TransferStatement st, PaillierSecretKey payer, BigInteger committed,
      BigInteger amountA, BigInteger amountB, BigInteger amountR, BigInteger newBalance, SecureRandom rnd,
      RangeProver rangeProver) {
    return prove(st, payer, committed, amountA, amountB, amountR, newBalance, rnd, rangeProver, false);
  }

  /**
   * The prover proper. An honest prover ({@code honest}) fails rather than emit responses outside
   * the rejection-sampling window (probability about 2^-2400); a malicious one gives up sampling
   * after {@link #MAX_REJECTION_ROUNDS} rounds and sends what it has.
   */
  private static TransferProof prove(TransferStatement st, PaillierSecretKey payer, BigInteger committed,
      BigInteger amountA, BigInteger amountB, BigInteger amountR, BigInteger newBalance, SecureRandom rnd,
      RangeProver rangeProver, boolean honest) {
    BigInteger amount = committed;
    PaillierPublicKey pkA = st.payerKey();
    PaillierPublicKey pkB = st.payeeKey();
    PaillierPublicKey pkR = st.regulatorKey();
    BigInteger nA = pkA.n();
    BigInteger q = Secp256k1.ORDER;

    BigInteger rhoA = pkA.randomRho(rnd);
    BigInteger rhoB = pkB.randomRho(rnd);
    BigInteger rhoR = pkR.randomRho(rnd);
    PaillierCiphertext cA = payer.encryptWith(amountA.mod(nA), rhoA);
    PaillierCiphertext cB = pkB.encryptWith(amountB.mod(pkB.n()), rhoB);
    PaillierCiphertext cR = pkR.encryptWith(amountR.mod(pkR.n()), rhoR);
    // u_new depends only on C_new mod n, so the inverse is taken modulo n rather than n².
    BigInteger cNewModN = st.oldBalance().value().multiply(cA.value().modInverse(nA)).mod(nA);
    BigInteger uNew = payer.randomnessOfResidue(cNewModN);

    BigInteger gammaT = randomScalar(rnd);
    BigInteger gammaN = randomScalar(rnd);
    BigInteger tMinus1 = amount.subtract(BigInteger.ONE);
    ECPoint vT = Secp256k1.commit(tMinus1, gammaT);
    ECPoint vN = Secp256k1.commit(newBalance, gammaN);

    Transcript t0 = statementTranscript(st, cA, cB, cR, vT, vN);
    RangeProof range = rangeProver.prove(rangeTranscript(t0), new BigInteger[] {tMinus1, newBalance},
        new BigInteger[] {gammaT, gammaN}, RANGE_BITS, rnd);

    BigInteger zLow = BigInteger.ONE.shiftLeft(Z_LOW_BITS);
    BigInteger zHigh = BigInteger.ONE.shiftLeft(Z_BITS);
    for (int round = 0; ; round++) {
      BigInteger alphaT = new BigInteger(Z_BITS, rnd);
      BigInteger alphaN = new BigInteger(Z_BITS, rnd);
      BigInteger beta1 = new BigInteger(betaBits(pkA), rnd);
      BigInteger r2 = org.medledger.crypto.internal.NumberTheory.randomUnit(rnd, nA);
      BigInteger betaB = new BigInteger(betaBits(pkB), rnd);
      BigInteger betaR = new BigInteger(betaBits(pkR), rnd);
      BigInteger kappaT = randomScalar(rnd);
      BigInteger kappaN = randomScalar(rnd);

      BigInteger a1 = pkA.gPow(alphaT).multiply(payer.hsPow(beta1)).mod(pkA.nSquared());
      BigInteger a2 = pkA.gPow(alphaN).multiply(payer.nthPower(r2)).mod(pkA.nSquared());
      BigInteger aB = pkB.gPow(alphaT).multiply(pkB.hsPow(betaB)).mod(pkB.nSquared());
      BigInteger aR = pkR.gPow(alphaT).multiply(pkR.hsPow(betaR)).mod(pkR.nSquared());
      ECPoint ecT = Secp256k1.commit(alphaT, kappaT);
      ECPoint ecN = Secp256k1.commit(alphaN, kappaN);

      BigInteger e = linkChallenge(t0, range, a1, a2, aB, aR, ecT, ecN);
      BigInteger zT = alphaT.add(e.multiply(amount));
      // A malicious caller may pass values whose responses are negative; the verifier rejects them.
      BigInteger zN = alphaN.add(e.multiply(newBalance));
      boolean outside = zT.compareTo(zLow) < 0 || zT.compareTo(zHigh) >= 0 || zN.compareTo(zLow) < 0
          || zN.compareTo(zHigh) >= 0;
      if (outside && honest && round >= MAX_REJECTION_ROUNDS) {
        throw new IllegalStateException("rejection sampling did not converge");
      }
      if (outside && round < MAX_REJECTION_ROUNDS) {
        continue; // rejection sampling keeps z_T, z_N uniform on [2^192, 2^232), independent of T, A'
      }
      BigInteger w1 = payer.hPow(beta1.add(e.multiply(rhoA)));
      BigInteger w2 = r2.multiply(uNew.modPow(e, nA)).mod(nA);
      BigInteger zBetaB = betaB.add(e.multiply(rhoB));
      BigInteger zBetaR = betaR.add(e.multiply(rhoR));
      BigInteger zKappaT = kappaT.add(e.multiply(gammaT)).mod(q);
      BigInteger zKappaN = kappaN.add(e.multiply(gammaN)).mod(q);
      return new TransferProof(cA, cB, cR, vT, vN, range, a1, a2, aB, aR, ecT, ecN, zT, zN, w1, w2,
          zBetaB, zBetaR, zKappaT, zKappaN);
    }
  }

  private static BigInteger randomScalar(SecureRandom rnd) {
    while (true) {
      BigInteger s = new BigInteger(256, rnd);
      if (s.signum() > 0 && s.compareTo(Secp256k1.ORDER) < 0) {
        return s;
      }
    }
  }

  // ------------------------------------------------------------------------------ transcripts

  static Transcript statementTranscript(TransferStatement st, PaillierCiphertext cA, PaillierCiphertext cB,
      PaillierCiphertext cR, ECPoint vT, ECPoint vN) {
    Transcript t = st.transcript();
    t.appendBytes("amount-payer", cA.toBytes());
    t.appendBytes("amount-payee", cB.toBytes());
    t.appendBytes("amount-regulator", cR.toBytes());
    t.appendBytes("commit-amount-minus-one", Secp256k1.encodePoint(vT));
    t.appendBytes("commit-new-balance", Secp256k1.encodePoint(vN));
    return t;
  }

  static Transcript rangeTranscript(Transcript statement) {
    return statement.fork().appendString("sub-proof", "range");
  }

  static BigInteger linkChallenge(Transcript statement, RangeProof range, BigInteger a1, BigInteger a2,
      BigInteger aB, BigInteger aR, ECPoint ecT, ECPoint ecN) {
    Transcript t = statement.fork().appendString("sub-proof", "link");
    t.appendBytes("range-proof", range.toBytes());
    t.appendInteger("a1", a1);
    t.appendInteger("a2", a2);
    t.appendInteger("aB", aB);
    t.appendInteger("aR", aR);
    t.appendBytes("ecT", Secp256k1.encodePoint(ecT));
    t.appendBytes("ecN", Secp256k1.encodePoint(ecN));
    return t.challengeBits("e", CHALLENGE_BITS);
  }

  /** The small-exponent batching weight for the payer-key equations, bound to the whole bundle. */
  static BigInteger batchWeight(Transcript statement, TransferProof p) {
    Transcript t = statement.fork().appendString("sub-proof", "batch");
    t.appendBytes("bundle", p.toBytes());
    return t.challengeBits("delta", BATCH_BITS);
  }

  // ---------------------------------------------------------------------------- verification

  /**
   * Verifies 2a–2d and the regulator copy; returns the payer's new balance ciphertext. Throws
   * {@link ProofException} with code TRANSFER_PROOF_INVALID naming the failed check.
   */
  public PaillierCiphertext verify(TransferStatement st) {
    PaillierPublicKey pkA = st.payerKey();
    PaillierPublicKey pkB = st.payeeKey();
    PaillierPublicKey pkR = st.regulatorKey();
    if (pkA.equals(pkB) || pkA.equals(pkR) || pkB.equals(pkR)) {
      throw fail("payer, payee and regulator keys are not pairwise distinct");
    }
    checkBounds(pkA, pkB, pkR);

    // Cheap checks first: the curve equations fail for any change to the statement or the bundle.
    Transcript t0 = statementTranscript(st, cA, cB, cR, vT, vN);
    BigInteger e = linkChallenge(t0, range, a1, a2, aB, aR, ecT, ecN);

    // Curve equations: z_T·G + zκ_T·H = ecT + e·(V_T + G) and z_N·G + zκ_N·H = ecN + e·V_N.
    BigInteger q = Secp256k1.ORDER;
    BigInteger negE = e.negate().mod(q);
    ECPoint chkT = ECAlgorithms.sumOfMultiplies(new ECPoint[] {Secp256k1.G, Secp256k1.H, vT},
        new BigInteger[] {zT.subtract(e).mod(q), zKappaT, negE}).subtract(ecT);
    if (!chkT.isInfinity()) {
      throw fail("amount commitment link does not hold");
    }
    ECPoint chkN = ECAlgorithms.sumOfMultiplies(new ECPoint[] {Secp256k1.G, Secp256k1.H, vN},
        new BigInteger[] {zN.mod(q), zKappaN, negE}).subtract(ecN);
    if (!chkN.isInfinity()) {
      throw fail("new-balance commitment link does not hold");
    }

    try {
      range.verify(rangeTranscript(t0), new ECPoint[] {vT, vN}, RANGE_BITS);
    } catch (ProofException ex) {
      throw fail("range proof: " + ex.getMessage());
    }

    // Payer key: C_A holds z_T's integer, C_new holds z_N's, batched into one n-th power.
    PaillierCiphertext cNew = newBalance(st, cA);
    BigInteger nA = pkA.n();
    BigInteger nA2 = pkA.nSquared();
    BigInteger delta = batchWeight(t0, this);
    BigInteger w = w1.multiply(w2.modPow(delta, nA)).mod(nA);
    BigInteger lhsA = pkA.gPow(zT.add(delta.multiply(zN))).multiply(w.modPow(nA, nA2)).mod(nA2);
    BigInteger second = a2.multiply(cNew.value().modPow(e, nA2)).mod(nA2).modPow(delta, nA2);
    BigInteger rhsA = a1.multiply(cA.value().modPow(e, nA2)).mod(nA2).multiply(second).mod(nA2);
    if (!lhsA.equals(rhsA)) {
      throw fail("payer-key equations (amount or new balance) do not hold");
    }
    checkDjn(pkB, aB, cB, zBetaB, e, "payee");
    checkDjn(pkR, aR, cR, zBetaR, e, "regulator");
    return cNew;
  }

  private void checkDjn(PaillierPublicKey key, BigInteger a, PaillierCiphertext c, BigInteger zBeta, BigInteger e,
      String who) {
    BigInteger n2 = key.nSquared();
    BigInteger lhs = key.gPow(zT).multiply(key.hsPow(zBeta)).mod(n2);
    BigInteger rhs = a.multiply(c.value().modPow(e, n2)).mod(n2);
    if (!lhs.equals(rhs)) {
      throw fail(who + " copy of the amount does not hold the same amount");
    }
  }

  void checkBounds(PaillierPublicKey pkA, PaillierPublicKey pkB, PaillierPublicKey pkR) {
    // One gcd per key on the product of that key's group elements replaces nine gcds. If it holds,
    // every element is coprime to its n and the checks below can only fail on a range; if not, the
    // full per-element checks run and name the first culprit, as before (docs/protocol.md §4.3).
    boolean coprime = pkA.allUnitsModN(w1, w2, a1, a2, cA.value()) && pkB.allUnitsModN(aB, cB.value())
        && pkR.allUnitsModN(aR, cR.value());
    if (zT.signum() < 0 || zT.bitLength() > Z_BITS || zN.signum() < 0 || zN.bitLength() > Z_BITS) {
      throw fail("integer response outside [0, 2^" + Z_BITS + ")");
    }
    unitN(pkA, w1, "w1", coprime);
    unitN(pkA, w2, "w2", coprime);
    unitN2(pkA, a1, "a1", coprime);
    unitN2(pkA, a2, "a2", coprime);
    unitN2(pkB, aB, "aB", coprime);
    unitN2(pkR, aR, "aR", coprime);
    if (zBetaB.signum() < 0 || zBetaB.bitLength() > betaBits(pkB) + 1
        || zBetaR.signum() < 0 || zBetaR.bitLength() > betaBits(pkR) + 1) {
      throw fail("randomness response out of range");
    }
    if (zKappaT.compareTo(Secp256k1.ORDER) >= 0 || zKappaN.compareTo(Secp256k1.ORDER) >= 0) {
      throw fail("blinding response not reduced");
    }
    if (cA.keyBits() != pkA.bits() || cB.keyBits() != pkB.bits() || cR.keyBits() != pkR.bits()) {
      throw fail("ciphertext under a key of the wrong size");
    }
    unitN2(pkA, cA.value(), "C_A", coprime);
    unitN2(pkB, cB.value(), "C_B", coprime);
    unitN2(pkR, cR.value(), "C_R", coprime);
  }

  /** x ∈ Z*_n; {@code coprime} says gcd(x, n) = 1 is already known, leaving the range. */
  private static void unitN(PaillierPublicKey key, BigInteger x, String name, boolean coprime) {
    boolean ok = coprime ? x.signum() > 0 && x.compareTo(key.n()) < 0 : key.inUnitGroupOfN(x);
    if (!ok) {
      throw new ProofException("TRANSFER_PROOF_INVALID", name + " is not a unit of its group");
    }
  }

  /** x ∈ Z*_{n²}; {@code coprime} says gcd(x, n) = 1 is already known, leaving the range. */
  private static void unitN2(PaillierPublicKey key, BigInteger x, String name, boolean coprime) {
    boolean ok = coprime ? x.signum() > 0 && x.compareTo(key.nSquared()) < 0 : key.inUnitGroupOfNSquared(x);
    if (!ok) {
      throw new ProofException("TRANSFER_PROOF_INVALID", name + " is not a unit of its group");
    }
  }

  private static ProofException fail(String why) {
    return new ProofException("TRANSFER_PROOF_INVALID", why);
  }

  // -------------------------------------------------------------------------------- encoding

  /**
   * Canonical encoding: type, version, then the three ciphertexts, V_T, V_N, the range proof (u32
   * length), a1, a2 (2·|n_A|), aB (2·|n_B|), aR (2·|n_R|), ecT, ecN, z_T, z_N (29 bytes each),
   * w1, w2 (|n_A|), zβ_B, zβ_R (u16 length + magnitude), zκ_T, zκ_N (32 bytes each).
   */
  public byte[] toBytes() {
    Writer w = new Writer();
    w.raw(new byte[] {TYPE, VERSION});
    w.raw(cA.toBytes());
    w.raw(cB.toBytes());
    w.raw(cR.toBytes());
    w.raw(Secp256k1.encodePoint(vT));
    w.raw(Secp256k1.encodePoint(vN));
    w.var32(range.toBytes());
    int bA = cA.keyBits() / 8;
    w.raw(Bytes.fixed(a1, 2 * bA));
    w.raw(Bytes.fixed(a2, 2 * bA));
    w.raw(Bytes.fixed(aB, 2 * cB.keyBits() / 8));
    w.raw(Bytes.fixed(aR, 2 * cR.keyBits() / 8));
    w.raw(Secp256k1.encodePoint(ecT));
    w.raw(Secp256k1.encodePoint(ecN));
    w.raw(Bytes.fixed(zT, Z_BYTES));
    w.raw(Bytes.fixed(zN, Z_BYTES));
    w.raw(Bytes.fixed(w1, bA));
    w.raw(Bytes.fixed(w2, bA));
    w.var16(Bytes.unsigned(zBetaB));
    w.var16(Bytes.unsigned(zBetaR));
    w.raw(Secp256k1.encodeScalar(zKappaT));
    w.raw(Secp256k1.encodeScalar(zKappaN));
    return w.bytes();
  }

  static final int Z_BYTES = (Z_BITS + 7) / 8;
  /** Upper bound on an encoded range proof. */
  static final int MAX_RANGE_PROOF_BYTES = 4096;

  /**
   * Strict decoder against the statement's keys: lengths, ciphertexts in Z*_{n²}, points on the
   * curve, scalars below q. The remaining group elements (a₁, a₂, a_B, a_R, w₁, w₂) and the
   * response bounds are checked by {@link #verify} before any exponentiation. A zero integer in a
   * variable-length field is invalid (it never occurs for an honest prover) and is refused.
   */
  public static TransferProof fromBytes(byte[] enc, PaillierPublicKey pkA, PaillierPublicKey pkB, PaillierPublicKey pkR) {
    try {
      ByteBuffer b = ByteBuffer.wrap(enc);
      if (b.get() != TYPE || b.get() != VERSION) {
        throw new MalformedInputException("MALFORMED_PROOF", "not a version-1 transfer bundle");
      }
      PaillierCiphertext cA = PaillierCiphertext.fromBytes(take(b, 4 + pkA.bits() / 4), pkA);
      PaillierCiphertext cB = PaillierCiphertext.fromBytes(take(b, 4 + pkB.bits() / 4), pkB);
      PaillierCiphertext cR = PaillierCiphertext.fromBytes(take(b, 4 + pkR.bits() / 4), pkR);
      ECPoint vT = Secp256k1.decodePoint(take(b, Secp256k1.POINT_BYTES));
      ECPoint vN = Secp256k1.decodePoint(take(b, Secp256k1.POINT_BYTES));
      int rl = b.getInt();
      if (rl <= 0 || rl > MAX_RANGE_PROOF_BYTES) {
        throw new MalformedInputException("MALFORMED_PROOF", "range proof length out of bounds");
      }
      RangeProof range = RangeProof.fromBytes(take(b, rl), RANGE_BITS, 2);
      BigInteger a1 = new BigInteger(1, take(b, pkA.bits() / 4));
      BigInteger a2 = new BigInteger(1, take(b, pkA.bits() / 4));
      BigInteger aB = new BigInteger(1, take(b, pkB.bits() / 4));
      BigInteger aR = new BigInteger(1, take(b, pkR.bits() / 4));
      ECPoint ecT = Secp256k1.decodePoint(take(b, Secp256k1.POINT_BYTES));
      ECPoint ecN = Secp256k1.decodePoint(take(b, Secp256k1.POINT_BYTES));
      BigInteger zT = new BigInteger(1, take(b, Z_BYTES));
      BigInteger zN = new BigInteger(1, take(b, Z_BYTES));
      BigInteger w1 = new BigInteger(1, take(b, pkA.bits() / 8));
      BigInteger w2 = new BigInteger(1, take(b, pkA.bits() / 8));
      BigInteger zBetaB = var16(b);
      BigInteger zBetaR = var16(b);
      BigInteger zKappaT = Secp256k1.decodeScalar(take(b, Secp256k1.SCALAR_BYTES));
      BigInteger zKappaN = Secp256k1.decodeScalar(take(b, Secp256k1.SCALAR_BYTES));
      if (b.hasRemaining()) {
        throw new MalformedInputException("MALFORMED_PROOF", "trailing bytes after the transfer bundle");
      }
      return new TransferProof(cA, cB, cR, vT, vN, range, a1, a2, aB, aR, ecT, ecN, zT, zN, w1, w2,
          zBetaB, zBetaR, zKappaT, zKappaN);
    } catch (java.nio.BufferUnderflowException ex) {
      throw new MalformedInputException("MALFORMED_PROOF", "transfer bundle is truncated", ex);
    }
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static BigInteger var16(ByteBuffer b) {
    int len = b.getShort() & 0xFFFF;
    byte[] v = take(b, len);
    if (len == 0 || v[0] == 0) {
      throw new MalformedInputException("MALFORMED_PROOF", "non-canonical integer encoding");
    }
    return new BigInteger(1, v);
  }

  private static final class Writer {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    void raw(byte[] b) {
      out.writeBytes(b);
    }

    void var16(byte[] b) {
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
    }

    void var32(byte[] b) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
