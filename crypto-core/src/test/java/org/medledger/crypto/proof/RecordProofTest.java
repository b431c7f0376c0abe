package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.RecordCipher;
import org.medledger.crypto.record.RecordOpening;
import org.medledger.crypto.testing.TestKeys;

/** Honest and malicious-prover tests of the author's record proof (docs/protocol.md §5.2). */
class RecordProofTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierPublicKey patient = TestKeys.key2048a().publicKey();
  private final byte[] author = "author:hospital-7".getBytes(StandardCharsets.UTF_8);

  private RecordCipher.Sealed sealed(String id) {
    byte[] d = new byte[700];
    new java.util.Random(id.hashCode()).nextBytes(d);
    return RecordCipher.encrypt(d, id, patient, rnd);
  }

  @Test
  void honestProofVerifiesAndRoundTrips() {
    RecordCipher.Sealed s = sealed("rec-1");
    RecordProof p = RecordProof.prove(patient, s.record(), s.opening(), author, rnd);
    p.verify(patient, s.record(), author);
    byte[] enc = p.toBytes(patient);
    RecordProof back = RecordProof.fromBytes(enc, patient);
    assertArrayEquals(enc, back.toBytes(patient));
    back.verify(patient, s.record(), author);
  }

  @Test
  void proofForAnotherAuthorOrRecordIdIsRejected() {
    RecordCipher.Sealed s = sealed("rec-2");
    RecordProof p = RecordProof.prove(patient, s.record(), s.opening(), author, rnd);
    assertInvalid(() -> p.verify(patient, s.record(), "author:hospital-8".getBytes(StandardCharsets.UTF_8)));
    EncryptedRecord renamed = new EncryptedRecord("rec-2b", s.record().keyBits(), s.record().segments());
    assertInvalid(() -> p.verify(patient, renamed, author));
  }

  @Test
  void proofForOtherSegmentsIsRejected() {
    RecordCipher.Sealed s = sealed("rec-3");
    RecordProof p = RecordProof.prove(patient, s.record(), s.opening(), author, rnd);
    List<PaillierCiphertext> segs = new ArrayList<>(s.record().segments());
    Collections.swap(segs, 0, 1);
    assertInvalid(() -> p.verify(patient, new EncryptedRecord("rec-3", 2048, segs), author));
    List<PaillierCiphertext> rerand = new ArrayList<>(s.record().segments());
    rerand.set(1, patient.rerandomize(rerand.get(1), rnd));
    assertInvalid(() -> p.verify(patient, new EncryptedRecord("rec-3", 2048, rerand), author));
  }

  @Test
  void copiedCiphertextsCannotBeClaimedWithoutTheirPlaintexts() {
    // A malicious author copies another record's ciphertexts and proves with a guessed opening.
    RecordCipher.Sealed victim = sealed("rec-victim");
    EncryptedRecord stolen = new EncryptedRecord("rec-thief", 2048, victim.record().segments());
    List<BigInteger> guess = new ArrayList<>();
    for (int i = 0; i < stolen.segments().size(); i++) {
      guess.add(BigInteger.valueOf(i));
    }
    RecordOpening fake = new RecordOpening(guess, victim.opening().rhos(SecretAccess.explicit()));
    RecordProof p = RecordProof.prove(patient, stolen, fake, author, rnd);
    assertInvalid(() -> p.verify(patient, stolen, author));
  }

  @Test
  void wrongOpeningOfOneSegmentIsRejected() {
    RecordCipher.Sealed s = sealed("rec-4");
    List<BigInteger> m = new ArrayList<>(s.opening().plaintexts(SecretAccess.explicit()));
    m.set(2, m.get(2).add(BigInteger.ONE));
    RecordOpening wrong = new RecordOpening(m, s.opening().rhos(SecretAccess.explicit()));
    RecordProof p = RecordProof.prove(patient, s.record(), wrong, author, rnd);
    assertInvalid(() -> p.verify(patient, s.record(), author));
  }

  @Test
  void everyFlippedByteIsRejected() {
    RecordCipher.Sealed s = sealed("rec-5");
    byte[] enc = RecordProof.prove(patient, s.record(), s.opening(), author, rnd).toBytes(patient);
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      bad[i] ^= 0x01;
      try {
        RecordProof.fromBytes(bad, patient).verify(patient, s.record(), author);
        fail("flipped byte " + i + " was accepted");
      } catch (CryptoException expected) {
        // decoding or verification refused it
      }
    }
  }

  @Test
  void oversizedResponseIsRejected() {
    RecordCipher.Sealed s = sealed("rec-6");
    RecordProof p = RecordProof.prove(patient, s.record(), s.opening(), author, rnd);
    RecordProof big = new RecordProof(p.a(), p.z(), p.zBeta().add(BigInteger.ONE.shiftLeft(4000)));
    assertInvalid(() -> big.verify(patient, s.record(), author));
    RecordProof zOut = new RecordProof(p.a(), p.z().add(patient.n()), p.zBeta());
    assertInvalid(() -> zOut.verify(patient, s.record(), author));
  }

  private static void assertInvalid(org.junit.jupiter.api.function.Executable e) {
    ProofException ex = assertThrows(ProofException.class, e);
    assertEquals("RECORD_PROOF_INVALID", ex.code());
  }
}
