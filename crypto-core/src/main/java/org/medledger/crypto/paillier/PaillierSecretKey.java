package org.medledger.crypto.paillier;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.SecretAccess;

/**
 * The Paillier secret key: the primes p ≡ q ≡ 3 (mod 4) of n, with the CRT constants for
 * decryption, owner-side encryption and n-th roots (docs/protocol.md §3.1). Never printed;
 * {@link #destroy()} drops every reference to the secret material (the JVM cannot wipe the
 * immutable BigIntegers themselves, which the garbage collector reclaims).
 */
public final class PaillierSecretKey implements Destroyable {
  static final byte TYPE = 0x03;
  static final byte VERSION = 1;

  private final PaillierPublicKey publicKey;
  private BigInteger p;
  private BigInteger q;
  private BigInteger pSquared;
  private BigInteger qSquared;
  private BigInteger hp;
  private BigInteger hq;
  private BigInteger qInvP;
  private BigInteger qSquaredInvPSquared;
  private BigInteger hsModP2;
  private BigInteger hsModQ2;
  private BigInteger nInvModPm1;
  private BigInteger nInvModQm1;
  private BigInteger qModPm1;
  private BigInteger pModQm1;
  private volatile org.medledger.crypto.internal.FixedBaseTable tableP;
  private volatile org.medledger.crypto.internal.FixedBaseTable tableQ;
  private boolean destroyed;

  /** Builds the secret key for {@code pk} from its factors; checks that they really are. */
  public static PaillierSecretKey of(PaillierPublicKey pk, BigInteger p, BigInteger q) {
    if (p.multiply(q).compareTo(pk.n()) != 0) {
      throw new MalformedInputException("MALFORMED_KEY", "factors do not multiply to n");
    }
    if (p.equals(q) || p.bitLength() != q.bitLength()) {
      throw new MalformedInputException("MALFORMED_KEY", "factors must be distinct and of equal length");
    }
    if ((p.intValue() & 3) != 3 || (q.intValue() & 3) != 3) {
      throw new MalformedInputException("MALFORMED_KEY", "factors must be 3 mod 4");
    }
    if (!p.isProbablePrime(64) || !q.isProbablePrime(64)) {
      throw new MalformedInputException("MALFORMED_KEY", "factors must be prime");
    }
    return new PaillierSecretKey(pk, p, q);
  }

  private PaillierSecretKey(PaillierPublicKey pk, BigInteger p, BigInteger q) {
    this.publicKey = pk;
    this.p = p;
    this.q = q;
    this.pSquared = p.multiply(p);
    this.qSquared = q.multiply(q);
    this.hp = q.negate().modInverse(p);
    this.hq = p.negate().modInverse(q);
    this.qInvP = q.modInverse(p);
    this.qSquaredInvPSquared = qSquared.modInverse(pSquared);
    BigInteger hs = pk.hs();
    this.hsModP2 = hs.mod(pSquared);
    this.hsModQ2 = hs.mod(qSquared);
    BigInteger n = pk.n();
    this.nInvModPm1 = n.modInverse(p.subtract(BigInteger.ONE));
    this.nInvModQm1 = n.modInverse(q.subtract(BigInteger.ONE));
    this.qModPm1 = q.mod(p.subtract(BigInteger.ONE));
    this.pModQm1 = p.mod(q.subtract(BigInteger.ONE));
  }

  public PaillierPublicKey publicKey() {
    return publicKey;
  }

  private void live() {
    if (destroyed) {
      throw new IllegalStateException("secret key has been destroyed");
    }
  }

  /** Dec(c) in [0, n), by CRT. */
  public BigInteger decrypt(PaillierCiphertext c) {
    live();
    BigInteger v = publicKey.ciphertext(c.value()).value();
    BigInteger mp = lFunction(v.mod(pSquared).modPow(p.subtract(BigInteger.ONE), pSquared), p).multiply(hp).mod(p);
    BigInteger mq = lFunction(v.mod(qSquared).modPow(q.subtract(BigInteger.ONE), qSquared), q).multiply(hq).mod(q);
    return NumberTheory.crt(mp, p, mq, q, qInvP);
  }

  /** Decrypts an amount, refusing anything that is not a non-negative long. */
  public long decryptAmount(PaillierCiphertext c) {
    BigInteger m = decrypt(c);
    if (m.bitLength() > 63) {
      throw new MalformedInputException("PLAINTEXT_OUT_OF_RANGE", "ciphertext does not hold an amount");
    }
    return m.longValueExact();
  }

  private static BigInteger lFunction(BigInteger x, BigInteger prime) {
    return x.subtract(BigInteger.ONE).divide(prime);
  }

  /**
   * Builds fixed-base tables for h_s modulo p² and q² (idempotent), for a key that encrypts and
   * proves often; returns this key. Changes speed, never results.
   */
  public PaillierSecretKey precompute() {
    live();
    if (tableP == null) {
      synchronized (this) {
        if (tableP == null) {
          int maxBits = publicKey.rhoBits() + PaillierPublicKey.RESPONSE_SLACK_BITS;
          tableQ = new org.medledger.crypto.internal.FixedBaseTable(hsModQ2, qSquared, maxBits, 7);
          tableP = new org.medledger.crypto.internal.FixedBaseTable(hsModP2, pSquared, maxBits, 7);
        }
      }
    }
    return this;
  }

  /** True once {@link #precompute()} has built the tables. */
  public boolean isPrecomputed() {
    return tableP != null;
  }

  /** h_s^ρ mod n² by CRT over p² and q² (about 4× cheaper than the public computation). */
  public BigInteger hsPow(BigInteger rho) {
    live();
    org.medledger.crypto.internal.FixedBaseTable tp = tableP;
    org.medledger.crypto.internal.FixedBaseTable tq = tableQ;
    BigInteger a = tp != null ? tp.pow(rho) : hsModP2.modPow(rho, pSquared);
    BigInteger b = tq != null ? tq.pow(rho) : hsModQ2.modPow(rho, qSquared);
    return NumberTheory.crt(a, pSquared, b, qSquared, qSquaredInvPSquared);
  }

  /** h^x mod n by CRT, with the exponent reduced modulo p − 1 and q − 1. */
  public BigInteger hPow(BigInteger x) {
    live();
    BigInteger h = publicKey.h();
    BigInteger a = h.mod(p).modPow(x.mod(p.subtract(BigInteger.ONE)), p);
    BigInteger b = h.mod(q).modPow(x.mod(q.subtract(BigInteger.ONE)), q);
    return NumberTheory.crt(a, p, b, q, qInvP);
  }

  /** Owner-side Enc(m; ρ), equal to {@link PaillierPublicKey#encryptWith} but by CRT. */
  public PaillierCiphertext encryptWith(BigInteger m, BigInteger rho) {
    publicKey.checkPlaintext(m);
    BigInteger c = publicKey.gPow(m).multiply(hsPow(rho)).mod(publicKey.nSquared());
    return new PaillierCiphertext(c, publicKey.bits());
  }

  public PaillierCiphertext encrypt(BigInteger m, SecureRandom rnd) {
    return encryptWith(m, publicKey.randomRho(rnd));
  }

  public PaillierCiphertext encrypt(long m, SecureRandom rnd) {
    if (m < 0) {
      throw new IllegalArgumentException("amounts are non-negative");
    }
    return encrypt(BigInteger.valueOf(m), rnd);
  }

  /**
   * The randomness u ∈ Z*_n of a ciphertext, i.e. the unique u with c = (1+n)^m · u^n mod n².
   * Since c ≡ u^n (mod n), u = c^(n⁻¹ mod φ(n)) mod n, computed by CRT.
   */
  public BigInteger randomnessOf(PaillierCiphertext c) {
    return randomnessOfResidue(c.value());
  }

  /** As {@link #randomnessOf} for a ciphertext given only modulo n (which determines u). */
  public BigInteger randomnessOfResidue(BigInteger cModN) {
    live();
    BigInteger v = cModN;
    BigInteger up = v.mod(p).modPow(nInvModPm1, p);
    BigInteger uq = v.mod(q).modPow(nInvModQm1, q);
    return NumberTheory.crt(up, p, uq, q, qInvP);
  }

  /**
   * u^n mod n² by CRT. Modulo p², u^(pq) = ω(u^q) where ω(x) = x^p mod p² is the Teichmüller lift,
   * so two half-size exponentiations replace one with a full-size exponent.
   */
  public BigInteger nthPower(BigInteger u) {
    live();
    BigInteger a = u.mod(p).modPow(qModPm1, p).modPow(p, pSquared);
    BigInteger b = u.mod(q).modPow(pModQm1, q).modPow(q, qSquared);
    return NumberTheory.crt(a, pSquared, b, qSquared, qSquaredInvPSquared);
  }

  /** A uniform n-th residue R of Z*_{n²} together with its root x ∈ Z*_n (x^n ≡ R mod n²). */
  public record NthResidue(BigInteger root, BigInteger residue) {}

  /**
   * Samples a uniform n-th residue with its root. The n-th residues modulo p² are the Teichmüller
   * group {y^p mod p²}, so R_p = y^p for uniform y ∈ Z*_p, and its root modulo p is y^(n⁻¹ mod p−1).
   */
  public NthResidue randomNthResidue(SecureRandom rnd) {
    live();
    BigInteger yp = NumberTheory.randomUnit(rnd, p);
    BigInteger yq = NumberTheory.randomUnit(rnd, q);
    BigInteger residue = NumberTheory.crt(yp.modPow(p, pSquared), pSquared, yq.modPow(q, qSquared), qSquared,
        qSquaredInvPSquared);
    BigInteger root = NumberTheory.crt(yp.modPow(nInvModPm1, p), p, yq.modPow(nInvModQm1, q), q, qInvP);
    return new NthResidue(root, residue);
  }

  /**
   * The factor p (for key proofs; never to be sent anywhere). Secret.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return p
   */
  public BigInteger p(SecretAccess access) {
    SecretAccess.require(access);
    live();
    return p;
  }

  /**
   * The factor q. Secret.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return q
   */
  public BigInteger q(SecretAccess access) {
    SecretAccess.require(access);
    live();
    return q;
  }

  /**
   * Canonical binary encoding: type, version, u16 bits, p, q (bits/16 bytes each), h (bits/8).
   * Secret: for the keystore's encrypted envelope only.
   *
   * @param access {@link SecretAccess#explicit()}
   * @return a fresh array the caller should zero after use
   */
  public byte[] toBytes(SecretAccess access) {
    SecretAccess.require(access);
    live();
    int bits = publicKey.bits();
    int half = bits / 16;
    int full = bits / 8;
    byte[] out = new byte[4 + 2 * half + full];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (bits >>> 8);
    out[3] = (byte) bits;
    System.arraycopy(Bytes.fixed(p, half), 0, out, 4, half);
    System.arraycopy(Bytes.fixed(q, half), 0, out, 4 + half, half);
    System.arraycopy(Bytes.fixed(publicKey.h(), full), 0, out, 4 + 2 * half, full);
    return out;
  }

  public static PaillierSecretKey fromBytes(byte[] encoded) {
    int bits = EncodingHeader.read(encoded, TYPE, VERSION, "MALFORMED_KEY", "Paillier secret key");
    KeySize.ofBits(bits);
    int half = bits / 16;
    int full = bits / 8;
    if (encoded.length != 4 + 2 * half + full) {
      throw new MalformedInputException("MALFORMED_KEY", "secret key has the wrong length");
    }
    BigInteger p = new BigInteger(1, Arrays.copyOfRange(encoded, 4, 4 + half));
    BigInteger q = new BigInteger(1, Arrays.copyOfRange(encoded, 4 + half, 4 + 2 * half));
    BigInteger h = new BigInteger(1, Arrays.copyOfRange(encoded, 4 + 2 * half, encoded.length));
    PaillierPublicKey pk = PaillierPublicKey.of(p.multiply(q), h);
    return of(pk, p, q);
  }

  @Override
  public void destroy() {
    p = q = pSquared = qSquared = hp = hq = qInvP = qSquaredInvPSquared = null;
    tableP = tableQ = null;
    hsModP2 = hsModQ2 = nInvModPm1 = nInvModQm1 = qModPm1 = pModQm1 = null;
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "PaillierSecretKey[" + publicKey.bits() + " bits, secret material redacted]";
  }
}
