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
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;

/**
 * Non-interactive proof that a Paillier modulus n is a Paillier–Blum modulus: n = pq with p ≡ q ≡ 3
 * (mod 4) prime and gcd(n, φ(n)) = 1. It is Π^mod of CGGMP21 (Fig. 16) made non-interactive with the
 * {@link Transcript}, with one deliberate deviation: only {@value #NTH_ROOT_ROUNDS} of the
 * {@value #ROUNDS} challenges carry an n-th root, which is sound because the verifier first excludes
 * every prime factor below 2^16 (docs/protocol.md, "Paillier key proof").
 *
 * <p>Statement: the public key (n, h) and a caller-chosen context (channel, account id, …). Witness:
 * p and q. Immutable; {@link #toBytes()} is canonical and {@link #fromBytes} strict.
 *
 * <p>The verifier is deterministic (no randomness, no {@link BigInteger#isProbablePrime}) so every
 * endorsing peer reaches the same verdict.
 */
public final class KeyProof {
  /** m: challenges y_i answered with a fourth root; soundness error 2^-m for the Blum property. */
  public static final int ROUNDS = 128;

  /** K: challenges (the first K of the m) that are also answered with an n-th root z_i. */
  public static final int NTH_ROOT_ROUNDS = 8;

  /** Transcript domain; the version changes whenever the statement, labels or encoding change. */
  static final String DOMAIN = "medledger/keyproof/v1";

  static final byte TYPE = 0x20;
  static final byte VERSION = 1;
  static final int HEADER = EncodingHeader.LENGTH;
  static final String INVALID = "KEY_PROOF_INVALID";
  static final String MALFORMED_KEY = "MALFORMED_KEY";
  static final String MALFORMED_PROOF = "MALFORMED_KEY_PROOF";

  private final int bits;
  private final BigInteger w;
  private final byte[] flags;
  private final BigInteger[] x;
  private final BigInteger[] z;

  /**
   * Wraps raw values without any check against a key; package-private so that tests can play a
   * malicious prover. {@code a[i]} and {@code b[i]} must be 0 or 1.
   */
  KeyProof(int bits, BigInteger w, int[] a, int[] b, BigInteger[] x, BigInteger[] z) {
    if (a.length != ROUNDS || b.length != ROUNDS || x.length != ROUNDS || z.length != NTH_ROOT_ROUNDS) {
      throw new IllegalArgumentException("wrong number of responses");
    }
    this.bits = bits;
    this.w = Objects.requireNonNull(w);
    this.flags = new byte[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      if ((a[i] | b[i]) >>> 1 != 0) {
        throw new IllegalArgumentException("a_i and b_i are bits");
      }
      flags[i] = (byte) (a[i] | (b[i] << 1));
    }
    this.x = copyNonNull(x);
    this.z = copyNonNull(z);
  }

  private KeyProof(int bits, BigInteger w, byte[] flags, BigInteger[] x, BigInteger[] z) {
    this.bits = bits;
    this.w = w;
    this.flags = flags;
    this.x = x;
    this.z = z;
  }

  private static BigInteger[] copyNonNull(BigInteger[] v) {
    BigInteger[] c = v.clone();
    for (BigInteger e : c) {
      Objects.requireNonNull(e);
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Prover
  // ---------------------------------------------------------------------------------------------

  /**
   * Proves that {@code sk}'s modulus is a Paillier–Blum modulus, bound to {@code context}. Runs the
   * verifier's modulus checks first, so an honest prover never emits a proof its verifiers reject.
   *
   * @throws MalformedInputException (MALFORMED_KEY) if the key fails {@link #checkModulus}
   */
  public static KeyProof prove(PaillierSecretKey sk, byte[] context, SecureRandom rnd) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(rnd, "rnd");
    PaillierPublicKey pk = sk.publicKey();
    BigInteger n = pk.n();
    checkModulus(n);
    BigInteger p = sk.p(SecretAccess.explicit());
    BigInteger q = sk.q(SecretAccess.explicit());
    BigInteger qInvP = q.modInverse(p);

    BigInteger w;
    do {
      w = NumberTheory.randomUnit(rnd, n);
    } while (NumberTheory.jacobi(w, n) != -1);
    int wp = NumberTheory.jacobi(w.mod(p), p);
    int wq = NumberTheory.jacobi(w.mod(q), q);

    BigInteger[] y = challenges(pk, context, w);
    if (!allUnits(y, n)) {
      // Only possible if a challenge hit a multiple of p or q: probability < 2^-1000 for an honest key.
      throw new IllegalStateException("challenge shares a factor with n");
    }

    // For a prime r ≡ 3 (mod 4), c ↦ c^((r+1)/4) maps a square to its square root that is itself a
    // square; applied twice it yields a fourth root. Reduce the exponent modulo r − 1.
    BigInteger fourthRootP = fourthRootExponent(p);
    BigInteger fourthRootQ = fourthRootExponent(q);
    BigInteger nInvP = n.modInverse(p.subtract(BigInteger.ONE));
    BigInteger nInvQ = n.modInverse(q.subtract(BigInteger.ONE));
    BigInteger halfN = n.shiftRight(1);

    int[] a = new int[ROUNDS];
    int[] b = new int[ROUNDS];
    BigInteger[] x = new BigInteger[ROUNDS];
    BigInteger[] z = new BigInteger[NTH_ROOT_ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      BigInteger yp = y[i].mod(p);
      BigInteger yq = y[i].mod(q);
      int lp = NumberTheory.jacobi(yp, p);
      int lq = NumberTheory.jacobi(yq, q);
      // −1 is a non-residue modulo both primes and w modulo exactly one of them, so exactly one of
      // ±y, ±w·y is a square modulo n. First make the two Legendre symbols equal with w, then fix
      // the common sign with −1.
      b[i] = lp == lq ? 0 : 1;
      if (b[i] == 1) {
        lp *= wp;
        yp = yp.multiply(w).mod(p);
        yq = yq.multiply(w).mod(q);
      }
      a[i] = lp == 1 ? 0 : 1;
      if (a[i] == 1) {
        yp = p.subtract(yp);
        yq = q.subtract(yq);
      }
      BigInteger xp = yp.modPow(fourthRootP, p);
      BigInteger xq = yq.modPow(fourthRootQ, q);
      BigInteger xi = NumberTheory.crt(xp, p, xq, q, qInvP);
      // Any of the four fourth roots verifies; sending the smaller of ±x is a convention only.
      x[i] = xi.compareTo(halfN) > 0 ? n.subtract(xi) : xi;
      if (i < NTH_ROOT_ROUNDS) {
        BigInteger zp = y[i].mod(p).modPow(nInvP, p);
        BigInteger zq = y[i].mod(q).modPow(nInvQ, q);
        z[i] = NumberTheory.crt(zp, p, zq, q, qInvP);
      }
    }
    return new KeyProof(pk.bits(), w, a, b, x, z);
  }

  private static BigInteger fourthRootExponent(BigInteger r) {
    BigInteger e = r.add(BigInteger.ONE).shiftRight(2);
    return e.multiply(e).mod(r.subtract(BigInteger.ONE));
  }

  // ---------------------------------------------------------------------------------------------
  // Verifier
  // ---------------------------------------------------------------------------------------------

  /**
   * The verifier's checks on n that come before the proof, in this order: n odd; n of a supported
   * {@link KeySize}; no prime factor below 2^16; n composite (deterministic Miller–Rabin); n not a
   * perfect square. Pure and deterministic.
   *
   * @throws MalformedInputException with code MALFORMED_KEY naming the failed check
   */
  public static void checkModulus(BigInteger n) {
    if (n == null) {
      throw new MalformedInputException(MALFORMED_KEY, "missing modulus");
    }
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new MalformedInputException(MALFORMED_KEY, "modulus is not a positive odd integer");
    }
    try {
      KeySize.ofBits(n.bitLength());
    } catch (MalformedInputException e) {
      throw new MalformedInputException(MALFORMED_KEY,
          "modulus of " + n.bitLength() + " bits is not a supported key size", e);
    }
    if (ModulusChecks.hasSmallFactor(n)) {
      throw new MalformedInputException(MALFORMED_KEY,
          "modulus has a prime factor below 2^" + ModulusChecks.SMALL_PRIME_BOUND_BITS);
    }
    if (ModulusChecks.isProbablePrime(n, ModulusChecks.MILLER_RABIN_ROUNDS)) {
      throw new MalformedInputException(MALFORMED_KEY,
          "modulus is prime (deterministic Miller–Rabin found no witness of compositeness)");
    }
    if (ModulusChecks.isPerfectSquare(n)) {
      throw new MalformedInputException(MALFORMED_KEY, "modulus is a perfect square");
    }
  }

  /**
   * Verifies the proof for {@code pk} and {@code context}: first {@link #checkModulus}, then the
   * proof. Returns normally only if every check passes.
   *
   * @throws MalformedInputException (MALFORMED_KEY) if n fails a structural check
   * @throws ProofException (KEY_PROOF_INVALID) naming the first relation that fails
   */
  public void verify(PaillierPublicKey pk, byte[] context) {
    Objects.requireNonNull(pk, "pk");
    Objects.requireNonNull(context, "context");
    checkModulus(pk.n());
    verifyRelations(pk, context);
  }

  /** The proof part of {@link #verify}, without the modulus checks. Package-private for tests. */
  void verifyRelations(PaillierPublicKey pk, byte[] context) {
    verifyRelations(pk, context, null);
  }

  /**
   * As {@link #verifyRelations(PaillierPublicKey, byte[])}; a non-null {@code knownChallenges} must
   * equal {@code challenges(pk, context, w)} and only saves recomputing them (tests that mutate
   * every byte of a proof but not w). Production code always passes null.
   */
  void verifyRelations(PaillierPublicKey pk, byte[] context, BigInteger[] knownChallenges) {
    BigInteger n = pk.n();
    if (bits != pk.bits()) {
      throw invalid("proof is for a " + bits + "-bit modulus, the key has " + pk.bits() + " bits");
    }
    checkRange(w, n, "w");
    for (int i = 0; i < ROUNDS; i++) {
      checkRange(x[i], n, "x[" + i + "]");
    }
    for (int i = 0; i < NTH_ROOT_ROUNDS; i++) {
      checkRange(z[i], n, "z[" + i + "]");
    }
    if (NumberTheory.jacobi(w, n) != -1) {
      throw invalid("w must have Jacobi symbol −1 modulo n");
    }
    BigInteger[] y = knownChallenges != null ? knownChallenges : challenges(pk, context, w);
    if (!allUnits(y, n)) {
      int bad = 0;
      while (y[bad].gcd(n).equals(BigInteger.ONE)) {
        bad++;
      }
      throw invalid("challenge y[" + bad + "] is not a unit modulo n");
    }
    BigInteger minusW = n.subtract(w);
    for (int i = 0; i < ROUNDS; i++) {
      int f = flags[i];
      BigInteger rhs = y[i];
      if ((f & 2) != 0) {
        rhs = rhs.multiply((f & 1) != 0 ? minusW : w).mod(n);
      } else if ((f & 1) != 0) {
        rhs = n.subtract(rhs);
      }
      BigInteger x2 = x[i].multiply(x[i]).mod(n);
      if (!x2.multiply(x2).mod(n).equals(rhs)) {
        throw invalid("x[" + i + "]: x^4 ≢ (−1)^a · w^b · y (mod n)");
      }
    }
    for (int i = 0; i < NTH_ROOT_ROUNDS; i++) {
      if (!z[i].modPow(n, n).equals(y[i])) {
        throw invalid("z[" + i + "]: z^n ≢ y (mod n)");
      }
    }
  }

  /**
   * The challenges y_1..y_m ∈ [0, n) for (pk, context, w): the random oracle a prover, honest or
   * not, must query. Transcript frames, in order: "rounds", "nth-root-rounds", "context", "n", "h",
   * "w", then challenges "y[0]" … "y[127]".
   */
  static BigInteger[] challenges(PaillierPublicKey pk, byte[] context, BigInteger w) {
    Transcript t = new Transcript(DOMAIN);
    t.appendLong("rounds", ROUNDS);
    t.appendLong("nth-root-rounds", NTH_ROOT_ROUNDS);
    t.appendBytes("context", context);
    t.appendInteger("n", pk.n());
    t.appendInteger("h", pk.h());
    t.appendInteger("w", w);
    BigInteger[] y = new BigInteger[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      y[i] = t.challengeBelow("y[" + i + "]", pk.n());
    }
    return y;
  }

  /**
   * True iff every y_i is a unit: a prime r | n divides ∏ y_i mod n exactly when it divides some
   * y_i, so one gcd replaces m of them.
   */
  private static boolean allUnits(BigInteger[] y, BigInteger n) {
    BigInteger acc = BigInteger.ONE;
    for (BigInteger v : y) {
      acc = acc.multiply(v).mod(n);
    }
    return acc.signum() != 0 && acc.gcd(n).equals(BigInteger.ONE);
  }

  private static void checkRange(BigInteger v, BigInteger n, String name) {
    if (v.signum() <= 0 || v.compareTo(n) >= 0) {
      throw invalid(name + " outside [1, n)");
    }
  }

  private static ProofException invalid(String message) {
    return new ProofException(INVALID, message);
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding
  // ---------------------------------------------------------------------------------------------

  /** Length of the encoding for a modulus of {@code bits} bits: 4 + m + (1 + m + K)·bits/8. */
  public static int encodedLength(int bits) {
    int len = bits / 8;
    return HEADER + len + ROUNDS * (1 + len) + NTH_ROOT_ROUNDS * len;
  }

  /**
   * Canonical encoding: {@code 0x20 || 0x01 || u16 bits || w || (f_i || x_i) for i < m || z_i for
   * i &lt; K}, each integer big-endian in exactly bits/8 bytes, f_i = a_i | b_i &lt;&lt; 1.
   */
  public byte[] toBytes() {
    int len = bits / 8;
    byte[] out = new byte[encodedLength(bits)];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (bits >>> 8);
    out[3] = (byte) bits;
    int off = HEADER;
    off = put(out, off, w, len);
    for (int i = 0; i < ROUNDS; i++) {
      out[off++] = flags[i];
      off = put(out, off, x[i], len);
    }
    for (int i = 0; i < NTH_ROOT_ROUNDS; i++) {
      off = put(out, off, z[i], len);
    }
    return out;
  }

  private static int put(byte[] out, int off, BigInteger v, int len) {
    System.arraycopy(Bytes.fixed(v, len), 0, out, off, len);
    return off + len;
  }

  /**
   * Strict decoding against the key the proof is about: type, version and size must match, the
   * length must be exact, every flag byte must be 0..3, and w, x_i, z_i must lie in [1, n).
   *
   * @throws MalformedInputException with code MALFORMED_KEY_PROOF
   */
  public static KeyProof fromBytes(byte[] encoded, PaillierPublicKey pk) {
    Objects.requireNonNull(pk, "pk");
    int bits = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED_PROOF, "key proof");
    if (bits != pk.bits()) {
      throw malformed("proof is for a " + bits + "-bit modulus, the key has " + pk.bits() + " bits");
    }
    if (encoded.length != encodedLength(bits)) {
      throw malformed("encoding has " + encoded.length + " bytes, expected " + encodedLength(bits));
    }
    BigInteger n = pk.n();
    int len = bits / 8;
    int off = HEADER;
    BigInteger w = take(encoded, off, len, n, "w");
    off += len;
    byte[] flags = new byte[ROUNDS];
    BigInteger[] x = new BigInteger[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      byte f = encoded[off++];
      if ((f & ~3) != 0) {
        throw malformed("flag byte " + i + " has bits other than a_i, b_i set");
      }
      flags[i] = f;
      x[i] = take(encoded, off, len, n, "x[" + i + "]");
      off += len;
    }
    BigInteger[] z = new BigInteger[NTH_ROOT_ROUNDS];
    for (int i = 0; i < NTH_ROOT_ROUNDS; i++) {
      z[i] = take(encoded, off, len, n, "z[" + i + "]");
      off += len;
    }
    return new KeyProof(bits, w, flags, x, z);
  }

  private static BigInteger take(byte[] b, int off, int len, BigInteger n, String name) {
    BigInteger v = new BigInteger(1, Arrays.copyOfRange(b, off, off + len));
    if (v.signum() == 0 || v.compareTo(n) >= 0) {
      throw malformed(name + " outside [1, n)");
    }
    return v;
  }

  private static MalformedInputException malformed(String message) {
    return new MalformedInputException(MALFORMED_PROOF, message);
  }

  // ---------------------------------------------------------------------------------------------

  /** The prover's w (package-private, for tests). */
  BigInteger w() {
    return w;
  }

  /** Modulus size the proof was made for. */
  public int bits() {
    return bits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyProof k && k.bits == bits && k.w.equals(w) && Arrays.equals(k.flags, flags)
        && Arrays.equals(k.x, x) && Arrays.equals(k.z, z);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bits, w, Arrays.hashCode(x));
  }

  @Override
  public String toString() {
    return "KeyProof[" + bits + " bits, m=" + ROUNDS + ", K=" + NTH_ROOT_ROUNDS + "]";
  }
}
