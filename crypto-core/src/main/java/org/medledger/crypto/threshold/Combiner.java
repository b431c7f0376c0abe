package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Collection;
import java.util.TreeMap;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Combines t verified decryption shares into the plaintext (docs/protocol.md §10.3): with S the t
 * lowest member indices offered and μ_i = Δ·λ^S_{0,i} ∈ ℤ, c' = ∏ c_i^{2μ_i} = c^{4Δ²·d} =
 * (1+n)^{4Δ²·σ·M} since d ≡ σ (mod n) and d ≡ 0 (mod p'q'), so M = L(c')·(4Δ²σ)⁻¹ mod n.
 *
 * <p>Every share offered is verified first. A share that fails names its member and stops the
 * combination; no plaintext is ever computed from an unverified share.
 */
public final class Combiner {
  private Combiner() {}

  /**
   * The plaintext of {@code c} from the shares for {@code context}.
   *
   * @throws InvalidShareException UNKNOWN_MEMBER, DUPLICATE_SHARE or DECRYPTION_SHARE_INVALID,
   *     naming the member
   * @throws MalformedInputException NOT_ENOUGH_SHARES with fewer than t distinct members, or
   *     MALFORMED_CIPHERTEXT
   */
  public static BigInteger combine(ThresholdPublicKey pk, PaillierCiphertext c, byte[] context,
      Collection<DecryptionShare> shares) {
    PaillierPublicKey paillier = pk.paillierKey();
    BigInteger cv = paillier.ciphertext(c.value()).value();
    TreeMap<Integer, DecryptionShare> byMember = new TreeMap<>();
    for (DecryptionShare s : shares) {
      pk.checkMember(s.member());
      if (byMember.putIfAbsent(s.member(), s) != null) {
        throw new InvalidShareException("DUPLICATE_SHARE", s.member(), "offered two shares");
      }
    }
    if (byMember.size() < pk.threshold()) {
      throw new MalformedInputException("NOT_ENOUGH_SHARES",
          byMember.size() + " shares offered, the committee needs " + pk.threshold());
    }
    for (DecryptionShare s : byMember.values()) {
      PartialDecryption.verify(pk, c, context, s);
    }
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
    BigInteger cPrime = BigInteger.ONE;
    for (int i : set) {
      BigInteger mu = Lagrange.scaled(pk.delta(), set, i, 0);
      cPrime = cPrime.multiply(byMember.get(i).value().modPow(mu.shiftLeft(1), nSq)).mod(nSq);
    }
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
    BigInteger m = combine(pk, c, context, shares);
    if (m.bitLength() > 63) {
      throw new MalformedInputException("PLAINTEXT_OUT_OF_RANGE", "ciphertext does not hold an amount");
    }
    return m.longValueExact();
  }
}
