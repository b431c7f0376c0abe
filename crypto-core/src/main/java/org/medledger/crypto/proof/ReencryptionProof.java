package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.SegmentLayout;

/**
 * Proof that a record re-encrypted under a grantee's key holds, segment by segment, the same
 * plaintexts as the original under the patient's key (docs/protocol.md §5.3).
 *
 * <p>After the re-encrypted segments C'_i are fixed, a challenge vector c ∈ [0,2^128)^k combines
 * both sides: C* = ∏ C_i^{c_i}, C'* = ∏ C'_i^{c_i}. One Σ-protocol then shows that C* (under
 * n_P), C'* (under n_G) and a ring-Pedersen commitment S hold the same integer M, with a range
 * check on the integer response. Ring-Pedersen pins M as an integer (strong RSA), which defeats
 * the 2⁻¹ attack; segments are short enough (SegmentLayout.RESERVED_BITS) that a cheating set of
 * C'_i passes only if Σ c_i·d_i lands on one of a handful of values modulo n_G, probability
 * about 2^-126.
 */
public final class ReencryptionProof {
  static final String DOMAIN = "medledger/reencryption-proof/v1";
  static final byte TYPE = 0x24;
  static final byte VERSION = 1;
  static final int CHALLENGE_BITS = 128;
  static final int SLACK_BITS = 80;

  final BigInteger commitmentS;
  final BigInteger commitmentT;
  final BigInteger aP;
  final BigInteger aG;
  final BigInteger z;
  final BigInteger w;
  final BigInteger zBeta;
  final BigInteger zGamma;

  ReencryptionProof(BigInteger commitmentS, BigInteger commitmentT, BigInteger aP, BigInteger aG, BigInteger z,
      BigInteger w, BigInteger zBeta, BigInteger zGamma) {
    this.commitmentS = commitmentS;
    this.commitmentT = commitmentT;
    this.aP = aP;
    this.aG = aG;
    this.z = z;
    this.w = w;
    this.zBeta = zBeta;
    this.zGamma = zGamma;
  }

  /** A grant's re-encrypted record with its proof. */
  public record Reencrypted(EncryptedRecord record, ReencryptionProof proof) {}

  static int log2(int k) {
    return RecordProof.ceilLog2(k);
  }

  /** Bits of the honest combined integer M = Σ c_i m_i. */
  static int mBits(int layoutBits, int k) {
    return SegmentLayout.segmentBits(layoutBits) + CHALLENGE_BITS + log2(k);
  }

  static int alphaBits(int layoutBits, int k) {
    return mBits(layoutBits, k) + CHALLENGE_BITS + SLACK_BITS;
  }

  static void checkSizes(PaillierPublicKey patient, PaillierPublicKey grantee, EncryptedRecord original) {
    int k = original.segments().size();
    int layout = original.layoutBits();
    if (original.keyBits() != patient.bits()) {
      throw new MalformedInputException("MALFORMED_RECORD", "record is not under the patient's key");
    }
    if (grantee.bits() < layout) {
      throw new MalformedInputException("GRANTEE_KEY_TOO_SMALL",
          "grantee key of " + grantee.bits() + " bits cannot receive segments cut for " + layout + " bits");
    }
    if (k < 1 || k > SegmentLayout.MAX_SEGMENTS) {
      throw new MalformedInputException("MALFORMED_RECORD", "segment count out of range");
    }
  }

  /**
   * Re-encrypts {@code original} (under the patient's key) for {@code grantee} and proves it.
   * {@code context} binds the grant (grant id, grantee account, channel).
   */
  public static Reencrypted reencrypt(PaillierSecretKey patient, PaillierPublicKey grantee, EncryptedRecord original,
      RingPedersenParams rp, byte[] context, SecureRandom rnd) {
    PaillierPublicKey pkP = patient.publicKey();
    int k = original.segments().size();
    checkSizes(pkP, grantee, original);
    List<BigInteger> m = new ArrayList<>(k);
    List<BigInteger> rhos = new ArrayList<>(k);
    List<PaillierCiphertext> out = new ArrayList<>(k);
    for (PaillierCiphertext c : original.segments()) {
      BigInteger mi = patient.decrypt(c);
      if (mi.bitLength() > SegmentLayout.segmentBits(original.layoutBits())) {
        throw new MalformedInputException("RECORD_CORRUPT", "a segment is wider than the layout allows");
      }
      BigInteger rho = grantee.randomRho(rnd);
      m.add(mi);
      rhos.add(rho);
      out.add(grantee.encryptWith(mi, rho));
    }
    EncryptedRecord copy = new EncryptedRecord(original.recordId(), grantee.bits(), original.layoutBits(), out);
    return new Reencrypted(copy, proveUnchecked(patient, grantee, original, copy, m, rhos, rp, context, rnd));
  }

  /** The prover on caller-supplied plaintexts; tests use it to play a malicious patient. */
  static ReencryptionProof proveUnchecked(PaillierSecretKey patient, PaillierPublicKey grantee,
      EncryptedRecord original, EncryptedRecord copy, List<BigInteger> m, List<BigInteger> rhos,
      RingPedersenParams rp, byte[] context, SecureRandom rnd) {
    return proveCombined(patient, grantee, original, copy, rp, context, rnd, c -> {
      BigInteger bigM = BigInteger.ZERO;
      BigInteger rhoStar = BigInteger.ZERO;
      for (int i = 0; i < c.length; i++) {
        bigM = bigM.add(c[i].multiply(m.get(i)));
        rhoStar = rhoStar.add(c[i].multiply(rhos.get(i)));
      }
      return new BigInteger[] {bigM, rhoStar};
    });
  }

  /** Maps the combination challenges to the prover's claimed (M, ρ*); tests substitute their own. */
  @FunctionalInterface
  interface Combiner {
    BigInteger[] combine(BigInteger[] challenges);
  }

  static ReencryptionProof proveCombined(PaillierSecretKey patient, PaillierPublicKey grantee,
      EncryptedRecord original, EncryptedRecord copy, RingPedersenParams rp, byte[] context, SecureRandom rnd,
      Combiner combiner) {
    PaillierPublicKey pkP = patient.publicKey();
    int k = original.segments().size();
    Transcript t = statement(pkP, grantee, rp, original, copy, context);
    BigInteger[] c = t.challengeVector("combine", k, CHALLENGE_BITS);
    BigInteger[] claimed = combiner.combine(c);
    BigInteger bigM = claimed[0];
    BigInteger rhoStar = claimed[1];
    BigInteger cStar = combine(pkP, original, c);
    BigInteger uStar = patient.randomnessOf(pkP.ciphertext(cStar));

    BigInteger nHat = rp.nHat();
    BigInteger mu = new BigInteger(nHat.bitLength() + SLACK_BITS, rnd);
    BigInteger alpha = new BigInteger(alphaBits(original.layoutBits(), k), rnd);
    BigInteger beta = new BigInteger(betaBits(grantee, k), rnd);
    BigInteger gamma = new BigInteger(nHat.bitLength() + SLACK_BITS + CHALLENGE_BITS + SLACK_BITS, rnd);
    PaillierSecretKey.NthResidue r = patient.randomNthResidue(rnd);

    BigInteger s = rp.s().modPow(bigM, nHat).multiply(rp.t().modPow(mu, nHat)).mod(nHat);
    BigInteger tt = rp.s().modPow(alpha, nHat).multiply(rp.t().modPow(gamma, nHat)).mod(nHat);
    BigInteger aP = pkP.gPow(alpha).multiply(r.residue()).mod(pkP.nSquared());
    BigInteger aG = grantee.gPow(alpha).multiply(grantee.hsPow(beta)).mod(grantee.nSquared());
    BigInteger e = challenge(t, s, tt, aP, aG);
    BigInteger z = alpha.add(e.multiply(bigM));
    BigInteger w = r.root().multiply(uStar.modPow(e, pkP.n())).mod(pkP.n());
    BigInteger zBeta = beta.add(e.multiply(rhoStar));
    BigInteger zGamma = gamma.add(e.multiply(mu));
    return new ReencryptionProof(s, tt, aP, aG, z, w, zBeta, zGamma);
  }

  static int betaBits(PaillierPublicKey grantee, int k) {
    return grantee.rhoBits() + CHALLENGE_BITS + log2(k) + CHALLENGE_BITS + SLACK_BITS;
  }

  private static BigInteger combine(PaillierPublicKey key, EncryptedRecord r, BigInteger[] c) {
    BigInteger n2 = key.nSquared();
    BigInteger acc = BigInteger.ONE;
    for (int i = 0; i < c.length; i++) {
      acc = acc.multiply(key.ciphertext(r.segments().get(i).value()).value().modPow(c[i], n2)).mod(n2);
    }
    return acc;
  }

  static Transcript statement(PaillierPublicKey pkP, PaillierPublicKey pkG, RingPedersenParams rp,
      EncryptedRecord original, EncryptedRecord copy, byte[] context) {
    Transcript t = new Transcript(DOMAIN);
    t.appendBytes("context", context);
    t.appendBytes("patient-key", pkP.toBytes());
    t.appendBytes("grantee-key", pkG.toBytes());
    t.appendBytes("ring-pedersen", rp.toBytes());
    t.appendString("record-id", original.recordId());
    t.appendLong("layout-bits", original.layoutBits());
    t.appendLong("segments", original.segments().size());
    for (PaillierCiphertext c : original.segments()) {
      t.appendBytes("original", c.toBytes());
    }
    for (PaillierCiphertext c : copy.segments()) {
      t.appendBytes("reencrypted", c.toBytes());
    }
    return t;
  }

  private static BigInteger challenge(Transcript t, BigInteger s, BigInteger tt, BigInteger aP, BigInteger aG) {
    t.appendInteger("S", s);
    t.appendInteger("T", tt);
    t.appendInteger("A_P", aP);
    t.appendInteger("A_G", aG);
    return t.challengeBits("e", CHALLENGE_BITS);
  }

  /**
   * Verifies that {@code copy} (under {@code grantee}) holds the plaintexts of {@code original}
   * (under {@code patient}). Throws {@link ProofException} with code REENCRYPTION_PROOF_INVALID.
   */
  public void verify(PaillierPublicKey patient, PaillierPublicKey grantee, EncryptedRecord original,
      EncryptedRecord copy, RingPedersenParams rp, byte[] context) {
    int k = original.segments().size();
    checkSizes(patient, grantee, original);
    if (copy.segments().size() != k || !copy.recordId().equals(original.recordId())
        || copy.keyBits() != grantee.bits() || copy.layoutBits() != original.layoutBits()) {
      throw fail("re-encrypted record does not match the original's shape");
    }
    BigInteger nHat = rp.nHat();
    unit(commitmentS, nHat, "S");
    unit(commitmentT, nHat, "T");
    if (!patient.inUnitGroupOfNSquared(aP) || !grantee.inUnitGroupOfNSquared(aG) || !patient.inUnitGroupOfN(w)) {
      throw fail("A_P, A_G or w is not a unit of its group");
    }
    if (z.signum() < 0 || z.bitLength() > alphaBits(original.layoutBits(), k) + 1) {
      throw fail("integer response outside its range");
    }
    if (zBeta.signum() < 0 || zBeta.bitLength() > betaBits(grantee, k) + 1) {
      throw fail("randomness response outside its range");
    }
    if (zGamma.signum() < 0 || zGamma.bitLength() > nHat.bitLength() + SLACK_BITS + CHALLENGE_BITS + SLACK_BITS + 1) {
      throw fail("commitment response outside its range");
    }
    Transcript t = statement(patient, grantee, rp, original, copy, context);
    BigInteger[] c = t.challengeVector("combine", k, CHALLENGE_BITS);
    BigInteger e = challenge(t, commitmentS, commitmentT, aP, aG);

    BigInteger lhsR = rp.s().modPow(z, nHat).multiply(rp.t().modPow(zGamma, nHat)).mod(nHat);
    BigInteger rhsR = commitmentT.multiply(commitmentS.modPow(e, nHat)).mod(nHat);
    if (!lhsR.equals(rhsR)) {
      throw fail("ring-Pedersen equation does not hold");
    }
    BigInteger cStar = combine(patient, original, c);
    BigInteger n2 = patient.nSquared();
    BigInteger lhsP = patient.gPow(z).multiply(w.modPow(patient.n(), n2)).mod(n2);
    BigInteger rhsP = aP.multiply(cStar.modPow(e, n2)).mod(n2);
    if (!lhsP.equals(rhsP)) {
      throw fail("patient-key equation does not hold");
    }
    BigInteger cgStar = combine(grantee, copy, c);
    BigInteger g2 = grantee.nSquared();
    BigInteger lhsG = grantee.gPow(z).multiply(grantee.hsPow(zBeta)).mod(g2);
    BigInteger rhsG = aG.multiply(cgStar.modPow(e, g2)).mod(g2);
    if (!lhsG.equals(rhsG)) {
      throw fail("grantee-key equation does not hold");
    }
  }

  private static void unit(BigInteger x, BigInteger modulus, String name) {
    if (x.signum() <= 0 || x.compareTo(modulus) >= 0 || !x.gcd(modulus).equals(BigInteger.ONE)) {
      throw fail(name + " is not a unit of its group");
    }
  }

  private static ProofException fail(String why) {
    return new ProofException("REENCRYPTION_PROOF_INVALID", why);
  }

  /** type, version, then S, T, A_P, A_G, z, w, zβ, zγ each as u16 length + magnitude. */
  public byte[] toBytes() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(TYPE);
    out.write(VERSION);
    for (BigInteger v : new BigInteger[] {commitmentS, commitmentT, aP, aG, z, w, zBeta, zGamma}) {
      byte[] b = Bytes.unsigned(v);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  /** Strict decoder: canonical minimal integers, no trailing bytes; ranges are checked by verify. */
  public static ReencryptionProof fromBytes(byte[] enc) {
    try {
      ByteBuffer b = ByteBuffer.wrap(enc);
      if (b.get() != TYPE || b.get() != VERSION) {
        throw new MalformedInputException("MALFORMED_PROOF", "not a version-1 re-encryption proof");
      }
      BigInteger[] v = new BigInteger[8];
      for (int i = 0; i < 8; i++) {
        int len = b.getShort() & 0xFFFF;
        byte[] x = new byte[len];
        b.get(x);
        if (len == 0 || x[0] == 0) {
          throw new MalformedInputException("MALFORMED_PROOF", "non-canonical integer encoding");
        }
        v[i] = new BigInteger(1, x);
      }
      if (b.hasRemaining()) {
        throw new MalformedInputException("MALFORMED_PROOF", "trailing bytes after the re-encryption proof");
      }
      return new ReencryptionProof(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    } catch (java.nio.BufferUnderflowException ex) {
      throw new MalformedInputException("MALFORMED_PROOF", "re-encryption proof is truncated", ex);
    }
  }
}
