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

/**
 * Ring-Pedersen parameters (N̂, s, t) of CGGMP21 §6.3 (docs/protocol.md, "Ring-Pedersen
 * parameters"): N̂ = p̂q̂ a product of two safe primes, t a random square and s = t^λ. A commitment
 * to an integer m with blinding μ is s^m · t^μ mod N̂.
 *
 * <p><b>Trust assumption.</b> Binding holds only while nobody knows λ or the factorisation of N̂.
 * {@link #generate} forgets both before returning, but whoever ran the set-up must be trusted to
 * have run this code and erased its memory; nothing in the published values can show that.
 * {@link RingPedersenProof} shows s ∈ ⟨t⟩, which is what the hiding of the commitments needs.
 *
 * <p>Instances exist only after validation: {@link #validate} and {@link #fromBytes} check the
 * structure and the proof, {@link #generate} validates its own output. Immutable.
 */
public final class RingPedersenParams {
  /** The supported sizes of N̂. */
  public enum Size {
    BITS_2048(2048),
    /** The default. */
    BITS_3072(3072);

    public static final Size DEFAULT = BITS_3072;

    private final int bits;

    Size(int bits) {
      this.bits = bits;
    }

    public int bits() {
      return bits;
    }

    static boolean isSupported(int bits) {
      for (Size s : values()) {
        if (s.bits == bits) {
          return true;
        }
      }
      return false;
    }
  }

  /** Output of the set-up: the parameters and the proof to publish with them. */
  public record Generated(RingPedersenParams params, RingPedersenProof proof) {}

  /** N̂ size reachable only through the package-private test paths. Insecure. */
  static final int TEST_ONLY_BITS = 512;

  static final byte TYPE = 0x21;
  static final byte VERSION = 1;
  static final int HEADER = EncodingHeader.LENGTH;
  static final String MALFORMED = RingPedersenProof.MALFORMED;

  private final int bits;
  private final BigInteger nHat;
  private final BigInteger s;
  private final BigInteger t;
  private final BigInteger sInv;
  private final BigInteger tInv;

  private RingPedersenParams(BigInteger nHat, BigInteger s, BigInteger t) {
    this.bits = nHat.bitLength();
    this.nHat = nHat;
    this.s = s;
    this.t = t;
    this.sInv = s.modInverse(nHat);
    this.tInv = t.modInverse(nHat);
  }

  // ---------------------------------------------------------------------------------------------
  // Set-up
  // ---------------------------------------------------------------------------------------------

  /**
   * Channel set-up: two fresh safe primes of size/2 bits, t = r² for a random r with ord(t) =
   * φ(N̂)/4, λ uniform in [0, φ(N̂)), s = t^λ, and the Π^prm proof. λ and the factors are dropped
   * before returning. Slow: see docs/protocol.md for timings.
   */
  public static Generated generate(Size size, SecureRandom rnd) {
    return generate(size.bits(), rnd);
  }

  /** As {@link #generate(Size, SecureRandom)}; also accepts {@link #TEST_ONLY_BITS}. */
  static Generated generate(int bits, SecureRandom rnd) {
    Objects.requireNonNull(rnd, "rnd");
    if (!Size.isSupported(bits) && bits != TEST_ONLY_BITS) {
      throw new IllegalArgumentException("unsupported N̂ size " + bits);
    }
    int half = bits / 2;
    BigInteger p = SafePrimes.generate(half, rnd);
    BigInteger q;
    do {
      q = SafePrimes.generate(half, rnd);
    } while (q.equals(p));
    BigInteger nHat = p.multiply(q);
    if (nHat.bitLength() != bits) {
      throw new IllegalStateException("safe primes with two top bits set must give an N̂ of " + bits + " bits");
    }
    BigInteger pPrime = p.shiftRight(1);
    BigInteger qPrime = q.shiftRight(1);
    BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
    BigInteger nMinus1 = nHat.subtract(BigInteger.ONE);

    // t = r²: a square, hence in the group QR_N̂ of order p'q'; insist on that full order.
    BigInteger t;
    while (true) {
      BigInteger r = NumberTheory.randomUnit(rnd, nHat);
      t = r.multiply(r).mod(nHat);
      if (t.equals(BigInteger.ONE) || t.equals(nMinus1)) {
        continue;
      }
      if (!t.modPow(pPrime, nHat).equals(BigInteger.ONE) && !t.modPow(qPrime, nHat).equals(BigInteger.ONE)) {
        break;
      }
    }
    BigInteger lambda;
    BigInteger s;
    do {
      lambda = NumberTheory.randomBelow(rnd, phi);
      s = t.modPow(lambda, nHat);
    } while (s.equals(BigInteger.ONE) || s.equals(nMinus1) || s.equals(t));
    RingPedersenProof proof = RingPedersenProof.prove(nHat, s, t, lambda, p, q, rnd);
    // λ, p, q, φ go out of scope here; the JVM cannot wipe BigInteger contents (documented).
    RingPedersenParams params = validate(nHat, s, t, proof, bits == TEST_ONLY_BITS);
    return new Generated(params, proof);
  }

  // ---------------------------------------------------------------------------------------------
  // Validation
  // ---------------------------------------------------------------------------------------------

  /**
   * Validates published parameters and their proof, in this order: N̂ odd; N̂ of a supported
   * {@link Size}; N̂ without prime factors below 2^16, composite (deterministic Miller–Rabin) and not
   * a perfect square; s, t ∈ [2, N̂ − 2] and units modulo N̂; Jacobi symbols (s|N̂) = (t|N̂) = +1; then
   * the Π^prm proof that s ∈ ⟨t⟩. Deterministic.
   *
   * @throws MalformedInputException (MALFORMED_RING_PEDERSEN) naming the failed structural check
   * @throws ProofException (RING_PEDERSEN_PROOF_INVALID) if the proof does not verify
   */
  public static RingPedersenParams validate(BigInteger nHat, BigInteger s, BigInteger t, RingPedersenProof proof) {
    return validate(nHat, s, t, proof, false);
  }

  static RingPedersenParams validate(BigInteger nHat, BigInteger s, BigInteger t, RingPedersenProof proof,
      boolean allowTestSize) {
    if (nHat == null || s == null || t == null || proof == null) {
      throw malformed("missing N̂, s, t or proof");
    }
    checkStructure(nHat, s, t, allowTestSize);
    proof.verify(nHat, s, t);
    return new RingPedersenParams(nHat, s, t);
  }

  private static void checkStructure(BigInteger nHat, BigInteger s, BigInteger t, boolean allowTestSize) {
    if (nHat.signum() <= 0 || !nHat.testBit(0)) {
      throw malformed("N̂ is not a positive odd integer");
    }
    int bits = nHat.bitLength();
    if (!Size.isSupported(bits) && !(allowTestSize && bits == TEST_ONLY_BITS)) {
      throw malformed("N̂ of " + bits + " bits is not a supported size (2048, 3072)");
    }
    if (ModulusChecks.hasSmallFactor(nHat)) {
      throw malformed("N̂ has a prime factor below 2^" + ModulusChecks.SMALL_PRIME_BOUND_BITS);
    }
    if (ModulusChecks.isProbablePrime(nHat, ModulusChecks.MILLER_RABIN_ROUNDS)) {
      throw malformed("N̂ is prime (deterministic Miller–Rabin found no witness of compositeness)");
    }
    if (ModulusChecks.isPerfectSquare(nHat)) {
      throw malformed("N̂ is a perfect square");
    }
    checkElement(nHat, s, "s");
    checkElement(nHat, t, "t");
  }

  private static void checkElement(BigInteger nHat, BigInteger v, String name) {
    BigInteger two = BigInteger.TWO;
    if (v.compareTo(two) < 0 || v.compareTo(nHat.subtract(two)) > 0) {
      throw malformed(name + " must lie in [2, N̂ − 2] (0, 1 and N̂ − 1 are excluded)");
    }
    if (!v.gcd(nHat).equals(BigInteger.ONE)) {
      throw malformed(name + " is not a unit modulo N̂");
    }
    if (NumberTheory.jacobi(v, nHat) != 1) {
      throw malformed(name + " must have Jacobi symbol +1 modulo N̂");
    }
  }

  private static MalformedInputException malformed(String message) {
    return new MalformedInputException(MALFORMED, message);
  }

  // ---------------------------------------------------------------------------------------------
  // Use
  // ---------------------------------------------------------------------------------------------

  /** s^m · t^μ mod N̂ for any integers m and μ (negative exponents use s⁻¹, t⁻¹). */
  public BigInteger commit(BigInteger m, BigInteger mu) {
    Objects.requireNonNull(m, "m");
    Objects.requireNonNull(mu, "mu");
    return pow(s, sInv, m).multiply(pow(t, tInv, mu)).mod(nHat);
  }

  private BigInteger pow(BigInteger base, BigInteger inverse, BigInteger e) {
    return e.signum() >= 0 ? base.modPow(e, nHat) : inverse.modPow(e.negate(), nHat);
  }

  public BigInteger nHat() {
    return nHat;
  }

  public BigInteger s() {
    return s;
  }

  public BigInteger t() {
    return t;
  }

  public int bits() {
    return bits;
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding
  // ---------------------------------------------------------------------------------------------

  /** Length of the encoding for an N̂ of {@code bits} bits: 4 + 3·bits/8. */
  public static int encodedLength(int bits) {
    return HEADER + 3 * (bits / 8);
  }

  /**
   * Canonical encoding of (N̂, s, t): {@code 0x21 || 0x01 || u16 bits || N̂ || s || t}, each
   * big-endian in exactly bits/8 bytes. The proof is encoded separately
   * ({@link RingPedersenProof#toBytes()}) and is required to decode.
   */
  public byte[] toBytes() {
    int len = bits / 8;
    byte[] out = new byte[encodedLength(bits)];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (bits >>> 8);
    out[3] = (byte) bits;
    System.arraycopy(Bytes.fixed(nHat, len), 0, out, HEADER, len);
    System.arraycopy(Bytes.fixed(s, len), 0, out, HEADER + len, len);
    System.arraycopy(Bytes.fixed(t, len), 0, out, HEADER + 2 * len, len);
    return out;
  }

  /**
   * Strictly decodes parameters and their proof and {@linkplain #validate validates} them.
   *
   * @throws MalformedInputException (MALFORMED_RING_PEDERSEN) for any encoding or structural fault
   * @throws ProofException (RING_PEDERSEN_PROOF_INVALID) if the proof does not verify
   */
  public static RingPedersenParams fromBytes(byte[] params, byte[] proof) {
    return fromBytes(params, proof, false);
  }

  /**
   * Decodes parameters that this same verifier already {@linkplain #fromBytes validated, proof
   * included,} and then stored where only it writes — the chaincode's world state, where
   * {@code records:setup} stores them only after Π^prm verified on every endorsing peer. Checks the
   * encoding, the size, that N̂ is odd, has no prime factor below 2^16 and is not a perfect square,
   * and that s and t lie in [2, N̂ − 2] as units with Jacobi symbol +1; it does not run
   * Miller–Rabin or Π^prm again (128 exponentiations). Never use
   * it on bytes from anyone else: that would drop the proof.
   *
   * @throws MalformedInputException (MALFORMED_RING_PEDERSEN) for any encoding or element fault
   */
  public static RingPedersenParams fromStoredBytes(byte[] params) {
    int bits = EncodingHeader.read(params, TYPE, VERSION, RingPedersenProof.MALFORMED, "ring-Pedersen parameter");
    if (!Size.isSupported(bits)) {
      throw malformed("N̂ of " + bits + " bits is not a supported size (2048, 3072)");
    }
    if (params.length != encodedLength(bits)) {
      throw malformed("parameter encoding has " + params.length + " bytes, expected " + encodedLength(bits));
    }
    int len = bits / 8;
    BigInteger nHat = new BigInteger(1, Arrays.copyOfRange(params, HEADER, HEADER + len));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(params, HEADER + len, HEADER + 2 * len));
    BigInteger t = new BigInteger(1, Arrays.copyOfRange(params, HEADER + 2 * len, HEADER + 3 * len));
    if (nHat.bitLength() != bits || !nHat.testBit(0)) {
      throw malformed("N̂ is not an odd integer of the declared " + bits + " bits");
    }
    // The cheap structural checks again, so that this decoder is safe on its own: a gcd with the
    // product of the primes below 2^16 and an integer square root (no Miller–Rabin, no Π^prm).
    if (ModulusChecks.hasSmallFactor(nHat)) {
      throw malformed("N̂ has a prime factor below 2^" + ModulusChecks.SMALL_PRIME_BOUND_BITS);
    }
    if (ModulusChecks.isPerfectSquare(nHat)) {
      throw malformed("N̂ is a perfect square");
    }
    checkElement(nHat, s, "s");
    checkElement(nHat, t, "t");
    return new RingPedersenParams(nHat, s, t);
  }

  static RingPedersenParams fromBytes(byte[] params, byte[] proof, boolean allowTestSize) {
    int bits = EncodingHeader.read(params, TYPE, VERSION, RingPedersenProof.MALFORMED, "ring-Pedersen parameter");
    if (!Size.isSupported(bits) && !(allowTestSize && bits == TEST_ONLY_BITS)) {
      throw malformed("N̂ of " + bits + " bits is not a supported size (2048, 3072)");
    }
    if (params.length != encodedLength(bits)) {
      throw malformed("parameter encoding has " + params.length + " bytes, expected " + encodedLength(bits));
    }
    int len = bits / 8;
    BigInteger nHat = new BigInteger(1, Arrays.copyOfRange(params, HEADER, HEADER + len));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(params, HEADER + len, HEADER + 2 * len));
    BigInteger t = new BigInteger(1, Arrays.copyOfRange(params, HEADER + 2 * len, HEADER + 3 * len));
    if (nHat.bitLength() != bits) {
      throw malformed("N̂ does not have the declared " + bits + " bits");
    }
    if (s.compareTo(nHat) >= 0 || t.compareTo(nHat) >= 0) {
      throw malformed("s or t not reduced modulo N̂");
    }
    return validate(nHat, s, t, RingPedersenProof.fromBytes(proof, nHat), allowTestSize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingPedersenParams r && r.nHat.equals(nHat) && r.s.equals(s) && r.t.equals(t);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nHat, s, t);
  }

  @Override
  public String toString() {
    String hex = nHat.toString(16);
    return "RingPedersenParams[" + bits + " bits, N̂=" + hex.substring(0, Math.min(16, hex.length())) + "…]";
  }
}
