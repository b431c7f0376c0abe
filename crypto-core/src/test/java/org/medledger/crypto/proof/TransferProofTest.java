package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.bulletproofs.UncheckedRangeProver;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/** Honest paths and the malicious-prover suite of the transfer bundle (docs/protocol.md §4.3). */
class TransferProofTest {
  private static final long BALANCE = 1_000_000L;
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey payer = TestKeys.key2048a();
  private final PaillierSecretKey payee = TestKeys.key2048b();
  private final PaillierSecretKey regulator = TestKeys.key2048c();
  private final TransferContext ctx = new TransferContext("medchannel", "medledger", "acct-A", "acct-B", 5);

  private TransferStatement statement(long balance, TransferContext c) {
    PaillierCiphertext old = payer.publicKey().encrypt(balance, rnd);
    return new TransferStatement(payer.publicKey(), payee.publicKey(), regulator.publicKey(), old, c);
  }

  private static final TransferProof.RangeProver UNCHECKED = UncheckedRangeProver::prove;

  @Test
  void honestTransferVerifiesAndEveryPartyDecryptsTheAmount() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 12_345L, rnd);
    PaillierCiphertext newBalance = p.verify(st);
    assertEquals(BigInteger.valueOf(BALANCE - 12_345L), payer.decrypt(newBalance));
    assertEquals(BigInteger.valueOf(12_345L), payer.decrypt(p.amountForPayer()));
    assertEquals(BigInteger.valueOf(12_345L), payee.decrypt(p.amountForPayee()));
    assertEquals(BigInteger.valueOf(12_345L), regulator.decrypt(p.amountForRegulator()));
  }

  @Test
  void boundaryAmountsVerify() {
    TransferStatement st = statement(BALANCE, ctx);
    assertEquals(BigInteger.valueOf(BALANCE - 1), payer.decrypt(TransferProof.prove(st, payer, 1L, rnd).verify(st)));
    assertEquals(BigInteger.ZERO, payer.decrypt(TransferProof.prove(st, payer, BALANCE, rnd).verify(st)));
    TransferStatement max = statement(Long.MAX_VALUE, ctx);
    assertEquals(BigInteger.ZERO, payer.decrypt(TransferProof.prove(max, payer, Long.MAX_VALUE, rnd).verify(max)));
  }

  @Test
  void encodingRoundTripsByteForByteAndStillVerifies() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 777L, rnd);
    byte[] enc = p.toBytes();
    TransferProof back = TransferProof.fromBytes(enc, payer.publicKey(), payee.publicKey(), regulator.publicKey());
    assertArrayEquals(enc, back.toBytes());
    back.verify(st);
  }

  @Test
  void honestProverRefusesBadAmounts() {
    TransferStatement st = statement(100, ctx);
    assertThrows(IllegalArgumentException.class, () -> TransferProof.prove(st, payer, 0L, rnd));
    assertThrows(IllegalArgumentException.class, () -> TransferProof.prove(st, payer, -5L, rnd));
    assertThrows(IllegalArgumentException.class, () -> TransferProof.prove(st, payer, 101L, rnd));
    assertThrows(IllegalArgumentException.class, () -> TransferProof.prove(st, payee, 1L, rnd));
  }

  // ---------------------------------------------------------------- malicious provers

  @Test
  void overdraftIsRejected() {
    // Pays 150 from a balance of 100: the new balance is −50, committed as q − 50.
    TransferStatement st = statement(100, ctx);
    TransferProof p = TransferProof.proveUnchecked(st, payer, BigInteger.valueOf(150), BigInteger.valueOf(-50), rnd, UNCHECKED);
    assertInvalid(p, st, "range proof");
  }

  @Test
  void overdraftWithAWrappedNewBalanceIsRejected() {
    // The same overdraft, claiming the Paillier-wrapped value n − 50 as the new balance.
    TransferStatement st = statement(100, ctx);
    BigInteger wrapped = payer.publicKey().n().subtract(BigInteger.valueOf(50));
    TransferProof p = TransferProof.proveUnchecked(st, payer, BigInteger.valueOf(150), wrapped, rnd, UNCHECKED);
    assertInvalid(p, st, null);
  }

  @Test
  void zeroAndNegativeAmountsAreRejected() {
    TransferStatement st = statement(100, ctx);
    TransferProof zero = TransferProof.proveUnchecked(st, payer, BigInteger.ZERO, BigInteger.valueOf(100), rnd, UNCHECKED);
    assertInvalid(zero, st, "range proof");
    // "−5": pays n − 5 so that the payer's balance grows by 5.
    TransferProof neg = TransferProof.proveUnchecked(st, payer, BigInteger.valueOf(-5), BigInteger.valueOf(105), rnd, UNCHECKED);
    assertInvalid(neg, st, null);
  }

  @Test
  void amountAtOrAbove2To64IsRejected() {
    TransferStatement st = statement(100, ctx);
    BigInteger big = BigInteger.ONE.shiftLeft(64).add(BigInteger.ONE);
    TransferProof p = TransferProof.proveUnchecked(st, payer, big, BigInteger.valueOf(100), rnd, UNCHECKED);
    assertInvalid(p, st, null);
  }

  @Test
  void wrongAmountOnOneCopyIsRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    BigInteger t = BigInteger.valueOf(10);
    BigInteger rest = BigInteger.valueOf(BALANCE - 10);
    BigInteger more = BigInteger.valueOf(1_000);
    assertInvalid(TransferProof.proveUnchecked(st, payer, t, t, more, t, rest, rnd, UNCHECKED), st, "payee copy");
    assertInvalid(TransferProof.proveUnchecked(st, payer, t, t, t, BigInteger.ONE, rest, rnd, UNCHECKED), st, "regulator copy");
    assertInvalid(TransferProof.proveUnchecked(st, payer, t, more, t, t, rest, rnd, UNCHECKED), st, "payer-key");
  }

  @Test
  void halfAttackIsRejected() {
    // Every copy encrypts 2⁻¹ modulo its own n, and the prover answers z = α + e/2 for even e.
    // The Paillier equations then hold for all three keys, so the curve equation must pin z.
    TransferStatement st = statement(BALANCE, ctx);
    HalfAttack attack = new HalfAttack(st);
    TransferProof withHalfCommitted = attack.prove(true);
    assertInvalid(withHalfCommitted, st, "range proof");
    TransferProof withSmallCommitted = attack.prove(false);
    assertInvalid(withSmallCommitted, st, "amount commitment link");
  }

  @Test
  void replayInAnotherContextIsRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 500L, rnd);
    TransferContext[] others = {
      new TransferContext("otherchannel", "medledger", "acct-A", "acct-B", 5),
      new TransferContext("medchannel", "otherchaincode", "acct-A", "acct-B", 5),
      new TransferContext("medchannel", "medledger", "acct-X", "acct-B", 5),
      new TransferContext("medchannel", "medledger", "acct-A", "acct-Y", 5),
      new TransferContext("medchannel", "medledger", "acct-A", "acct-B", 6),
    };
    for (TransferContext other : others) {
      TransferStatement moved = new TransferStatement(st.payerKey(), st.payeeKey(), st.regulatorKey(), st.oldBalance(), other);
      assertInvalid(p, moved, null);
    }
  }

  @Test
  void reuseAfterTheBalanceMovedIsRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 500L, rnd);
    PaillierCiphertext credited = payer.publicKey().add(st.oldBalance(), payer.publicKey().encrypt(1L, rnd));
    assertInvalid(p, new TransferStatement(st.payerKey(), st.payeeKey(), st.regulatorKey(), credited, ctx), null);
    PaillierCiphertext same = payer.publicKey().rerandomize(st.oldBalance(), rnd);
    assertInvalid(p, new TransferStatement(st.payerKey(), st.payeeKey(), st.regulatorKey(), same, ctx), null);
  }

  @Test
  void proofAgainstSwappedKeysIsRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 500L, rnd);
    TransferStatement swapped = new TransferStatement(st.payerKey(), st.regulatorKey(), st.payeeKey(), st.oldBalance(), ctx);
    assertThrows(CryptoException.class, () -> p.verify(swapped));
    TransferStatement selfPay = new TransferStatement(st.payerKey(), st.payerKey(), st.regulatorKey(), st.oldBalance(), ctx);
    assertInvalid(p, selfPay, "pairwise distinct");
    TransferStatement payeeIsRegulator = new TransferStatement(st.payerKey(), st.regulatorKey(), st.regulatorKey(),
        st.oldBalance(), ctx);
    assertInvalid(p, payeeIsRegulator, "pairwise distinct");
    assertThrows(IllegalArgumentException.class, () -> TransferProof.prove(payeeIsRegulator, payer, 1L, rnd));
  }

  @Test
  void everyFlippedByteIsRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    byte[] enc = TransferProof.prove(st, payer, 4_242L, rnd).toBytes();
    int accepted = 0;
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      try {
        TransferProof.fromBytes(bad, payer.publicKey(), payee.publicKey(), regulator.publicKey()).verify(st);
        accepted++;
      } catch (CryptoException expected) {
        // refused by the decoder or the verifier
      }
    }
    assertEquals(0, accepted, "flipped bytes accepted");
  }

  @Test
  void oversizedAndTruncatedEncodingsAreRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    byte[] enc = TransferProof.prove(st, payer, 1L, rnd).toBytes();
    byte[] longer = java.util.Arrays.copyOf(enc, enc.length + 1);
    byte[] shorter = java.util.Arrays.copyOf(enc, enc.length - 1);
    for (byte[] bad : new byte[][] {longer, shorter, new byte[0], new byte[] {0x30, 0x01}}) {
      assertThrows(MalformedInputException.class,
          () -> TransferProof.fromBytes(bad, payer.publicKey(), payee.publicKey(), regulator.publicKey()));
    }
    assertThrows(MalformedInputException.class,
        () -> TransferProof.fromBytes(enc, TestKeys.key3072().publicKey(), payee.publicKey(), regulator.publicKey()));
  }

  @Test
  void oversizedResponsesAreRejected() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 9L, rnd);
    BigInteger tooBig = BigInteger.ONE.shiftLeft(TransferProof.Z_BITS);
    TransferProof bigZ = new TransferProof(p.cA, p.cB, p.cR, p.vT, p.vN, p.range, p.a1, p.a2, p.aB, p.aR, p.ecT, p.ecN,
        p.zT.add(tooBig), p.zN, p.w1, p.w2, p.zBetaB, p.zBetaR, p.zKappaT, p.zKappaN);
    assertInvalid(bigZ, st, "integer response");
    TransferProof bigBeta = new TransferProof(p.cA, p.cB, p.cR, p.vT, p.vN, p.range, p.a1, p.a2, p.aB, p.aR, p.ecT, p.ecN,
        p.zT, p.zN, p.w1, p.w2, p.zBetaB.shiftLeft(200), p.zBetaR, p.zKappaT, p.zKappaN);
    assertInvalid(bigBeta, st, "randomness response");
    TransferProof zeroW = new TransferProof(p.cA, p.cB, p.cR, p.vT, p.vN, p.range, p.a1, p.a2, p.aB, p.aR, p.ecT, p.ecN,
        p.zT, p.zN, BigInteger.ZERO, p.w2, p.zBetaB, p.zBetaR, p.zKappaT, p.zKappaN);
    assertInvalid(zeroW, st, "w1");
  }

  // ------------------------------------------------------------------------------------------
  // The verifier as the chaincode runs it: payee and regulator keys read back with their stored
  // h_s, and (for keys seen before) with the fixed-base table of h_s (docs/protocol.md §4.3).

  /** A key as the chaincode holds it: decoded, h_s read back from its stored encoding, optionally with a table. */
  private static PaillierPublicKey asStored(PaillierPublicKey k, byte[] hs, boolean table) {
    PaillierPublicKey read = PaillierPublicKey.fromBytes(k.toBytes()).withStoredHs(hs);
    return table ? read.precompute() : read;
  }

  private TransferStatement verifierStatement(TransferStatement st, PaillierPublicKey pkB, PaillierPublicKey pkR) {
    PaillierPublicKey pkA = PaillierPublicKey.fromBytes(st.payerKey().toBytes());
    return new TransferStatement(pkA, pkB, pkR, pkA.ciphertext(st.oldBalance().value()), st.context());
  }

  @Test
  void fixedBaseVerifierGivesTheSameNewBalanceAsThePlainOne() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 4_321L, rnd);
    PaillierCiphertext plain = p.verify(verifierStatement(st, PaillierPublicKey.fromBytes(payee.publicKey().toBytes()),
        PaillierPublicKey.fromBytes(regulator.publicKey().toBytes())));
    for (boolean table : new boolean[] {false, true}) {
      TransferStatement vs = verifierStatement(st, asStored(payee.publicKey(), payee.publicKey().hsToBytes(), table),
          asStored(regulator.publicKey(), regulator.publicKey().hsToBytes(), table));
      assertEquals(table, vs.payeeKey().isPrecomputed());
      assertEquals(plain, p.verify(vs));
    }
  }

  @Test
  void forgedPayeeAndRegulatorCopiesAreRefusedInFixedBaseForm() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferStatement vs = verifierStatement(st, asStored(payee.publicKey(), payee.publicKey().hsToBytes(), true),
        asStored(regulator.publicKey(), regulator.publicKey().hsToBytes(), true));
    BigInteger t = BigInteger.valueOf(10);
    BigInteger rest = BigInteger.valueOf(BALANCE - 10);
    BigInteger more = BigInteger.valueOf(1_000);
    assertInvalid(TransferProof.proveUnchecked(st, payer, t, t, more, t, rest, rnd, UNCHECKED), vs, "payee copy");
    assertInvalid(TransferProof.proveUnchecked(st, payer, t, t, t, BigInteger.ONE, rest, rnd, UNCHECKED), vs, "regulator copy");
    // A payee copy one below T, written as T + n_B − 1 (equal modulo n_B to T − 1).
    BigInteger wrapped = t.add(pkMinusOne(payee.publicKey()));
    assertInvalid(TransferProof.proveUnchecked(st, payer, t, t, wrapped, t, rest, rnd, UNCHECKED), vs, "payee copy");
  }

  private static BigInteger pkMinusOne(PaillierPublicKey k) {
    return k.n().subtract(BigInteger.ONE);
  }

  @Test
  void halfAttackIsRefusedInFixedBaseForm() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferStatement vs = verifierStatement(st, asStored(payee.publicKey(), payee.publicKey().hsToBytes(), true),
        asStored(regulator.publicKey(), regulator.publicKey().hsToBytes(), true));
    HalfAttack attack = new HalfAttack(st);
    assertInvalid(attack.prove(true), vs, "range proof");
    assertInvalid(attack.prove(false), vs, "amount commitment link");
  }

  @Test
  void wrongStoredHsRefusesEvenHonestBundles() {
    // h_s·(1+n) passes the cheap read checks (StoredHsTest); the payee or regulator equation then fails.
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 99L, rnd);
    for (boolean table : new boolean[] {false, true}) {
      PaillierPublicKey b = payee.publicKey();
      PaillierPublicKey r = regulator.publicKey();
      byte[] badB = Bytes.fixed(b.hs().multiply(BigInteger.ONE.add(b.n())).mod(b.nSquared()), 2 * b.bits() / 8);
      byte[] badR = Bytes.fixed(r.hs().multiply(BigInteger.ONE.add(r.n())).mod(r.nSquared()), 2 * r.bits() / 8);
      assertInvalid(p, verifierStatement(st, asStored(b, badB, table), asStored(r, r.hsToBytes(), table)), "payee copy");
      assertInvalid(p, verifierStatement(st, asStored(b, b.hsToBytes(), table), asStored(r, badR, table)), "regulator copy");
    }
  }

  @Test
  void hsOfAnotherKeyIsRefused() {
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = TransferProof.prove(st, payer, 99L, rnd);
    PaillierPublicKey b = payee.publicKey();
    PaillierPublicKey r = regulator.publicKey();
    // Either the read refuses it (size, range, Jacobi symbol) or the equation under that key fails.
    CryptoException e1 = assertThrows(CryptoException.class,
        () -> p.verify(verifierStatement(st, asStored(b, r.hsToBytes(), true), asStored(r, r.hsToBytes(), true))));
    assertTrue(e1.code().equals("MALFORMED_KEY") || e1.code().equals("TRANSFER_PROOF_INVALID"), e1.code());
    CryptoException e2 = assertThrows(CryptoException.class,
        () -> p.verify(verifierStatement(st, asStored(b, b.hsToBytes(), false), asStored(r, payer.publicKey().hsToBytes(), false))));
    assertTrue(e2.code().equals("MALFORMED_KEY") || e2.code().equals("TRANSFER_PROOF_INVALID"), e2.code());
  }

  @Test
  void nonUnitHsIsRefusedBeforeAnyExponentiation() {
    PaillierPublicKey b = payee.publicKey();
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> asStored(b, Bytes.fixed(b.n().multiply(BigInteger.valueOf(3)), 2 * b.bits() / 8), true));
    assertEquals("MALFORMED_KEY", e.code());
  }

  private static void assertInvalid(TransferProof p, TransferStatement st, String fragment) {
    ProofException e = assertThrows(ProofException.class, () -> p.verify(st));
    assertEquals("TRANSFER_PROOF_INVALID", e.code());
    if (fragment != null) {
      assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
  }

  /** A malicious payer mounting the 2⁻¹ attack against the link Σ-protocol. */
  final class HalfAttack {
    private final TransferStatement st;

    HalfAttack(TransferStatement st) {
      this.st = st;
    }

    TransferProof prove(boolean commitHalf) {
      PaillierPublicKey pkA = st.payerKey();
      PaillierPublicKey pkB = st.payeeKey();
      PaillierPublicKey pkR = st.regulatorKey();
      BigInteger q = Secp256k1.ORDER;
      BigInteger rhoA = pkA.randomRho(rnd);
      BigInteger rhoB = pkB.randomRho(rnd);
      BigInteger rhoR = pkR.randomRho(rnd);
      PaillierCiphertext cA = pkA.encryptWith(BigInteger.TWO.modInverse(pkA.n()), rhoA);
      PaillierCiphertext cB = pkB.encryptWith(BigInteger.TWO.modInverse(pkB.n()), rhoB);
      PaillierCiphertext cR = pkR.encryptWith(BigInteger.TWO.modInverse(pkR.n()), rhoR);
      BigInteger v = commitHalf ? BigInteger.TWO.modInverse(q) : BigInteger.ONE;
      // C_new = C_old / C_A holds BALANCE − 2⁻¹; the attacker commits its curve counterpart.
      BigInteger newBal = BigInteger.valueOf(BALANCE).subtract(v).mod(q);
      BigInteger gT = BigInteger.valueOf(11);
      BigInteger gN = BigInteger.valueOf(13);
      ECPoint vT = Secp256k1.commit(v.subtract(BigInteger.ONE), gT);
      ECPoint vN = Secp256k1.commit(newBal, gN);
      Transcript t0 = TransferProof.statementTranscript(st, cA, cB, cR, vT, vN);
      RangeProof range = UncheckedRangeProver.prove(TransferProof.rangeTranscript(t0),
          new BigInteger[] {v.subtract(BigInteger.ONE).mod(q), newBal}, new BigInteger[] {gT, gN}, 64, rnd);
      PaillierCiphertext cNew = TransferProof.newBalance(st, cA);
      BigInteger uNew = payer.randomnessOf(cNew);
      for (int attempt = 0; attempt < 200; attempt++) {
        BigInteger alphaT = new BigInteger(TransferProof.Z_BITS - 1, rnd);
        BigInteger alphaN = new BigInteger(TransferProof.Z_BITS - 1, rnd);
        BigInteger beta1 = new BigInteger(TransferProof.betaBits(pkA), rnd);
        PaillierSecretKey.NthResidue r2 = payer.randomNthResidue(rnd);
        BigInteger betaB = new BigInteger(TransferProof.betaBits(pkB), rnd);
        BigInteger betaR = new BigInteger(TransferProof.betaBits(pkR), rnd);
        BigInteger kT = BigInteger.valueOf(17);
        BigInteger kN = BigInteger.valueOf(19);
        BigInteger a1 = pkA.gPow(alphaT).multiply(pkA.hsPow(beta1)).mod(pkA.nSquared());
        BigInteger a2 = pkA.gPow(alphaN).multiply(r2.residue()).mod(pkA.nSquared());
        BigInteger aB = pkB.gPow(alphaT).multiply(pkB.hsPow(betaB)).mod(pkB.nSquared());
        BigInteger aR = pkR.gPow(alphaT).multiply(pkR.hsPow(betaR)).mod(pkR.nSquared());
        ECPoint ecT = Secp256k1.commit(alphaT, kT);
        ECPoint ecN = Secp256k1.commit(alphaN, kN);
        BigInteger e = TransferProof.linkChallenge(t0, range, a1, a2, aB, aR, ecT, ecN);
        if (e.testBit(0)) {
          continue; // the attack needs an even challenge
        }
        BigInteger zT = alphaT.add(e.shiftRight(1));
        BigInteger zN = alphaN.add(e.multiply(BigInteger.valueOf(BALANCE))).subtract(e.shiftRight(1));
        BigInteger w1 = pkA.h().modPow(beta1.add(e.multiply(rhoA)), pkA.n());
        BigInteger w2 = r2.root().multiply(uNew.modPow(e, pkA.n())).mod(pkA.n());
        return new TransferProof(cA, cB, cR, vT, vN, range, a1, a2, aB, aR, ecT, ecN, zT, zN, w1, w2,
            betaB.add(e.multiply(rhoB)), betaR.add(e.multiply(rhoR)),
            kT.add(e.multiply(gT)).mod(q), kN.add(e.multiply(gN)).mod(q));
      }
      throw new AssertionError("no even challenge in 200 tries");
    }
  }

  @Test
  void halfAttackPassesThePaillierEquationsItTargets() {
    // Sanity check of the attack itself: with 2⁻¹ under the payee key, the payee equation holds.
    TransferStatement st = statement(BALANCE, ctx);
    TransferProof p = new HalfAttack(st).prove(true);
    PaillierPublicKey pkB = st.payeeKey();
    Transcript t0 = TransferProof.statementTranscript(st, p.cA, p.cB, p.cR, p.vT, p.vN);
    BigInteger e = TransferProof.linkChallenge(t0, p.range, p.a1, p.a2, p.aB, p.aR, p.ecT, p.ecN);
    BigInteger lhs = pkB.gPow(p.zT).multiply(pkB.hsPow(p.zBetaB)).mod(pkB.nSquared());
    BigInteger rhs = p.aB.multiply(p.cB.value().modPow(e, pkB.nSquared())).mod(pkB.nSquared());
    if (!lhs.equals(rhs)) {
      fail("the 2⁻¹ attack should satisfy the payee equation; the test would then prove nothing");
    }
  }
}
