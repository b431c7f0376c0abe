package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;

/**
 * Π^prm of CGGMP21 (§6.3, Fig. 17), non-interactive: a proof that s ∈ ⟨t⟩ in Z*_N̂ for
 * ring-Pedersen parameters (N̂, s, t), i.e. that the set-up knows λ with s = t^λ mod N̂
 * (docs/protocol.md, "Ring-Pedersen parameters").
 *
 * <p>{@value #ROUNDS} rounds with one-bit challenges: A_i = t^(a_i), e = the 128-bit challenge
 * "e", z_i = a_i + e_i·λ mod φ(N̂); the verifier checks t^(z_i) ≡ A_i · s^(e_i) (mod N̂).
 * Verification is only reachable through {@link RingPedersenParams#validate}, which checks the
 * statement's structure first. Immutable.
 */
public final class RingPedersenProof {
  /** m: rounds, each with soundness error 1/2. */
  public static final int ROUNDS = 128;

  static final String DOMAIN = "medledger/ring-pedersen/prm/v1";
  static final byte TYPE = 0x22;
  static final byte VERSION = 1;
  static final int HEADER = EncodingHeader.LENGTH;
  static final String INVALID = "RING_PEDERSEN_PROOF_INVALID";
  static final String MALFORMED = "MALFORMED_RING_PEDERSEN";

  private final int bits;
  private final BigInteger[] commitments;
  private final BigInteger[] responses;

  /** Wraps raw values; package-private so tests can play a malicious prover. */
  RingPedersenProof(int bits, BigInteger[] commitments, BigInteger[] responses) {
    if (commitments.length != ROUNDS || responses.length != ROUNDS) {
      throw new IllegalArgumentException("wrong number of rounds");
    }
    this.bits = bits;
    this.commitments = commitments.clone();
    this.responses = responses.clone();
    for (int i = 0; i < ROUNDS; i++) {
      Objects.requireNonNull(this.commitments[i]);
      Objects.requireNonNull(this.responses[i]);
    }
  }

  /**
   * The set-up's proof that s = t^λ. Needs the factors p, q of N̂ (for φ(N̂) and CRT); the caller
   * erases them together with λ afterwards.
   */
  static RingPedersenProof prove(BigInteger nHat, BigInteger s, BigInteger t, BigInteger lambda,
      BigInteger p, BigInteger q, SecureRandom rnd) {
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger qm1 = q.subtract(BigInteger.ONE);
    BigInteger phi = pm1.multiply(qm1);
    BigInteger qInvP = q.modInverse(p);
    BigInteger tp = t.mod(p);
    BigInteger tq = t.mod(q);
    BigInteger[] a = new BigInteger[ROUNDS];
    BigInteger[] commitments = new BigInteger[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      a[i] = NumberTheory.randomBelow(rnd, phi);
      commitments[i] = NumberTheory.crt(tp.modPow(a[i].mod(pm1), p), p, tq.modPow(a[i].mod(qm1), q), q, qInvP);
    }
    BigInteger e = challenge(nHat, s, t, commitments);
    BigInteger[] responses = new BigInteger[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      responses[i] = e.testBit(i) ? a[i].add(lambda).mod(phi) : a[i];
    }
    return new RingPedersenProof(nHat.bitLength(), commitments, responses);
  }

  /**
   * The 128-bit challenge; bit i is e_i. Transcript frames, in order: "rounds", "N", "s", "t",
   * "A[0]" … "A[127]", then the challenge "e".
   */
  static BigInteger challenge(BigInteger nHat, BigInteger s, BigInteger t, BigInteger[] commitments) {
    Transcript tr = new Transcript(DOMAIN);
    tr.appendLong("rounds", ROUNDS);
    tr.appendInteger("N", nHat);
    tr.appendInteger("s", s);
    tr.appendInteger("t", t);
    for (int i = 0; i < ROUNDS; i++) {
      tr.appendInteger("A[" + i + "]", commitments[i]);
    }
    return tr.challengeBits("e", ROUNDS);
  }

  /**
   * Checks t^(z_i) ≡ A_i · s^(e_i) (mod N̂) for every round. The caller has already validated the
   * structure of (N̂, s, t).
   *
   * @throws ProofException (RING_PEDERSEN_PROOF_INVALID) naming the first failed check
   */
  void verify(BigInteger nHat, BigInteger s, BigInteger t) {
    if (bits != nHat.bitLength()) {
      throw invalid("proof is for a " + bits + "-bit N̂, the parameters have " + nHat.bitLength() + " bits");
    }
    for (int i = 0; i < ROUNDS; i++) {
      if (commitments[i].signum() <= 0 || commitments[i].compareTo(nHat) >= 0) {
        throw invalid("A[" + i + "] outside [1, N̂)");
      }
      if (responses[i].signum() < 0 || responses[i].compareTo(nHat) >= 0) {
        throw invalid("z[" + i + "] outside [0, N̂)");
      }
    }
    BigInteger e = challenge(nHat, s, t, commitments);
    for (int i = 0; i < ROUNDS; i++) {
      BigInteger expected = e.testBit(i) ? commitments[i].multiply(s).mod(nHat) : commitments[i];
      if (!t.modPow(responses[i], nHat).equals(expected)) {
        throw invalid("round " + i + ": t^z ≢ A · s^e (mod N̂)");
      }
    }
  }

  private static ProofException invalid(String message) {
    return new ProofException(INVALID, message);
  }

  /** Length of the encoding for an N̂ of {@code bits} bits: 4 + 2·m·bits/8. */
  public static int encodedLength(int bits) {
    return HEADER + 2 * ROUNDS * (bits / 8);
  }

  /**
   * Canonical encoding: {@code 0x22 || 0x01 || u16 bits || A_0 … A_127 || z_0 … z_127}, each
   * integer big-endian in exactly bits/8 bytes.
   */
  public byte[] toBytes() {
    int len = bits / 8;
    byte[] out = new byte[encodedLength(bits)];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (bits >>> 8);
    out[3] = (byte) bits;
    int off = HEADER;
    for (BigInteger v : commitments) {
      System.arraycopy(Bytes.fixed(v, len), 0, out, off, len);
      off += len;
    }
    for (BigInteger v : responses) {
      System.arraycopy(Bytes.fixed(v, len), 0, out, off, len);
      off += len;
    }
    return out;
  }

  /**
   * Strict decoding for the modulus N̂ the proof is about: type, version, size and exact length
   * must match; A_i ∈ [1, N̂) and z_i ∈ [0, N̂).
   *
   * @throws MalformedInputException with code MALFORMED_RING_PEDERSEN
   */
  public static RingPedersenProof fromBytes(byte[] encoded, BigInteger nHat) {
    Objects.requireNonNull(nHat, "nHat");
    int bits = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED, "ring-Pedersen proof");
    if (bits != nHat.bitLength() || bits % 8 != 0) {
      throw malformed("proof is for a " + bits + "-bit N̂, the parameters have " + nHat.bitLength() + " bits");
    }
    if (encoded.length != encodedLength(bits)) {
      throw malformed("proof encoding has " + encoded.length + " bytes, expected " + encodedLength(bits));
    }
    int len = bits / 8;
    BigInteger[] commitments = new BigInteger[ROUNDS];
    BigInteger[] responses = new BigInteger[ROUNDS];
    int off = HEADER;
    for (int i = 0; i < ROUNDS; i++, off += len) {
      commitments[i] = new BigInteger(1, Arrays.copyOfRange(encoded, off, off + len));
      if (commitments[i].signum() == 0 || commitments[i].compareTo(nHat) >= 0) {
        throw malformed("A[" + i + "] outside [1, N̂)");
      }
    }
    for (int i = 0; i < ROUNDS; i++, off += len) {
      responses[i] = new BigInteger(1, Arrays.copyOfRange(encoded, off, off + len));
      if (responses[i].compareTo(nHat) >= 0) {
        throw malformed("z[" + i + "] outside [0, N̂)");
      }
    }
    return new RingPedersenProof(bits, commitments, responses);
  }

  private static MalformedInputException malformed(String message) {
    return new MalformedInputException(MALFORMED, message);
  }

  public int bits() {
    return bits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingPedersenProof r && r.bits == bits && Arrays.equals(r.commitments, commitments)
        && Arrays.equals(r.responses, responses);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(commitments) * 31 + Arrays.hashCode(responses);
  }

  @Override
  public String toString() {
    return "RingPedersenProof[" + bits + " bits, m=" + ROUNDS + "]";
  }
}
