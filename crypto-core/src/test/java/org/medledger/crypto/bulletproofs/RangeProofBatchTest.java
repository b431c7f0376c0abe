package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.crypto.bulletproofs.RangeProofTest.blindings;
import static org.medledger.crypto.bulletproofs.RangeProofTest.commit;
import static org.medledger.crypto.bulletproofs.RangeProofTest.context;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.ec.Secp256k1;

/**
 * Batch verification ({@link RangeProof#verifyBatch}): a batch of valid proofs of mixed sizes is
 * accepted and leaves every transcript as single verification does; a forged proof among 16
 * makes the batch fail and is named, and exactly it fails when the proofs are re-checked one by
 * one; malformed statements are refused before any group operation.
 */
class RangeProofBatchTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final BigInteger Q = Secp256k1.ORDER;
  private static final int[][] SHAPES = {{64, 2}, {8, 1}, {16, 2}, {32, 1}, {8, 4}, {64, 1}, {16, 1}, {8, 2}};

  /** A statement and its proof; forged ones prove an out-of-range value without the range check. */
  private static final class Case {
    final int bits;
    final ECPoint[] commitments;
    final RangeProof proof;
    final String label;

    Case(int index, boolean forged) {
      int[] shape = SHAPES[index % SHAPES.length];
      bits = shape[0];
      label = "batch-" + index;
      BigInteger[] v = new BigInteger[shape[1]];
      for (int j = 0; j < v.length; j++) {
        v[j] = BigInteger.valueOf(1000L * index + j).mod(BigInteger.ONE.shiftLeft(bits));
      }
      if (forged) {
        v[v.length - 1] = Q.subtract(BigInteger.ONE); // −1, the classic negative amount
      }
      BigInteger[] g = blindings(v.length);
      commitments = commit(v, g);
      proof = forged
          ? RangeProof.proveUnchecked(context(label), v, g, bits, RND)
          : RangeProof.prove(context(label), v, g, bits, RND);
    }

    RangeProof.BatchEntry entry() {
      return new RangeProof.BatchEntry(proof, context(label), commitments, bits);
    }
  }

  private static List<Case> cases(int count, int... forged) {
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean f = false;
      for (int k : forged) {
        f |= k == i;
      }
      out.add(new Case(i, f));
    }
    return out;
  }

  private static List<RangeProof.BatchEntry> entries(List<Case> cases) {
    List<RangeProof.BatchEntry> out = new ArrayList<>();
    for (Case c : cases) {
      out.add(c.entry());
    }
    return out;
  }

  /** The indices whose proofs fail when verified one by one, each on a fresh transcript. */
  private static List<Integer> individuallyInvalid(List<Case> cases) {
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      try {
        c.proof.verify(context(c.label), c.commitments, c.bits);
      } catch (ProofException e) {
        bad.add(i);
      }
    }
    return bad;
  }

  @Test
  void validProofsOfMixedSizesPassAndAdvanceTranscriptsAsVerifyDoes() {
    List<Case> cases = cases(10);
    List<RangeProof.BatchEntry> batch = entries(cases);
    List<Transcript> after = new ArrayList<>();
    for (RangeProof.BatchEntry e : batch) {
      after.add(e.transcript);
    }
    RangeProof.verifyBatch(batch, RND);
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Transcript single = context(c.label);
      c.proof.verify(single, c.commitments, c.bits);
      assertEquals(single.challengeBits("next", 256), after.get(i).challengeBits("next", 256), "transcript " + i);
    }
  }

  @Test
  void oneForgedProofAmongSixteenFailsTheBatchAndIsNamed() {
    List<Case> cases = cases(16, 11);
    assertEquals(List.of(11), individuallyInvalid(cases), "re-checked one by one, only 11 fails");
    ProofException e = assertThrows(ProofException.class, () -> RangeProof.verifyBatch(entries(cases), RND));
    assertEquals(RangeProof.INVALID, e.code());
    assertTrue(e.getMessage().contains("indices [11]"), e.getMessage());
  }

  @Test
  void everyForgedOrTamperedProofIsNamed() {
    List<Case> cases = cases(6, 0, 4);
    // Entry 2 is honest but checked against another commitment; entry 5 has its L_1 and R_1 swapped.
    Case c2 = cases.get(2);
    ECPoint[] other = c2.commitments.clone();
    other[0] = other[0].add(Secp256k1.G);
    List<RangeProof.BatchEntry> batch = entries(cases);
    batch.set(2, new RangeProof.BatchEntry(c2.proof, context(c2.label), other, c2.bits));
    Case c5 = cases.get(5);
    ECPoint[] ls = c5.proof.ls();
    ECPoint[] rs = c5.proof.rs();
    ECPoint l0 = ls[0];
    ls[0] = rs[0];
    rs[0] = l0;
    batch.set(5, new RangeProof.BatchEntry(c5.proof.withLR(ls, rs), context(c5.label), c5.commitments, c5.bits));
    ProofException e = assertThrows(ProofException.class, () -> RangeProof.verifyBatch(batch, RND));
    assertEquals(RangeProof.INVALID, e.code());
    assertTrue(e.getMessage().contains("indices [0, 2, 4, 5]"), e.getMessage());
  }

  @Test
  void proofsOfTwoValidStatementsSwappedBetweenThemFail() {
    // Two valid proofs presented against each other's statements (same n and m): both fail.
    List<Case> cases = cases(3);
    Case a = cases.get(0);
    Case b = new Case(SHAPES.length, false); // same shape as case 0
    List<RangeProof.BatchEntry> batch = new ArrayList<>();
    batch.add(new RangeProof.BatchEntry(a.proof, context(b.label), b.commitments, b.bits));
    batch.add(cases.get(1).entry());
    batch.add(new RangeProof.BatchEntry(b.proof, context(a.label), a.commitments, a.bits));
    ProofException e = assertThrows(ProofException.class, () -> RangeProof.verifyBatch(batch, RND));
    assertTrue(e.getMessage().contains("indices [0, 2]"), e.getMessage());
  }

  @Test
  void malformedStatementsAreRefusedWithTheirIndex() {
    List<Case> cases = cases(6);
    List<RangeProof.BatchEntry> batch = entries(cases);
    Case c = cases.get(3);
    batch.set(3, new RangeProof.BatchEntry(c.proof, context(c.label), c.commitments, c.bits == 64 ? 32 : 64));
    MalformedInputException e =
        assertThrows(MalformedInputException.class, () -> RangeProof.verifyBatch(batch, RND));
    assertEquals(RangeProof.PARAMS, e.code());
    assertTrue(e.getMessage().contains("batch entry 3"), e.getMessage());

    List<RangeProof.BatchEntry> infinity = entries(cases);
    ECPoint[] withInfinity = cases.get(1).commitments.clone();
    withInfinity[0] = Secp256k1.CURVE.getInfinity();
    infinity.set(1, new RangeProof.BatchEntry(cases.get(1).proof, context("x"), withInfinity, cases.get(1).bits));
    MalformedInputException f =
        assertThrows(MalformedInputException.class, () -> RangeProof.verifyBatch(infinity, RND));
    assertEquals("MALFORMED_POINT", f.code());
    assertTrue(f.getMessage().contains("batch entry 1"), f.getMessage());

    assertThrows(MalformedInputException.class, () -> RangeProof.verifyBatch(List.of(), RND));
    List<RangeProof.BatchEntry> withNull = entries(cases);
    withNull.set(2, null);
    assertThrows(MalformedInputException.class, () -> RangeProof.verifyBatch(withNull, RND));
  }

  // Deterministic weights (chaincode): squeezed from a transcript of the whole batch.

  @Test
  void deterministicWeightsAcceptValidProofsAndNameAForgedOne() {
    List<Case> valid = cases(10);
    RangeProof.verifyBatch(entries(valid), new Transcript("test/batch").appendString("ctx", "a"));
    List<Case> cases = cases(16, 11);
    ProofException e = assertThrows(ProofException.class,
        () -> RangeProof.verifyBatch(entries(cases), new Transcript("test/batch").appendString("ctx", "a")));
    assertEquals(RangeProof.INVALID, e.code());
    assertTrue(e.getMessage().contains("indices [11]"), e.getMessage());
  }

  @Test
  void deterministicWeightsRefuseSwappedProofsAndEmptyBatches() {
    List<Case> cases = cases(4);
    List<RangeProof.BatchEntry> batch = entries(cases);
    // Two valid proofs of the same shape (SHAPES[0] = SHAPES[8 % 8]) swapped between their statements.
    List<Case> same = cases(9);
    Case a = same.get(0);
    Case b = same.get(8);
    List<RangeProof.BatchEntry> swapped = entries(same);
    swapped.set(0, new RangeProof.BatchEntry(b.proof, context(a.label), a.commitments, a.bits));
    swapped.set(8, new RangeProof.BatchEntry(a.proof, context(b.label), b.commitments, b.bits));
    assertThrows(ProofException.class, () -> RangeProof.verifyBatch(swapped, new Transcript("test/batch")));
    assertThrows(MalformedInputException.class, () -> RangeProof.verifyBatch(List.of(), new Transcript("test/batch")));
    RangeProof.verifyBatch(batch, new Transcript("test/batch"));
  }
}
