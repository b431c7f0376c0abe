package org.medledger.crypto.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.UncheckedCiphertexts;

/**
 * The malicious-share suite (docs/protocol.md §10.6): every forged or misplaced share is refused
 * by the combiner with a clear error naming its member, and no plaintext comes out.
 */
class ThresholdMaliciousTest extends DealtCommittee {
  private static final byte[] CTX = Committees.context("disclosure-request/7");
  private PaillierCiphertext other;

  ThresholdMaliciousTest() {
    super(CTX, 31_337L, 3);
  }

  @BeforeAll
  void anotherCiphertext() {
    other = paillier.encrypt(31_337L, Committees.RND);
  }

  /** Shares 1, 2, 3 with member {@code slot}'s replaced by {@code bad}. */
  private List<DecryptionShare> with(int slot, DecryptionShare bad) {
    List<DecryptionShare> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      out.add(i == slot ? bad : good[i]);
    }
    return out;
  }

  private InvalidShareException refused(List<DecryptionShare> shares, String code, int member) {
    InvalidShareException e = assertThrows(InvalidShareException.class, () -> Combiner.combine(pk, c, CTX, shares));
    assertEquals(code, e.code());
    assertEquals(member, e.member());
    assertTrue(e.getMessage().contains("member " + member), e.getMessage());
    return e;
  }

  @Test
  void honestSharesDecrypt() {
    assertEquals(31_337L, Combiner.combineAmount(pk, c, CTX, with(0, null)));
  }

  @Test
  void wrongShareValueIsRefused() {
    DecryptionShare g = good[2];
    BigInteger shifted = g.value().multiply(paillier.gPow(BigInteger.ONE)).mod(nSq); // c_i·(1+n): plaintext off by one
    refused(with(2, new DecryptionShare(2, shifted, g.challenge(), g.response())), "DECRYPTION_SHARE_INVALID", 2);
    BigInteger squared = g.value().multiply(g.value()).mod(nSq);
    refused(with(2, new DecryptionShare(2, squared, g.challenge(), g.response())), "DECRYPTION_SHARE_INVALID", 2);
  }

  @Test
  void shareOfAnotherCiphertextIsRefused() {
    DecryptionShare s = PartialDecryption.create(dealing.shares().get(0), pk, other, CTX, Committees.RND);
    InvalidShareException e = refused(with(1, s), "DECRYPTION_SHARE_INVALID", 1);
    assertTrue(e.getMessage().contains("proof does not verify"));
  }

  @Test
  void shareBoundToAnotherContextIsRefused() {
    // The same ciphertext, but the share was made for another disclosure request (a replay).
    DecryptionShare s = PartialDecryption.create(dealing.shares().get(2), pk, c,
        Committees.context("disclosure-request/8"), Committees.RND);
    refused(with(3, s), "DECRYPTION_SHARE_INVALID", 3);
  }

  @Test
  void shareWithAnotherMembersProofIsRefused() {
    // Member 3's value under member 2's proof, and member 2's whole share relabelled as member 3.
    DecryptionShare mixed = new DecryptionShare(3, good[3].value(), good[2].challenge(), good[2].response());
    refused(with(3, mixed), "DECRYPTION_SHARE_INVALID", 3);
    DecryptionShare relabelled = new DecryptionShare(3, good[2].value(), good[2].challenge(), good[2].response());
    refused(with(3, relabelled), "DECRYPTION_SHARE_INVALID", 3);
  }

  @Test
  void responseOutOfBoundsIsRefusedAtTheBound() {
    DecryptionShare g = good[1];
    BigInteger bound = BigInteger.ONE.shiftLeft(pk.responseBits());
    // Honest responses lie strictly inside: 0 ≤ z < 2^(nonceBits) + 2^(nonceBits − σ).
    assertTrue(g.response().signum() >= 0 && g.response().bitLength() <= pk.responseBits());
    for (BigInteger z : new BigInteger[] {bound, bound.negate(), bound.add(g.response())}) {
      InvalidShareException e = refused(with(1, new DecryptionShare(1, g.value(), g.challenge(), z)),
          "DECRYPTION_SHARE_INVALID", 1);
      assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    }
    // Just inside the bound the range check passes and the proof equation is what fails.
    for (BigInteger z : new BigInteger[] {bound.subtract(BigInteger.ONE), BigInteger.ONE.subtract(bound)}) {
      InvalidShareException e = refused(with(1, new DecryptionShare(1, g.value(), g.challenge(), z)),
          "DECRYPTION_SHARE_INVALID", 1);
      assertTrue(e.getMessage().contains("proof does not verify"), e.getMessage());
    }
    // The encoding cannot carry |z| ≥ 2^responseBits either.
    byte[] enc = g.toBytes(pk);
    enc[enc.length - SignedInt.length(pk.responseBits()) + 1] = (byte) 0xFF;
    assertTrue(pk.responseBits() % 8 != 0, "the top magnitude byte has room above the bound");
    assertEquals("MALFORMED_DECRYPTION_SHARE",
        assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(enc, pk)).code());
    // A challenge of more than κ bits is refused too.
    DecryptionShare wideE = new DecryptionShare(1, g.value(), BigInteger.ONE.shiftLeft(128), g.response());
    refused(with(1, wideE), "DECRYPTION_SHARE_INVALID", 1);
  }

  @Test
  void tMinusOneSharesAreRefused() {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> Combiner.combine(pk, c, CTX, List.of(good[1], good[3])));
    assertEquals("NOT_ENOUGH_SHARES", e.code());
    // Two copies of one member's share do not make up the third.
    InvalidShareException dup = assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, List.of(good[1], good[3], good[3])));
    assertEquals("DUPLICATE_SHARE", dup.code());
    assertEquals(3, dup.member());
  }

  @Test
  void shareFromANonMemberIsRefused() {
    DecryptionShare g = good[1];
    for (int who : new int[] {0, 6, 65535}) {
      DecryptionShare s = new DecryptionShare(who, g.value(), g.challenge(), g.response());
      InvalidShareException e = assertThrows(InvalidShareException.class,
          () -> Combiner.combine(pk, c, CTX, List.of(good[1], good[2], good[3], s)));
      assertEquals("UNKNOWN_MEMBER", e.code());
      assertEquals(who, e.member());
    }
  }

  @Test
  void shareOutsideTheGroupIsRefusedBeforeAnyExponentiation() {
    BigInteger p = Committees.primes(2048)[0];
    for (BigInteger v : new BigInteger[] {BigInteger.ZERO, p, nSq, nSq.add(BigInteger.ONE), BigInteger.ONE.negate()}) {
      DecryptionShare s = new DecryptionShare(2, v, good[2].challenge(), good[2].response());
      InvalidShareException e = refused(with(2, s), "DECRYPTION_SHARE_INVALID", 2);
      assertTrue(e.getMessage().contains("Z*_{n²}"), e.getMessage());
    }
    // And the ciphertext itself must be a unit of Z*_{n²}.
    PaillierCiphertext notUnit = UncheckedCiphertexts.of(p, paillier.bits());
    assertEquals("MALFORMED_CIPHERTEXT", assertThrows(MalformedInputException.class,
        () -> Combiner.combine(pk, notUnit, CTX, with(0, null))).code());
  }

  @Test
  void forgedVerificationKeyIsRefused() {
    // A member who swaps its own verification key for v^{Δ·x} (x of its choosing) could prove any
    // share; the key no longer lies on the dealt polynomial, so the committee key is refused.
    BigInteger x = BigInteger.valueOf(123_456_789);
    BigInteger forged = pk.v().modPow(pk.delta().multiply(x), nSq);
    for (int who : new int[] {1, 5}) {
      BigInteger[] vks = new BigInteger[5];
      for (int i = 1; i <= 5; i++) {
        vks[i - 1] = i == who ? forged : pk.verificationKey(i);
      }
      MalformedInputException e = assertThrows(MalformedInputException.class,
          () -> ThresholdPublicKey.of(paillier, pk.v(), 3, 5, pk.shareBits(), pk.scale(), vks));
      assertEquals("MALFORMED_THRESHOLD_KEY", e.code());
      assertTrue(e.getMessage().contains("one polynomial"), e.getMessage());
    }
    // Even where the check cannot apply (t = m), a share proved against a forged key is bound to
    // that key's fingerprint and refused by the genuine committee.
    ThresholdDealer.Dealing full = Committees.dealing(2048, 2, 2);
    ThresholdPublicKey genuine = full.publicKey();
    BigInteger[] vks = {genuine.v().modPow(genuine.delta().multiply(x), nSq), genuine.verificationKey(2)};
    ThresholdPublicKey fake = ThresholdPublicKey.of(paillier, genuine.v(), 2, 2, genuine.shareBits(), genuine.scale(), vks);
    KeyShare attacker = new KeyShare(fake, 1, x);
    DecryptionShare lie = PartialDecryption.create(attacker, fake, c, CTX, Committees.RND);
    PartialDecryption.verify(fake, c, CTX, lie); // consistent with the forged key only
    DecryptionShare honest2 = PartialDecryption.create(full.shares().get(1), genuine, c, CTX, Committees.RND);
    InvalidShareException e = assertThrows(InvalidShareException.class,
        () -> Combiner.combine(genuine, c, CTX, List.of(lie, honest2)));
    assertEquals(1, e.member());
  }

  @Test
  void noErrorLeaksAPlaintext() {
    // Every refusal above is a CryptoException with a stable code and no number in it.
    DecryptionShare g = good[2];
    BigInteger off = g.value().multiply(paillier.gPow(BigInteger.TWO)).mod(nSq);
    CryptoException e = assertThrows(CryptoException.class,
        () -> Combiner.combine(pk, c, CTX, with(2, new DecryptionShare(2, off, g.challenge(), g.response()))));
    assertTrue(!e.getMessage().contains("31337"));
  }
}
