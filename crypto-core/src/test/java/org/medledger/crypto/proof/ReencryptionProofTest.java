package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.RecordCipher;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;

/** Honest grants and the malicious-patient suite of the re-encryption proof (docs/protocol.md §5.3). */
class ReencryptionProofTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey patient = TestKeys.key2048a();
  private final PaillierSecretKey grantee = TestKeys.key2048b();
  private final RingPedersenParams rp = TestRingPedersen.params(2048);
  private final byte[] ctx = "grant:g-1|grantee:insurer-1|channel:med".getBytes(StandardCharsets.UTF_8);

  private EncryptedRecord original(int len, String id) {
    byte[] d = new byte[len];
    new Random(len).nextBytes(d);
    return RecordCipher.encrypt(d, id, patient.publicKey(), rnd).record();
  }

  @Test
  void grantRoundTripsAndTheGranteeReadsTheSameRecord() {
    EncryptedRecord rec = original(600, "rec-1");
    ReencryptionProof.Reencrypted g = ReencryptionProof.reencrypt(patient, grantee.publicKey(), rec, rp, ctx, rnd);
    g.proof().verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp, ctx);
    assertArrayEquals(RecordCipher.decrypt(rec, patient), RecordCipher.decrypt(g.record(), grantee));
    byte[] enc = g.proof().toBytes();
    ReencryptionProof back = ReencryptionProof.fromBytes(enc);
    assertArrayEquals(enc, back.toBytes());
    back.verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp, ctx);
  }

  @Test
  void aLargerGranteeKeyWorksAndASmallerOneIsRefused() {
    EncryptedRecord rec = original(300, "rec-2");
    PaillierSecretKey big = TestKeys.key3072();
    ReencryptionProof.Reencrypted g = ReencryptionProof.reencrypt(patient, big.publicKey(), rec, rp, ctx, rnd);
    g.proof().verify(patient.publicKey(), big.publicKey(), rec, g.record(), rp, ctx);
    assertArrayEquals(RecordCipher.decrypt(rec, patient), RecordCipher.decrypt(g.record(), big));
    EncryptedRecord wide = RecordCipher.encrypt(new byte[10], "rec-3", big.publicKey(), rnd).record();
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> ReencryptionProof.reencrypt(big, patient.publicKey(), wide, rp, ctx, rnd));
    assertEquals("GRANTEE_KEY_TOO_SMALL", e.code());
  }

  /** The malicious patient: copies hold the given plaintexts, the proof is made as honestly as possible. */
  private ReencryptionProof.Reencrypted cheat(EncryptedRecord rec, List<BigInteger> copyPlain, List<BigInteger> proofPlain) {
    PaillierPublicKey pkG = grantee.publicKey();
    List<BigInteger> rhos = new ArrayList<>();
    List<PaillierCiphertext> out = new ArrayList<>();
    for (BigInteger m : copyPlain) {
      BigInteger rho = pkG.randomRho(rnd);
      rhos.add(rho);
      out.add(pkG.encryptWith(m.mod(pkG.n()), rho));
    }
    EncryptedRecord copy = new EncryptedRecord(rec.recordId(), pkG.bits(), out);
    return new ReencryptionProof.Reencrypted(copy,
        ReencryptionProof.proveUnchecked(patient, pkG, rec, copy, proofPlain, rhos, rp, ctx, rnd));
  }

  private List<BigInteger> plain(EncryptedRecord rec) {
    List<BigInteger> m = new ArrayList<>();
    for (PaillierCiphertext c : rec.segments()) {
      m.add(patient.decrypt(c));
    }
    return m;
  }

  @Test
  void aChangedSegmentIsRejectedWhateverTheProverClaims() {
    EncryptedRecord rec = original(600, "rec-4");
    List<BigInteger> m = plain(rec);
    List<BigInteger> changed = new ArrayList<>(m);
    changed.set(1, changed.get(1).add(BigInteger.ONE));
    assertInvalid(cheat(rec, changed, m), rec);
    assertInvalid(cheat(rec, changed, changed), rec);
    List<BigInteger> plusN = new ArrayList<>(m);
    plusN.set(0, plusN.get(0).add(patient.publicKey().n()));
    assertInvalid(cheat(rec, plusN, plusN), rec);
  }

  @Test
  void reorderedOrForeignCopiesAreRejected() {
    EncryptedRecord rec = original(600, "rec-5");
    ReencryptionProof.Reencrypted g = ReencryptionProof.reencrypt(patient, grantee.publicKey(), rec, rp, ctx, rnd);
    List<PaillierCiphertext> swapped = new ArrayList<>(g.record().segments());
    Collections.swap(swapped, 0, 1);
    EncryptedRecord reordered = new EncryptedRecord(rec.recordId(), 2048, swapped);
    assertThrows(ProofException.class, () -> g.proof().verify(patient.publicKey(), grantee.publicKey(), rec, reordered, rp, ctx));
    EncryptedRecord other = original(600, "rec-6");
    ReencryptionProof.Reencrypted h = ReencryptionProof.reencrypt(patient, grantee.publicKey(), other, rp, ctx, rnd);
    assertThrows(CryptoException.class, () -> h.proof().verify(patient.publicKey(), grantee.publicKey(), rec, h.record(), rp, ctx));
  }

  @Test
  void replayUnderAnotherContextGranteeOrParametersIsRejected() {
    EncryptedRecord rec = original(200, "rec-7");
    ReencryptionProof.Reencrypted g = ReencryptionProof.reencrypt(patient, grantee.publicKey(), rec, rp, ctx, rnd);
    byte[] other = "grant:g-2|grantee:insurer-1|channel:med".getBytes(StandardCharsets.UTF_8);
    assertThrows(ProofException.class, () -> g.proof().verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp, other));
    assertThrows(CryptoException.class, () -> g.proof().verify(patient.publicKey(), TestKeys.key2048c().publicKey(), rec,
        g.record(), rp, ctx));
    RingPedersenParams rp3072 = TestRingPedersen.params(3072);
    assertThrows(ProofException.class, () -> g.proof().verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp3072, ctx));
  }

  @Test
  void halfAttackCannotPassOffADifferentValidRecord() {
    // Original and copy hold 2⁻¹ modulo their own n. For an odd combination challenge c₁ there is
    // no integer M ≡ c₁·2⁻¹ under both keys within the bound, and the attacker's best try fails.
    // For an even c₁, M = c₁/2 is an honest integer and the proof passes, so the guarantee of §5.3
    // is that a copy which decodes equals the original: here both sides refuse to decode, and no
    // different valid record reaches the grantee.
    PaillierPublicKey pkP = patient.publicKey();
    PaillierPublicKey pkG = grantee.publicKey();
    BigInteger halfP = BigInteger.TWO.modInverse(pkP.n());
    BigInteger halfG = BigInteger.TWO.modInverse(pkG.n());
    EncryptedRecord rec = new EncryptedRecord("rec-half", 2048, List.of(pkP.encrypt(halfP, rnd)));
    boolean sawOdd = false;
    boolean sawEven = false;
    for (int i = 0; i < 64 && !(sawOdd && sawEven); i++) {
      BigInteger rho = pkG.randomRho(rnd);
      EncryptedRecord copy = new EncryptedRecord("rec-half", 2048, List.of(pkG.encryptWith(halfG, rho)));
      ReencryptionProof p = ReencryptionProof.proveCombined(patient, pkG, rec, copy, rp, ctx, rnd,
          c -> new BigInteger[] {c[0].shiftRight(1), c[0].multiply(rho)});
      BigInteger c1 = ReencryptionProof.statement(pkP, pkG, rp, rec, copy, ctx)
          .challengeVector("combine", 1, ReencryptionProof.CHALLENGE_BITS)[0];
      if (c1.testBit(0)) {
        sawOdd = true;
        assertThrows(ProofException.class, () -> p.verify(pkP, pkG, rec, copy, rp, ctx));
      } else {
        sawEven = true;
        p.verify(pkP, pkG, rec, copy, rp, ctx);
        assertEquals("RECORD_CORRUPT", assertThrows(MalformedInputException.class, () -> RecordCipher.decrypt(copy, grantee)).code());
        assertEquals("RECORD_CORRUPT", assertThrows(MalformedInputException.class, () -> RecordCipher.decrypt(rec, patient)).code());
      }
    }
    assertTrue(sawOdd && sawEven, "both parities of c1 should occur in 64 tries");
  }

  @Test
  void everyFlippedByteIsRejected() {
    EncryptedRecord rec = original(100, "rec-8");
    ReencryptionProof.Reencrypted g = ReencryptionProof.reencrypt(patient, grantee.publicKey(), rec, rp, ctx, rnd);
    byte[] enc = g.proof().toBytes();
    int accepted = 0;
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      try {
        ReencryptionProof.fromBytes(bad).verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp, ctx);
        accepted++;
      } catch (CryptoException expected) {
        // refused
      }
    }
    assertEquals(0, accepted);
    assertThrows(MalformedInputException.class, () -> ReencryptionProof.fromBytes(java.util.Arrays.copyOf(enc, enc.length + 1)));
    assertThrows(MalformedInputException.class, () -> ReencryptionProof.fromBytes(java.util.Arrays.copyOf(enc, enc.length - 1)));
  }

  @Test
  void oversizedResponsesAreRejected() {
    EncryptedRecord rec = original(100, "rec-9");
    ReencryptionProof.Reencrypted g = ReencryptionProof.reencrypt(patient, grantee.publicKey(), rec, rp, ctx, rnd);
    ReencryptionProof p = g.proof();
    ReencryptionProof bigZ = new ReencryptionProof(p.commitmentS, p.commitmentT, p.aP, p.aG,
        p.z.add(BigInteger.ONE.shiftLeft(4000)), p.w, p.zBeta, p.zGamma);
    assertThrows(ProofException.class, () -> bigZ.verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp, ctx));
  }

  private void assertInvalid(ReencryptionProof.Reencrypted g, EncryptedRecord rec) {
    ProofException e = assertThrows(ProofException.class,
        () -> g.proof().verify(patient.publicKey(), grantee.publicKey(), rec, g.record(), rp, ctx));
    assertEquals("REENCRYPTION_PROOF_INVALID", e.code());
  }
}
