package org.medledger.crypto.record;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;

/** Encrypts a byte string as segmented Paillier ciphertexts (paper §3.1 ②) and decrypts it back. */
public final class RecordCipher {
  private RecordCipher() {}

  /** An encrypted record together with the author's opening (for the record proof). */
  public record Sealed(EncryptedRecord record, RecordOpening opening) {}

  public static Sealed encrypt(byte[] data, String recordId, PaillierPublicKey key, SecureRandom rnd) {
    EncryptedRecord.checkId(recordId);
    List<BigInteger> plain = SegmentLayout.split(data, recordId, key.bits());
    List<BigInteger> rhos = new ArrayList<>(plain.size());
    List<PaillierCiphertext> cts = new ArrayList<>(plain.size());
    for (BigInteger m : plain) {
      BigInteger rho = key.randomRho(rnd);
      rhos.add(rho);
      cts.add(key.encryptWith(m, rho));
    }
    return new Sealed(new EncryptedRecord(recordId, key.bits(), cts), new RecordOpening(plain, rhos));
  }

  /** Decrypts every segment and reassembles; refuses any tampering with a clear error. */
  public static byte[] decrypt(EncryptedRecord record, PaillierSecretKey key) {
    List<BigInteger> plain = new ArrayList<>(record.segments().size());
    for (PaillierCiphertext c : record.segments()) {
      plain.add(key.decrypt(c));
    }
    return SegmentLayout.join(plain, record.recordId(), record.layoutBits());
  }
}
