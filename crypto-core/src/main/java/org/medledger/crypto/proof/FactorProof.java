package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierSecretKey;

/**
 * Π^fac of CGGMP21 (the no-small-factor proof), non-interactive: a proof that the prover knows
 * integers p, q with N0 = p·q and |p|, |q| ≥ √N0 / 2^(ℓ+ε+1), against ring-Pedersen parameters
 * (N̂, s, t) whose trapdoor the prover does not know (docs/protocol.md §3.5).
 *
 * <p>Commitments P = s^p t^μ, Q = s^q t^ν, A = s^α t^x, B = s^β t^y, T = Q^α t^r, and the
 * integer σ; the verifier sets R = s^N0 t^σ, derives e ∈ [0, 2^128) from the transcript and
 * checks s^z1 t^w1 ≡ A·P^e, s^z2 t^w2 ≡ B·Q^e, Q^z1 t^v ≡ T·R^e (mod N̂) and |z1|, |z2| ≤
 * 2^(ℓ+ε)·⌊√N0⌋. Every exponent is a signed integer; negative ones use the inverse of a unit.
 * Immutable; {@link #toBytes()} is canonical and {@link #fromBytes} strict. The verifier is
 * deterministic.
 */
public final class FactorProof {
  /** ℓ: slack of the ring-Pedersen blinders μ, ν, σ (statistical hiding 2^-ℓ). */
  /** Smallest N0 the proof is verified for (docs/protocol.md §3.5): the chaincode's key minimum. */
  public static final int MIN_N0_BITS = 2048;
  public static final int L = 256;
  /** ε: extra slack of the masks α, β, x, y, r over the challenge times the secret. */
  public static final int EPS = 256;
  /** Bits of the challenge e; soundness error about 2^-128. */
  public static final int CHALLENGE_BITS = 128;

  static final String DOMAIN = "medledger/factor-proof/v1";
  static final byte TYPE = 0x25;
  static final byte VERSION = 1;
  static final int HEADER = EncodingHeader.LENGTH;
  static final String INVALID = "FACTOR_PROOF_INVALID";
  static final String MALFORMED = "MALFORMED_FACTOR_PROOF";
  /** Rounds before an honest prover gives up (each repeats with probability below 2^-380). */
  static final int MAX_ROUNDS = 8;

  final int bits;
  final int nHatBits;
  final BigInteger commitP;
  final BigInteger commitQ;
  final BigInteger commitA;
  final BigInteger commitB;
  final BigInteger commitT;
  final BigInteger sigma;
  final BigInteger z1;
  final BigInteger z2;
  final BigInteger w1;
  final BigInteger w2;
  final BigInteger v;

  /** Wraps raw values without any check; package-private so that tests can play a malicious prover. */
  FactorProof(int bits, int nHatBits, BigInteger commitP, BigInteger commitQ, BigInteger commitA,
      BigInteger commitB, BigInteger commitT, BigInteger sigma, BigInteger z1, BigInteger z2, BigInteger w1,
      BigInteger w2, BigInteger v) {
    this.bits = bits;
    this.nHatBits = nHatBits;
    this.commitP = Objects.requireNonNull(commitP);
    this.commitQ = Objects.requireNonNull(commitQ);
    this.commitA = Objects.requireNonNull(commitA);
    this.commitB = Objects.requireNonNull(commitB);
    this.commitT = Objects.requireNonNull(commitT);
    this.sigma = Objects.requireNonNull(sigma);
    this.z1 = Objects.requireNonNull(z1);
    this.z2 = Objects.requireNonNull(z2);
    this.w1 = Objects.requireNonNull(w1);
    this.w2 = Objects.requireNonNull(w2);
    this.v = Objects.requireNonNull(v);
  }

  // ---------------------------------------------------------------------------------------------
  // Bounds (docs/protocol.md §3.5, "Parameters")
  // ---------------------------------------------------------------------------------------------

  /** The bound on |z1|, |z2|: 2^(ℓ+ε)·⌊√N0⌋. */
  static BigInteger zBound(BigInteger n0) {
    return n0.sqrt().shiftLeft(L + EPS);
  }

  /** The bound on |σ|: 2^ℓ·N0·N̂. */
  static BigInteger sigmaBound(BigInteger n0, BigInteger nHat) {
    return n0.multiply(nHat).shiftLeft(L);
  }

  /** The bound on |w1|, |w2|: 2^(ℓ+ε+1)·N̂. */
  static BigInteger wBound(BigInteger nHat) {
    return nHat.shiftLeft(L + EPS + 1);
  }

  /** The bound on |v|: 2^(ℓ+ε+1)·N0·N̂. */
  static BigInteger vBound(BigInteger n0, BigInteger nHat) {
    return n0.multiply(nHat).shiftLeft(L + EPS + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Prover
  // ---------------------------------------------------------------------------------------------

  /** Proves that {@code sk}'s modulus has no small factor, against {@code rp}, bound to {@code context}. */
  public static FactorProof prove(PaillierSecretKey sk, RingPedersenParams rp, byte[] context, SecureRandom rnd) {
    Objects.requireNonNull(sk, "sk");
    checkStatement(sk.publicKey().n(), rp, context);
    FactorProof proof = proveUnchecked(sk.p(SecretAccess.explicit()), sk.q(SecretAccess.explicit()), rp, context, rnd);
    if (proof == null) {
      throw new IllegalStateException("responses outside their bounds in " + MAX_ROUNDS + " rounds");
    }
    return proof;
  }

  /**
   * One run of the protocol on any claimed factors p, q of N0 = p·q, repeated while |z1| or |z2|
   * exceeds the bound (an honest prover repeats with probability below 2^-380); returns null when
   * {@link #MAX_ROUNDS} runs do not give in-range responses. Tests use it as a malicious prover.
   */
  static FactorProof proveUnchecked(BigInteger p, BigInteger q, RingPedersenParams rp, byte[] context,
      SecureRandom rnd) {
    BigInteger zBound = zBound(p.multiply(q));
    for (int round = 0; round < MAX_ROUNDS; round++) {
      FactorProof f = proveOnce(p, q, rp, context, rnd);
      if (f.z1.abs().compareTo(zBound) <= 0 && f.z2.abs().compareTo(zBound) <= 0) {
        return f;
      }
    }
    return null;
  }

  /** One run of the protocol on claimed factors p, q, with no check of the responses' bounds. */
  static FactorProof proveOnce(BigInteger p, BigInteger q, RingPedersenParams rp, byte[] context,
      SecureRandom rnd) {
    BigInteger n0 = p.multiply(q);
    BigInteger nHat = rp.nHat();
    BigInteger zBound = zBound(n0);
    BigInteger blind = nHat.shiftLeft(L);
    BigInteger mask = nHat.shiftLeft(L + EPS);
    BigInteger n0nHat = n0.multiply(nHat);
    BigInteger alpha = signedBelow(zBound, rnd);
    BigInteger beta = signedBelow(zBound, rnd);
    BigInteger mu = signedBelow(blind, rnd);
    BigInteger nu = signedBelow(blind, rnd);
    BigInteger sigma = signedBelow(n0nHat.shiftLeft(L), rnd);
    BigInteger r = signedBelow(n0nHat.shiftLeft(L + EPS), rnd);
    BigInteger x = signedBelow(mask, rnd);
    BigInteger y = signedBelow(mask, rnd);

    BigInteger cp = rp.commit(p, mu);
    BigInteger cq = rp.commit(q, nu);
    BigInteger ca = rp.commit(alpha, x);
    BigInteger cb = rp.commit(beta, y);
    BigInteger ct = signedPow(cq, alpha, nHat).multiply(rp.commit(BigInteger.ZERO, r)).mod(nHat);
    BigInteger e = challenge(n0, rp, context, cp, cq, ca, cb, ct, sigma);

    BigInteger sigmaHat = sigma.subtract(nu.multiply(p));
    BigInteger z1 = alpha.add(e.multiply(p));
    BigInteger z2 = beta.add(e.multiply(q));
    return new FactorProof(n0.bitLength(), nHat.bitLength(), cp, cq, ca, cb, ct, sigma, z1, z2,
        x.add(e.multiply(mu)), y.add(e.multiply(nu)), r.add(e.multiply(sigmaHat)));
  }

  /** Uniform in [−bound, bound]. */
  static BigInteger signedBelow(BigInteger bound, SecureRandom rnd) {
    BigInteger width = bound.shiftLeft(1).add(BigInteger.ONE);
    BigInteger u;
    do {
      u = new BigInteger(width.bitLength(), rnd);
    } while (u.compareTo(width) >= 0);
    return u.subtract(bound);
  }

  /** base^e mod m for a signed e; base must be a unit modulo m. */
  static BigInteger signedPow(BigInteger base, BigInteger e, BigInteger m) {
    return e.signum() >= 0 ? base.modPow(e, m) : base.modInverse(m).modPow(e.negate(), m);
  }

  /**
   * The challenge e ∈ [0, 2^128). Transcript frames, in order: "l", "eps", "challenge-bits",
   * "context", "N0", "N-hat", "s", "t", "P", "Q", "A", "B", "T", "sigma" (signed), then "e".
   */
  static BigInteger challenge(BigInteger n0, RingPedersenParams rp, byte[] context, BigInteger cp, BigInteger cq,
      BigInteger ca, BigInteger cb, BigInteger ct, BigInteger sigma) {
    Transcript t = new Transcript(DOMAIN);
    t.appendLong("l", L);
    t.appendLong("eps", EPS);
    t.appendLong("challenge-bits", CHALLENGE_BITS);
    t.appendBytes("context", context);
    t.appendInteger("N0", n0);
    t.appendInteger("N-hat", rp.nHat());
    t.appendInteger("s", rp.s());
    t.appendInteger("t", rp.t());
    t.appendInteger("P", cp);
    t.appendInteger("Q", cq);
    t.appendInteger("A", ca);
    t.appendInteger("B", cb);
    t.appendInteger("T", ct);
    t.appendInteger("sigma", sigma);
    return t.challengeBits("e", CHALLENGE_BITS);
  }

  // ---------------------------------------------------------------------------------------------
  // Verifier
  // ---------------------------------------------------------------------------------------------

  /**
   * Checks on the statement that come before the proof: N0 a positive odd integer of an even
   * number of bits, at least 16; gcd(N0, N̂) = 1 (so N0 ≠ N̂: whoever knows N̂'s factors could
   * take roots modulo N̂). The parameters themselves were validated by {@link RingPedersenParams}.
   */
  static void checkStatement(BigInteger n0, RingPedersenParams rp, byte[] context) {
    Objects.requireNonNull(n0, "n0");
    Objects.requireNonNull(rp, "rp");
    Objects.requireNonNull(context, "context");
    if (n0.signum() <= 0 || !n0.testBit(0) || n0.bitLength() % 8 != 0) {
      throw new MalformedInputException(MALFORMED, "N0 is not a positive odd integer of whole bytes");
    }
    if (!n0.gcd(rp.nHat()).equals(BigInteger.ONE)) {
      throw new ProofException(INVALID, "N0 shares a factor with N̂");
    }
  }

  /**
   * Verifies the proof for modulus {@code n0} against {@code rp} and {@code context}, in this
   * order: the statement checks; sizes; P, Q, A, B, T units in [1, N̂); the bounds on σ, z1, z2,
   * w1, w2, v; then the three equations. Returns normally only if every check passes.
   *
   * @throws ProofException (FACTOR_PROOF_INVALID) naming the first check that fails
   */
  public void verify(BigInteger n0, RingPedersenParams rp, byte[] context) {
    checkStatement(n0, rp, context);
    if (n0.bitLength() < MIN_N0_BITS) {
      // Below this the bound √N0·2^(ℓ+ε) no longer forces factors above 2^128 (a 1024-bit N0 with
      // a 120-bit factor passes by grinding σ, which costs one hash a try). An honest prover may
      // still prove a smaller key; no verifier accepts it.
      throw new MalformedInputException(MALFORMED, "N0 has " + n0.bitLength() + " bits; Π^fac is sound from "
          + MIN_N0_BITS + " bits on");
    }
    BigInteger nHat = rp.nHat();
    if (bits != n0.bitLength() || nHatBits != nHat.bitLength()) {
      throw invalid("proof is for a " + bits + "-bit modulus and a " + nHatBits + "-bit N̂, the statement has "
          + n0.bitLength() + " and " + nHat.bitLength());
    }
    unit(commitP, nHat, "P");
    unit(commitQ, nHat, "Q");
    unit(commitA, nHat, "A");
    unit(commitB, nHat, "B");
    unit(commitT, nHat, "T");
    BigInteger zBound = zBound(n0);
    within(sigma, sigmaBound(n0, nHat), "sigma");
    within(z1, zBound, "z1");
    within(z2, zBound, "z2");
    BigInteger wBound = wBound(nHat);
    within(w1, wBound, "w1");
    within(w2, wBound, "w2");
    within(v, vBound(n0, nHat), "v");

    BigInteger e = challenge(n0, rp, context, commitP, commitQ, commitA, commitB, commitT, sigma);
    if (!rp.commit(z1, w1).equals(commitA.multiply(commitP.modPow(e, nHat)).mod(nHat))) {
      throw invalid("s^z1 t^w1 ≢ A·P^e (mod N̂)");
    }
    if (!rp.commit(z2, w2).equals(commitB.multiply(commitQ.modPow(e, nHat)).mod(nHat))) {
      throw invalid("s^z2 t^w2 ≢ B·Q^e (mod N̂)");
    }
    BigInteger r = rp.commit(n0, sigma);
    BigInteger lhs = signedPow(commitQ, z1, nHat).multiply(rp.commit(BigInteger.ZERO, v)).mod(nHat);
    if (!lhs.equals(commitT.multiply(r.modPow(e, nHat)).mod(nHat))) {
      throw invalid("Q^z1 t^v ≢ T·R^e (mod N̂) with R = s^N0 t^σ");
    }
  }

  private static void unit(BigInteger x, BigInteger nHat, String name) {
    if (x.signum() <= 0 || x.compareTo(nHat) >= 0 || !x.gcd(nHat).equals(BigInteger.ONE)) {
      throw invalid(name + " is not a unit in [1, N̂)");
    }
  }

  private static void within(BigInteger x, BigInteger bound, String name) {
    if (x.abs().compareTo(bound) > 0) {
      throw invalid("|" + name + "| exceeds its bound");
    }
  }

  private static ProofException invalid(String message) {
    return new ProofException(INVALID, message);
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding
  // ---------------------------------------------------------------------------------------------

  private static int bytes(int bitCount) {
    return (bitCount + 7) / 8;
  }

  /** Magnitude widths of σ, z, w, v for an N0 of {@code bits} and an N̂ of {@code hatBits} bits. */
  private static int[] widths(int bits, int hatBits) {
    return new int[] {
        bytes(L + bits + hatBits), // σ
        bytes(L + EPS + bits / 2), // z1, z2
        bytes(L + EPS + 1 + hatBits), // w1, w2
        bytes(L + EPS + 1 + bits + hatBits)}; // v
  }

  /** Length of the encoding for an N0 of {@code bits} bits and an N̂ of {@code hatBits} bits. */
  public static int encodedLength(int bits, int hatBits) {
    int[] w = widths(bits, hatBits);
    return HEADER + 2 + 5 * (hatBits / 8) + 6 + w[0] + 2 * w[1] + 2 * w[2] + w[3];
  }

  /**
   * Canonical encoding: {@code 0x25 || 0x01 || u16 bits(N0) || u16 bits(N̂) || P || Q || A || B ||
   * T || σ || z1 || z2 || w1 || w2 || v}; P…T big-endian in bits(N̂)/8 bytes; each signed integer
   * as a sign byte (0 non-negative, 1 negative) and its magnitude in a fixed width: ℓ+bits+hatBits
   * bits for σ, ℓ+ε+bits/2 for z, ℓ+ε+1+hatBits for w, ℓ+ε+1+bits+hatBits for v, rounded up to
   * bytes.
   */
  public byte[] toBytes() {
    int[] w = widths(bits, nHatBits);
    int len = nHatBits / 8;
    byte[] out = new byte[encodedLength(bits, nHatBits)];
    System.arraycopy(EncodingHeader.of(TYPE, VERSION, bits), 0, out, 0, HEADER);
    out[HEADER] = (byte) (nHatBits >>> 8);
    out[HEADER + 1] = (byte) nHatBits;
    int off = HEADER + 2;
    for (BigInteger c : new BigInteger[] {commitP, commitQ, commitA, commitB, commitT}) {
      off = put(out, off, c, len);
    }
    off = putSigned(out, off, sigma, w[0]);
    off = putSigned(out, off, z1, w[1]);
    off = putSigned(out, off, z2, w[1]);
    off = putSigned(out, off, w1, w[2]);
    off = putSigned(out, off, w2, w[2]);
    putSigned(out, off, v, w[3]);
    return out;
  }

  private static int put(byte[] out, int off, BigInteger v, int len) {
    System.arraycopy(Bytes.fixed(v, len), 0, out, off, len);
    return off + len;
  }

  private static int putSigned(byte[] out, int off, BigInteger v, int len) {
    out[off] = (byte) (v.signum() < 0 ? 1 : 0);
    return put(out, off + 1, v.abs(), len);
  }

  /**
   * Strict decoding for the statement (N0, N̂): type, version and both sizes must match, the
   * length must be exact, P…T must lie in [1, N̂), sign bytes must be 0 or 1 and no integer may be
   * a negative zero. Bounds and units are checked by {@link #verify}.
   *
   * @throws MalformedInputException with code MALFORMED_FACTOR_PROOF
   */
  public static FactorProof fromBytes(byte[] encoded, BigInteger n0, RingPedersenParams rp) {
    Objects.requireNonNull(n0, "n0");
    Objects.requireNonNull(rp, "rp");
    int bits = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED, "factor proof");
    if (encoded.length < HEADER + 2) {
      throw malformed("factor proof encoding too short");
    }
    int hatBits = ((encoded[HEADER] & 0xFF) << 8) | (encoded[HEADER + 1] & 0xFF);
    BigInteger nHat = rp.nHat();
    if (bits != n0.bitLength() || hatBits != nHat.bitLength() || bits % 8 != 0 || hatBits % 8 != 0) {
      throw malformed("proof is for a " + bits + "-bit modulus and a " + hatBits + "-bit N̂, the statement has "
          + n0.bitLength() + " and " + nHat.bitLength());
    }
    if (encoded.length != encodedLength(bits, hatBits)) {
      throw malformed("encoding has " + encoded.length + " bytes, expected " + encodedLength(bits, hatBits));
    }
    int[] w = widths(bits, hatBits);
    int len = hatBits / 8;
    int off = HEADER + 2;
    BigInteger[] c = new BigInteger[5];
    String[] names = {"P", "Q", "A", "B", "T"};
    for (int i = 0; i < 5; i++, off += len) {
      c[i] = new BigInteger(1, Arrays.copyOfRange(encoded, off, off + len));
      if (c[i].signum() == 0 || c[i].compareTo(nHat) >= 0) {
        throw malformed(names[i] + " outside [1, N̂)");
      }
    }
    int[] width = {w[0], w[1], w[1], w[2], w[2], w[3]};
    BigInteger[] s = new BigInteger[6];
    for (int i = 0; i < 6; i++) {
      s[i] = takeSigned(encoded, off, width[i]);
      off += 1 + width[i];
    }
    return new FactorProof(bits, hatBits, c[0], c[1], c[2], c[3], c[4], s[0], s[1], s[2], s[3], s[4], s[5]);
  }

  private static BigInteger takeSigned(byte[] encoded, int off, int len) {
    byte sign = encoded[off];
    if (sign != 0 && sign != 1) {
      throw malformed("sign byte must be 0 or 1");
    }
    BigInteger mag = new BigInteger(1, Arrays.copyOfRange(encoded, off + 1, off + 1 + len));
    if (sign == 1 && mag.signum() == 0) {
      throw malformed("negative zero");
    }
    return sign == 1 ? mag.negate() : mag;
  }

  private static MalformedInputException malformed(String message) {
    return new MalformedInputException(MALFORMED, message);
  }

  public int bits() {
    return bits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FactorProof f && Arrays.equals(f.toBytes(), toBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "FactorProof[" + bits + "-bit N0, " + nHatBits + "-bit N̂]";
  }
}
