package org.medledger.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The 60-bit-limb Montgomery arithmetic, the fixed-base table and the multi-exponentiation built on
 * it agree with {@link BigInteger} (docs/protocol.md §3.2): random operands and exponents at the
 * moduli sizes the keys use (n, p², n² of 1024- to 3072-bit keys, and odd sizes), and the edge
 * cases 0, 1, m − 1, the largest limb values, exponents 0, 1 and of the table's maximum size, and
 * bases ≡ 0 and ≡ 1.
 */
class MontgomeryTest {
  private final SecureRandom rnd = new SecureRandom();
  private static final int[] SIZES = {61, 119, 120, 121, 1024, 2048, 2050, 3072, 4095, 4096, 6143, 6144};

  private BigInteger oddModulus(int bits) {
    BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
    return m;
  }

  private BigInteger below(BigInteger m) {
    return new BigInteger(m.bitLength() + 64, rnd).mod(m);
  }

  @Test
  void limbConversionRoundTrips() {
    for (int bits : SIZES) {
      int limbs = Montgomery.limbsFor(bits);
      for (int i = 0; i < 20; i++) {
        BigInteger x = new BigInteger(bits, rnd);
        assertEquals(x, Montgomery.fromLimbs(Montgomery.toLimbs(x, limbs)));
        assertEquals(x, Montgomery.fromStored(Montgomery.toStored(Montgomery.toLimbs(x, limbs))));
      }
      BigInteger max = BigInteger.ONE.shiftLeft(Montgomery.LIMB_BITS * limbs).subtract(BigInteger.ONE);
      assertEquals(max, Montgomery.fromLimbs(Montgomery.toLimbs(max, limbs)));
    }
  }

  @Test
  void productsAndSquaresMatchBigInteger() {
    for (int bits : SIZES) {
      BigInteger m = oddModulus(bits);
      Montgomery mont = new Montgomery(m);
      BigInteger[] special = {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, m.subtract(BigInteger.ONE),
          m.shiftRight(1), BigInteger.ONE.shiftLeft(bits - 1).mod(m)};
      for (int i = 0; i < 40 + special.length; i++) {
        BigInteger a = i < special.length ? special[i] : below(m);
        BigInteger b = i < special.length ? special[special.length - 1 - i] : below(m);
        long[] am = mont.toMontgomery(a);
        long[] bm = mont.toMontgomery(b);
        long[] out = mont.newElement();
        mont.mul(am, bm, out);
        assertEquals(a.multiply(b).mod(m), mont.fromMontgomery(out), "product, " + bits + " bits");
        mont.mul(am, am, out);
        assertEquals(a.multiply(a).mod(m), mont.fromMontgomery(out), "square, " + bits + " bits");
        // A chain of products keeps its inputs below 2m (Walter's bound): repeated squaring stays exact.
        long[] x = am.clone();
        long[] y = mont.newElement();
        BigInteger expect = a;
        for (int j = 0; j < 30; j++) {
          mont.mul(x, x, y);
          mont.mul(y, bm, x);
          expect = expect.multiply(expect).multiply(b).mod(m);
        }
        assertEquals(expect, mont.fromMontgomery(x), "chain, " + bits + " bits");
      }
    }
  }

  @Test
  void unreducedInputsUpToTwiceTheModulusAreAccepted() {
    // Values in [m, 2m) are what products return; feed the largest ones back in directly.
    for (int bits : new int[] {1024, 4096, 6144}) {
      BigInteger m = oddModulus(bits);
      Montgomery mont = new Montgomery(m);
      BigInteger big = m.shiftLeft(1).subtract(BigInteger.ONE); // 2m − 1, a Montgomery-form value
      long[] a = Montgomery.toStored(Montgomery.toLimbs(big, mont.limbs()));
      long[] out = mont.newElement();
      mont.mul(a, a, out);
      BigInteger rInv = BigInteger.ONE.shiftLeft(Montgomery.LIMB_BITS * mont.limbs()).modInverse(m);
      assertEquals(big.multiply(big).multiply(rInv).mod(m), Montgomery.fromStored(out).mod(m));
      assertEquals(-1, Montgomery.fromStored(out).compareTo(m.shiftLeft(1)), "output below 2m");
    }
  }

  @Test
  void fixedBaseTableMatchesModPow() {
    for (int bits : new int[] {1024, 2048, 4096, 6144}) {
      BigInteger m = oddModulus(bits);
      int maxBits = bits / 4 + 209;
      for (BigInteger base : new BigInteger[] {below(m), BigInteger.ZERO, BigInteger.ONE, m, m.add(BigInteger.ONE),
          m.subtract(BigInteger.ONE)}) {
        FixedBaseTable t = new FixedBaseTable(base, m, maxBits, 7);
        BigInteger max = BigInteger.ONE.shiftLeft(maxBits).subtract(BigInteger.ONE);
        BigInteger[] exps = {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(128), max,
            BigInteger.ONE.shiftLeft(maxBits - 1), new BigInteger(maxBits, rnd), new BigInteger(maxBits / 2, rnd),
            BigInteger.ONE.shiftLeft(maxBits), max.shiftLeft(3)};
        for (BigInteger e : exps) {
          assertEquals(base.mod(m).modPow(e, m), t.pow(e), bits + "-bit modulus, exponent of " + e.bitLength() + " bits");
        }
      }
      FixedBaseTable t = new FixedBaseTable(below(m), m, maxBits, 5);
      for (int i = 0; i < 20; i++) {
        BigInteger e = new BigInteger(1 + rnd.nextInt(maxBits), rnd);
        assertEquals(t.base().modPow(e, m), t.pow(e));
      }
      assertThrows(IllegalArgumentException.class, () -> t.pow(BigInteger.ONE.negate()));
    }
  }

  @Test
  void multiExponentiationMatchesModPow() {
    for (int bits : new int[] {2048, 4096, 6144, 121}) {
      BigInteger m = oddModulus(bits);
      Montgomery mont = new Montgomery(m);
      for (int round = 0; round < 12; round++) {
        int k = 1 + rnd.nextInt(9);
        BigInteger[] bases = new BigInteger[k];
        BigInteger[] exps = new BigInteger[k];
        BigInteger expect = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
          bases[i] = switch (rnd.nextInt(6)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE;
            case 2 -> m.add(below(m)); // above the modulus
            default -> below(m);
          };
          exps[i] = switch (rnd.nextInt(6)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE;
            case 2 -> BigInteger.ONE.shiftLeft(rnd.nextInt(300));
            case 3 -> BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
            default -> new BigInteger(1 + rnd.nextInt(300), rnd);
          };
          expect = expect.multiply(bases[i].modPow(exps[i], m)).mod(m);
        }
        assertEquals(expect, MultiExp.pow(mont, bases, exps), bits + "-bit modulus, " + k + " bases");
      }
      assertEquals(BigInteger.ONE, MultiExp.pow(mont, new BigInteger[0], new BigInteger[0]));
      assertEquals(BigInteger.ONE, MultiExp.pow(mont, new BigInteger[] {BigInteger.ZERO},
          new BigInteger[] {BigInteger.ZERO}));
      assertThrows(IllegalArgumentException.class, () -> MultiExp.pow(mont, new BigInteger[] {BigInteger.TWO},
          new BigInteger[] {BigInteger.ONE.negate()}));
    }
  }

  @Test
  void refusesEvenModuli() {
    assertThrows(IllegalArgumentException.class, () -> new Montgomery(BigInteger.valueOf(1L << 40)));
    assertThrows(IllegalArgumentException.class, () -> new FixedBaseTable(BigInteger.TWO, BigInteger.valueOf(100), 10, 4));
  }
}
