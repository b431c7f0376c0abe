package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.RecordOpening;

/**
 * The author's proof of knowledge of every segment plaintext of an encrypted record, bound to the
 * record id, the patient key and a caller context such as the author's account
 * (docs/protocol.md §5.2).
 *
 * <p>One commitment A = (1+n)^α · h_s^β covers all k segments: with a challenge vector c ∈
 * [0,2^128)^k the prover answers z = α + Σ c_i m_i mod n and z_β = β + Σ c_i ρ_i over the
 * integers, and the verifier checks (1+n)^z · h_s^{z_β} = A · ∏ C_i^{c_i} (mod n²).
 */
public final class RecordProof {
  static final byte TYPE = 0x23;
  static final byte VERSION = 1;
  static final String DOMAIN = "medledger/record-proof/v1";
  static final int CHALLENGE_BITS = 128;
  static final int SLACK_BITS = 80;

  private final BigInteger a;
  private final BigInteger z;
  private final BigInteger zBeta;

  RecordProof(BigInteger a, BigInteger z, BigInteger zBeta) {
    this.a = a;
    this.z = z;
    this.zBeta = zBeta;
  }

  BigInteger a() {
    return a;
  }

  BigInteger z() {
    return z;
  }

  BigInteger zBeta() {
    return zBeta;
  }

  static int betaBits(PaillierPublicKey key, int segments) {
    return key.rhoBits() + CHALLENGE_BITS + ceilLog2(segments) + SLACK_BITS;
  }

  static int ceilLog2(int k) {
    return k <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(k - 1);
  }

  public static RecordProof prove(PaillierPublicKey key, EncryptedRecord record, RecordOpening opening,
      byte[] context, SecureRandom rnd) {
    int k = record.segments().size();
    List<BigInteger> m = opening.plaintexts(SecretAccess.explicit());
    List<BigInteger> rho = opening.rhos(SecretAccess.explicit());
    if (m.size() != k) {
      throw new IllegalArgumentException("opening does not match the record");
    }
    BigInteger n = key.n();
    BigInteger alpha = new BigInteger(n.bitLength() + 64, rnd).mod(n);
    BigInteger beta = new BigInteger(betaBits(key, k), rnd);
    BigInteger commitment = key.gPow(alpha).multiply(key.hsPow(beta)).mod(key.nSquared());
    BigInteger[] c = challenges(key, record, context, commitment);
    BigInteger z = alpha;
    BigInteger zBeta = beta;
    for (int i = 0; i < k; i++) {
      z = z.add(c[i].multiply(m.get(i)));
      zBeta = zBeta.add(c[i].multiply(rho.get(i)));
    }
    return new RecordProof(commitment, z.mod(n), zBeta);
  }

  /** Throws {@link ProofException} ("RECORD_PROOF_INVALID") unless the proof holds. */
  public void verify(PaillierPublicKey key, EncryptedRecord record, byte[] context) {
    if (record.keyBits() != key.bits()) {
      throw new ProofException("RECORD_PROOF_INVALID", "record and key sizes differ");
    }
    int k = record.segments().size();
    checkRanges(key, k);
    BigInteger n2 = key.nSquared();
    BigInteger[] c = challenges(key, record, context, a);
    BigInteger rhs = a;
    List<PaillierCiphertext> segs = record.segments();
    for (int i = 0; i < k; i++) {
      rhs = rhs.multiply(key.ciphertext(segs.get(i).value()).value().modPow(c[i], n2)).mod(n2);
    }
    BigInteger lhs = key.gPow(z).multiply(key.hsPow(zBeta)).mod(n2);
    if (!lhs.equals(rhs)) {
      throw new ProofException("RECORD_PROOF_INVALID", "proof of knowledge of the segments does not verify");
    }
  }

  private void checkRanges(PaillierPublicKey key, int k) {
    if (!key.inUnitGroupOfNSquared(a)) {
      throw new ProofException("RECORD_PROOF_INVALID", "commitment is not in Z*_{n²}");
    }
    if (z.signum() < 0 || z.compareTo(key.n()) >= 0) {
      throw new ProofException("RECORD_PROOF_INVALID", "response z out of range");
    }
    if (zBeta.signum() < 0 || zBeta.bitLength() > betaBits(key, k) + 1) {
      throw new ProofException("RECORD_PROOF_INVALID", "response z_β out of range");
    }
  }

  private static BigInteger[] challenges(PaillierPublicKey key, EncryptedRecord record, byte[] context, BigInteger a) {
    Transcript t = new Transcript(DOMAIN);
    t.appendBytes("context", context);
    t.appendBytes("key", key.toBytes());
    t.appendString("record-id", record.recordId());
    t.appendLong("layout-bits", record.layoutBits());
    t.appendLong("segments", record.segments().size());
    for (PaillierCiphertext c : record.segments()) {
      t.appendBytes("segment", c.toBytes());
    }
    t.appendInteger("commitment", a);
    return t.challengeVector("c", record.segments().size(), CHALLENGE_BITS);
  }

  /** type, version, u16 key bits, A (2·bits/8), z (bits/8), u16 len + z_β. */
  public byte[] toBytes(PaillierPublicKey key) {
    int full = key.bits() / 8;
    byte[] zb = Bytes.unsigned(zBeta);
    ByteBuffer b = ByteBuffer.allocate(4 + 2 * full + full + 2 + zb.length);
    b.put(TYPE).put(VERSION).putShort((short) key.bits());
    b.put(Bytes.fixed(a, 2 * full)).put(Bytes.fixed(z, full)).putShort((short) zb.length).put(zb);
    return b.array();
  }

  public static RecordProof fromBytes(byte[] enc, PaillierPublicKey key) {
    int full = key.bits() / 8;
    if (enc == null || enc.length < 4 + 3 * full + 2 || enc[0] != TYPE || enc[1] != VERSION) {
      throw new MalformedInputException("MALFORMED_PROOF", "not a version-1 record proof");
    }
    ByteBuffer b = ByteBuffer.wrap(enc);
    b.position(2);
    if ((b.getShort() & 0xFFFF) != key.bits()) {
      throw new MalformedInputException("MALFORMED_PROOF", "record proof is for another key size");
    }
    byte[] a = new byte[2 * full];
    byte[] z = new byte[full];
    b.get(a).get(z);
    int zbLen = b.getShort() & 0xFFFF;
    if (b.remaining() != zbLen || zbLen == 0) {
      throw new MalformedInputException("MALFORMED_PROOF", "record proof has the wrong length");
    }
    byte[] zb = new byte[zbLen];
    b.get(zb);
    if (zb[0] == 0) {
      throw new MalformedInputException("MALFORMED_PROOF", "non-canonical integer encoding");
    }
    return new RecordProof(new BigInteger(1, a), new BigInteger(1, z), new BigInteger(1, zb));
  }
}
