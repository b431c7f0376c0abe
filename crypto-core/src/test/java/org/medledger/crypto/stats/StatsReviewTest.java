package org.medledger.crypto.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE;
import static org.medledger.crypto.stats.StatsFixtures.COMMITTEE_SK;
import static org.medledger.crypto.stats.StatsFixtures.CTX;
import static org.medledger.crypto.stats.StatsFixtures.RND;
import static org.medledger.crypto.stats.StatsFixtures.oneHot;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.UncheckedRangeProver;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierCiphertext;

/**
 * Adversarial review of the statistical contribution (docs/protocol.md §11): the context encoding is
 * injective, fractional and curve-order-shifted values are refused, a third party cannot change the
 * sign of a proof's group element, and a sign the prover hides in the n-th-residue part of a
 * ciphertext does not change its plaintext (§11.3, "Why the batch is sound").
 */
class StatsReviewTest {
  private static final int L = IcdChapter.COUNT;
  private static final int B = AgeBand.COUNT;
  private static final BigInteger FEE = BigInteger.valueOf(5_000);

  private static StatsContribution forge(BigInteger[] cat, BigInteger[] band, BigInteger feeEnc, BigInteger feeCommit) {
    return StatsContribution.proveUnchecked(COMMITTEE, CTX, cat, band, feeEnc, feeCommit, RND, UncheckedRangeProver::prove);
  }

  private static void refused(StatsContribution c, String expected) {
    ProofException e = assertThrows(ProofException.class, () -> c.verify(COMMITTEE, CTX));
    assertEquals(StatsContribution.INVALID, e.code());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  // ------------------------------------------------------------------------------- context

  @Test
  void aContextFieldThatIsNotWellFormedUnicodeIsRefused() {
    // String.getBytes(UTF_8) replaces a lone surrogate by '?', so "rec-\uD800" and "rec-?" had the same
    // bytes, the same transcript and so accepted each other's proofs. Every field must encode injectively.
    assertArrayEquals("rec-?".getBytes(StandardCharsets.UTF_8), "rec-\uD800".getBytes(StandardCharsets.UTF_8));
    for (String bad : new String[] {"rec-\uD800", "rec-\uDC00", "\uDC00\uD800", "x\uD83D"}) {
      assertThrows(IllegalArgumentException.class, () -> new StatsContext(bad, "medledger", "rec-1", "h", "2026-11"));
      assertThrows(IllegalArgumentException.class, () -> new StatsContext("ch", bad, "rec-1", "h", "2026-11"));
      assertThrows(IllegalArgumentException.class, () -> new StatsContext("ch", "medledger", bad, "h", "2026-11"));
      assertThrows(IllegalArgumentException.class, () -> new StatsContext("ch", "medledger", "rec-1", bad, "2026-11"));
    }
    // A proper pair (one supplementary character, four UTF-8 bytes) is well-formed and kept apart from '?'.
    StatsContext pair = new StatsContext("ch", "medledger", "rec-\uD83D\uDE00", "h", "2026-11");
    StatsContext ascii = new StatsContext("ch", "medledger", "rec-?", "h", "2026-11");
    assertTrue(pair.toBytes().length == ascii.toBytes().length + 3);
  }

  // ------------------------------------------------------------------------------ one-hot

  @Test
  void twoHalvesThatSumToOneAreRefused() {
    // 2⁻¹ + 2⁻¹ ≡ 1 (mod n): the sum proof alone would pass; each entry fails its bit proof.
    BigInteger half = BigInteger.TWO.modInverse(COMMITTEE.n());
    BigInteger[] cat = oneHot(L);
    cat[2] = half;
    cat[5] = half;
    refused(forge(cat, oneHot(B, 2), FEE, FEE), "categories: entry 2 is not shown to encrypt 0 or 1");
    BigInteger[] band = oneHot(B);
    band[9] = half;
    band[0] = half;
    refused(forge(oneHot(L, 1), band, FEE, FEE), "age bands: entry 0 is not shown to encrypt 0 or 1");
  }

  @Test
  void aThirdPartyCannotChangeTheSignOfAProofElement() {
    // Every first message is hashed before the challenge, so −a changes e and every equation: unlike a
    // sign the prover chooses before hashing (below), a sign flipped afterwards is always refused.
    StatsContribution h = StatsFixtures.honest();
    BigInteger n2 = COMMITTEE.nSquared();
    int one = StatsFixtures.CHAPTER.index();
    for (int j : new int[] {0, one}) {
      OneHotProof p = h.categoryProof;
      BigInteger[] a0 = p.a0.clone();
      a0[j] = n2.subtract(a0[j]);
      StatsContribution c = new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, h.range,
          new OneHotProof(a0, p.a1, p.s, p.e0, p.z0, p.z1, p.zs), h.bandProof, h.feeLink);
      refused(c, "categories");
    }
    OneHotProof p = h.bandProof;
    StatsContribution negS = new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, h.range,
        h.categoryProof, new OneHotProof(p.a0, p.a1, n2.subtract(p.s), p.e0, p.z0, p.z1, p.zs), h.feeLink);
    refused(negS, "age bands");
    FeeLink f = h.feeLink;
    StatsContribution negA = new StatsContribution(h.category, h.band, h.fee, h.feeCommitment, h.range,
        h.categoryProof, h.bandProof, new FeeLink(n2.subtract(f.a), f.ec, f.z, f.zBeta, f.zKappa));
    refused(negA, "fee");
  }

  @Test
  void aSignHiddenInACiphertextByTheProverDoesNotChangeItsPlaintext() {
    // −1 = (−1)^n is an n-th residue: the prover can encrypt entry 0 as −Enc(0; ρ), whose real-branch
    // equation then holds only up to (−1)^e. The batch accepts such a proof for about half the weights,
    // which §11.3 says is harmless: the plaintext part, which the statement is about, is unchanged.
    BigInteger n2 = COMMITTEE.nSquared();
    BigInteger[] m = oneHot(L, 4);
    BigInteger[] rho = new BigInteger[L];
    PaillierCiphertext[] c = new PaillierCiphertext[L];
    for (int j = 0; j < L; j++) {
      rho[j] = COMMITTEE.randomRho(RND);
      c[j] = COMMITTEE.encryptWith(m[j], rho[j]);
    }
    c[0] = COMMITTEE.ciphertext(n2.subtract(c[0].value()));
    Transcript base = new Transcript("medledger/test/stats-review").appendString("case", "sign");
    OneHotProof accepted = null;
    for (int attempt = 0; attempt < 40 && accepted == null; attempt++) {
      Transcript t = base.fork().appendLong("attempt", attempt);
      OneHotProof p = OneHotProof.prove(t.fork(), COMMITTEE, c, m, rho, RND);
      try {
        p.verify(t.fork(), COMMITTEE, c, "categories");
        accepted = p;
      } catch (ProofException refusedThisTime) {
        // the weights (or e) were odd; try again
      }
    }
    assertNotNull(accepted, "no attempt passed: the verifier refuses every sign, which §11.3 does not claim");
    assertEquals(BigInteger.ZERO, COMMITTEE_SK.decrypt(c[0]));
    BigInteger sum = BigInteger.ZERO;
    for (PaillierCiphertext x : c) {
      sum = sum.add(COMMITTEE_SK.decrypt(x));
    }
    assertEquals(BigInteger.ONE, sum);
  }

  // ------------------------------------------------------------------------------ packing

  @Test
  void packingValidatesEveryCiphertextBeforeItsFirstPower() {
    // packCiphertexts is public: it checked counter i only after the powers for slots 31..i+1, and a
    // null counter surfaced as a NullPointerException. Every input is now refused up front, with its code.
    StatsContribution h = StatsFixtures.honest();
    PaillierCiphertext[] counters = new PaillierCiphertext[SlotLayout.COUNTERS];
    System.arraycopy(h.category, 0, counters, 0, L);
    System.arraycopy(h.band, 0, counters, L, B);
    PaillierCiphertext[] withNull = counters.clone();
    withNull[0] = null;
    assertEquals("MALFORMED_CIPHERTEXT", assertThrows(org.medledger.crypto.MalformedInputException.class,
        () -> SlotLayout.packCiphertexts(COMMITTEE, withNull, h.fee)).code());
    assertEquals("MALFORMED_CIPHERTEXT", assertThrows(org.medledger.crypto.MalformedInputException.class,
        () -> SlotLayout.packCiphertexts(COMMITTEE, counters, null)).code());
    PaillierCiphertext[] foreign = counters.clone();
    foreign[0] = org.medledger.crypto.paillier.UncheckedCiphertexts.of(COMMITTEE.n(), COMMITTEE.bits());
    assertEquals("MALFORMED_CIPHERTEXT", assertThrows(org.medledger.crypto.MalformedInputException.class,
        () -> SlotLayout.packCiphertexts(COMMITTEE, foreign, h.fee)).code());
    assertEquals(h.packed(COMMITTEE), SlotLayout.packCiphertexts(COMMITTEE, counters, h.fee));
  }

  // ----------------------------------------------------------------------------- encoding

  @Test
  void anEmbeddedRangeProofHeaderOfAnotherShapeIsRefusedWithItsOwnCode() {
    byte[] enc = StatsFixtures.honest().toBytes();
    int off = StatsContribution.HEADER_BYTES + (SlotLayout.COUNTERS + 1) * (2 * COMMITTEE.bits() / 8) + 33;
    for (int field : new int[] {1, 2}) {
      byte[] bad = enc.clone();
      bad[off + field] = (byte) (field == 1 ? 32 : 4);
      org.medledger.crypto.MalformedInputException e = assertThrows(org.medledger.crypto.MalformedInputException.class,
          () -> StatsContribution.fromBytes(bad, COMMITTEE));
      assertEquals("RANGE_PROOF_PARAMS", e.code());
    }
    byte[] version = enc.clone();
    version[off] = 99;
    assertEquals("MALFORMED_RANGE_PROOF", assertThrows(org.medledger.crypto.MalformedInputException.class,
        () -> StatsContribution.fromBytes(version, COMMITTEE)).code());
  }

  // ---------------------------------------------------------------------------------- fee

  @Test
  void feesShiftedByTheCurveOrderAreRefused() {
    BigInteger q = Secp256k1.ORDER;
    // V holds FEE (FEE + q is the same point), C_f the integer FEE + q: the same fee mod q, not mod n.
    refused(forge(oneHot(L, 1), oneHot(B, 1), FEE.add(q), FEE), "fee");
    // 2^40 + q is 2^40 on the curve, q − 1 is −1: out of range there, and as integers far outside z's window.
    BigInteger over = BigInteger.ONE.shiftLeft(40).add(q);
    refused(forge(oneHot(L, 1), oneHot(B, 1), over, over), "fee");
    BigInteger minus = q.subtract(BigInteger.ONE);
    refused(forge(oneHot(L, 1), oneHot(B, 1), minus, minus), "fee");
  }
}
