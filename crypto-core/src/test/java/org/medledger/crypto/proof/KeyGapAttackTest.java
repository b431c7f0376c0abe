package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/**
 * Issue 11, the key-proof gap (docs/threat-model.md): a payee key n_B = r·m with a 17-bit prime r
 * passes Π^mod; a payer who encrypts T + m for the payee and grinds its link commitments until
 * the challenge e is divisible by r (about r hashes) gets a bundle that verifies although the
 * payee's copy decrypts to T + m and the regulator's to T. Π^fac refuses the key.
 */
class KeyGapAttackTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final byte[] REGISTER_CONTEXT = "medledger/register/v1|ch|acct-payee".getBytes(StandardCharsets.UTF_8);

  @Test
  void seventeenBitFactorPayeeKeyLetsAPayerSplitTheAmountAndPiFacRefusesTheKey() {
    SmallFactorKeys.Key payee = SmallFactorKeys.generate(2048, 17, REGISTER_CONTEXT, RND);
    PaillierPublicKey pkB = payee.publicKey();
    // The key registers under Π^mod alone (the gap).
    assertDoesNotThrow(() -> KeyProof.fromBytes(payee.keyProof().toBytes(), pkB).verify(pkB, REGISTER_CONTEXT));

    PaillierSecretKey payer = TestKeys.key2048a();
    PaillierSecretKey regulator = TestKeys.key2048b();
    PaillierCiphertext balance = payer.encrypt(1000, RND);
    TransferStatement st = new TransferStatement(payer.publicKey(), pkB, regulator.publicKey(), balance,
        new TransferContext("ch", "medledger", "acct-payer", "acct-payee", 1));
    long amount = 7;
    BigInteger epsilon = payee.large(); // n_B / r: vanishes modulo n_B once r | e
    Attack attack = grind(st, payer, BigInteger.valueOf(amount), BigInteger.valueOf(amount).add(epsilon),
        payee.small());
    assertEquals(BigInteger.ZERO, attack.challenge().mod(payee.small()));

    TransferProof bundle = TransferProof.fromBytes(attack.proof().toBytes(), payer.publicKey(), pkB,
        regulator.publicKey());
    assertDoesNotThrow(() -> bundle.verify(st));
    assertEquals(amount, regulator.decryptAmount(bundle.amountForRegulator()));
    assertEquals(amount, payer.decryptAmount(bundle.amountForPayer()));
    BigInteger payeeSees = payee.decrypt(bundle.amountForPayee().value());
    assertEquals(BigInteger.valueOf(amount).add(epsilon), payeeSees);
    assertNotEquals(BigInteger.valueOf(amount), payeeSees);

    // The fix: the same key cannot pass Π^fac against the channel's parameters.
    RingPedersenParams rp = TestRingPedersen.params(2048);
    FactorProof best = payee.factorProof(rp, REGISTER_CONTEXT, RND);
    FactorProofTest.assertInvalid(() -> best.verify(pkB.n(), rp, REGISTER_CONTEXT), "|z2| exceeds");
    assertNull(FactorProof.proveUnchecked(payee.small(), payee.large(), rp, REGISTER_CONTEXT, RND));
  }

  record Attack(TransferProof proof, BigInteger challenge, long hashes) {}

  /**
   * The transfer prover of {@link TransferProof} with C_B holding {@code payeeAmount} instead of
   * {@code amount}, and κ_T stepped (ecT += H) until r | e.
   */
  static Attack grind(TransferStatement st, PaillierSecretKey payer, BigInteger amount, BigInteger payeeAmount,
      BigInteger r) {
    PaillierPublicKey pkA = st.payerKey();
    PaillierPublicKey pkB = st.payeeKey();
    PaillierPublicKey pkR = st.regulatorKey();
    BigInteger nA = pkA.n();
    BigInteger q = Secp256k1.ORDER;
    BigInteger newBalance = BigInteger.valueOf(payer.decryptAmount(st.oldBalance())).subtract(amount);

    BigInteger rhoA = pkA.randomRho(RND);
    BigInteger rhoB = pkB.randomRho(RND);
    BigInteger rhoR = pkR.randomRho(RND);
    PaillierCiphertext cA = payer.encryptWith(amount, rhoA);
    PaillierCiphertext cB = pkB.encryptWith(payeeAmount, rhoB);
    PaillierCiphertext cR = pkR.encryptWith(amount, rhoR);
    BigInteger cNewModN = st.oldBalance().value().multiply(cA.value().modInverse(nA)).mod(nA);
    BigInteger uNew = payer.randomnessOfResidue(cNewModN);
    BigInteger gammaT = scalar();
    BigInteger gammaN = scalar();
    BigInteger tMinus1 = amount.subtract(BigInteger.ONE);
    ECPoint vT = Secp256k1.commit(tMinus1, gammaT);
    ECPoint vN = Secp256k1.commit(newBalance, gammaN);
    Transcript t0 = TransferProof.statementTranscript(st, cA, cB, cR, vT, vN);
    RangeProof range = RangeProof.prove(TransferProof.rangeTranscript(t0), new BigInteger[] {tMinus1, newBalance},
        new BigInteger[] {gammaT, gammaN}, TransferProof.RANGE_BITS, RND);

    BigInteger alphaT = new BigInteger(TransferProof.Z_BITS - 1, RND);
    BigInteger alphaN = new BigInteger(TransferProof.Z_BITS - 1, RND);
    BigInteger beta1 = new BigInteger(TransferProof.betaBits(pkA), RND);
    BigInteger r2 = org.medledger.crypto.internal.NumberTheory.randomUnit(RND, nA);
    BigInteger betaB = new BigInteger(TransferProof.betaBits(pkB), RND);
    BigInteger betaR = new BigInteger(TransferProof.betaBits(pkR), RND);
    BigInteger kappaT = scalar();
    BigInteger kappaN = scalar();
    BigInteger a1 = pkA.gPow(alphaT).multiply(payer.hsPow(beta1)).mod(pkA.nSquared());
    BigInteger a2 = pkA.gPow(alphaN).multiply(payer.nthPower(r2)).mod(pkA.nSquared());
    BigInteger aB = pkB.gPow(alphaT).multiply(pkB.hsPow(betaB)).mod(pkB.nSquared());
    BigInteger aR = pkR.gPow(alphaT).multiply(pkR.hsPow(betaR)).mod(pkR.nSquared());
    ECPoint ecN = Secp256k1.commit(alphaN, kappaN);
    ECPoint ecT = Secp256k1.commit(alphaT, kappaT);

    // TransferProof.linkChallenge, with the prefix absorbed once and ecT varied.
    Transcript prefix = t0.fork().appendString("sub-proof", "link");
    prefix.appendBytes("range-proof", range.toBytes());
    prefix.appendInteger("a1", a1);
    prefix.appendInteger("a2", a2);
    prefix.appendInteger("aB", aB);
    prefix.appendInteger("aR", aR);
    byte[] ecNBytes = Secp256k1.encodePoint(ecN);
    BigInteger e;
    long hashes = 0;
    while (true) {
      hashes++;
      Transcript t = prefix.fork();
      t.appendBytes("ecT", Secp256k1.encodePoint(ecT));
      t.appendBytes("ecN", ecNBytes);
      e = t.challengeBits("e", TransferProof.CHALLENGE_BITS);
      if (e.mod(r).signum() == 0) {
        break;
      }
      kappaT = kappaT.add(BigInteger.ONE).mod(q);
      ecT = ecT.add(Secp256k1.H).normalize();
    }
    assertEquals(e, TransferProof.linkChallenge(t0, range, a1, a2, aB, aR, ecT, ecN));
    BigInteger zT = alphaT.add(e.multiply(amount));
    BigInteger zN = alphaN.add(e.multiply(newBalance));
    assertTrue(zT.bitLength() <= TransferProof.Z_BITS && zN.bitLength() <= TransferProof.Z_BITS);
    TransferProof proof = new TransferProof(cA, cB, cR, vT, vN, range, a1, a2, aB, aR, ecT, ecN, zT, zN,
        payer.hPow(beta1.add(e.multiply(rhoA))), r2.multiply(uNew.modPow(e, nA)).mod(nA),
        betaB.add(e.multiply(rhoB)), betaR.add(e.multiply(rhoR)), kappaT.add(e.multiply(gammaT)).mod(q),
        kappaN.add(e.multiply(gammaN)).mod(q));
    return new Attack(proof, e, hashes);
  }

  private static BigInteger scalar() {
    while (true) {
      BigInteger s = new BigInteger(256, RND);
      if (s.signum() > 0 && s.compareTo(Secp256k1.ORDER) < 0) {
        return s;
      }
    }
  }
}
