package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.internal.Montgomery;
import org.medledger.crypto.internal.MultiExp;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Verification of N transfer bundles together (docs/protocol.md §4.5): every check of
 * {@link TransferProof#verify} for every member, with the equations of all members combined by
 * random linear combinations so that each key costs one large exponentiation:
 * <ul>
 *   <li>the 2N curve equations in one multi-exponentiation;</li>
 *   <li>the N range proofs in one Bulletproof batch ({@link RangeProof#verifyBatch});</li>
 *   <li>per payer key, the 2k payer-key equations of its k members with one n-th power (one payer's
 *       chain of transfers shares it; different payers pay one each, as today);</li>
 *   <li>per payee key and for the regulator key, the DJN equations of all members with one
 *       fixed-base power of h_s.</li>
 * </ul>
 * The weights are drawn from a {@link SecureRandom} ({@link #verify(List, SecureRandom)}) or, for a
 * deterministic verifier such as the chaincode, squeezed from a transcript of the whole batch and a
 * caller's context ({@link #verify(List, byte[])}). When a combined check fails, every member is
 * verified on its own in order, and the first that fails is reported with its index
 * ({@link BatchMemberException}). Members are independent statements: for one payer's chain the
 * caller builds member i+1's old balance from member i's new balance
 * ({@link TransferProof#newBalance}), which needs no verification to compute.
 */
public final class TransferBatch {
  static final String DOMAIN = "medledger/transfer-batch/v1";
  /** Most members one call verifies (callers bound their batches further). */
  public static final int MAX_MEMBERS = 64;
  /** Bits of each Paillier-side and curve-side weight. */
  static final int WEIGHT_BITS = 128;
  /**
   * Members of one key from which that key's products are simultaneous multi-exponentiations
   * ({@link MultiExp}: squarings shared, 60-bit-limb Montgomery products) rather than one
   * {@code modPow} per power: each such product costs about twice a step of the JDK's intrinsic
   * {@code modPow}, so sharing the squarings pays only from a few members on (docs/performance.md,
   * "Montgomery products in Java").
   */
  static final int MULTI_EXP_MIN_MEMBERS = 3;

  private TransferBatch() {}

  /** One member of a batch: a statement and the bundle that claims it. */
  public record Member(TransferStatement statement, TransferProof proof) {
    public Member {
      Objects.requireNonNull(statement, "statement");
      Objects.requireNonNull(proof, "proof");
    }
  }

  /** Verifies with weights from {@code rnd}; returns each member's new payer balance, in order. */
  public static List<PaillierCiphertext> verify(List<Member> members, SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    checkSize(members);
    return run(members, new Weights() {
      @Override
      public BigInteger small() {
        return new BigInteger(WEIGHT_BITS, rnd);
      }

      @Override
      public void range(List<RangeProof.BatchEntry> entries) {
        RangeProof.verifyBatch(entries, rnd);
      }
    });
  }

  /**
   * Verifies deterministically: every weight is squeezed from a transcript that has absorbed
   * {@code context} and every member's statement (context, keys, old balance) and encoded bundle,
   * so the weights are fixed only after every equation is (docs/protocol.md §4.5).
   */
  public static List<PaillierCiphertext> verify(List<Member> members, byte[] context) {
    Objects.requireNonNull(context, "context");
    checkSize(members);
    Transcript seed = seed(members, context);
    Transcript small = seed.fork().appendString("weights", "paillier-and-curve");
    Transcript range = seed.fork().appendString("weights", "range");
    int[] next = {0};
    return run(members, new Weights() {
      @Override
      public BigInteger small() {
        return small.challengeBits("w[" + next[0]++ + "]", WEIGHT_BITS);
      }

      @Override
      public void range(List<RangeProof.BatchEntry> entries) {
        RangeProof.verifyBatch(entries, range);
      }
    });
  }

  /** The transcript every deterministic weight comes from: the context, then every member. */
  static Transcript seed(List<Member> members, byte[] context) {
    Transcript t = new Transcript(DOMAIN);
    t.appendBytes("batch-context", context);
    t.appendLong("members", members.size());
    for (Member m : members) {
      TransferStatement st = m.statement();
      t.appendBytes("context", st.context().toBytes());
      t.appendBytes("payer-key", st.payerKey().toBytes());
      t.appendBytes("payee-key", st.payeeKey().toBytes());
      t.appendBytes("regulator-key", st.regulatorKey().toBytes());
      t.appendBytes("old-balance", st.oldBalance().toBytes());
      t.appendBytes("bundle", m.proof().toBytes());
    }
    return t;
  }

  private interface Weights {
    /** A weight uniform in [0, 2^128). */
    BigInteger small();

    void range(List<RangeProof.BatchEntry> entries);
  }

  /**
   * Size, then every member's keys, groups and bounds exactly as {@link TransferProof#verify} checks
   * them, before anything is hashed or exponentiated; the first bad member is named.
   */
  private static void checkSize(List<Member> members) {
    if (members == null || members.isEmpty()) {
      throw new MalformedInputException("MALFORMED_PROOF", "the batch is empty");
    }
    if (members.size() > MAX_MEMBERS) {
      throw new MalformedInputException("MALFORMED_PROOF", "a batch holds at most " + MAX_MEMBERS + " members");
    }
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i) == null) {
        throw new MalformedInputException("MALFORMED_PROOF", "batch member " + i + " is missing");
      }
    }
    for (int i = 0; i < members.size(); i++) {
      TransferStatement st = members.get(i).statement();
      TransferProof p = members.get(i).proof();
      try {
        PaillierPublicKey pkA = st.payerKey();
        PaillierPublicKey pkB = st.payeeKey();
        PaillierPublicKey pkR = st.regulatorKey();
        if (pkA.equals(pkB) || pkA.equals(pkR) || pkB.equals(pkR)) {
          throw new ProofException("TRANSFER_PROOF_INVALID", "payer, payee and regulator keys are not pairwise distinct");
        }
        p.checkBounds(pkA, pkB, pkR);
      } catch (CryptoException ex) {
        throw new BatchMemberException(i, ex);
      }
    }
  }

  private static List<PaillierCiphertext> run(List<Member> members, Weights w) {
    int count = members.size();
    BigInteger[] e = new BigInteger[count];
    Transcript[] t0 = new Transcript[count];
    List<PaillierCiphertext> newBalances = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TransferStatement st = members.get(i).statement();
      TransferProof p = members.get(i).proof();
      t0[i] = TransferProof.statementTranscript(st, p.cA, p.cB, p.cR, p.vT, p.vN);
      e[i] = TransferProof.linkChallenge(t0[i], p.range, p.a1, p.a2, p.aB, p.aR, p.ecT, p.ecN);
      newBalances.add(TransferProof.newBalance(st, p.cA));
    }
    boolean ok = curveEquations(members, e, w);
    if (ok) {
      List<RangeProof.BatchEntry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        TransferProof p = members.get(i).proof();
        entries.add(new RangeProof.BatchEntry(p.range, TransferProof.rangeTranscript(t0[i]),
            new ECPoint[] {p.vT, p.vN}, TransferProof.RANGE_BITS));
      }
      try {
        w.range(entries);
      } catch (CryptoException ex) {
        ok = false;
      }
    }
    ok = ok && payerEquations(members, e, newBalances, w);
    ok = ok && djnEquations(members, e, w, true) && djnEquations(members, e, w, false);
    if (ok) {
      return newBalances;
    }
    throw culprit(members);
  }

  /** The first member that fails alone, with its index. */
  private static CryptoException culprit(List<Member> members) {
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      try {
        m.proof().verify(m.statement());
      } catch (CryptoException ex) {
        return new BatchMemberException(i, ex);
      }
    }
    // Only if every member verifies alone while a combination of their equations failed: a member
    // whose equation holds exactly makes every combination hold, so this does not happen.
    return new ProofException("TRANSFER_PROOF_INVALID", "the combined equations failed but every member verifies alone");
  }

  /**
   * Σ_i c_i·[(z_T−e)G + zκ_T·H − e·V_T − E_T] + d_i·[z_N·G + zκ_N·H − e·V_N − E_N] = O, one
   * multi-exponentiation over G, H and the 4N points of the members.
   */
  private static boolean curveEquations(List<Member> members, BigInteger[] e, Weights w) {
    BigInteger q = Secp256k1.ORDER;
    int count = members.size();
    ECPoint[] points = new ECPoint[2 + 4 * count];
    BigInteger[] scalars = new BigInteger[points.length];
    BigInteger g = BigInteger.ZERO;
    BigInteger h = BigInteger.ZERO;
    for (int i = 0; i < count; i++) {
      TransferProof p = members.get(i).proof();
      BigInteger c = i == 0 ? BigInteger.ONE : w.small();
      BigInteger d = w.small();
      g = g.add(c.multiply(p.zT.subtract(e[i]))).add(d.multiply(p.zN));
      h = h.add(c.multiply(p.zKappaT)).add(d.multiply(p.zKappaN));
      int k = 2 + 4 * i;
      points[k] = p.vT;
      scalars[k] = c.multiply(e[i]).negate().mod(q);
      points[k + 1] = p.ecT;
      scalars[k + 1] = c.negate().mod(q);
      points[k + 2] = p.vN;
      scalars[k + 2] = d.multiply(e[i]).negate().mod(q);
      points[k + 3] = p.ecN;
      scalars[k + 3] = d.negate().mod(q);
    }
    points[0] = Secp256k1.G;
    scalars[0] = g.mod(q);
    points[1] = Secp256k1.H;
    scalars[1] = h.mod(q);
    return ECAlgorithms.sumOfMultiplies(points, scalars).isInfinity();
  }

  /**
   * Per payer key n with members i: (1+n)^{Σ μ_i z_T,i + ν_i z_N,i} · (Π w1_i^{μ_i} w2_i^{ν_i} mod n)^n
   * = Π (a1_i C_A,i^{e_i})^{μ_i} (a2_i C_new,i^{e_i})^{ν_i} mod n², with μ of the key's first member 1.
   * A key with {@link #MULTI_EXP_MIN_MEMBERS} or more members computes both products as
   * multi-exponentiations, (a1·C_A^e)^μ·(a2·C_new^e)^ν = a1^μ·C_A^(eμ)·a2^ν·C_new^(eν); a key with
   * fewer, with one {@code modPow} per power. The residues are the same either way.
   */
  private static boolean payerEquations(List<Member> members, BigInteger[] e, List<PaillierCiphertext> newBalances,
      Weights w) {
    for (Group g : byKey(members, true)) {
      PaillierPublicKey key = g.key();
      BigInteger n = key.n();
      BigInteger n2 = key.nSquared();
      boolean multi = g.members().size() >= MULTI_EXP_MIN_MEMBERS;
      BigInteger exp = BigInteger.ZERO;
      BigInteger base = BigInteger.ONE;
      BigInteger rhs = BigInteger.ONE;
      List<BigInteger> unitBases = new ArrayList<>();
      List<BigInteger> unitExps = new ArrayList<>();
      List<BigInteger> bases = new ArrayList<>();
      List<BigInteger> exps = new ArrayList<>();
      boolean first = true;
      for (int i : g.members()) {
        TransferProof p = members.get(i).proof();
        BigInteger mu = first ? BigInteger.ONE : w.small();
        BigInteger nu = w.small();
        first = false;
        exp = exp.add(mu.multiply(p.zT)).add(nu.multiply(p.zN));
        if (multi) {
          Collections.addAll(unitBases, p.w1, p.w2);
          Collections.addAll(unitExps, mu, nu);
          Collections.addAll(bases, p.a1, p.cA.value(), p.a2, newBalances.get(i).value());
          Collections.addAll(exps, mu, e[i].multiply(mu), nu, e[i].multiply(nu));
        } else {
          base = base.multiply(p.w1.modPow(mu, n)).mod(n).multiply(p.w2.modPow(nu, n)).mod(n);
          BigInteger x = p.a1.multiply(p.cA.value().modPow(e[i], n2)).mod(n2);
          BigInteger y = p.a2.multiply(newBalances.get(i).value().modPow(e[i], n2)).mod(n2);
          rhs = rhs.multiply(x.modPow(mu, n2)).mod(n2).multiply(y.modPow(nu, n2)).mod(n2);
        }
      }
      if (multi) {
        base = multiExp(n, unitBases, unitExps);
        rhs = multiExp(n2, bases, exps);
      }
      BigInteger lhs = key.gPow(exp).multiply(base.modPow(n, n2)).mod(n2);
      if (!lhs.equals(rhs)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Per payee key (or the regulator key) with members i: (1+n)^{Σ λ_i z_T,i} · h_s^{Σ λ_i zβ_i}
   * = Π (a_i C_i^{e_i})^{λ_i} mod n², with λ of the key's first member 1; from
   * {@link #MULTI_EXP_MIN_MEMBERS} members on, the right-hand side is one multi-exponentiation of
   * a_i^{λ_i}·C_i^{e_i λ_i}.
   */
  private static boolean djnEquations(List<Member> members, BigInteger[] e, Weights w, boolean payee) {
    for (Group g : byKey(members, false, payee)) {
      PaillierPublicKey key = g.key();
      BigInteger n2 = key.nSquared();
      boolean multi = g.members().size() >= MULTI_EXP_MIN_MEMBERS;
      BigInteger zt = BigInteger.ZERO;
      BigInteger zb = BigInteger.ZERO;
      BigInteger rhs = BigInteger.ONE;
      List<BigInteger> bases = new ArrayList<>();
      List<BigInteger> exps = new ArrayList<>();
      boolean first = true;
      for (int i : g.members()) {
        TransferProof p = members.get(i).proof();
        BigInteger lambda = first ? BigInteger.ONE : w.small();
        first = false;
        BigInteger a = payee ? p.aB : p.aR;
        BigInteger c = (payee ? p.cB : p.cR).value();
        zt = zt.add(lambda.multiply(p.zT));
        zb = zb.add(lambda.multiply(payee ? p.zBetaB : p.zBetaR));
        if (multi) {
          Collections.addAll(bases, a, c);
          Collections.addAll(exps, lambda, e[i].multiply(lambda));
        } else {
          BigInteger x = a.multiply(c.modPow(e[i], n2)).mod(n2);
          rhs = rhs.multiply(lambda.equals(BigInteger.ONE) ? x : x.modPow(lambda, n2)).mod(n2);
        }
      }
      if (multi) {
        rhs = multiExp(n2, bases, exps);
      }
      BigInteger lhs = key.gPow(zt).multiply(hsPowWide(key, zb)).mod(n2);
      if (!lhs.equals(rhs)) {
        return false;
      }
    }
    return true;
  }

  private static BigInteger multiExp(BigInteger m, List<BigInteger> bases, List<BigInteger> exps) {
    return MultiExp.pow(new Montgomery(m), bases.toArray(new BigInteger[0]), exps.toArray(new BigInteger[0]));
  }

  /**
   * h_s^x for an exponent that may exceed the key's fixed-base table (a weighted sum of responses):
   * x = lo + 2^L·hi with lo below the table's reach, h_s^(2^L) read from the table.
   */
  static BigInteger hsPowWide(PaillierPublicKey key, BigInteger x) {
    int reach = key.rhoBits() + PaillierPublicKey.RESPONSE_SLACK_BITS;
    if (!key.isPrecomputed() || x.bitLength() <= reach) {
      return key.hsPow(x);
    }
    int l = reach - 1;
    BigInteger lo = x.subtract(x.shiftRight(l).shiftLeft(l));
    BigInteger hi = x.shiftRight(l);
    BigInteger n2 = key.nSquared();
    return key.hsPow(lo).multiply(key.hsPow(BigInteger.ONE.shiftLeft(l)).modPow(hi, n2)).mod(n2);
  }

  /**
   * Members grouped by key, in order of first appearance. Payer keys are grouped by value (their
   * equations do not use h_s); payee and regulator keys by identity, because the group's h_s (stored
   * or computed, with or without a table) is the first member's key object's: a caller that wants
   * one exponentiation per key passes the same object for every member (the chaincode does).
   */
  private static List<Group> byKey(List<Member> members, boolean payer) {
    return byKey(members, payer, false);
  }

  /** A key and the indices of its members, in order. */
  private record Group(PaillierPublicKey key, List<Integer> members) {}

  private static List<Group> byKey(List<Member> members, boolean payer, boolean payee) {
    List<Group> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      TransferStatement st = members.get(i).statement();
      PaillierPublicKey k = payer ? st.payerKey() : payee ? st.payeeKey() : st.regulatorKey();
      Group g = null;
      for (Group x : out) {
        if (payer ? x.key().equals(k) : x.key() == k) {
          g = x;
          break;
        }
      }
      if (g == null) {
        g = new Group(k, new ArrayList<>());
        out.add(g);
      }
      g.members().add(i);
    }
    return out;
  }
}
