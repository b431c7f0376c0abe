package org.medledger.crypto.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierCiphertext;

/**
 * Re-sharing (docs/protocol.md §10.4): a 3-of-5 committee hands its secret to a 4-of-6 committee
 * (two old members take no part, new members join, t grows) and that one to a 2-of-3 committee; a
 * ciphertext made before either re-sharing still decrypts, and the old shares stop working.
 */
class ResharingTest {
  private static final byte[] CTX = Committees.context("disclosure-request/reshare");
  private static final int[] SET = {1, 3, 4};
  private static ThresholdDealer.Dealing original;
  private static ThresholdPublicKey oldPk;
  private static PaillierCiphertext c;
  private static List<Resharing.Dealt> dealt;
  private static List<ReshareDealing> messages;
  private static ThresholdPublicKey newPk;
  private static KeyShare[] newShares;

  @BeforeAll
  static void reshare() {
    original = Committees.dealing(2048, 3, 5);
    oldPk = original.publicKey();
    c = oldPk.paillierKey().encrypt(4_242L, Committees.RND);
    dealt = new ArrayList<>();
    messages = new ArrayList<>();
    for (int i : SET) {
      Resharing.Dealt d = Resharing.deal(oldPk, original.shares().get(i - 1), SET, 4, 6, Committees.RND);
      dealt.add(d);
      messages.add(ReshareDealing.fromBytes(d.dealing().toBytes(2048), oldPk));
    }
    newPk = Resharing.newPublicKey(oldPk, messages);
    newShares = new KeyShare[7];
    for (int j = 1; j <= 6; j++) {
      newShares[j] = Resharing.newShare(oldPk, newPk, messages, j, subSharesFor(dealt, j));
    }
  }

  private static List<SubShare> subSharesFor(List<Resharing.Dealt> from, int j) {
    List<SubShare> out = new ArrayList<>();
    for (Resharing.Dealt d : from) {
      out.add(d.subShares().get(j - 1));
    }
    return out;
  }

  private static List<DecryptionShare> decrypt(ThresholdPublicKey pk, KeyShare[] shares, PaillierCiphertext ct,
      int... members) {
    List<DecryptionShare> out = new ArrayList<>();
    for (int j : members) {
      out.add(PartialDecryption.create(shares[j], pk, ct, CTX, Committees.RND));
    }
    return out;
  }

  @Test
  void newCommitteeDecryptsOldCiphertextsUnderTheSamePublicKey() {
    assertEquals(oldPk.paillierKey(), newPk.paillierKey());
    assertEquals(4, newPk.threshold());
    assertEquals(6, newPk.members());
    assertNotEquals(oldPk, newPk);
    BigInteger n = oldPk.paillierKey().n();
    assertEquals(BigInteger.valueOf(120).pow(2).multiply(BigInteger.valueOf(720)).mod(n), newPk.scale());
    assertEquals(4_242L, Combiner.combineAmount(newPk, c, CTX, decrypt(newPk, newShares, c, 2, 3, 5, 6)));
    assertEquals(4_242L, Combiner.combineAmount(newPk, c, CTX, decrypt(newPk, newShares, c, 6, 1, 4, 3)));
    // The new key's encoding decodes and validates like the dealt one.
    assertEquals(newPk, ThresholdPublicKey.fromBytes(newPk.toBytes()));
    KeyShare back = KeyShare.fromBytes(newShares[5].toBytes(SecretAccess.explicit()), newPk);
    assertEquals(5, back.member());
  }

  @Test
  void thresholdGrowsToFour() {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> Combiner.combine(newPk, c, CTX, decrypt(newPk, newShares, c, 1, 2, 6)));
    assertEquals("NOT_ENOUGH_SHARES", e.code());
  }

  @Test
  void oldSharesStopWorking() {
    KeyShare old1 = original.shares().get(0);
    // An old key share cannot even be used with the new key.
    assertEquals("WRONG_COMMITTEE", assertThrows(MalformedInputException.class,
        () -> PartialDecryption.create(old1, newPk, c, CTX, Committees.RND)).code());
    assertEquals("WRONG_COMMITTEE", assertThrows(MalformedInputException.class,
        () -> KeyShare.fromBytes(old1.toBytes(SecretAccess.explicit()), newPk)).code());
    // A partial decryption made under the old key (same ciphertext, same context) is refused by the
    // new committee, alone or mixed with new shares.
    DecryptionShare stale = PartialDecryption.create(old1, oldPk, c, CTX, Committees.RND);
    List<DecryptionShare> mixed = decrypt(newPk, newShares, c, 2, 3, 5);
    mixed.add(stale);
    InvalidShareException e = assertThrows(InvalidShareException.class, () -> Combiner.combine(newPk, c, CTX, mixed));
    assertEquals("DECRYPTION_SHARE_INVALID", e.code());
    assertEquals(1, e.member());
    // New member 1's genuine share is accepted in its place.
    mixed.set(3, PartialDecryption.create(newShares[1], newPk, c, CTX, Committees.RND));
    assertEquals(4_242L, Combiner.combineAmount(newPk, c, CTX, mixed));
  }

  @Test
  void reshareAgainToTwoOfThree() {
    int[] set = {2, 3, 5, 6};
    List<Resharing.Dealt> second = new ArrayList<>();
    List<ReshareDealing> msgs = new ArrayList<>();
    for (int i : set) {
      Resharing.Dealt d = Resharing.deal(newPk, newShares[i], set, 2, 3, Committees.RND);
      second.add(d);
      msgs.add(d.dealing());
    }
    ThresholdPublicKey third = Resharing.newPublicKey(newPk, msgs);
    KeyShare[] shares = new KeyShare[4];
    for (int j = 1; j <= 3; j++) {
      shares[j] = Resharing.newShare(newPk, third, msgs, j, subSharesFor(second, j));
    }
    assertEquals(oldPk.paillierKey(), third.paillierKey());
    assertTrue(third.shareBits() > newPk.shareBits(), "integer shares grow with each re-sharing");
    assertEquals(4_242L, Combiner.combineAmount(third, c, CTX, decrypt(third, shares, c, 3, 1)));
    PaillierCiphertext fresh = third.paillierKey().encrypt(77L, Committees.RND);
    assertEquals(77L, Combiner.combineAmount(third, fresh, CTX, decrypt(third, shares, fresh, 2, 3)));
  }

  @Test
  void tamperedSubShareIsRefusedNamingItsDealer() {
    Resharing.Dealt d = dealt.get(1); // dealer 3
    SubShare good = d.subShares().get(4);
    SubShare bad = new SubShare(3, 5, good.value(SecretAccess.explicit()).add(BigInteger.ONE));
    InvalidShareException e = assertThrows(InvalidShareException.class,
        () -> Resharing.verifySubShare(oldPk, d.dealing(), bad));
    assertEquals("RESHARE_INVALID", e.code());
    assertEquals(3, e.member());
    List<SubShare> subs = subSharesFor(dealt, 5);
    subs.set(1, bad);
    e = assertThrows(InvalidShareException.class, () -> Resharing.newShare(oldPk, newPk, messages, 5, subs));
    assertEquals(3, e.member());
    // Out of the plan's bound.
    SubShare huge = new SubShare(3, 5, BigInteger.ONE.shiftLeft(oldPk.shareBits() + 2000));
    e = assertThrows(InvalidShareException.class, () -> Resharing.verifySubShare(oldPk, d.dealing(), huge));
    assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    // Dealer 1's sub-share passed off as dealer 3's.
    SubShare fromOne = dealt.get(0).subShares().get(4);
    e = assertThrows(InvalidShareException.class, () -> Resharing.verifySubShare(oldPk, d.dealing(), fromOne));
    assertEquals("RESHARE_INVALID", e.code());
  }

  @Test
  void tamperedCommitmentsAreRefused() {
    ReshareDealing d = dealt.get(2).dealing(); // dealer 4
    BigInteger nSq = oldPk.paillierKey().nSquared();
    BigInteger[] e = new BigInteger[d.commitmentCount()];
    for (int k = 0; k < e.length; k++) {
      e[k] = d.commitment(k);
    }
    // A constant term that is not v_4^{Δ'²·μ_4}: dealer 4 would be re-sharing something else.
    BigInteger[] e0 = e.clone();
    e0[0] = e0[0].multiply(oldPk.v()).mod(nSq);
    ReshareDealing bad0 = new ReshareDealing(oldPk.fingerprint(), 4, SET, 4, 6, e0);
    InvalidShareException x = assertThrows(InvalidShareException.class, () -> Resharing.verifyDealing(oldPk, bad0));
    assertEquals(4, x.member());
    assertTrue(x.getMessage().contains("constant term"), x.getMessage());
    // A tampered higher coefficient passes the message check but no honest sub-share matches it.
    BigInteger[] e1 = e.clone();
    e1[1] = e1[1].multiply(oldPk.v()).mod(nSq);
    ReshareDealing bad1 = new ReshareDealing(oldPk.fingerprint(), 4, SET, 4, 6, e1);
    Resharing.verifyDealing(oldPk, bad1);
    x = assertThrows(InvalidShareException.class,
        () -> Resharing.verifySubShare(oldPk, bad1, dealt.get(2).subShares().get(0)));
    assertEquals(4, x.member());
    // A message for another committee, a missing dealer, a dealer outside S.
    ReshareDealing foreign = new ReshareDealing(new byte[32], 4, SET, 4, 6, e);
    assertEquals(4, assertThrows(InvalidShareException.class, () -> Resharing.verifyDealing(oldPk, foreign)).member());
    x = assertThrows(InvalidShareException.class, () -> Resharing.newPublicKey(oldPk, messages.subList(0, 2)));
    assertEquals(4, x.member());
    ReshareDealing outsider = new ReshareDealing(oldPk.fingerprint(), 2, SET, 4, 6, e);
    assertEquals(2, assertThrows(InvalidShareException.class, () -> Resharing.verifyDealing(oldPk, outsider)).member());
    assertThrows(InvalidShareException.class,
        () -> Resharing.deal(oldPk, original.shares().get(1), SET, 4, 6, Committees.RND));
  }

  @Test
  void sharesCannotGrowPastTheLimit() {
    BigInteger[] vks = new BigInteger[5];
    for (int i = 1; i <= 5; i++) {
      vks[i - 1] = oldPk.verificationKey(i);
    }
    ThresholdPublicKey nearLimit = ThresholdPublicKey.of(oldPk.paillierKey(), oldPk.v(), 3, 5,
        ThresholdPublicKey.maxShareBits(2048) - 100, oldPk.scale(), vks);
    assertEquals("RESHARE_TOO_LARGE", assertThrows(MalformedInputException.class,
        () -> Resharing.Plan.of(nearLimit, SET, 4, 6)).code());
  }
}
