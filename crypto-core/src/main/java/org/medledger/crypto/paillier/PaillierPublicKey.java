package org.medledger.crypto.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.FixedBaseTable;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;

/**
 * A Paillier public key with g = n + 1 and the Damgård–Jurik–Nielsen generator h
 * (docs/protocol.md §3.1): Enc(m; ρ) = (1 + m·n) · h_s^ρ mod n², where h_s = h^n mod n² and ρ is
 * drawn from [0, 2^⌈k/2⌉). Any element of Z*_{n²} is a valid ciphertext; decryption does not care
 * how its randomness was formed.
 *
 * <p>Immutable. {@link #precompute()} builds a fixed-base table for h_s that later encryptions and
 * proof checks use; it changes speed, never results.
 */
public final class PaillierPublicKey {
  static final byte TYPE = 0x01;
  static final byte VERSION = 1;
  /** Window of the fixed-base table: 7 bits, about 12 MB at 2048 bits and 25 MB at 3072. */
  private static final int TABLE_WINDOW = 7;
  /** Extra exponent bits the table covers beyond ρ: challenge (128) plus statistical slack (80). */
  public static final int RESPONSE_SLACK_BITS = 128 + 80 + 1;

  private final KeySize size;
  private final BigInteger n;
  private final BigInteger h;
  private final BigInteger nSquared;
  private volatile BigInteger hs;
  private volatile FixedBaseTable table;

  private PaillierPublicKey(KeySize size, BigInteger n, BigInteger h) {
    this.size = size;
    this.n = n;
    this.h = h;
    this.nSquared = n.multiply(n);
  }

  /**
   * Validates and builds a key: n odd with exactly the bits of a supported size; h ∈ Z*_n with
   * Jacobi symbol +1 and h ∉ {1, n−1}. Well-formedness of n itself (two large primes) is what
   * {@code KeyProof} establishes; this check is structural.
   */
  public static PaillierPublicKey of(BigInteger n, BigInteger h) {
    if (n == null || h == null) {
      throw new MalformedInputException("MALFORMED_KEY", "missing modulus or generator");
    }
    KeySize size = KeySize.ofBits(n.bitLength());
    if (!n.testBit(0)) {
      throw new MalformedInputException("MALFORMED_KEY", "modulus is even");
    }
    if (h.signum() <= 0 || h.compareTo(n) >= 0 || h.equals(BigInteger.ONE) || h.equals(n.subtract(BigInteger.ONE))) {
      throw new MalformedInputException("MALFORMED_KEY", "generator h out of range");
    }
    if (!h.gcd(n).equals(BigInteger.ONE)) {
      throw new MalformedInputException("MALFORMED_KEY", "generator h is not a unit modulo n");
    }
    if (NumberTheory.jacobi(h, n) != 1) {
      throw new MalformedInputException("MALFORMED_KEY", "generator h must have Jacobi symbol +1");
    }
    return new PaillierPublicKey(size, n, h);
  }

  public BigInteger n() {
    return n;
  }

  public BigInteger h() {
    return h;
  }

  public BigInteger nSquared() {
    return nSquared;
  }

  public int bits() {
    return size.bits();
  }

  public KeySize size() {
    return size;
  }

  /** Bit length of the encryption exponent ρ: ⌈k/2⌉ as in DJN. */
  public int rhoBits() {
    return (size.bits() + 1) / 2;
  }

  /** h_s = h^n mod n², computed once. */
  public BigInteger hs() {
    BigInteger v = hs;
    if (v == null) {
      v = h.modPow(n, nSquared);
      hs = v;
    }
    return v;
  }

  /**
   * Canonical encoding of h_s, as the chaincode stores it with an account: exactly 2·k/8 bytes,
   * big-endian (k the modulus size).
   */
  public byte[] hsToBytes() {
    return Bytes.fixed(hs(), 2 * bits() / 8);
  }

  /**
   * This key with h_s taken from {@code encoded} (written by {@link #hsToBytes()} when the key was
   * registered) instead of recomputed as h^n mod n². Checked before it is used: exactly 2·k/8
   * bytes; 1 &lt; h_s &lt; n²; gcd(h_s, n) = 1 (so h_s ∈ Z*_{n²}); and the Jacobi symbol of
   * h_s mod n over n is +1, as it is for h^n since (h|n) = +1. These checks cost a gcd and a Jacobi
   * symbol; what they cannot see is a value that differs from h^n only in its (1+n)-component,
   * which only the factorisation or the full exponentiation would reveal (docs/protocol.md §3.1).
   * Returns a new key object; this one is unchanged.
   */
  public PaillierPublicKey withStoredHs(byte[] encoded) {
    if (encoded == null || encoded.length != 2 * bits() / 8) {
      throw new MalformedInputException("MALFORMED_KEY", "stored h_s does not have the key's size");
    }
    BigInteger v = new BigInteger(1, encoded);
    if (v.compareTo(BigInteger.ONE) <= 0 || v.compareTo(nSquared) >= 0) {
      throw new MalformedInputException("MALFORMED_KEY", "stored h_s outside (1, n²)");
    }
    BigInteger r = v.mod(n);
    if (!r.gcd(n).equals(BigInteger.ONE)) {
      throw new MalformedInputException("MALFORMED_KEY", "stored h_s is not a unit modulo n²");
    }
    if (NumberTheory.jacobi(r, n) != 1) {
      throw new MalformedInputException("MALFORMED_KEY", "stored h_s is not h^n for this key (Jacobi symbol)");
    }
    PaillierPublicKey k = new PaillierPublicKey(size, n, h);
    k.hs = v;
    return k;
  }

  /** Approximate heap size of the table {@link #precompute()} builds, in bytes. */
  public long tableBytes() {
    return FixedBaseTable.tableBytes(2 * bits(), rhoBits() + RESPONSE_SLACK_BITS, TABLE_WINDOW);
  }

  /** Builds the fixed-base table for h_s (idempotent); returns this key. */
  public PaillierPublicKey precompute() {
    if (table == null) {
      synchronized (this) {
        if (table == null) {
          table = new FixedBaseTable(hs(), nSquared, rhoBits() + RESPONSE_SLACK_BITS, TABLE_WINDOW);
        }
      }
    }
    return this;
  }

  public boolean isPrecomputed() {
    return table != null;
  }

  /** h_s^x mod n² for x ≥ 0. */
  public BigInteger hsPow(BigInteger x) {
    FixedBaseTable t = table;
    return t != null ? t.pow(x) : hs().modPow(x, nSquared);
  }

  /** (1 + n)^m mod n² = 1 + (m mod n)·n, for any integer m. */
  public BigInteger gPow(BigInteger m) {
    return BigInteger.ONE.add(m.mod(n).multiply(n));
  }

  /** A fresh encryption exponent ρ ∈ [0, 2^⌈k/2⌉). */
  public BigInteger randomRho(SecureRandom rnd) {
    return new BigInteger(rhoBits(), rnd);
  }

  public PaillierCiphertext encrypt(long m, SecureRandom rnd) {
    if (m < 0) {
      throw new IllegalArgumentException("amounts are non-negative");
    }
    return encrypt(BigInteger.valueOf(m), rnd);
  }

  public PaillierCiphertext encrypt(BigInteger m, SecureRandom rnd) {
    return encryptWith(m, randomRho(rnd));
  }

  /** Enc(m; ρ) for a caller-chosen exponent; provers use it to keep ρ as a witness. */
  public PaillierCiphertext encryptWith(BigInteger m, BigInteger rho) {
    checkPlaintext(m);
    return new PaillierCiphertext(gPow(m).multiply(hsPow(rho)).mod(nSquared), bits());
  }

  void checkPlaintext(BigInteger m) {
    if (m.signum() < 0 || m.compareTo(n) >= 0) {
      throw new IllegalArgumentException("plaintext must lie in [0, n)");
    }
  }

  /** Validates c ∈ Z*_{n²} and wraps it. */
  public PaillierCiphertext ciphertext(BigInteger c) {
    if (c == null || c.signum() <= 0 || c.compareTo(nSquared) >= 0) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "ciphertext outside [1, n²)");
    }
    if (!isUnitModN(c)) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "ciphertext is not a unit modulo n²");
    }
    return new PaillierCiphertext(c, bits());
  }

  /**
   * True iff x is coprime to n, i.e. x mod n² is a unit of Z*_{n²}. Reducing modulo n first makes
   * the gcd about 20× cheaper than gcd(x, n²) at 2048 bits.
   */
  public boolean isUnitModN(BigInteger x) {
    return x.mod(n).gcd(n).equals(BigInteger.ONE);
  }

  /**
   * True iff every x_i is coprime to n (one gcd on their product modulo n,
   * {@link NumberTheory#allCoprime}). With range checks 0 &lt; x_i &lt; n² (or &lt; n) this is
   * membership of every x_i in Z*_{n²} (or Z*_n).
   */
  public boolean allUnitsModN(BigInteger... xs) {
    return NumberTheory.allCoprime(n, xs);
  }

  /** True iff 0 &lt; x &lt; n² and x is coprime to n: membership in Z*_{n²}. */
  public boolean inUnitGroupOfNSquared(BigInteger x) {
    return x.signum() > 0 && x.compareTo(nSquared) < 0 && isUnitModN(x);
  }

  /** True iff 0 &lt; x &lt; n and x is coprime to n: membership in Z*_n. */
  public boolean inUnitGroupOfN(BigInteger x) {
    return x.signum() > 0 && x.compareTo(n) < 0 && x.gcd(n).equals(BigInteger.ONE);
  }

  private BigInteger v(PaillierCiphertext c) {
    if (c.keyBits() != bits() || c.value().compareTo(nSquared) >= 0) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "ciphertext belongs to another key");
    }
    return c.value();
  }

  /** Enc(a + b). */
  public PaillierCiphertext add(PaillierCiphertext a, PaillierCiphertext b) {
    return new PaillierCiphertext(v(a).multiply(v(b)).mod(nSquared), bits());
  }

  /** Enc(a − b mod n). */
  public PaillierCiphertext subtract(PaillierCiphertext a, PaillierCiphertext b) {
    BigInteger inv = NumberTheory.inverseModSquare(v(b), n, nSquared);
    return new PaillierCiphertext(v(a).multiply(inv).mod(nSquared), bits());
  }

  /** Enc(k·a mod n) for any integer constant k. */
  public PaillierCiphertext multiply(PaillierCiphertext a, BigInteger k) {
    return new PaillierCiphertext(v(a).modPow(k.mod(n), nSquared), bits());
  }

  /** Enc(a + k mod n) for a public constant k. */
  public PaillierCiphertext addPlain(PaillierCiphertext a, BigInteger k) {
    return new PaillierCiphertext(v(a).multiply(gPow(k)).mod(nSquared), bits());
  }

  /** The same plaintext under fresh randomness. */
  public PaillierCiphertext rerandomize(PaillierCiphertext a, SecureRandom rnd) {
    return new PaillierCiphertext(v(a).multiply(hsPow(randomRho(rnd))).mod(nSquared), bits());
  }

  /** Canonical binary encoding: type, version, u16 bits, n and h each as exactly bits/8 bytes. */
  public byte[] toBytes() {
    int len = bits() / 8;
    byte[] out = new byte[4 + 2 * len];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (bits() >>> 8);
    out[3] = (byte) bits();
    System.arraycopy(Bytes.fixed(n, len), 0, out, 4, len);
    System.arraycopy(Bytes.fixed(h, len), 0, out, 4 + len, len);
    return out;
  }

  public static PaillierPublicKey fromBytes(byte[] encoded) {
    int bits = EncodingHeader.read(encoded, TYPE, VERSION, "MALFORMED_KEY", "Paillier public key");
    KeySize.ofBits(bits);
    int len = bits / 8;
    if (encoded.length != 4 + 2 * len) {
      throw new MalformedInputException("MALFORMED_KEY", "public key has the wrong length");
    }
    BigInteger n = new BigInteger(1, Arrays.copyOfRange(encoded, 4, 4 + len));
    BigInteger h = new BigInteger(1, Arrays.copyOfRange(encoded, 4 + len, 4 + 2 * len));
    if (n.bitLength() != bits) {
      throw new MalformedInputException("MALFORMED_KEY", "modulus does not have the declared size");
    }
    return of(n, h);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaillierPublicKey k && k.n.equals(n) && k.h.equals(h);
  }

  @Override
  public int hashCode() {
    return n.hashCode() * 31 + h.hashCode();
  }

  @Override
  public String toString() {
    String hex = n.toString(16);
    return "PaillierPublicKey[" + bits() + " bits, n=" + hex.substring(0, 16) + "…]";
  }
}
