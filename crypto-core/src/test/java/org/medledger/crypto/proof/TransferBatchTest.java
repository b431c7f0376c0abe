package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.bulletproofs.UncheckedRangeProver;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;

/**
 * Honest batches and the malicious-prover suite of batch verification (docs/protocol.md §4.5): a
 * forged member among 16 is refused and named, whether the weights are drawn or derived; the 2⁻¹
 * attack, a malformed member, swapped bundles and an overdraft inside one payer's chain are all
 * refused with the culprit's index; the chain's new balances are those of single verification.
 */
class TransferBatchTest {
  private static final long BALANCE = 1_000_000L;
  private static final byte[] CONTEXT = "medchannel/medledger/tx-1".getBytes(StandardCharsets.UTF_8);
  private static final TransferProof.RangeProver UNCHECKED = UncheckedRangeProver::prove;
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey payeeSk = TestKeys.key2048b();
  private final PaillierSecretKey regulatorSk = TestKeys.key2048c();
  // One object per key for the whole batch, as the chaincode passes them (payee/regulator with tables).
  private final PaillierPublicKey payee = PaillierPublicKey.fromBytes(payeeSk.publicKey().toBytes())
      .withStoredHs(payeeSk.publicKey().hsToBytes()).precompute();
  private final PaillierPublicKey regulator = regulatorSk.publicKey();
  private final PaillierSecretKey[] payers = {TestKeys.key2048a(), TestKeys.key1024(), TestKeys.key3072()};

  private TransferContext ctx(int payer, long nonce) {
    return new TransferContext("medchannel", "medledger", "payer-" + payer, "payee", nonce);
  }

  private TransferStatement statement(int payer, long nonce) {
    PaillierPublicKey pk = payers[payer].publicKey();
    return new TransferStatement(pk, payee, regulator, pk.encrypt(BALANCE, rnd), ctx(payer, nonce));
  }

  /** {@code count} honest members, member i paid by payer i mod 3 with nonce i. */
  private List<TransferBatch.Member> differentPayers(int count) {
    List<TransferBatch.Member> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TransferStatement st = statement(i % payers.length, i);
      out.add(new TransferBatch.Member(st, TransferProof.prove(st, payers[i % payers.length], 10 + i, rnd)));
    }
    return out;
  }

  /** One payer's chain: member i spends i + 1 from member i−1's new balance. */
  private List<TransferBatch.Member> chain(int count) {
    PaillierSecretKey sk = payers[0];
    PaillierCiphertext old = sk.publicKey().encrypt(BALANCE, rnd);
    List<TransferBatch.Member> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TransferStatement st = new TransferStatement(sk.publicKey(), payee, regulator, old, ctx(0, 7 + i));
      TransferProof p = TransferProof.prove(st, sk, i + 1, rnd);
      out.add(new TransferBatch.Member(st, p));
      old = TransferProof.newBalance(st, p.amountForPayer());
    }
    return out;
  }

  private static BatchMemberException refused(List<TransferBatch.Member> batch, boolean deterministic) {
    return assertThrows(BatchMemberException.class, () -> {
      if (deterministic) {
        TransferBatch.verify(batch, CONTEXT);
      } else {
        TransferBatch.verify(batch, new SecureRandom());
      }
    });
  }

  private static void assertCulprit(List<TransferBatch.Member> batch, int index, String fragment) {
    for (boolean deterministic : new boolean[] {true, false}) {
      BatchMemberException e = refused(batch, deterministic);
      assertEquals(index, e.index(), e.getMessage());
      assertEquals("TRANSFER_PROOF_INVALID", e.code());
      assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
  }

  @Test
  void honestBatchOfSixteenFromDifferentPayersVerifiesAsSingleVerificationDoes() {
    List<TransferBatch.Member> batch = differentPayers(16);
    List<PaillierCiphertext> a = TransferBatch.verify(batch, CONTEXT);
    List<PaillierCiphertext> b = TransferBatch.verify(batch, rnd);
    for (int i = 0; i < batch.size(); i++) {
      TransferBatch.Member m = batch.get(i);
      assertEquals(m.proof().verify(m.statement()), a.get(i));
      assertEquals(a.get(i), b.get(i));
      assertEquals(BigInteger.valueOf(BALANCE - 10 - i), payers[i % payers.length].decrypt(a.get(i)));
      assertEquals(BigInteger.valueOf(10 + i), payeeSk.decrypt(m.proof().amountForPayee()));
    }
  }

  @Test
  void onePayersChainOfSixteenVerifiesAndEndsOnTheRightBalance() {
    List<TransferBatch.Member> batch = chain(16);
    List<PaillierCiphertext> out = TransferBatch.verify(batch, CONTEXT);
    assertEquals(BigInteger.valueOf(BALANCE - 16 * 17 / 2), payers[0].decrypt(out.get(15)));
    assertEquals(batch.get(5).statement().oldBalance(), out.get(4));
  }

  @Test
  void oneForgedMemberAmongSixteenIsRefusedWithItsIndex() {
    List<TransferBatch.Member> batch = differentPayers(16);
    TransferStatement st = batch.get(11).statement();
    BigInteger t = BigInteger.valueOf(21);
    // The payee copy holds 1,000 while the commitment and the other copies hold 21.
    TransferProof forged = TransferProof.proveUnchecked(st, payers[11 % 3], t, t, BigInteger.valueOf(1_000), t,
        BigInteger.valueOf(BALANCE - 21), rnd, UNCHECKED);
    batch.set(11, new TransferBatch.Member(st, forged));
    assertCulprit(batch, 11, "payee copy");
  }

  @Test
  void forgedRegulatorCopyAndForgedPayerCopyAreNamed() {
    List<TransferBatch.Member> batch = differentPayers(6);
    TransferStatement st = batch.get(4).statement();
    BigInteger t = BigInteger.valueOf(14);
    BigInteger rest = BigInteger.valueOf(BALANCE - 14);
    batch.set(4, new TransferBatch.Member(st, TransferProof.proveUnchecked(st, payers[1], t, t, t, BigInteger.ONE, rest,
        rnd, UNCHECKED)));
    assertCulprit(batch, 4, "regulator copy");
    TransferStatement st2 = batch.get(2).statement();
    BigInteger t2 = BigInteger.valueOf(12);
    batch.set(4, differentPayers(5).get(4)); // an honest member 4 again (nonce 4, payer 1)
    batch.set(2, new TransferBatch.Member(st2, TransferProof.proveUnchecked(st2, payers[2], t2, BigInteger.valueOf(500), t2,
        t2, BigInteger.valueOf(BALANCE - 12), rnd, UNCHECKED)));
    assertCulprit(batch, 2, "payer-key");
  }

  @Test
  void overdraftInsideOnePayersChainIsNamed() {
    List<TransferBatch.Member> batch = chain(8);
    // Member 5 spends more than its old balance: the derived new balance wraps below zero.
    TransferStatement st = batch.get(5).statement();
    long old = payers[0].decryptAmount(st.oldBalance());
    BigInteger t = BigInteger.valueOf(old + 1);
    TransferProof over = TransferProof.proveUnchecked(st, payers[0], t, BigInteger.valueOf(-1).mod(Secp256k1Order.Q),
        rnd, UNCHECKED);
    batch.set(5, new TransferBatch.Member(st, over));
    BatchMemberException e = refused(batch, true);
    assertEquals(5, e.index());
  }

  @Test
  void halfAttackInsideABatchIsRefused() {
    // The 2⁻¹ cross-key attack of §4.3 (payer key2048a, balance 1,000,000) placed at index 3 of 8.
    TransferProofTest outer = new TransferProofTest();
    PaillierPublicKey pk = payers[0].publicKey();
    for (boolean commitHalf : new boolean[] {true, false}) {
      List<TransferBatch.Member> batch = differentPayers(8);
      TransferStatement st = new TransferStatement(pk, payee, regulator, pk.encrypt(BALANCE, rnd), ctx(0, 3));
      batch.set(3, new TransferBatch.Member(st, outer.new HalfAttack(st).prove(commitHalf)));
      assertCulprit(batch, 3, commitHalf ? "range proof" : "amount commitment link");
    }
  }

  @Test
  void validBundlesSwappedBetweenTheirStatementsAreRefused() {
    List<TransferBatch.Member> batch = differentPayers(7);
    TransferBatch.Member a = batch.get(1);
    TransferBatch.Member b = batch.get(4); // same payer key (1), other context
    batch.set(1, new TransferBatch.Member(a.statement(), b.proof()));
    batch.set(4, new TransferBatch.Member(b.statement(), a.proof()));
    BatchMemberException e = refused(batch, true);
    assertEquals(1, e.index());
  }

  @Test
  void malformedMemberIsRefusedWithItsIndexBeforeAnyExponentiation() {
    List<TransferBatch.Member> batch = differentPayers(6);
    TransferBatch.Member m = batch.get(5);
    TransferProof p = m.proof();
    TransferProof zeroW = new TransferProof(p.cA, p.cB, p.cR, p.vT, p.vN, p.range, p.a1, p.a2, p.aB, p.aR, p.ecT, p.ecN,
        p.zT, p.zN, BigInteger.ZERO, p.w2, p.zBetaB, p.zBetaR, p.zKappaT, p.zKappaN);
    batch.set(5, new TransferBatch.Member(m.statement(), zeroW));
    assertCulprit(batch, 5, "w1");
  }

  @Test
  void emptyNullAndOversizedBatchesAreRefused() {
    assertThrows(MalformedInputException.class, () -> TransferBatch.verify(List.of(), CONTEXT));
    assertThrows(MalformedInputException.class, () -> TransferBatch.verify(null, CONTEXT));
    List<TransferBatch.Member> one = differentPayers(1);
    List<TransferBatch.Member> big = new ArrayList<>();
    for (int i = 0; i <= TransferBatch.MAX_MEMBERS; i++) {
      big.add(one.get(0));
    }
    CryptoException e = assertThrows(MalformedInputException.class, () -> TransferBatch.verify(big, CONTEXT));
    assertEquals("MALFORMED_PROOF", e.code());
    List<TransferBatch.Member> withNull = new ArrayList<>(one);
    withNull.add(null);
    assertThrows(MalformedInputException.class, () -> TransferBatch.verify(withNull, rnd));
  }

  @Test
  void wideFixedBaseExponentMatchesModPow() {
    PaillierPublicKey k = payee;
    for (int bits : new int[] {1, 1000, 1233, 1234, 1400, 2100}) {
      BigInteger x = new BigInteger(bits, rnd).setBit(bits - 1);
      assertEquals(k.hs().modPow(x, k.nSquared()), TransferBatch.hsPowWide(k, x), "bits " + bits);
    }
  }

  @Test
  void weightsDependOnEveryMemberAndOnTheContext() {
    List<TransferBatch.Member> batch = differentPayers(3);
    BigInteger w = TransferBatch.seed(batch, CONTEXT).challengeBits("w", 128);
    assertTrue(!w.equals(TransferBatch.seed(batch, "other".getBytes(StandardCharsets.UTF_8)).challengeBits("w", 128)));
    List<TransferBatch.Member> other = new ArrayList<>(batch);
    other.set(2, differentPayers(3).get(2));
    assertTrue(!w.equals(TransferBatch.seed(other, CONTEXT).challengeBits("w", 128)));
  }

  /** The curve order, for a malicious new balance of −1. */
  private static final class Secp256k1Order {
    static final BigInteger Q = org.medledger.crypto.ec.Secp256k1.ORDER;
  }
}
