package org.medledger.crypto.proof;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * A cheating prover for {@link KeyProof}, test-side only. It knows the full factorisation of its
 * (bad) modulus and tries its best: for every challenge it looks for a fourth root among
 * ±y, ±w·y and for an n-th root of y, computing them by CRT and Hensel lifting where they exist,
 * and submits a random unit where they do not. It also builds the bad moduli.
 */
final class MaliciousKeyProver {
  /** A prime power r^e dividing n exactly. */
  record Factor(BigInteger prime, int exponent) {
    BigInteger modulus() {
      return prime.pow(exponent);
    }

    BigInteger order() {
      return prime.pow(exponent - 1).multiply(prime.subtract(BigInteger.ONE));
    }
  }

  /** What the prover produced and how often a genuine answer existed. */
  record Attempt(KeyProof proof, int fourthRootsFound, int nthRootsFound) {}

  private static final BigInteger FOUR = BigInteger.valueOf(4);

  private final SecureRandom rnd;

  MaliciousKeyProver(SecureRandom rnd) {
    this.rnd = rnd;
  }

  // ---------------------------------------------------------------------------------------------
  // Bad moduli
  // ---------------------------------------------------------------------------------------------

  /** A random prime of exactly {@code bits} bits that is ≡ residue (mod 4). */
  BigInteger prime(int bits, int residue) {
    while (true) {
      BigInteger p = BigInteger.probablePrime(bits, rnd);
      if (p.testBit(bits - 1) && p.intValue() % 4 == residue) {
        return p;
      }
    }
  }

  /** A public key (n, h = x² mod n) for an arbitrary odd n of a supported size. */
  PaillierPublicKey publicKey(BigInteger n) {
    BigInteger x = NumberTheory.randomUnit(rnd, n);
    BigInteger h = x.multiply(x).mod(n);
    return PaillierPublicKey.of(n, h);
  }

  // ---------------------------------------------------------------------------------------------
  // Proving
  // ---------------------------------------------------------------------------------------------

  /** Best-effort proof for n = ∏ factors, with w of Jacobi symbol −1 if one exists. */
  Attempt prove(PaillierPublicKey pk, byte[] context, List<Factor> factors) {
    return prove(pk, context, factors, -1);
  }

  /** As {@link #prove(PaillierPublicKey, byte[], List)} with w of the given Jacobi symbol (±1). */
  Attempt prove(PaillierPublicKey pk, byte[] context, List<Factor> factors, int wantJacobi) {
    BigInteger n = pk.n();
    BigInteger w = chooseW(n, factors, wantJacobi);
    BigInteger[] y = KeyProof.challenges(pk, context, w);
    // Grind w until no challenge shares a factor with n (the verifier rejects such a y outright).
    // Cheap when every factor is ≥ 2^16; hopeless for a factor like 3, where (2/3)^128 ≈ 2^-75.
    // w·u⁴ keeps w's Jacobi symbol and its coset modulo the fourth powers, hence its quality.
    for (int tries = 0; tries < 50 && !allUnits(y, n); tries++) {
      BigInteger u2 = NumberTheory.randomUnit(rnd, n).pow(2).mod(n);
      w = w.multiply(u2).multiply(u2).mod(n);
      y = KeyProof.challenges(pk, context, w);
    }
    int[] a = new int[KeyProof.ROUNDS];
    int[] b = new int[KeyProof.ROUNDS];
    BigInteger[] x = new BigInteger[KeyProof.ROUNDS];
    BigInteger[] z = new BigInteger[KeyProof.NTH_ROOT_ROUNDS];
    int fourth = 0;
    int nth = 0;
    for (int i = 0; i < KeyProof.ROUNDS; i++) {
      BigInteger[] found = fourthRootAmongCosets(y[i], w, n, factors);
      if (found != null) {
        a[i] = found[0].intValueExact();
        b[i] = found[1].intValueExact();
        x[i] = found[2];
        fourth++;
      } else {
        a[i] = rnd.nextInt(2);
        b[i] = rnd.nextInt(2);
        x[i] = NumberTheory.randomUnit(rnd, n);
      }
      if (i < KeyProof.NTH_ROOT_ROUNDS) {
        BigInteger root = root(y[i], n, factors);
        if (root != null) {
          z[i] = root;
          nth++;
        } else {
          z[i] = NumberTheory.randomUnit(rnd, n);
        }
      }
    }
    return new Attempt(new KeyProof(pk.bits(), w, a, b, x, z), fourth, nth);
  }

  private static boolean allUnits(BigInteger[] y, BigInteger n) {
    for (BigInteger v : y) {
      if (!v.gcd(n).equals(BigInteger.ONE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Picks, among 16 random units of the wanted Jacobi symbol, the w for which the most random
   * units y have a fourth root among ±y, ±w·y: the cheater's best choice of coset generator.
   */
  private BigInteger chooseW(BigInteger n, List<Factor> factors, int wantJacobi) {
    BigInteger[] probes = new BigInteger[24];
    for (int i = 0; i < probes.length; i++) {
      probes[i] = NumberTheory.randomUnit(rnd, n);
    }
    BigInteger best = null;
    int bestScore = -1;
    int candidates = 0;
    for (int tries = 0; tries < 4000 && candidates < 16; tries++) {
      BigInteger c = NumberTheory.randomUnit(rnd, n);
      if (NumberTheory.jacobi(c, n) != wantJacobi) {
        continue;
      }
      candidates++;
      int score = 0;
      for (BigInteger y : probes) {
        if (fourthRootAmongCosets(y, c, n, factors) != null) {
          score++;
        }
      }
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    // No unit of the wanted symbol (n a square has none of symbol −1): submit any unit.
    return best != null ? best : NumberTheory.randomUnit(rnd, n);
  }

  /** {a, b, x} with x⁴ ≡ (−1)^a · w^b · y, or null. */
  private BigInteger[] fourthRootAmongCosets(BigInteger y, BigInteger w, BigInteger n, List<Factor> factors) {
    for (int ai = 0; ai < 2; ai++) {
      for (int bi = 0; bi < 2; bi++) {
        BigInteger c = y;
        if (bi == 1) {
          c = c.multiply(w).mod(n);
        }
        if (ai == 1) {
          c = n.subtract(c).mod(n);
        }
        BigInteger root = root(c, FOUR, factors);
        if (root != null) {
          return new BigInteger[] {BigInteger.valueOf(ai), BigInteger.valueOf(bi), root};
        }
      }
    }
    return null;
  }

  /**
   * A k-th root of c modulo ∏ factors, or null if none exists or this prover cannot compute it.
   * Handles k = 4 (any odd prime power) and k with gcd(k, φ(r^e)) = 1 (inversion of the exponent).
   */
  BigInteger root(BigInteger c, BigInteger k, List<Factor> factors) {
    List<BigInteger> residues = new ArrayList<>();
    List<BigInteger> moduli = new ArrayList<>();
    for (Factor f : factors) {
      BigInteger m = f.modulus();
      BigInteger cm = c.mod(m);
      if (cm.gcd(m).compareTo(BigInteger.ONE) != 0) {
        return null;
      }
      BigInteger r;
      BigInteger order = f.order();
      if (order.gcd(k).equals(BigInteger.ONE)) {
        r = cm.modPow(k.modInverse(order), m);
      } else if (k.equals(FOUR)) {
        r = fourthRootModPrimePower(cm, f);
      } else {
        // Z*_{r^e} is cyclic: a k-th root exists iff c^(order / gcd(k, order)) ≡ 1. This prover
        // cannot compute it then, but such an event has probability ≤ 1/r ≤ 2^-16 per challenge;
        // count it as "not found" and submit garbage.
        r = null;
      }
      if (r == null) {
        return null;
      }
      residues.add(r);
      moduli.add(m);
    }
    BigInteger x = residues.get(0);
    BigInteger mod = moduli.get(0);
    for (int i = 1; i < residues.size(); i++) {
      BigInteger mi = moduli.get(i);
      x = NumberTheory.crt(residues.get(i), mi, x, mod, mod.modInverse(mi));
      mod = mod.multiply(mi);
    }
    return x;
  }

  private static BigInteger fourthRootModPrimePower(BigInteger c, Factor f) {
    BigInteger p = f.prime();
    BigInteger r1 = fourthRootModPrime(c.mod(p), p);
    if (r1 == null) {
      return null;
    }
    // Hensel: x ← x − (x⁴ − c)/(4x³) converges p-adically since 4x³ is a unit modulo odd p.
    BigInteger m = f.modulus();
    BigInteger x = r1;
    for (int i = 0; i < f.exponent(); i++) {
      BigInteger fx = x.modPow(FOUR, m).subtract(c).mod(m);
      BigInteger dfx = FOUR.multiply(x.modPow(BigInteger.valueOf(3), m)).mod(m);
      x = x.subtract(fx.multiply(dfx.modInverse(m))).mod(m);
    }
    return x.modPow(FOUR, m).equals(c.mod(m)) ? x : null;
  }

  private static BigInteger fourthRootModPrime(BigInteger c, BigInteger p) {
    BigInteger s = sqrtModPrime(c, p);
    if (s == null) {
      return null;
    }
    BigInteger r = sqrtModPrime(s, p);
    if (r == null) {
      r = sqrtModPrime(p.subtract(s), p);
    }
    return r;
  }

  /** Tonelli–Shanks; null if c is not a square modulo the odd prime p. */
  static BigInteger sqrtModPrime(BigInteger c, BigInteger p) {
    c = c.mod(p);
    if (c.signum() == 0) {
      return BigInteger.ZERO;
    }
    if (NumberTheory.jacobi(c, p) != 1) {
      return null;
    }
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    int s = pm1.getLowestSetBit();
    BigInteger q = pm1.shiftRight(s);
    BigInteger z = BigInteger.TWO;
    while (NumberTheory.jacobi(z, p) != -1) {
      z = z.add(BigInteger.ONE);
    }
    BigInteger m = BigInteger.valueOf(s);
    BigInteger cc = z.modPow(q, p);
    BigInteger t = c.modPow(q, p);
    BigInteger r = c.modPow(q.add(BigInteger.ONE).shiftRight(1), p);
    while (!t.equals(BigInteger.ONE)) {
      int i = 0;
      BigInteger t2 = t;
      while (!t2.equals(BigInteger.ONE)) {
        t2 = t2.multiply(t2).mod(p);
        i++;
      }
      BigInteger bb = cc.modPow(BigInteger.ONE.shiftLeft(m.intValue() - i - 1), p);
      m = BigInteger.valueOf(i);
      cc = bb.multiply(bb).mod(p);
      t = t.multiply(cc).mod(p);
      r = r.multiply(bb).mod(p);
    }
    return r;
  }
}
