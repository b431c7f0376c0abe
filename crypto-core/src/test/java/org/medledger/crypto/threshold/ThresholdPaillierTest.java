package org.medledger.crypto.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;

/** Dealing, partial decryption and combination (docs/protocol.md §10.1–10.3). */
class ThresholdPaillierTest {
  private static final byte[] CTX = Committees.context("disclosure-request/42");

  private static List<DecryptionShare> shares(ThresholdDealer.Dealing dealing, PaillierCiphertext c, byte[] ctx,
      int... members) {
    List<DecryptionShare> out = new ArrayList<>();
    for (int i : members) {
      out.add(PartialDecryption.create(dealing.shares().get(i - 1), dealing.publicKey(), c, ctx, Committees.RND));
    }
    return out;
  }

  private static void roundTrip(int bits, int t, int m, int[] members) {
    ThresholdDealer.Dealing dealing = Committees.dealing(bits, t, m);
    ThresholdPublicKey pk = dealing.publicKey();
    PaillierPublicKey paillier = pk.paillierKey();
    assertEquals(bits, paillier.bits());
    BigInteger msg = NumberTheory.randomBelow(Committees.RND, paillier.n());
    // An ordinary DJN encryption under the committee key: (1+n)^m · h_s^ρ.
    PaillierCiphertext c = paillier.encrypt(msg, Committees.RND);
    assertEquals(msg, Combiner.combine(pk, c, CTX, shares(dealing, c, CTX, members)));
    // The factors' ordinary decryption agrees: the committee key is an ordinary Paillier key.
    BigInteger[] pq = Committees.primes(bits);
    PaillierSecretKey sk = PaillierSecretKey.of(paillier, pq[0].max(pq[1]), pq[0].min(pq[1]));
    assertEquals(msg, sk.decrypt(c));
  }

  @Test
  void roundTrip2048ThreeOfFive() {
    roundTrip(2048, 3, 5, new int[] {5, 1, 3});
  }

  @Test
  void roundTrip3072ThreeOfFive() {
    roundTrip(3072, 3, 5, new int[] {2, 4, 5});
  }

  @Test
  void roundTrip2048FiveOfNine() {
    roundTrip(2048, 5, 9, new int[] {9, 2, 7, 4, 1});
  }

  /** One real dealing with its safe-prime search (seconds to tens of seconds at 2048 bits). */
  @Test
  void realDealing2048ThreeOfFive() {
    ThresholdDealer.Dealing dealing = ThresholdDealer.deal(KeySize.ofBits(2048), 3, 5, Committees.KEY_CONTEXT,
        Committees.RND);
    ThresholdPublicKey pk = dealing.publicKey();
    assertEquals(2048, pk.paillierKey().bits());
    dealing.keyProof().verify(pk.paillierKey(), Committees.KEY_CONTEXT);
    assertEquals(pk, ThresholdPublicKey.fromBytes(pk.toBytes()));
    PaillierCiphertext c = pk.paillierKey().encrypt(8_675_309L, Committees.RND);
    assertEquals(8_675_309L, Combiner.combineAmount(pk, c, CTX, shares(dealing, c, CTX, 4, 2, 5)));
    assertEquals(8_675_309L, Combiner.combineAmount(pk, c, CTX, shares(dealing, c, CTX, 1, 3, 5), Committees.RND));
    assertEquals("NOT_ENOUGH_SHARES", assertThrows(MalformedInputException.class,
        () -> Combiner.combine(pk, c, CTX, shares(dealing, c, CTX, 1, 3))).code());
  }

  @Test
  void moreThanTSharesAreAllVerifiedAndStillDecrypt() {
    ThresholdDealer.Dealing dealing = Committees.dealing(2048, 3, 5);
    PaillierCiphertext c = dealing.publicKey().paillierKey().encrypt(123_456_789L, Committees.RND);
    assertEquals(123_456_789L, Combiner.combineAmount(dealing.publicKey(), c, CTX, shares(dealing, c, CTX, 1, 2, 3, 4, 5)));
  }

  @Test
  void homomorphicSumsAndRerandomisedCiphertextsDecrypt() {
    ThresholdDealer.Dealing dealing = Committees.dealing(2048, 3, 5);
    PaillierPublicKey paillier = dealing.publicKey().paillierKey();
    PaillierCiphertext a = paillier.encrypt(700L, Committees.RND);
    PaillierCiphertext b = paillier.encrypt(42L, Committees.RND);
    PaillierCiphertext sum = paillier.rerandomize(paillier.add(a, b), Committees.RND);
    assertEquals(742L, Combiner.combineAmount(dealing.publicKey(), sum, CTX, shares(dealing, sum, CTX, 2, 3, 4)));
    // An arbitrary unit of Z*_{n²} is a ciphertext too (u^n-type randomness, not h_s^ρ).
    BigInteger u = NumberTheory.randomUnit(Committees.RND, paillier.n());
    PaillierCiphertext plain = paillier.ciphertext(paillier.gPow(BigInteger.valueOf(9)).multiply(u.modPow(paillier.n(),
        paillier.nSquared())).mod(paillier.nSquared()));
    assertEquals(9L, Combiner.combineAmount(dealing.publicKey(), plain, CTX, shares(dealing, plain, CTX, 1, 4, 5)));
  }

  @Test
  void committeeKeyIsAnOrdinaryPaillierKeyWithAKeyProof() {
    ThresholdDealer.Dealing dealing = Committees.dealing(2048, 3, 5);
    PaillierPublicKey paillier = dealing.publicKey().paillierKey();
    PaillierPublicKey decoded = PaillierPublicKey.fromBytes(paillier.toBytes());
    assertEquals(paillier, decoded);
    dealing.keyProof().verify(decoded, Committees.KEY_CONTEXT);
    assertEquals(1, NumberTheory.jacobi(paillier.h(), paillier.n()));
    assertEquals(BigInteger.ONE, dealing.publicKey().scale());
  }

  @Test
  void publicKeyEncodingIsStrict() {
    ThresholdPublicKey pk = Committees.dealing(2048, 3, 5).publicKey();
    byte[] enc = pk.toBytes();
    ThresholdPublicKey back = ThresholdPublicKey.fromBytes(enc);
    assertEquals(pk, back);
    assertArrayEquals(pk.fingerprint(), back.fingerprint());
    assertThrows(MalformedInputException.class, () -> ThresholdPublicKey.fromBytes(Arrays.copyOf(enc, enc.length - 1)));
    assertThrows(MalformedInputException.class, () -> ThresholdPublicKey.fromBytes(Arrays.copyOf(enc, enc.length + 1)));
    byte[] badT = enc.clone();
    int tAt = 4 + 256 + 256 + 512; // header, n, h, v: the u16 t follows
    badT[tAt + 1] = 6; // t = 6 > m = 5
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> ThresholdPublicKey.fromBytes(badT));
    assertEquals("MALFORMED_THRESHOLD_KEY", e.code());
    byte[] badV = enc.clone();
    Arrays.fill(badV, 4 + 512, 4 + 1024, (byte) 0); // v = 0
    assertEquals("MALFORMED_THRESHOLD_KEY",
        assertThrows(MalformedInputException.class, () -> ThresholdPublicKey.fromBytes(badV)).code());
  }

  @Test
  void keyShareEncodingRoundTripsAndNeverPrintsTheSecret() {
    ThresholdDealer.Dealing dealing = Committees.dealing(2048, 3, 5);
    ThresholdPublicKey pk = dealing.publicKey();
    KeyShare share = dealing.shares().get(1);
    byte[] enc = share.toBytes(SecretAccess.explicit());
    KeyShare back = KeyShare.fromBytes(enc, pk);
    assertEquals(2, back.member());
    assertEquals(share.secret(SecretAccess.explicit()), back.secret(SecretAccess.explicit()));
    String s = share.toString();
    assertTrue(s.contains("redacted"));
    assertFalse(s.contains(share.secret(SecretAccess.explicit()).toString()));
    assertFalse(s.contains(share.secret(SecretAccess.explicit()).toString(16).substring(0, 12)));
    // Flip one bit of the share: it no longer matches v_2.
    byte[] tampered = enc.clone();
    tampered[tampered.length - 1] ^= 1;
    assertEquals("KEY_SHARE_MISMATCH", assertThrows(MalformedInputException.class,
        () -> KeyShare.fromBytes(tampered, pk)).code());
    // A negative zero and a bad sign byte are not canonical.
    byte[] signed = enc.clone();
    signed[4 + 32 + 4] = 2;
    assertEquals("MALFORMED_KEY_SHARE", assertThrows(MalformedInputException.class,
        () -> KeyShare.fromBytes(signed, pk)).code());
    assertThrows(MalformedInputException.class, () -> KeyShare.fromBytes(Arrays.copyOf(enc, enc.length + 1), pk));
    // Another committee of the same modulus refuses it.
    ThresholdPublicKey other = Committees.dealing(2048, 2, 3).publicKey();
    assertEquals("WRONG_COMMITTEE", assertThrows(MalformedInputException.class,
        () -> KeyShare.fromBytes(enc, other)).code());
    back.destroy();
    assertTrue(back.isDestroyed());
    assertThrows(NullPointerException.class, () -> share.toBytes(null), "no read without the token");
    assertThrows(IllegalStateException.class, () -> back.toBytes(SecretAccess.explicit()));
    assertNotEquals(null, share.toBytes(SecretAccess.explicit()));
  }

  @Test
  void decryptionShareEncodingRoundTrips() {
    ThresholdDealer.Dealing dealing = Committees.dealing(2048, 3, 5);
    ThresholdPublicKey pk = dealing.publicKey();
    PaillierCiphertext c = pk.paillierKey().encrypt(5L, Committees.RND);
    List<DecryptionShare> decoded = new ArrayList<>();
    for (DecryptionShare s : shares(dealing, c, CTX, 1, 3, 5)) {
      byte[] enc = s.toBytes(pk);
      assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(Arrays.copyOf(enc, enc.length - 1), pk));
      decoded.add(DecryptionShare.fromBytes(enc, pk));
    }
    assertEquals(5L, Combiner.combineAmount(pk, c, CTX, decoded));
  }
}
