package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.CTX;
import static org.medledger.crypto.stats.StatsFixtures.RND;
import static org.medledger.crypto.stats.StatsFixtures.oneHot;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.bulletproofs.UncheckedRangeProver;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.UncheckedCiphertexts;
import org.medledger.crypto.testing.TestKeys;

/**
 * The malicious-prover suite of the statistical contribution (docs/protocol.md §11.3): a prover who
 * runs the protocol on a bad statement, or edits an honest contribution, is refused with
 * STATS_PROOF_INVALID naming the failed check.
 */
class StatsMaliciousProverTest {
  private static final int L = IcdChapter.COUNT;
  private static final int B = AgeBand.COUNT;
  private static final BigInteger FEE = BigInteger.valueOf(5_000);
  private static final StatsContribution.RangeProver UNCHECKED = UncheckedRangeProver::prove;

  private static StatsContribution forge(BigInteger[] cat, BigInteger[] band, BigInteger feeEnc, BigInteger feeCommit) {
    return StatsContribution.proveUnchecked(COMMITTEE, CTX, cat, band, feeEnc, feeCommit, RND, UNCHECKED);
  }

  private static void refused(StatsContribution c, String expected) {
    refused(c, CTX, expected);
  }

  private static void refused(StatsContribution c, StatsContext ctx, String expected) {
    ProofException e = assertThrows(ProofException.class, () -> c.verify(COMMITTEE, ctx));
    assertEquals(StatsContribution.INVALID, e.code());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void theForgingProverAcceptsAnHonestStatement() {
    // Control: the unchecked prover with honest inputs produces a valid contribution, so each refusal
    // below is due to the bad statement alone.
    forge(oneHot(L, 3), oneHot(B, 2), FEE, FEE).verify(COMMITTEE, CTX);
  }

  @Test
  void aOneHotWithTwoOnesIsRefused() {
    refused(forge(oneHot(L, 3, 7), oneHot(B, 2), FEE, FEE), "categories: entries are not shown to sum to 1");
    refused(forge(oneHot(L, 3), oneHot(B, 0, 9), FEE, FEE), "age bands: entries are not shown to sum to 1");
  }

  @Test
  void anEntryOfTwoIsRefused() {
    refused(forge(oneHot(L, 4, 4), oneHot(B, 2), FEE, FEE), "categories: entry 4 is not shown to encrypt 0 or 1");
    refused(forge(oneHot(L, 4), oneHot(B, 1, 1), FEE, FEE), "age bands: entry 1 is not shown to encrypt 0 or 1");
  }

  @Test
  void aNegativeEntryIsRefusedEvenWhenTheVectorSumsToOne() {
    // 2 + (n − 1) ≡ 1 (mod n): the sum is right, the −1 entry is not a bit.
    BigInteger[] cat = oneHot(L, 5, 5);
    cat[9] = COMMITTEE.n().subtract(BigInteger.ONE);
    refused(forge(cat, oneHot(B, 2), FEE, FEE), "categories: entry 5 is not shown to encrypt 0 or 1");
    BigInteger[] only = oneHot(L);
    only[0] = BigInteger.ONE.negate();
    refused(forge(only, oneHot(B, 2), FEE, FEE), "categories: entry 0 is not shown to encrypt 0 or 1");
  }

  @Test
  void allZerosIsRefused() {
    refused(forge(oneHot(L), oneHot(B, 2), FEE, FEE), "categories: entries are not shown to sum to 1");
    refused(forge(oneHot(L, 1), oneHot(B), FEE, FEE), "age bands: entries are not shown to sum to 1");
  }

  @Test
  void aFeeOfTwoToTheFortyIsRefused() {
    BigInteger f = BigInteger.ONE.shiftLeft(40);
    refused(forge(oneHot(L, 1), oneHot(B, 1), f, f), "fee range proof");
    // The largest fee in range, by the same forging prover, is accepted (the bound is exact).
    BigInteger max = f.subtract(BigInteger.ONE);
    forge(oneHot(L, 1), oneHot(B, 1), max, max).verify(COMMITTEE, CTX);
  }

  @Test
  void aNegativeFeeIsRefused() {
    BigInteger minus = BigInteger.ONE.negate();
    refused(forge(oneHot(L, 1), oneHot(B, 1), minus, minus), "fee range proof");
    BigInteger big = BigInteger.ONE.shiftLeft(63);
    refused(forge(oneHot(L, 1), oneHot(B, 1), big, big), "fee range proof");
  }

  @Test
  void aFeeCiphertextThatDiffersFromTheCommittedFeeIsRefused() {
    // An in-range commitment with an out-of-range, negative or fractional plaintext in the ciphertext.
    BigInteger n = COMMITTEE.n();
    refused(forge(oneHot(L, 1), oneHot(B, 1), FEE.add(BigInteger.ONE.shiftLeft(40)), FEE),
        "fee ciphertext does not hold the committed fee");
    refused(forge(oneHot(L, 1), oneHot(B, 1), n.subtract(FEE), FEE), "fee ciphertext does not hold the committed fee");
    BigInteger half = BigInteger.TWO.modInverse(n);
    refused(forge(oneHot(L, 1), oneHot(B, 1), half, BigInteger.ONE), "fee ciphertext does not hold the committed fee");
  }

  @Test
  void aProofForAnotherRecordHospitalMonthChannelOrChaincodeIsRefused() {
    StatsContribution c = StatsFixtures.honest();
    refused(c, new StatsContext("medchannel", "medledger", "rec-0002", "hospital-A", "2026-11"), "fee");
    refused(c, new StatsContext("medchannel", "medledger", "rec-0001", "hospital-B", "2026-11"), "fee");
    refused(c, new StatsContext("medchannel", "medledger", "rec-0001", "hospital-A", "2026-12"), "fee");
    refused(c, new StatsContext("otherchannel", "medledger", "rec-0001", "hospital-A", "2026-11"), "fee");
    refused(c, new StatsContext("medchannel", "other", "rec-0001", "hospital-A", "2026-11"), "fee");
  }

  @Test
  void aProofUnderAnotherCommitteeKeyIsRefused() {
    StatsContribution c = StatsFixtures.honest();
    ProofException e = assertThrows(ProofException.class, () -> c.verify(TestKeys.key2048b().publicKey(), CTX));
    assertEquals(StatsContribution.INVALID, e.code());
  }

  @Test
  void swappedOrReplacedCiphertextsAreRefused() {
    StatsContribution h = StatsFixtures.honest();
    // Move the 1 to another chapter by swapping two category ciphertexts.
    PaillierCiphertext[] cat = h.categoryCiphertexts();
    int one = StatsFixtures.CHAPTER.index();
    PaillierCiphertext tmp = cat[one];
    cat[one] = cat[0];
    cat[0] = tmp;
    refused(withCategories(h, cat), "fee");
    // Re-encrypt one entry with the same bit: the statement changed.
    cat = h.categoryCiphertexts();
    cat[one] = COMMITTEE.rerandomize(cat[one], RND);
    refused(withCategories(h, cat), "fee");
    // Take the fee ciphertext of another contribution.
    StatsContribution other = StatsContribution.prove(COMMITTEE, CTX, IcdChapter.I, AgeBand.Y0_4, 999_999, RND);
    refused(new StatsContribution(h.category, h.band, other.fee, h.feeCommitment, h.range, h.categoryProof,
        h.bandProof, h.feeLink), "fee");
    // Graft another contribution's whole category vector and its proof.
    refused(new StatsContribution(other.category, h.band, h.fee, h.feeCommitment, h.range, other.categoryProof,
        h.bandProof, h.feeLink), "fee");
    // Graft another contribution's range proof.
    refused(new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, other.range, h.categoryProof,
        h.bandProof, h.feeLink), "fee");
  }

  private static StatsContribution withCategories(StatsContribution h, PaillierCiphertext[] cat) {
    return new StatsContribution(cat, h.band, h.fee, h.feeCommitment, h.range, h.categoryProof, h.bandProof, h.feeLink);
  }

  @Test
  void outOfGroupCiphertextsAreRefusedBeforeAnyExponentiation() {
    StatsContribution h = StatsFixtures.honest();
    BigInteger n = COMMITTEE.n();
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, n, n.multiply(BigInteger.TWO), COMMITTEE.nSquared(),
        COMMITTEE.nSquared().add(BigInteger.ONE), BigInteger.ONE.negate()}) {
      PaillierCiphertext[] cat = h.categoryCiphertexts();
      cat[3] = UncheckedCiphertexts.of(bad, COMMITTEE.bits());
      refused(withCategories(h, cat), "category ciphertext 3 is not in Z*_{n²}");
      refused(new StatsContribution(h.category, h.band, UncheckedCiphertexts.of(bad, COMMITTEE.bits()),
          h.feeCommitment, h.range, h.categoryProof, h.bandProof, h.feeLink), "fee ciphertext 0 is not in Z*_{n²}");
    }
    PaillierCiphertext[] cat = h.categoryCiphertexts();
    cat[0] = UncheckedCiphertexts.of(BigInteger.TWO, 3072);
    refused(withCategories(h, cat), "category ciphertext 0");
    refused(withCategories(h, java.util.Arrays.copyOf(h.category, L - 1)), "expected 22 category ciphertexts");
  }

  @Test
  void outOfGroupProofValuesAreRefusedBeforeAnyExponentiation() {
    StatsContribution h = StatsFixtures.honest();
    BigInteger n = COMMITTEE.n();
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, n, COMMITTEE.nSquared(), BigInteger.ONE.negate()}) {
      OneHotProof p = h.categoryProof;
      BigInteger[] a0 = p.a0.clone();
      a0[2] = bad;
      refused(withCategoryProof(h, new OneHotProof(a0, p.a1, p.s, p.e0, p.z0, p.z1, p.zs)),
          "categories: a0[2] is not in Z*_{n²}");
      BigInteger[] a1 = p.a1.clone();
      a1[21] = bad;
      refused(withCategoryProof(h, new OneHotProof(p.a0, a1, p.s, p.e0, p.z0, p.z1, p.zs)),
          "categories: a1[21] is not in Z*_{n²}");
      refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, bad, p.e0, p.z0, p.z1, p.zs)),
          "categories: s is not in Z*_{n²}");
      FeeLink f = h.feeLink;
      refused(withFeeLink(h, new FeeLink(bad, f.ec, f.z, f.zBeta, f.zKappa)), "fee: a is not in Z*_{n²}");
    }
  }

  @Test
  void responsesOutsideTheirBoundsAreRefused() {
    StatsContribution h = StatsFixtures.honest();
    OneHotProof p = h.categoryProof;
    int zBits = OneHotProof.betaBits(COMMITTEE) + 1;
    BigInteger[] z0 = p.z0.clone();
    z0[1] = BigInteger.ONE.shiftLeft(zBits);
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, p.e0, z0, p.z1, p.zs)), "response of entry 1 out of range");
    z0[1] = BigInteger.ONE.negate();
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, p.e0, z0, p.z1, p.zs)), "response of entry 1 out of range");
    BigInteger[] e0 = p.e0.clone();
    e0[0] = BigInteger.ONE.shiftLeft(128);
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, e0, p.z0, p.z1, p.zs)), "e0[0] out of range");
    BigInteger zs = BigInteger.ONE.shiftLeft(OneHotProof.sumBetaBits(COMMITTEE, L) + 1);
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, p.e0, p.z0, p.z1, zs)), "sum response out of range");
    FeeLink f = h.feeLink;
    refused(withFeeLink(h, new FeeLink(f.a, f.ec, BigInteger.ONE.shiftLeft(FeeLink.Z_BITS), f.zBeta, f.zKappa)),
        "integer response outside");
    refused(withFeeLink(h, new FeeLink(f.a, f.ec, f.z, f.zBeta.add(BigInteger.ONE.shiftLeft(zBits)), f.zKappa)),
        "randomness response out of range");
    refused(withFeeLink(h, new FeeLink(f.a, f.ec, f.z, f.zBeta, org.medledger.crypto.ec.Secp256k1.ORDER)),
        "blinding response not reduced");
  }

  @Test
  void aTamperedResponseOrChallengeSplitIsRefused() {
    StatsContribution h = StatsFixtures.honest();
    OneHotProof p = h.categoryProof;
    // Shift challenge between the two branches of one entry: the sum e0 + e1 ≡ e still holds.
    BigInteger[] e0 = p.e0.clone();
    e0[6] = e0[6].add(BigInteger.ONE).mod(OneHotProof.CHALLENGE_MOD);
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, e0, p.z0, p.z1, p.zs)),
        "categories: entry 6 is not shown to encrypt 0 or 1");
    BigInteger[] z1 = p.z1.clone();
    z1[6] = z1[6].add(BigInteger.ONE);
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, p.e0, p.z0, z1, p.zs)),
        "categories: entry 6 is not shown to encrypt 0 or 1");
    refused(withCategoryProof(h, new OneHotProof(p.a0, p.a1, p.s, p.e0, p.z0, p.z1, p.zs.add(BigInteger.ONE))),
        "categories: entries are not shown to sum to 1");
    FeeLink f = h.feeLink;
    refused(withFeeLink(h, new FeeLink(f.a, f.ec, f.z, f.zBeta.add(BigInteger.ONE), f.zKappa)),
        "fee ciphertext does not hold the committed fee");
    refused(withFeeLink(h, new FeeLink(f.a, f.ec, f.z.add(BigInteger.ONE), f.zBeta, f.zKappa)),
        "fee commitment link does not hold");
  }

  @Test
  void aRangeProofForAnotherShapeIsRefused() {
    StatsContribution h = StatsFixtures.honest();
    RangeProof small = RangeProof.prove(new org.medledger.crypto.Transcript("x"), new BigInteger[] {BigInteger.ONE},
        new BigInteger[] {BigInteger.ONE}, 64, RND);
    refused(new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, small, h.categoryProof, h.bandProof,
        h.feeLink), "fee range proof has the wrong shape");
  }

  private static StatsContribution withCategoryProof(StatsContribution h, OneHotProof p) {
    return new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, h.range, p, h.bandProof, h.feeLink);
  }

  private static StatsContribution withFeeLink(StatsContribution h, FeeLink f) {
    return new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, h.range, h.categoryProof, h.bandProof, f);
  }
}
