package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * That L ciphertexts c_0 … c_{L−1} under a key (n, h_s) encrypt a one-hot vector (docs/protocol.md
 * §11.3): for each j a CDS OR-proof that c_j or c_j·(1+n)⁻¹ is h_s^ρ for a known ρ (so c_j encrypts 0
 * or 1), and one proof that (Π c_j)·(1+n)⁻¹ is h_s^R for a known R (so the entries sum to 1 mod n).
 * All are DJN-form Σ-protocols with integer responses and one shared challenge e; each OR-proof
 * splits it as e_{j,0} + e_{j,1} ≡ e (mod 2^128).
 */
final class OneHotProof {
  static final int CHALLENGE_BITS = 128;
  static final int SLACK_BITS = 80;
  static final BigInteger CHALLENGE_MOD = BigInteger.ONE.shiftLeft(CHALLENGE_BITS);

  final BigInteger[] a0;
  final BigInteger[] a1;
  final BigInteger s;
  final BigInteger[] e0;
  final BigInteger[] z0;
  final BigInteger[] z1;
  final BigInteger zs;

  OneHotProof(BigInteger[] a0, BigInteger[] a1, BigInteger s, BigInteger[] e0, BigInteger[] z0, BigInteger[] z1,
      BigInteger zs) {
    this.a0 = a0;
    this.a1 = a1;
    this.s = s;
    this.e0 = e0;
    this.z0 = z0;
    this.z1 = z1;
    this.zs = zs;
  }

  /** Bits of an entry's β: ⌈k/2⌉ + 128 + 80; responses are below 2^(betaBits+1). */
  static int betaBits(PaillierPublicKey key) {
    return betaBits(key.bits());
  }

  /** The same from the key size alone: ⌈k/2⌉ is the key's ρ length. */
  static int betaBits(int keyBits) {
    return (keyBits + 1) / 2 + CHALLENGE_BITS + SLACK_BITS;
  }

  /** Bits of the sum proof's β: R = Σρ_j has ⌈log2 L⌉ more bits than one ρ. */
  static int sumBetaBits(PaillierPublicKey key, int length) {
    return betaBits(key) + ceilLog2(length);
  }

  static int ceilLog2(int x) {
    return 32 - Integer.numberOfLeadingZeros(x - 1);
  }

  /**
   * The prover. {@code m[j]} and {@code rho[j]} are the plaintext and DJN exponent of c[j]; an honest
   * caller passes a one-hot m. The real branch of entry j is 1 if m[j] = 1 and 0 otherwise, so a
   * malicious caller (tests) gets a proof that an honest verifier refuses.
   */
  static OneHotProof prove(Transcript t, PaillierPublicKey key, PaillierCiphertext[] c, BigInteger[] m,
      BigInteger[] rho, SecureRandom rnd) {
    int len = c.length;
    BigInteger n2 = key.nSquared();
    int bb = betaBits(key);
    BigInteger[] a0 = new BigInteger[len];
    BigInteger[] a1 = new BigInteger[len];
    BigInteger[] beta = new BigInteger[len];
    BigInteger[] eSim = new BigInteger[len];
    BigInteger[] zSim = new BigInteger[len];
    int[] real = new int[len];
    BigInteger rSum = BigInteger.ZERO;
    for (int j = 0; j < len; j++) {
      real[j] = BigInteger.ONE.equals(m[j]) ? 1 : 0;
      int sim = 1 - real[j];
      beta[j] = new BigInteger(bb, rnd);
      eSim[j] = new BigInteger(CHALLENGE_BITS, rnd);
      zSim[j] = new BigInteger(bb, rnd);
      BigInteger aReal = key.hsPow(beta[j]);
      // Simulated branch: a = h_s^z · (c·(1+n)^(−sim))^(−e).
      BigInteger x = Djn.shift(key, c[j].value(), BigInteger.valueOf(sim));
      BigInteger aSim = key.hsPow(zSim[j]).multiply(x.modPow(eSim[j], n2).modInverse(n2)).mod(n2);
      a0[j] = real[j] == 0 ? aReal : aSim;
      a1[j] = real[j] == 1 ? aReal : aSim;
      rSum = rSum.add(rho[j]);
    }
    BigInteger betaS = new BigInteger(sumBetaBits(key, len), rnd);
    BigInteger s = Djn.hsPow(key, betaS);
    BigInteger e = challenge(t, a0, a1, s);
    BigInteger[] e0 = new BigInteger[len];
    BigInteger[] z0 = new BigInteger[len];
    BigInteger[] z1 = new BigInteger[len];
    for (int j = 0; j < len; j++) {
      BigInteger eReal = e.subtract(eSim[j]).mod(CHALLENGE_MOD);
      BigInteger zReal = beta[j].add(eReal.multiply(rho[j]));
      if (real[j] == 0) {
        e0[j] = eReal;
        z0[j] = zReal;
        z1[j] = zSim[j];
      } else {
        e0[j] = eSim[j];
        z0[j] = zSim[j];
        z1[j] = zReal;
      }
    }
    BigInteger zs = betaS.add(e.multiply(rSum));
    return new OneHotProof(a0, a1, s, e0, z0, z1, zs);
  }

  static BigInteger challenge(Transcript t, BigInteger[] a0, BigInteger[] a1, BigInteger s) {
    for (int j = 0; j < a0.length; j++) {
      t.appendInteger("a0[" + j + "]", a0[j]);
      t.appendInteger("a1[" + j + "]", a1[j]);
    }
    t.appendInteger("s", s);
    return t.challengeBits("e", CHALLENGE_BITS);
  }

  /**
   * Sizes, ranges and group membership of every value, with no exponentiation: a_{j,b}, s ∈ Z*_{n²};
   * e_{j,0} &lt; 2^128; z_{j,b} &lt; 2^(betaBits+1); z_s &lt; 2^(sumBetaBits+1).
   */
  void checkBounds(PaillierPublicKey key, int length, String what) {
    if (a0.length != length || a1.length != length || e0.length != length || z0.length != length
        || z1.length != length) {
      throw fail(what, "wrong number of entries");
    }
    int zBits = betaBits(key) + 1;
    for (int j = 0; j < length; j++) {
      unit(key, a0[j], what, "a0[" + j + "]");
      unit(key, a1[j], what, "a1[" + j + "]");
      if (e0[j].signum() < 0 || e0[j].bitLength() > CHALLENGE_BITS) {
        throw fail(what, "e0[" + j + "] out of range");
      }
      if (z0[j].signum() < 0 || z0[j].bitLength() > zBits || z1[j].signum() < 0 || z1[j].bitLength() > zBits) {
        throw fail(what, "response of entry " + j + " out of range");
      }
    }
    unit(key, s, what, "s");
    if (zs.signum() < 0 || zs.bitLength() > sumBetaBits(key, length) + 1) {
      throw fail(what, "sum response out of range");
    }
  }

  /**
   * Verifies against the ciphertexts; {@link #checkBounds} must have passed. The 2L + 1 equations are
   * checked as one random linear combination with 128-bit weights δ drawn from the transcript after
   * every response (docs/protocol.md §11.3, "Batched verification"): one fixed-base power of h_s and
   * one multi-exponentiation. If the combination fails, the equations are checked one by one to name
   * the failing entry.
   */
  void verify(Transcript t, PaillierPublicKey key, PaillierCiphertext[] c, String what) {
    BigInteger e = challenge(t, a0, a1, s);
    BigInteger[] delta = batchWeights(t);
    if (!batchHolds(key, c, e, delta)) {
      verifyEach(key, c, e, what);
      throw fail(what, "batched check failed");
    }
  }

  /** Absorbs every response and derives the 2L + 1 batching weights (128 bits each). */
  BigInteger[] batchWeights(Transcript t) {
    t.appendString("batch", "responses");
    for (int j = 0; j < e0.length; j++) {
      t.appendInteger("e0[" + j + "]", e0[j]);
      t.appendInteger("z0[" + j + "]", z0[j]);
      t.appendInteger("z1[" + j + "]", z1[j]);
    }
    t.appendInteger("zs", zs);
    return t.challengeVector("delta", 2 * e0.length + 1, CHALLENGE_BITS);
  }

  /**
   * h_s^(Σ δ_{j,0} z_{j,0} + δ_{j,1} z_{j,1} + δ_s z_s)
   *   = Π a_{j,0}^δ_{j,0} a_{j,1}^δ_{j,1} · s^δ_s · Π c_j^(δ_{j,0} e_{j,0} + δ_{j,1} e_{j,1} + δ_s e)
   *     · (1+n)^−(Σ δ_{j,1} e_{j,1} + δ_s e)   (mod n²),
   * which is the weighted product of h_s^{z_{j,b}} = a_{j,b}·(c_j (1+n)^−b)^{e_{j,b}} and
   * h_s^{z_s} = s·(Π c_j · (1+n)^−1)^e.
   */
  boolean batchHolds(PaillierPublicKey key, PaillierCiphertext[] c, BigInteger e, BigInteger[] delta) {
    int len = c.length;
    BigInteger n2 = key.nSquared();
    BigInteger deltaS = delta[2 * len];
    BigInteger lhsExp = deltaS.multiply(zs);
    BigInteger gExp = deltaS.multiply(e);
    BigInteger[] bases = new BigInteger[3 * len + 1];
    BigInteger[] exps = new BigInteger[3 * len + 1];
    for (int j = 0; j < len; j++) {
      BigInteger d0 = delta[2 * j];
      BigInteger d1 = delta[2 * j + 1];
      BigInteger e1 = e.subtract(e0[j]).mod(CHALLENGE_MOD);
      lhsExp = lhsExp.add(d0.multiply(z0[j])).add(d1.multiply(z1[j]));
      gExp = gExp.add(d1.multiply(e1));
      bases[3 * j] = a0[j];
      exps[3 * j] = d0;
      bases[3 * j + 1] = a1[j];
      exps[3 * j + 1] = d1;
      bases[3 * j + 2] = c[j].value();
      exps[3 * j + 2] = d0.multiply(e0[j]).add(d1.multiply(e1)).add(deltaS.multiply(e));
    }
    bases[3 * len] = s;
    exps[3 * len] = deltaS;
    BigInteger rhs = MultiPow.of(bases, exps, n2).multiply(key.gPow(gExp.negate())).mod(n2);
    return Djn.hsPow(key, lhsExp).equals(rhs);
  }

  /** The equations one by one; throws naming the first that fails. */
  void verifyEach(PaillierPublicKey key, PaillierCiphertext[] c, BigInteger e, String what) {
    BigInteger n2 = key.nSquared();
    BigInteger product = BigInteger.ONE;
    for (int j = 0; j < c.length; j++) {
      BigInteger e1 = e.subtract(e0[j]).mod(CHALLENGE_MOD);
      BigInteger cj = c[j].value();
      BigInteger lhs0 = key.hsPow(z0[j]);
      BigInteger rhs0 = a0[j].multiply(cj.modPow(e0[j], n2)).mod(n2);
      BigInteger lhs1 = key.hsPow(z1[j]);
      BigInteger rhs1 = a1[j].multiply(Djn.shift(key, cj, BigInteger.ONE).modPow(e1, n2)).mod(n2);
      if (!lhs0.equals(rhs0) || !lhs1.equals(rhs1)) {
        throw fail(what, "entry " + j + " is not shown to encrypt 0 or 1");
      }
      product = product.multiply(cj).mod(n2);
    }
    BigInteger y = Djn.shift(key, product, BigInteger.ONE);
    if (!Djn.hsPow(key, zs).equals(s.multiply(y.modPow(e, n2)).mod(n2))) {
      throw fail(what, "entries are not shown to sum to 1");
    }
  }

  private static void unit(PaillierPublicKey key, BigInteger x, String what, String name) {
    if (x == null || !key.inUnitGroupOfNSquared(x)) {
      throw fail(what, name + " is not in Z*_{n²}");
    }
  }

  static ProofException fail(String what, String why) {
    return new ProofException(StatsContribution.INVALID, what + ": " + why);
  }

  // ------------------------------------------------------------------------------- encoding

  static int encodedLength(PaillierPublicKey key, int length) {
    int g = 2 * key.bits() / 8;
    int z = Wire.bytesFor(betaBits(key) + 1);
    return length * (2 * g + CHALLENGE_BITS / 8 + 2 * z) + g + Wire.bytesFor(sumBetaBits(key, length) + 1);
  }

  void write(Wire.Writer w, int keyBits) {
    int g = 2 * keyBits / 8;
    int z = Wire.bytesFor(betaBits(keyBits) + 1);
    for (int j = 0; j < a0.length; j++) {
      w.fixed(a0[j], g).fixed(a1[j], g).fixed(e0[j], CHALLENGE_BITS / 8).fixed(z0[j], z).fixed(z1[j], z);
    }
    w.fixed(s, g).fixed(zs, Wire.bytesFor(betaBits(keyBits) + ceilLog2(a0.length) + 1));
  }

  static OneHotProof read(Wire.Reader r, PaillierPublicKey key, int length) {
    int zBits = betaBits(key) + 1;
    int z = Wire.bytesFor(zBits);
    BigInteger[] a0 = new BigInteger[length];
    BigInteger[] a1 = new BigInteger[length];
    BigInteger[] e0 = new BigInteger[length];
    BigInteger[] z0 = new BigInteger[length];
    BigInteger[] z1 = new BigInteger[length];
    for (int j = 0; j < length; j++) {
      a0[j] = r.modN2(key, "a0");
      a1[j] = r.modN2(key, "a1");
      e0[j] = r.bounded(CHALLENGE_BITS / 8, CHALLENGE_BITS, "e0");
      z0[j] = r.bounded(z, zBits, "z0");
      z1[j] = r.bounded(z, zBits, "z1");
    }
    BigInteger s = r.modN2(key, "s");
    int zsBits = sumBetaBits(key, length) + 1;
    BigInteger zs = r.bounded(Wire.bytesFor(zsBits), zsBits, "zs");
    return new OneHotProof(a0, a1, s, e0, z0, z1, zs);
  }
}
