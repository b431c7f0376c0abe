package org.medledger.crypto.stats;

import java.math.BigInteger;
import org.medledger.crypto.paillier.PaillierPublicKey;

/** DJN-form helpers shared by the contribution's sub-proofs (docs/protocol.md §11.3). */
final class Djn {
  private Djn() {}

  /**
   * h_s^x mod n² for x ≥ 0. Exponents the key's fixed-base table covers go to the table; a wider
   * one (the sum proofs' responses, a few bits over) is split as h_s^lo · (h_s^(2^K))^hi with a
   * small hi, so it still costs table products and a few multiplications, not a full modPow.
   */
  static BigInteger hsPow(PaillierPublicKey key, BigInteger x) {
    int k = key.rhoBits() + PaillierPublicKey.RESPONSE_SLACK_BITS - 1;
    if (x.bitLength() <= k) {
      return key.hsPow(x);
    }
    BigInteger n2 = key.nSquared();
    BigInteger lo = x.subtract(x.shiftRight(k).shiftLeft(k));
    BigInteger hi = x.shiftRight(k);
    BigInteger half = key.hsPow(BigInteger.ONE.shiftLeft(k - 1));
    BigInteger top = half.multiply(half).mod(n2);
    return key.hsPow(lo).multiply(top.modPow(hi, n2)).mod(n2);
  }

  /** c · (1+n)^(−b) mod n²: the ciphertext of m − b. */
  static BigInteger shift(PaillierPublicKey key, BigInteger c, BigInteger b) {
    return c.multiply(key.gPow(b.negate())).mod(key.nSquared());
  }
}
