package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.internal.FixedBaseTable;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.KeyProof;

/**
 * The public parameters of a threshold regulator committee (docs/protocol.md §10): an ordinary
 * Paillier public key (n, h), the verification base v (a square of Z*_{n²}), the threshold t of m
 * members, the public scale σ ∈ Z*_n with d ≡ σ (mod n) for the shared secret d (1 after a
 * dealing, multiplied by Δ_old²·Δ_new at each re-sharing), the bound 2^shareBits on |s_i|, and
 * one verification key v_i = v^{Δ·s_i} per member, Δ = m!.
 *
 * <p>Everyone who only encrypts uses {@link #paillierKey()}, which is indistinguishable from a
 * regulator key held by one party. Instances exist only after validation ({@link #of},
 * {@link #fromBytes}): sizes and ranges first, group membership next, and then one exponentiation
 * check that the m verification keys lie on one polynomial of degree t − 1 in the exponent.
 * Immutable.
 */
public final class ThresholdPublicKey {
  static final byte TYPE = 0x30;
  static final byte VERSION = 1;
  static final String MALFORMED = "MALFORMED_THRESHOLD_KEY";
  /** Largest committee: Δ = 64! has 296 bits, far below every prime factor of n. */
  public static final int MAX_MEMBERS = 64;
  /** Challenge length κ of the share proof. */
  public static final int CHALLENGE_BITS = 128;
  /** Statistical slack σ of the share proof's responses (docs/protocol.md §1). */
  public static final int SLACK_BITS = 80;

  private final PaillierPublicKey paillier;
  private final BigInteger v;
  private final int threshold;
  private final int members;
  private final int shareBits;
  private final BigInteger scale;
  private final BigInteger[] vks;
  private final BigInteger delta;
  private final byte[] encoding;
  private final byte[] fingerprint;
  private final Transcript transcript;
  /** Window of the optional fixed-base table for v: 5 bits, about 14 MB at 2048 bits, 31 MB at 3072. */
  static final int TABLE_WINDOW = 5;
  private volatile FixedBaseTable vTable;

  private ThresholdPublicKey(PaillierPublicKey paillier, BigInteger v, int threshold, int members, int shareBits,
      BigInteger scale, BigInteger[] vks) {
    this.paillier = paillier;
    this.v = v;
    this.threshold = threshold;
    this.members = members;
    this.shareBits = shareBits;
    this.scale = scale;
    this.vks = vks;
    this.delta = Lagrange.delta(members);
    this.encoding = encode();
    SHA256Digest sha = new SHA256Digest();
    sha.update(encoding, 0, encoding.length);
    this.fingerprint = new byte[32];
    sha.doFinal(fingerprint, 0);
    this.transcript = new Transcript("medledger/threshold-paillier/v1").appendBytes("committee", encoding);
  }

  /**
   * Validates and builds the committee key. {@code vks[i − 1]} is member i's verification key.
   *
   * @throws MalformedInputException (MALFORMED_THRESHOLD_KEY, or MALFORMED_KEY for n and h)
   */
  public static ThresholdPublicKey of(PaillierPublicKey paillier, BigInteger v, int threshold, int members,
      int shareBits, BigInteger scale, BigInteger[] vks) {
    if (paillier == null || v == null || scale == null || vks == null) {
      throw new MalformedInputException(MALFORMED, "missing field");
    }
    KeyProof.checkModulus(paillier.n());
    if (members < 1 || members > MAX_MEMBERS || threshold < 1 || threshold > members) {
      throw new MalformedInputException(MALFORMED,
          "need 1 ≤ t ≤ m ≤ " + MAX_MEMBERS + ", got t = " + threshold + ", m = " + members);
    }
    int k = paillier.bits();
    if (shareBits < 1 || shareBits > maxShareBits(k)) {
      throw new MalformedInputException(MALFORMED, "share bound 2^" + shareBits + " outside [2, 2^" + maxShareBits(k) + "]");
    }
    if (!paillier.inUnitGroupOfN(scale)) {
      throw new MalformedInputException(MALFORMED, "scale is not in Z*_n");
    }
    BigInteger n = paillier.n();
    if (!paillier.inUnitGroupOfNSquared(v) || NumberTheory.jacobi(v.mod(n), n) != 1 || degenerateModN(v, n)) {
      throw new MalformedInputException(MALFORMED,
          "verification base v is not an element of Z*_{n²} with Jacobi symbol +1 and gcd(v² − 1, n) = 1");
    }
    if (vks.length != members) {
      throw new MalformedInputException(MALFORMED, "expected " + members + " verification keys, got " + vks.length);
    }
    BigInteger[] copy = vks.clone();
    for (int i = 0; i < members; i++) {
      BigInteger vi = copy[i];
      if (vi == null || !paillier.inUnitGroupOfNSquared(vi) || NumberTheory.jacobi(vi.mod(n), n) != 1
          || degenerateModN(vi, n)) {
        throw new MalformedInputException(MALFORMED, "verification key of member " + (i + 1)
            + " is not in Z*_{n²} with Jacobi symbol +1 and gcd(v_i² − 1, n) = 1");
      }
    }
    checkOnePolynomial(paillier.nSquared(), threshold, members, copy);
    return new ThresholdPublicKey(paillier, v, threshold, members, shareBits, scale, copy);
  }

  /**
   * gcd(x² − 1, n) ≠ 1: x ≡ ±1 modulo p or modulo q (x² ≡ 1 (mod n) among them: ±1, ±ω). Such an
   * x generates at most half of QR_n. For v = n² − 1 (Jacobi symbol +1, since p ≡ q ≡ 3 mod 4)
   * every v^z and, by the polynomial check, every v_i may be ±1, and the share proof binds
   * nothing (docs/protocol.md §10.6, checks 4–5). An honest v or v_i passes except with
   * negligible probability; one that fails reveals a factor of n.
   */
  private static boolean degenerateModN(BigInteger x, BigInteger n) {
    return !x.multiply(x).subtract(BigInteger.ONE).gcd(n).equals(BigInteger.ONE);
  }

  /** Shares may grow by re-sharing up to 4k bits; a fresh dealing starts at 2k. */
  static int maxShareBits(int keyBits) {
    return 4 * keyBits;
  }

  /**
   * v_j^Δ = ∏_{i ≤ t} v_i^{Δ·λ_{j,i}} for every j > t, with S = {1..t}: the keys are v^{Δ·f(i)} for
   * one f of degree &lt; t. A forged key of a member outside S breaks its own equation; one inside S
   * breaks every equation (when m > t).
   */
  private static void checkOnePolynomial(BigInteger nSquared, int t, int m, BigInteger[] vks) {
    if (m == t) {
      return;
    }
    BigInteger delta = Lagrange.delta(m);
    int[] set = new int[t];
    for (int i = 0; i < t; i++) {
      set[i] = i + 1;
    }
    for (int j = t + 1; j <= m; j++) {
      BigInteger rhs = BigInteger.ONE;
      for (int i : set) {
        rhs = rhs.multiply(vks[i - 1].modPow(Lagrange.scaled(delta, set, i, j), nSquared)).mod(nSquared);
      }
      if (!vks[j - 1].modPow(delta, nSquared).equals(rhs)) {
        throw new MalformedInputException(MALFORMED, "verification keys do not lie on one polynomial of degree "
            + (t - 1) + " (first mismatch at member " + j + ")");
      }
    }
  }

  public PaillierPublicKey paillierKey() {
    return paillier;
  }

  public BigInteger v() {
    return v;
  }

  public int threshold() {
    return threshold;
  }

  public int members() {
    return members;
  }

  public int shareBits() {
    return shareBits;
  }

  public BigInteger scale() {
    return scale;
  }

  /** Δ = m!. */
  public BigInteger delta() {
    return delta;
  }

  /**
   * Builds a fixed-base table for v (idempotent; {@link #tableBytes()} of heap, under a second to
   * build at 2048 bits) that later partial decryptions and share checks use for v's powers: a
   * power by an R-bit exponent then costs about 16 instead of 29 ms at 2048 bits. Worth it for a
   * long-lived key that verifies shares without commitments or makes many shares. Returns this key.
   */
  public ThresholdPublicKey precompute() {
    if (vTable == null) {
      synchronized (this) {
        if (vTable == null) {
          vTable = new FixedBaseTable(v, paillier.nSquared(), responseBits() + 1, TABLE_WINDOW);
        }
      }
    }
    return this;
  }

  public boolean isPrecomputed() {
    return vTable != null;
  }

  /** Approximate heap size of the table {@link #precompute()} builds, in bytes. */
  public long tableBytes() {
    return FixedBaseTable.tableBytes(2 * paillier.bits(), responseBits() + 1, TABLE_WINDOW);
  }

  /** v^x mod n² for x ≥ 0, from the table when there is one. */
  BigInteger vPow(BigInteger x) {
    FixedBaseTable t = vTable;
    return t != null && x.signum() >= 0 ? t.pow(x) : v.modPow(x, paillier.nSquared());
  }

  /** v_i for member i ∈ [1, m]. */
  public BigInteger verificationKey(int member) {
    checkMember(member);
    return vks[member - 1];
  }

  /** @throws InvalidShareException (UNKNOWN_MEMBER) unless 1 ≤ member ≤ m */
  public void checkMember(int member) {
    if (member < 1 || member > members) {
      throw new InvalidShareException("UNKNOWN_MEMBER", member, "not a member of this " + threshold + "-of-" + members + " committee");
    }
  }

  /** SHA-256 of {@link #toBytes()}; names this committee (and epoch) in shares and re-sharings. */
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  boolean hasFingerprint(byte[] other) {
    return java.security.MessageDigest.isEqual(fingerprint, other);
  }

  /** A fresh transcript that has absorbed this committee's whole encoding. */
  Transcript transcript() {
    return transcript.fork();
  }

  /** Bits of the exponent x = Δ·s_i: |x| &lt; 2^xBits. */
  int exponentBits() {
    return shareBits + delta.bitLength();
  }

  /** The prover's nonce r is drawn from [0, 2^nonceBits): xBits + κ + σ. */
  int nonceBits() {
    return exponentBits() + CHALLENGE_BITS + SLACK_BITS;
  }

  /** The verifier accepts |z| &lt; 2^responseBits only: nonceBits + 1. */
  public int responseBits() {
    return nonceBits() + 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding (type 0x30, version 1)
  // ---------------------------------------------------------------------------------------------

  /**
   * type, version, u16 k ‖ n (k/8) ‖ h (k/8) ‖ v (k/4) ‖ u16 t ‖ u16 m ‖ u16 shareBits ‖ scale (k/8)
   * ‖ v_1 … v_m (k/4 each).
   */
  public byte[] toBytes() {
    return encoding.clone();
  }

  private byte[] encode() {
    int k = paillier.bits();
    int half = k / 8;
    int full = k / 4;
    byte[] out = new byte[encodedLength(k, members)];
    System.arraycopy(EncodingHeader.of(TYPE, VERSION, k), 0, out, 0, EncodingHeader.LENGTH);
    int at = EncodingHeader.LENGTH;
    at = put(out, at, Bytes.fixed(paillier.n(), half));
    at = put(out, at, Bytes.fixed(paillier.h(), half));
    at = put(out, at, Bytes.fixed(v, full));
    at = putU16(out, at, threshold);
    at = putU16(out, at, members);
    at = putU16(out, at, shareBits);
    at = put(out, at, Bytes.fixed(scale, half));
    for (BigInteger vi : vks) {
      at = put(out, at, Bytes.fixed(vi, full));
    }
    return out;
  }

  static int encodedLength(int k, int m) {
    return EncodingHeader.LENGTH + 3 * (k / 8) + k / 4 + 6 + m * (k / 4);
  }

  public static ThresholdPublicKey fromBytes(byte[] encoded) {
    int k = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED, "threshold public key");
    if (k != 2048 && k != 3072 && k != 4096 && k != 1024) {
      throw new MalformedInputException(MALFORMED, "unsupported key size " + k);
    }
    int half = k / 8;
    int full = k / 4;
    int fixedPart = EncodingHeader.LENGTH + 2 * half + full + 6;
    if (encoded.length < fixedPart) {
      throw new MalformedInputException(MALFORMED, "threshold public key too short");
    }
    int at = EncodingHeader.LENGTH;
    BigInteger n = num(encoded, at, half);
    at += half;
    BigInteger h = num(encoded, at, half);
    at += half;
    BigInteger v = num(encoded, at, full);
    at += full;
    int t = u16(encoded, at);
    int m = u16(encoded, at + 2);
    int shareBits = u16(encoded, at + 4);
    at += 6;
    if (m < 1 || m > MAX_MEMBERS || encoded.length != encodedLength(k, m)) {
      throw new MalformedInputException(MALFORMED, "threshold public key has the wrong length for its member count");
    }
    BigInteger scale = num(encoded, at, half);
    at += half;
    BigInteger[] vks = new BigInteger[m];
    for (int i = 0; i < m; i++) {
      vks[i] = num(encoded, at, full);
      at += full;
    }
    if (n.bitLength() != k) {
      throw new MalformedInputException(MALFORMED, "modulus does not have the declared size");
    }
    return of(PaillierPublicKey.of(n, h), v, t, m, shareBits, scale, vks);
  }

  private static BigInteger num(byte[] b, int at, int len) {
    return new BigInteger(1, Arrays.copyOfRange(b, at, at + len));
  }

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static int putU16(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 8);
    out[at + 1] = (byte) v;
    return at + 2;
  }

  static int put(byte[] out, int at, byte[] src) {
    System.arraycopy(src, 0, out, at, src.length);
    return at + src.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ThresholdPublicKey k && Arrays.equals(k.encoding, encoding);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(fingerprint);
  }

  @Override
  public String toString() {
    return "ThresholdPublicKey[" + paillier.bits() + " bits, " + threshold + " of " + members + ", n="
        + paillier.n().toString(16).substring(0, 16) + "…]";
  }
}
