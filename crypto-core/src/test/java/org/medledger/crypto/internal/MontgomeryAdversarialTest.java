package org.medledger.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.testing.TestKeys;

/**
 * An adversarial review of {@link Montgomery}, {@link MultiExp} and {@link FixedBaseTable}
 * (docs/protocol.md §3.2) against {@link BigInteger}: moduli whose top limb is tiny or full, 2^k − 1
 * and 2^k + 1, low limbs 1 or all ones, real Paillier n and n²; operands at the edges of the lazy
 * bound [0, 2m) fed to the raw product (not only values that went through {@link
 * Montgomery#toMontgomery}), all-ones and sparse limb patterns; exponents with long zero runs, all
 * ones at every window edge, very unequal lengths, duplicate bases and bases ≡ 0, ≡ −1. Every raw
 * product is also checked to keep its claimed invariant: output in [0, 2m) with each stored limb a
 * 60-bit value shifted left by 2. The seed is printed so a failure can be replayed.
 */
class MontgomeryAdversarialTest {
  private static final long SEED = new SecureRandom().nextLong();
  private final Random rnd = new Random(SEED);

  static {
    System.out.println("MontgomeryAdversarialTest seed " + SEED);
  }

  private static BigInteger pow2(int k) {
    return BigInteger.ONE.shiftLeft(k);
  }

  /** Moduli whose shape stresses the limb split: sizes around every limb boundary and special forms. */
  private List<BigInteger> adversarialModuli() {
    List<BigInteger> out = new ArrayList<>();
    int[] sizes = {3, 4, 57, 58, 59, 60, 61, 62, 63, 118, 119, 120, 121, 122, 178, 179, 180, 181, 1023, 1024,
        1025, 2048, 2049, 2398, 3072, 4096, 4138, 6142, 6143, 6144, 6145};
    for (int bits : sizes) {
      out.add(pow2(bits).subtract(BigInteger.ONE)); // 2^k − 1: every limb all ones
      if (bits > 3) {
        out.add(pow2(bits - 1).add(BigInteger.ONE)); // top bit alone, low limb 1
        out.add(pow2(bits).subtract(BigInteger.valueOf(3)));
        out.add(pow2(bits - 1).add(pow2(bits - 2)).add(BigInteger.ONE)); // sparse
      }
      // Random, top bit set; then its low limb forced to 1 and to 2^60 − 1 (n0 = 1, n0 = −1).
      BigInteger r = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
      out.add(r);
      if (bits > 61) {
        out.add(r.shiftRight(60).shiftLeft(60).or(BigInteger.ONE));
        out.add(r.shiftRight(60).shiftLeft(60).or(pow2(60).subtract(BigInteger.ONE)));
      }
    }
    // 4m ≤ R tight (bits = 60L − 2, every limb but the top all ones) at 1 to 103 limbs.
    for (int limbs = 1; limbs <= 103; limbs += 17) {
      out.add(pow2(60 * limbs - 2).subtract(BigInteger.ONE));
      out.add(pow2(60 * limbs - 2).subtract(pow2(60 * limbs - 4)).add(BigInteger.ONE));
    }
    out.add(TestKeys.key1024().publicKey().n());
    out.add(TestKeys.key1024().publicKey().nSquared());
    out.add(TestKeys.key2048a().publicKey().nSquared());
    out.add(TestKeys.key3072().publicKey().nSquared());
    return out;
  }

  /** A value in [0, bound) drawn from patterns that stress carries: all ones, sparse, dense, random. */
  private BigInteger pattern(BigInteger bound) {
    int bits = bound.bitLength();
    BigInteger v = switch (rnd.nextInt(8)) {
      case 0 -> bound.subtract(BigInteger.ONE);
      case 1 -> bound.subtract(BigInteger.valueOf(1 + rnd.nextInt(1000)));
      case 2 -> pow2(bits).subtract(BigInteger.ONE); // all ones (reduced below)
      case 3 -> { // sparse: a few set bits
        BigInteger x = BigInteger.ZERO;
        for (int i = rnd.nextInt(4); i >= 0; i--) {
          x = x.setBit(rnd.nextInt(bits));
        }
        yield x;
      }
      case 4 -> { // dense: all ones but a few cleared bits
        BigInteger x = pow2(bits).subtract(BigInteger.ONE);
        for (int i = rnd.nextInt(4); i >= 0; i--) {
          x = x.clearBit(rnd.nextInt(bits));
        }
        yield x;
      }
      case 5 -> { // limbs each all ones or zero
        BigInteger x = BigInteger.ZERO;
        for (int l = 0; l * 60 < bits; l++) {
          if (rnd.nextBoolean()) {
            x = x.or(pow2(60).subtract(BigInteger.ONE).shiftLeft(60 * l));
          }
        }
        yield x;
      }
      case 6 -> BigInteger.valueOf(rnd.nextInt(3));
      default -> new BigInteger(bits, rnd);
    };
    return v.mod(bound);
  }

  private static long[] stored(Montgomery mont, BigInteger x) {
    return Montgomery.toStored(Montgomery.toLimbs(x, mont.limbs()));
  }

  private static void assertNormalised(long[] out, String what) {
    for (long limb : out) {
      if ((limb & 3) != 0 || limb < 0) {
        fail(what + ": stored limb not a 60-bit value shifted by 2: " + Long.toHexString(limb));
      }
    }
  }

  @Test
  void rawProductsOverTheWholeLazyRangeMatchBigInteger() {
    for (BigInteger m : adversarialModuli()) {
      Montgomery mont = new Montgomery(m);
      int l = mont.limbs();
      BigInteger r = pow2(60 * l);
      assertTrue(m.shiftLeft(2).compareTo(r) <= 0, "4m ≤ R for " + m.bitLength() + " bits");
      BigInteger rInv = r.modInverse(m);
      BigInteger twoM = m.shiftLeft(1);
      int iterations = l > 60 ? 150 : l > 20 ? 600 : 2000;
      long[] out = mont.newElement();
      List<BigInteger> edges = List.of(BigInteger.ZERO, BigInteger.ONE, m.subtract(BigInteger.ONE), m,
          m.add(BigInteger.ONE), twoM.subtract(BigInteger.TWO), twoM.subtract(BigInteger.ONE));
      for (int i = 0; i < iterations + edges.size() * edges.size(); i++) {
        BigInteger a;
        BigInteger b;
        if (i < edges.size() * edges.size()) {
          a = edges.get(i / edges.size());
          b = edges.get(i % edges.size());
        } else {
          a = pattern(twoM);
          b = rnd.nextInt(4) == 0 ? a : pattern(twoM);
        }
        mont.mul(stored(mont, a), stored(mont, b), out);
        BigInteger got = Montgomery.fromStored(out);
        boolean ok = got.compareTo(twoM) < 0 && got.mod(m).equals(a.multiply(b).multiply(rInv).mod(m));
        if (!ok) {
          fail(m.bitLength() + "-bit modulus " + m.toString(16) + ", a=" + a.toString(16) + ", b=" + b.toString(16)
              + ", got " + got.toString(16) + ", seed " + SEED);
        }
        assertNormalised(out, m.bitLength() + "-bit modulus, seed " + SEED);
        if (i % 8 == 0) {
          BigInteger reduced = mont.fromMontgomery(stored(mont, a));
          assertEquals(a.multiply(rInv).mod(m), reduced, "fromMontgomery, seed " + SEED);
        }
      }
    }
  }

  @Test
  void conversionsAcceptAnyNonNegativeInputAndReduceFully() {
    for (BigInteger m : adversarialModuli()) {
      Montgomery mont = new Montgomery(m);
      BigInteger r = pow2(60 * mont.limbs());
      BigInteger[] xs = {BigInteger.ZERO, BigInteger.ONE, m.subtract(BigInteger.ONE), m, m.add(BigInteger.ONE),
          m.shiftLeft(1).subtract(BigInteger.ONE), r.subtract(BigInteger.ONE), r, r.add(BigInteger.ONE),
          r.multiply(r).add(m), m.multiply(m).subtract(BigInteger.ONE), pattern(r.shiftLeft(64))};
      for (BigInteger x : xs) {
        long[] xm = mont.toMontgomery(x);
        assertNormalised(xm, "toMontgomery");
        assertTrue(Montgomery.fromStored(xm).compareTo(m.shiftLeft(1)) < 0);
        assertEquals(x.mod(m), mont.fromMontgomery(xm), m.bitLength() + " bits, x=" + x.toString(16));
      }
      assertEquals(r.mod(m), Montgomery.fromStored(mont.one()).mod(m));
      assertEquals(BigInteger.ONE.mod(m), mont.fromMontgomery(mont.one()));
    }
  }

  @Test
  void longChainsOfWorstCaseProductsStayExact() {
    // A square-and-multiply chain started from the largest lazy values: a wrong bound would compound.
    for (BigInteger m : adversarialModuli()) {
      Montgomery mont = new Montgomery(m);
      BigInteger rInv = pow2(60 * mont.limbs()).modInverse(m);
      BigInteger a = m.shiftLeft(1).subtract(BigInteger.ONE);
      BigInteger b = m.shiftLeft(1).subtract(BigInteger.TWO);
      long[] x = stored(mont, a);
      long[] bs = stored(mont, b);
      long[] y = mont.newElement();
      BigInteger expect = a.mod(m);
      BigInteger bValue = b.mod(m);
      int steps = mont.limbs() > 60 ? 25 : 150;
      for (int j = 0; j < steps; j++) {
        mont.mul(x, x, y);
        expect = expect.multiply(expect).multiply(rInv).mod(m);
        mont.mul(y, bs, x);
        expect = expect.multiply(bValue).multiply(rInv).mod(m);
        assertTrue(Montgomery.fromStored(x).compareTo(m.shiftLeft(1)) < 0);
      }
      assertEquals(expect, Montgomery.fromStored(x).mod(m), m.bitLength() + "-bit modulus, seed " + SEED);
    }
  }

  /** Exponents that hit window edges, long zero runs, all-ones runs and single bits. */
  private List<BigInteger> adversarialExponents() {
    List<BigInteger> out = new ArrayList<>();
    for (int bits : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 23, 24, 25, 31, 32, 33, 63, 64, 65,
        127, 128, 129, 255, 256, 257, 511, 512, 513, 1023, 1024, 2047, 2048, 2049, 4000}) {
      out.add(pow2(bits).subtract(BigInteger.ONE)); // all ones
      out.add(pow2(bits - 1)); // a single top bit
      out.add(pow2(bits - 1).add(BigInteger.ONE)); // top and bottom, a zero run between
      BigInteger alt = BigInteger.ZERO;
      for (int i = 0; i < bits; i += 2) {
        alt = alt.setBit(i);
      }
      out.add(alt);
      out.add(pattern(pow2(bits)).setBit(bits - 1));
    }
    // Runs of ones and zeros of every length up to 20, repeated.
    for (int run = 1; run <= 20; run++) {
      BigInteger x = BigInteger.ZERO;
      for (int i = 0; i < 600; i++) {
        if ((i / run) % 2 == 0) {
          x = x.setBit(i);
        }
      }
      out.add(x);
      out.add(x.shiftLeft(run + 1)); // the lowest set bit far from 0
    }
    return out;
  }

  @Test
  void multiExponentiationOnAdversarialExponentsMatchesModPow() {
    BigInteger[] moduli = {pow2(121).subtract(BigInteger.ONE), pow2(2046).subtract(BigInteger.ONE),
        TestKeys.key1024().publicKey().nSquared(), TestKeys.key2048a().publicKey().nSquared()};
    List<BigInteger> exps = adversarialExponents();
    for (BigInteger m : moduli) {
      Montgomery mont = new Montgomery(m);
      BigInteger g = pattern(m);
      int stride = m.bitLength() > 2100 ? 3 : 1; // every third at 4096 bits, for time
      for (int j = 0; j < exps.size(); j += stride) {
        BigInteger e = exps.get(j);
        assertEquals(g.modPow(e, m), MultiExp.pow(mont, new BigInteger[] {g}, new BigInteger[] {e}),
            "single base, exponent " + e.toString(16) + ", " + m.bitLength() + " bits, seed " + SEED);
      }
      int rounds = m.bitLength() > 2100 ? 12 : 50;
      for (int round = 0; round < rounds; round++) {
        int k = 1 + rnd.nextInt(8);
        BigInteger[] bases = new BigInteger[k];
        BigInteger[] es = new BigInteger[k];
        BigInteger expect = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
          bases[i] = switch (rnd.nextInt(7)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> m.subtract(BigInteger.ONE); // −1
            case 2 -> i > 0 ? bases[i - 1] : m; // a duplicate base (the same object), or m ≡ 0
            case 3 -> m.multiply(BigInteger.valueOf(3)).add(pattern(m)); // far above m
            default -> pattern(m);
          };
          // Lengths from 0 and 1 bit to 4000 bits in one call: very unequal exponents.
          es[i] = rnd.nextInt(5) == 0 ? BigInteger.valueOf(rnd.nextInt(2)) : exps.get(rnd.nextInt(exps.size()));
          expect = expect.multiply(bases[i].modPow(es[i], m)).mod(m);
        }
        assertEquals(expect, MultiExp.pow(mont, bases, es), m.bitLength() + "-bit modulus, " + k
            + " bases, seed " + SEED);
      }
    }
  }

  @Test
  void everyWindowWidthIsExercised() {
    // window() picks each of 1..7 across these lengths; each length's all-ones and random exponents.
    BigInteger m = TestKeys.key1024().publicKey().n();
    Montgomery mont = new Montgomery(m);
    Set<Integer> widths = new TreeSet<>();
    for (int bits = 1; bits <= 3000; bits += bits < 64 ? 1 : 37) {
      widths.add(MultiExp.window(bits));
      BigInteger b1 = pattern(m);
      BigInteger b2 = pattern(m);
      BigInteger e1 = pow2(bits).subtract(BigInteger.ONE);
      BigInteger e2 = new BigInteger(bits, rnd);
      assertEquals(b1.modPow(e1, m).multiply(b2.modPow(e2, m)).mod(m),
          MultiExp.pow(mont, new BigInteger[] {b1, b2}, new BigInteger[] {e1, e2}), bits + "-bit exponents, seed " + SEED);
    }
    assertEquals(7, widths.size(), "window widths seen: " + widths);
  }

  @Test
  void fixedBaseTablesAtEveryWindowAndTheirRangeEdgesMatchModPow() {
    BigInteger[] moduli = {pow2(61).subtract(BigInteger.ONE), pow2(178).add(BigInteger.ONE),
        TestKeys.key1024().publicKey().nSquared()};
    for (BigInteger m : moduli) {
      for (int window = 1; window <= 10; window++) {
        int maxBits = 37 + window * 11 + rnd.nextInt(window); // in general not a multiple of the window
        for (BigInteger base : new BigInteger[] {pattern(m), m.subtract(BigInteger.ONE),
            m.negate().subtract(BigInteger.TWO), m.shiftLeft(5)}) {
          FixedBaseTable t = new FixedBaseTable(base, m, maxBits, window);
          List<BigInteger> es = new ArrayList<>();
          es.add(BigInteger.ZERO);
          es.add(pow2(maxBits).subtract(BigInteger.ONE));
          es.add(pow2(maxBits - 1));
          es.add(pow2(maxBits));
          es.add(pow2(maxBits + 1).subtract(BigInteger.ONE));
          for (BigInteger e : adversarialExponents()) {
            if (e.bitLength() <= maxBits + 3) {
              es.add(e);
            }
          }
          for (BigInteger e : es) {
            assertEquals(base.mod(m).modPow(e, m), t.pow(e), m.bitLength() + "-bit modulus, window " + window
                + ", exponent " + e.toString(16) + ", seed " + SEED);
          }
        }
      }
    }
  }
}
