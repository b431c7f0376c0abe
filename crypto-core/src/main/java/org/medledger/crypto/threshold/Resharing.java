package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Moves the committee's secret to a new committee without reconstructing it (docs/protocol.md
 * §10.4): the integer-polynomial redistribution of Desmedt–Jajodia (1997) done over the integers
 * as in Frankel–Gemmell–MacKenzie–Yung (FOCS 1997) and Rabin (CRYPTO 1998), with Feldman
 * commitments in the squares of Z*_{n²} scaled by Δ' as Shoup's verification keys are.
 *
 * <p>A qualified set S of t old members takes part. Member i ∈ S, with μ_i = Δ·λ^S_{0,i}, deals the
 * integer b_0 = Δ'·μ_i·Δ·s_i with g_i(X) = b_0 + Σ_{k=1}^{t'−1} b_k X^k, b_k ← [0, 2^aBits),
 * publishes E_k = v^{Δ'·b_k} and sends σ_{i,j} = g_i(j) to new member j. Everyone checks E_0 =
 * v_i^{Δ'²·μ_i}; member j checks v^{Δ'·σ_{i,j}} = ∏ E_k^{j^k}; the new share is s'_j = Σ_i σ_{i,j}
 * and the new verification key v'_j = ∏_i ∏_k E_{i,k}^{j^k} = v^{Δ'·s'_j} is public. The new
 * secret is d' = Σ_i b_{i,0} ≡ Δ'·Δ²·d, so the public scale becomes σ' = σ·Δ²·Δ' mod n.
 */
public final class Resharing {
  static final String INVALID = "RESHARE_INVALID";
  /** Statistical hiding of each sub-sharing: 2^-128 per coefficient. */
  public static final int HIDING_BITS = 128;

  private Resharing() {}

  /** Old member i's output: the public message and one sub-share per new member (j = 1..m'). */
  public record Dealt(ReshareDealing dealing, List<SubShare> subShares) {
    public Dealt {
      subShares = List.copyOf(subShares);
    }
  }

  /** The public arithmetic of one re-sharing, fixed by (old key, S, t', m'). */
  record Plan(ThresholdPublicKey old, int[] set, int newThreshold, int newMembers, BigInteger newDelta,
      BigInteger[] mu, int coefficientBits, BigInteger subShareBound, int newShareBits, BigInteger newScale) {

    static Plan of(ThresholdPublicKey old, int[] set, int newThreshold, int newMembers) {
      ThresholdDealer.checkShape(newThreshold, newMembers);
      if (set.length != old.threshold()) {
        throw new IllegalArgumentException("the set must hold exactly t = " + old.threshold() + " old members");
      }
      for (int k = 0; k < set.length; k++) {
        old.checkMember(set[k]);
        if (k > 0 && set[k] <= set[k - 1]) {
          throw new IllegalArgumentException("the set must be strictly ascending");
        }
      }
      BigInteger delta = old.delta();
      BigInteger newDelta = Lagrange.delta(newMembers);
      BigInteger[] mu = new BigInteger[set.length];
      BigInteger muMax = BigInteger.ZERO;
      for (int k = 0; k < set.length; k++) {
        mu[k] = Lagrange.scaled(delta, set, set[k], 0);
        muMax = muMax.max(mu[k].abs());
      }
      // |b_0| = Δ'·|μ_i|·Δ·|s_i| < W.
      BigInteger w = newDelta.multiply(muMax).multiply(delta).shiftLeft(old.shareBits());
      // Moving the secret while fixing t' − 1 shares shifts each b_k by < 2W·(m'+1)^(t'−1).
      BigInteger shift = w.shiftLeft(1).multiply(BigInteger.valueOf(newMembers + 1L).pow(newThreshold - 1));
      int aBits = shift.bitLength() + HIDING_BITS;
      BigInteger powers = BigInteger.ZERO;
      for (int k = 1; k < newThreshold; k++) {
        powers = powers.add(BigInteger.valueOf(newMembers).pow(k));
      }
      BigInteger subBound = w.add(BigInteger.ONE.shiftLeft(aBits).multiply(powers));
      int newShareBits = subBound.multiply(BigInteger.valueOf(set.length)).bitLength();
      int k = old.paillierKey().bits();
      if (newShareBits > ThresholdPublicKey.maxShareBits(k)) {
        throw new MalformedInputException("RESHARE_TOO_LARGE", "shares would grow to " + newShareBits
            + " bits, over the 4k-bit limit; deal a fresh key instead");
      }
      BigInteger n = old.paillierKey().n();
      BigInteger newScale = old.scale().multiply(delta.pow(2)).multiply(newDelta).mod(n);
      return new Plan(old, set.clone(), newThreshold, newMembers, newDelta, mu, aBits, subBound, newShareBits,
          newScale);
    }

    BigInteger muOf(int member) {
      for (int k = 0; k < set.length; k++) {
        if (set[k] == member) {
          return mu[k];
        }
      }
      throw new InvalidShareException(INVALID, member, "not in the re-sharing set");
    }

    static Plan of(ThresholdPublicKey old, ReshareDealing d) {
      if (!old.hasFingerprint(d.committee())) {
        throw new InvalidShareException(INVALID, d.dealer(), "re-sharing message is for another committee or epoch");
      }
      try {
        return of(old, d.set(), d.newThreshold(), d.newMembers());
      } catch (IllegalArgumentException e) {
        throw new InvalidShareException(INVALID, d.dealer(), e.getMessage());
      }
    }
  }

  /**
   * Old member {@code share.member()}'s part of re-sharing to a t'-of-m' committee, with the
   * qualified old set {@code set} (ascending, exactly t members, including this one).
   */
  public static Dealt deal(ThresholdPublicKey old, KeyShare share, int[] set, int newThreshold, int newMembers,
      SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    if (!share.belongsTo(old)) {
      throw new MalformedInputException("WRONG_COMMITTEE", "key share belongs to another committee or epoch");
    }
    Plan plan = Plan.of(old, set, newThreshold, newMembers);
    int i = share.member();
    BigInteger mu = plan.muOf(i);
    BigInteger[] b = new BigInteger[newThreshold];
    b[0] = plan.newDelta().multiply(mu).multiply(old.delta()).multiply(share.secret(SecretAccess.explicit()));
    for (int k = 1; k < newThreshold; k++) {
      b[k] = new BigInteger(plan.coefficientBits(), rnd);
    }
    BigInteger nSq = old.paillierKey().nSquared();
    BigInteger[] e = new BigInteger[newThreshold];
    for (int k = 0; k < newThreshold; k++) {
      e[k] = old.vPow(plan.newDelta().multiply(b[k]));
    }
    List<SubShare> subs = new ArrayList<>(newMembers);
    for (int j = 1; j <= newMembers; j++) {
      BigInteger x = BigInteger.valueOf(j);
      BigInteger acc = BigInteger.ZERO;
      for (int k = newThreshold - 1; k >= 0; k--) {
        acc = acc.multiply(x).add(b[k]);
      }
      subs.add(new SubShare(i, j, acc));
    }
    java.util.Arrays.fill(b, null);
    return new Dealt(new ReshareDealing(old.fingerprint(), i, set, newThreshold, newMembers, e), subs);
  }

  /**
   * Checks an old member's public message: right committee, i ∈ S, t' commitments in Z*_{n²} with
   * Jacobi symbol +1, and E_0 = v_i^{Δ'²·μ_i}, so that it re-shares exactly i's share.
   *
   * @throws InvalidShareException (RESHARE_INVALID) naming the old member
   */
  public static void verifyDealing(ThresholdPublicKey old, ReshareDealing d) {
    Plan plan = Plan.of(old, d);
    int i = d.dealer();
    BigInteger mu = plan.muOf(i);
    PaillierPublicKey paillier = old.paillierKey();
    BigInteger n = paillier.n();
    if (d.commitmentCount() != plan.newThreshold()) {
      throw new InvalidShareException(INVALID, i, "expected " + plan.newThreshold() + " commitments");
    }
    for (int k = 0; k < d.commitmentCount(); k++) {
      BigInteger ek = d.commitment(k);
      if (!paillier.inUnitGroupOfNSquared(ek) || NumberTheory.jacobi(ek.mod(n), n) != 1) {
        throw new InvalidShareException(INVALID, i, "commitment " + k + " is not in Z*_{n²} with Jacobi symbol +1");
      }
    }
    BigInteger expected = old.verificationKey(i).modPow(plan.newDelta().pow(2).multiply(mu), paillier.nSquared());
    if (!d.commitment(0).equals(expected)) {
      throw new InvalidShareException(INVALID, i, "commitment to the constant term does not match v_i^{Δ'²·μ_i}");
    }
  }

  /**
   * New member j's check of a sub-share against its dealer's (verified) message: |σ| within the
   * plan's bound and v^{Δ'·σ} = ∏_k E_k^{j^k}.
   *
   * @throws InvalidShareException (RESHARE_INVALID) naming the old member who dealt it
   */
  public static void verifySubShare(ThresholdPublicKey old, ReshareDealing d, SubShare s) {
    Plan plan = Plan.of(old, d);
    int i = d.dealer();
    if (s.dealer() != i) {
      throw new InvalidShareException(INVALID, s.dealer(), "sub-share does not come from the message's dealer " + i);
    }
    int j = s.recipient();
    if (j < 1 || j > plan.newMembers()) {
      throw new InvalidShareException(INVALID, i, "sub-share for a non-member " + j + " of the new committee");
    }
    BigInteger sigma = s.value(SecretAccess.explicit());
    if (sigma.abs().compareTo(plan.subShareBound()) > 0) {
      throw new InvalidShareException(INVALID, i, "sub-share for member " + j + " out of bounds");
    }
    BigInteger nSq = old.paillierKey().nSquared();
    if (!old.vPow(plan.newDelta().multiply(sigma)).equals(evaluate(d, j, nSq))) {
      throw new InvalidShareException(INVALID, i, "sub-share for member " + j + " does not match the commitments");
    }
  }

  /** ∏_k E_k^{j^k} = v^{Δ'·g_i(j)}. */
  private static BigInteger evaluate(ReshareDealing d, int j, BigInteger nSq) {
    BigInteger acc = BigInteger.ONE;
    BigInteger x = BigInteger.valueOf(j);
    for (int k = d.commitmentCount() - 1; k >= 0; k--) {
      acc = acc.modPow(x, nSq).multiply(d.commitment(k)).mod(nSq);
    }
    return acc;
  }

  /**
   * The new committee's public key, computable by anyone from the old key and one verified
   * message per member of S: same n, h and v; v'_j = ∏_{i∈S} ∏_k E_{i,k}^{j^k}; scale σ·Δ²·Δ'.
   *
   * @throws InvalidShareException naming an old member whose message is invalid, missing or repeated
   */
  public static ThresholdPublicKey newPublicKey(ThresholdPublicKey old, Collection<ReshareDealing> dealings) {
    TreeMap<Integer, ReshareDealing> byDealer = collect(old, dealings);
    Plan plan = Plan.of(old, byDealer.firstEntry().getValue());
    BigInteger nSq = old.paillierKey().nSquared();
    BigInteger[] vks = new BigInteger[plan.newMembers()];
    for (int j = 1; j <= plan.newMembers(); j++) {
      BigInteger acc = BigInteger.ONE;
      for (ReshareDealing d : byDealer.values()) {
        acc = acc.multiply(evaluate(d, j, nSq)).mod(nSq);
      }
      vks[j - 1] = acc;
    }
    return ThresholdPublicKey.of(old.paillierKey(), old.v(), plan.newThreshold(), plan.newMembers(),
        plan.newShareBits(), plan.newScale(), vks);
  }

  /**
   * New member j's share: verifies each sub-share against its dealer's message, sums them and
   * checks v^{Δ'·s'_j} = v'_j in {@code newPk}.
   */
  public static KeyShare newShare(ThresholdPublicKey old, ThresholdPublicKey newPk, Collection<ReshareDealing> dealings,
      int member, Collection<SubShare> subShares) {
    TreeMap<Integer, ReshareDealing> byDealer = collect(old, dealings);
    newPk.checkMember(member);
    TreeMap<Integer, SubShare> byFrom = new TreeMap<>();
    for (SubShare s : subShares) {
      if (!byDealer.containsKey(s.dealer())) {
        throw new InvalidShareException(INVALID, s.dealer(), "sub-share from outside the re-sharing set");
      }
      if (s.recipient() != member) {
        throw new InvalidShareException(INVALID, s.dealer(), "sub-share addressed to member " + s.recipient());
      }
      if (byFrom.putIfAbsent(s.dealer(), s) != null) {
        throw new InvalidShareException(INVALID, s.dealer(), "two sub-shares from one dealer");
      }
    }
    BigInteger sum = BigInteger.ZERO;
    for (ReshareDealing d : byDealer.values()) {
      SubShare s = byFrom.get(d.dealer());
      if (s == null) {
        throw new InvalidShareException(INVALID, d.dealer(), "no sub-share for member " + member);
      }
      verifySubShare(old, d, s);
      sum = sum.add(s.value(SecretAccess.explicit()));
    }
    BigInteger nSq = old.paillierKey().nSquared();
    if (sum.abs().bitLength() > newPk.shareBits()
        || !newPk.vPow(newPk.delta().multiply(sum)).equals(newPk.verificationKey(member))) {
      throw new MalformedInputException("KEY_SHARE_MISMATCH", "the new share does not match the new committee key");
    }
    return new KeyShare(newPk, member, sum);
  }

  /** One verified message per member of S, all for the same (S, t', m'). */
  private static TreeMap<Integer, ReshareDealing> collect(ThresholdPublicKey old, Collection<ReshareDealing> dealings) {
    if (dealings.isEmpty()) {
      throw new MalformedInputException("NOT_ENOUGH_SHARES", "no re-sharing messages");
    }
    TreeMap<Integer, ReshareDealing> byDealer = new TreeMap<>();
    ReshareDealing first = dealings.iterator().next();
    for (ReshareDealing d : dealings) {
      if (!java.util.Arrays.equals(d.set(), first.set()) || d.newThreshold() != first.newThreshold()
          || d.newMembers() != first.newMembers()) {
        throw new InvalidShareException(INVALID, d.dealer(), "message disagrees with the others on S, t' or m'");
      }
      if (byDealer.putIfAbsent(d.dealer(), d) != null) {
        throw new InvalidShareException(INVALID, d.dealer(), "two re-sharing messages from one member");
      }
      verifyDealing(old, d);
    }
    for (int i : first.set()) {
      if (!byDealer.containsKey(i)) {
        throw new InvalidShareException(INVALID, i, "no re-sharing message from this member of S");
      }
    }
    return byDealer;
  }
}
