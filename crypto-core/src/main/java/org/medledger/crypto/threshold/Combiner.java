package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeMap;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Combines t verified decryption shares into the plaintext (docs/protocol.md §10.3): with S the t
 * lowest member indices offered and μ_i = Δ·λ^S_{0,i} ∈ ℤ, c' = ∏ c_i^{2μ_i} = c^{4Δ²·d} =
 * (1+n)^{4Δ²·σ·M} since d ≡ σ (mod n) and d ≡ 0 (mod p'q'), so M = L(c')·(4Δ²σ)⁻¹ mod n.
 *
 * <p>Every share offered is verified first, shares with commitments together in one batch
 * (docs/protocol.md §10.2). A share that fails names its member and stops the combination; no
 * plaintext is ever computed from an unverified share.
 */
public final class Combiner {
  private Combiner() {}

  /**
   * The plaintext of {@code c} from the shares for {@code context}. The batch weights are derived
   * from a transcript of the shares, so the result (and any refusal) is a deterministic function
   * of the inputs, as the chaincode needs.
   *
   * @throws InvalidShareException UNKNOWN_MEMBER, DUPLICATE_SHARE or DECRYPTION_SHARE_INVALID,
   *     naming the member
   * @throws MalformedInputException NOT_ENOUGH_SHARES with fewer than t distinct members, or
   *     MALFORMED_CIPHERTEXT
   */
  public static BigInteger combine(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares) {
    return combineWith(pk, c, context, shares, null);
  }

  /**
   * As {@link #combine(ThresholdPublicKey, PaillierCiphertext, byte[], Collection)}, with the batch
   * weights drawn from {@code rnd}.
   */
  public static BigInteger combine(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares, SecureRandom rnd) {
    return combineWith(pk, c, context, shares, Objects.requireNonNull(rnd, "rnd"));
  }

  /** Batch weights from {@code rnd}, or derived from a transcript when it is null. */
  private static BigInteger combineWith(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares, SecureRandom rnd) {
    Objects.requireNonNull(context, "context");
    PaillierPublicKey paillier = pk.paillierKey();
    TreeMap<Integer, DecryptionShare> byMember = new TreeMap<>();
    for (DecryptionShare s : shares) {
      pk.checkMember(s.member());
      if (byMember.putIfAbsent(s.member(), s) != null) {
        throw new InvalidShareException("DUPLICATE_SHARE", s.member(), "offered two shares");
      }
    }
    BigInteger cv = paillier.ciphertext(c.value()).value();
    if (byMember.size() < pk.threshold()) {
      throw new MalformedInputException("NOT_ENOUGH_SHARES",
          byMember.size() + " shares offered, the committee needs " + pk.threshold());
    }
    PartialDecryption.verifyAll(pk, cv, context, new ArrayList<>(byMember.values()), rnd);
    int[] set = new int[pk.threshold()];
    int k = 0;
    for (int member : byMember.keySet()) {
      if (k == set.length) {
        break;
      }
      set[k++] = member;
    }
    BigInteger n = paillier.n();
    BigInteger nSq = paillier.nSquared();
    // ∏ c_i^{2μ_i}: the positive and the negative exponents apart, so one inversion suffices.
    BigInteger up = BigInteger.ONE;
    BigInteger down = BigInteger.ONE;
    for (int i : set) {
      BigInteger mu2 = Lagrange.scaled(pk.delta(), set, i, 0).shiftLeft(1);
      BigInteger ci = byMember.get(i).value();
      if (mu2.signum() >= 0) {
        up = up.multiply(ci.modPow(mu2, nSq)).mod(nSq);
      } else {
        down = down.multiply(ci.modPow(mu2.negate(), nSq)).mod(nSq);
      }
    }
    BigInteger cPrime = up.multiply(down.modInverse(nSq)).mod(nSq);
    BigInteger lifted = cPrime.subtract(BigInteger.ONE);
    if (lifted.mod(n).signum() != 0) {
      // Unreachable with verified shares of an honestly dealt key: refuse rather than guess.
      throw new IllegalStateException("combined value is not 1 mod n; the committee key is inconsistent");
    }
    BigInteger fourDeltaSqScale = pk.delta().pow(2).shiftLeft(2).multiply(pk.scale()).mod(n);
    return lifted.divide(n).multiply(fourDeltaSqScale.modInverse(n)).mod(n);
  }

  /** As {@link #combine}, refusing a plaintext that is not a non-negative long (an amount). */
  public static long combineAmount(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares) {
    return amount(combine(pk, c, context, shares));
  }

  /**
   * As {@link #combineAmount(ThresholdPublicKey, PaillierCiphertext, byte[], Collection)}, with the
   * batch weights drawn from {@code rnd}.
   */
  public static long combineAmount(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares, SecureRandom rnd) {
    return amount(combine(pk, c, context, shares, rnd));
  }

  private static long amount(BigInteger m) {
    if (m.bitLength() > 63) {
      throw new MalformedInputException("PLAINTEXT_OUT_OF_RANGE", "ciphertext does not hold an amount");
    }
    return m.longValueExact();
  }
}
