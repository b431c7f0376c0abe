package org.medledger.crypto.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;

/**
 * Adversarial review of the batch verification and the squared rule (docs/protocol.md §10.2,
 * §10.3, §10.6): degenerate verification bases, cancelling errors across shares, the tolerated
 * sign of c_i, reordering and duplication.
 */
class ThresholdReviewTest extends DealtCommittee {
  private static final byte[] CTX = Committees.context("disclosure-request/review");
  private static final long AMOUNT = 31_415L;

  ThresholdReviewTest() {
    super(CTX, AMOUNT, 5);
  }

  private DecryptionShare shifted(DecryptionShare g, long delta) {
    return new DecryptionShare(g.member(), g.value(), g.challenge(), g.response().add(BigInteger.valueOf(delta)),
        g.commitmentA(), g.commitmentB());
  }

  /** Member i's honest proof for the value {@code ci} (any square root of c^{4x}). */
  private DecryptionShare provenFor(int i, BigInteger ci) {
    BigInteger x = pk.delta().multiply(dealing.shares().get(i - 1).secret(SecretAccess.explicit()));
    BigInteger r = new BigInteger(pk.nonceBits(), Committees.RND);
    BigInteger a = c.value().modPow(BigInteger.valueOf(4), nSq).modPow(r, nSq);
    BigInteger b = pk.v().modPow(r, nSq);
    BigInteger e = PartialDecryption.challenge(pk, i, c.value(), CTX, ci, a, b);
    return new DecryptionShare(i, ci, e, r.add(e.multiply(x)), a, b);
  }

  @Test
  void aVerificationBaseOrKeyThatIsPlusOrMinusOneModuloAPrimeIsRefused() {
    // v = −1 passes "v ≠ 1, Jacobi +1" (p ≡ q ≡ 3 mod 4). With v = −1 and every v_i = 1 the
    // proof says nothing: any member proves any c_i = c^{2w} and the combiner returns w/Δ times the
    // plaintext (seen before the fix). v·(1+n), v_i = −1, and v ≡ 1 modulo one prime only are as
    // degenerate modulo n (the last generates at most p'·n of |G| = n·p'·q').
    BigInteger minusOne = nSq.subtract(BigInteger.ONE);
    BigInteger[] ones = new BigInteger[5];
    Arrays.fill(ones, BigInteger.ONE);
    BigInteger onePlusN = paillier.n().add(BigInteger.ONE);
    // v ≡ 1 (mod p) and ≡ 4 (mod q): Jacobi symbol +1, order p'q'/p' at most, and ≢ ±1 (mod n).
    BigInteger[] pq = Committees.primes(2048);
    BigInteger halfTrivial = BigInteger.ONE.add(pq[0].multiply(
        BigInteger.valueOf(3).multiply(pq[0].modInverse(pq[1])).mod(pq[1])));
    assertEquals(BigInteger.ONE, halfTrivial.mod(pq[0]));
    assertEquals(BigInteger.valueOf(4), halfTrivial.mod(pq[1]));
    for (BigInteger v : new BigInteger[] {minusOne, minusOne.multiply(onePlusN).mod(nSq), onePlusN, halfTrivial}) {
      MalformedInputException e = assertThrows(MalformedInputException.class,
          () -> ThresholdPublicKey.of(paillier, v, 3, 5, pk.shareBits(), pk.scale(), ones), v.toString(16));
      assertEquals("MALFORMED_THRESHOLD_KEY", e.code());
    }
    // A verification key ≡ ±1 (mod n), with the genuine v and t = m so the polynomial check is moot.
    ThresholdPublicKey two = Committees.dealing(2048, 2, 2).publicKey();
    for (BigInteger vi : new BigInteger[] {BigInteger.ONE, minusOne, onePlusN}) {
      BigInteger[] vks = {vi, two.verificationKey(2)};
      MalformedInputException e = assertThrows(MalformedInputException.class,
          () -> ThresholdPublicKey.of(two.paillierKey(), two.v(), 2, 2, two.shareBits(), two.scale(), vks));
      assertTrue(e.getMessage().contains("member 1"), e.getMessage());
    }
    // The genuine keys still pass the new check.
    assertEquals(pk, ThresholdPublicKey.fromBytes(pk.toBytes()));
    assertEquals(two, ThresholdPublicKey.fromBytes(two.toBytes()));
  }

  @Test
  void errorsThatCancelUnderEqualWeightsAreRefusedAndTheRightMemberNamed() {
    // X_2 = c⁴·…, Y_2 = v and X_4 = c^{-4}·…, Y_4 = v^{-1}: the product is 1 if ρ_2 = ρ_4.
    List<DecryptionShare> shares = allWith(shifted(good[2], 1), shifted(good[4], -1));
    assertEquals(2, assertThrows(InvalidShareException.class, () -> Combiner.combine(pk, c, CTX, shares)).member());
    List<DecryptionShare> reversed = new ArrayList<>(shares);
    Collections.reverse(reversed);
    assertEquals(2, assertThrows(InvalidShareException.class, () -> Combiner.combine(pk, c, CTX, reversed)).member());
    assertEquals(2, assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verifyBatch(pk, c, CTX, shares, Committees.RND)).member());
    // Only member 4 wrong, with its error of opposite sign to an honest share's: named alone.
    assertEquals(4, assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, allWith(shifted(good[4], -1)))).member());
  }

  @Test
  void theToleratedSignOfAShareNeverChangesThePlaintext() {
    // −c_2 re-proved by member 2 itself (Shoup: only c_i² is bound); in both encodings, with
    // transcript and with random weights, together with honest shares and with another negated one.
    DecryptionShare neg2 = provenFor(2, nSq.subtract(good[2].value()));
    DecryptionShare neg3 = provenFor(3, nSq.subtract(good[3].value()));
    PartialDecryption.verify(pk, c, CTX, neg2);
    PartialDecryption.verify(pk, c, CTX, DecryptionShare.fromBytes(neg2.toBytes(pk), pk));
    assertEquals(AMOUNT, Combiner.combineAmount(pk, c, CTX, allWith(neg2)));
    assertEquals(AMOUNT, Combiner.combineAmount(pk, c, CTX, allWith(neg2, neg3), Committees.RND));
    assertEquals(AMOUNT, Combiner.combineAmount(pk, c, CTX, List.of(neg2, neg3, good[1])));
    assertEquals(AMOUNT, Combiner.combineAmount(pk, c, CTX,
        List.of(DecryptionShare.fromBytes(neg2.toBytes(pk), pk), good[1], neg3)));
    // Nobody else can flip it: −c_2 under member 2's published proof is refused, in both rules.
    DecryptionShare flipped = new DecryptionShare(2, neg2.value(), good[2].challenge(), good[2].response(),
        good[2].commitmentA(), good[2].commitmentB());
    assertEquals(2, assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, allWith(flipped))).member());
    DecryptionShare flippedV1 = new DecryptionShare(2, neg2.value(), good[2].challenge(), good[2].response());
    assertEquals(2, assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verify(pk, c, CTX, flippedV1)).member());
  }

  @Test
  void reorderingGivesTheSameResultAndDuplicatesOrTooFewAreRefused() {
    List<DecryptionShare> all = allWith();
    List<DecryptionShare> reversed = new ArrayList<>(all);
    Collections.reverse(reversed);
    assertEquals(AMOUNT, Combiner.combineAmount(pk, c, CTX, all));
    assertEquals(AMOUNT, Combiner.combineAmount(pk, c, CTX, reversed));
    // t − 1 honest shares, padded with a copy (or the other encoding) of one of them.
    List<DecryptionShare> padded = List.of(good[1], good[2], good[2]);
    assertEquals("DUPLICATE_SHARE", assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, padded)).code());
    List<DecryptionShare> reencoded = List.of(good[1], good[2], DecryptionShare.fromBytes(good[2].toBytes(pk), pk));
    assertEquals(2, assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, reencoded)).member());
    assertEquals("NOT_ENOUGH_SHARES", assertThrows(MalformedInputException.class,
        () -> Combiner.combine(pk, c, CTX, List.of(good[4], good[5]))).code());
  }

  @Test
  void verifyBatchRefusesTwoSharesFromOneMemberBeforeAnyExponentiation() {
    // verifyBatch accepted [1, 2, 2]: a caller counting verified members would count three, and a
    // list of copies was unbounded work. Now refused like the combiner does, naming the member,
    // and before any exponentiation (a copy of a share whose c_i is not even a unit).
    InvalidShareException e = assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verifyBatch(pk, c, CTX, List.of(good[1], good[2], good[2]), Committees.RND));
    assertEquals("DUPLICATE_SHARE", e.code());
    assertEquals(2, e.member());
    DecryptionShare v1 = DecryptionShare.fromBytes(good[3].toBytes(pk), pk);
    e = assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verifyBatch(pk, c, CTX, List.of(v1, good[1], good[3]), Committees.RND));
    assertEquals("DUPLICATE_SHARE", e.code());
    assertEquals(3, e.member());
    DecryptionShare zero = new DecryptionShare(4, BigInteger.ZERO, good[4].challenge(), good[4].response());
    e = assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verifyBatch(pk, c, CTX, List.of(good[5], zero, zero), Committees.RND));
    assertEquals("DUPLICATE_SHARE", e.code());
    PartialDecryption.verifyBatch(pk, c, CTX, List.of(good[5], good[1], v1), Committees.RND);
  }
}
