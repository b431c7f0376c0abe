package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of {@link Fe}: limb patterns mixed limb by limb (not only "all limbs at one
 * extreme"), every weak-form representative of zero produced by arithmetic, aliased operands, and
 * long chains that keep values near the top of the weak form, each checked against BigInteger
 * modulo p and against the weak-form limb bounds after every step.
 */
class FeAttackTest {
  private static final BigInteger P = Fe.P;
  private static final long MAX4 = (1L << 49) - 1;
  private static final long[] LOW = {0, 1, 2, 1L << 51, Fe.M52 - 1, Fe.M52};
  private static final long[] TOP = {0, 1, Fe.M48, 1L << 48, (1L << 48) + 1, MAX4 - 1, MAX4};

  private final Random rnd = new Random(0xFE_A77AC4L);

  private static void assertWeak(long[] r, String what) {
    for (int i = 0; i < 4; i++) {
      assertTrue(r[i] >= 0 && r[i] <= Fe.M52, what + ": limb " + i + " = " + Long.toHexString(r[i]));
    }
    assertTrue(r[4] >= 0 && r[4] <= MAX4, what + ": top limb = " + Long.toHexString(r[4]));
  }

  private static void check(BigInteger expected, long[] r, String what) {
    assertWeak(r, what);
    assertEquals(expected.mod(P), Fe.value(r).mod(P), what);
  }

  /** Every combination of per-limb extremes: 6^4·7 = 9072 weak-form values. */
  private static List<long[]> grid() {
    List<long[]> out = new ArrayList<>();
    for (long a0 : LOW) {
      for (long a1 : LOW) {
        for (long a2 : LOW) {
          for (long a3 : LOW) {
            for (long a4 : TOP) {
              out.add(new long[] {a0, a1, a2, a3, a4});
            }
          }
        }
      }
    }
    return out;
  }

  private static List<long[]> nasty() {
    List<long[]> out = new ArrayList<>();
    BigInteger two256 = BigInteger.ONE.shiftLeft(256);
    for (BigInteger v : new BigInteger[] {
      BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE),
      P.shiftLeft(1).subtract(BigInteger.ONE), P.shiftLeft(1), P.shiftLeft(1).add(BigInteger.ONE),
      two256.subtract(BigInteger.ONE), two256, BigInteger.ONE.shiftLeft(257).subtract(BigInteger.ONE),
      BigInteger.valueOf(0x1000003D1L), two256.subtract(BigInteger.valueOf(0x1000003D1L)).subtract(BigInteger.ONE),
    }) {
      out.add(Fe.limbs(v));
    }
    return out;
  }

  @Test
  void everyOperationOnMixedLimbExtremes() {
    List<long[]> g = grid();
    List<long[]> partners = nasty();
    long[] r = new long[5];
    for (long[] a : g) {
      BigInteger x = Fe.value(a);
      Fe.sqr(a, r);
      check(x.multiply(x), r, "sqr");
      Fe.negate(a, r);
      check(x.negate(), r, "negate");
      Fe.twice(a, r);
      check(x.shiftLeft(1), r, "twice");
      assertEquals(x.mod(P).signum() == 0, Fe.isZero(a), "isZero " + x.toString(16));
      long[] n = a.clone();
      Fe.normalize(n);
      assertEquals(x.mod(P), Fe.value(n), "normalize");
      for (long[] b : partners) {
        BigInteger y = Fe.value(b);
        Fe.mul(a, b, r);
        check(x.multiply(y), r, "mul");
        Fe.mul(b, a, r);
        check(x.multiply(y), r, "mul swapped");
        Fe.add(a, b, r);
        check(x.add(y), r, "add");
        Fe.sub(a, b, r);
        check(x.subtract(y), r, "sub");
        Fe.sub(b, a, r);
        check(y.subtract(x), r, "sub swapped");
        assertEquals(x.subtract(y).mod(P).signum() == 0, Fe.equal(a, b), "equal");
      }
    }
    // Grid against a random sample of the grid itself (all pairs would be 82 million).
    for (int i = 0; i < 100_000; i++) {
      long[] a = g.get(rnd.nextInt(g.size()));
      long[] b = g.get(rnd.nextInt(g.size()));
      Fe.mul(a, b, r);
      check(Fe.value(a).multiply(Fe.value(b)), r, "grid mul");
      Fe.sub(a, b, r);
      check(Fe.value(a).subtract(Fe.value(b)), r, "grid sub");
    }
  }

  @Test
  void aliasedOperandsGiveTheSameResults() {
    for (int i = 0; i < 2_000; i++) {
      long[] a = randomWeak();
      long[] b = randomWeak();
      BigInteger x = Fe.value(a);
      BigInteger y = Fe.value(b);
      long[] t = a.clone();
      Fe.mul(t, b, t);
      check(x.multiply(y), t, "mul into a");
      t = b.clone();
      Fe.mul(a, t, t);
      check(x.multiply(y), t, "mul into b");
      t = a.clone();
      Fe.mul(t, t, t);
      check(x.multiply(x), t, "mul a·a into a");
      long[] s = new long[5];
      Fe.sqr(a, s);
      assertTrue(Fe.equal(s, t), "sqr ≡ mul(a, a)");
      t = a.clone();
      Fe.sub(t, t, t);
      assertTrue(Fe.isZero(t), "a − a into a");
      t = a.clone();
      Fe.add(t, t, t);
      check(x.shiftLeft(1), t, "a + a into a");
      t = a.clone();
      Fe.sub(b, t, t);
      check(y.subtract(x), t, "b − a into a");
    }
  }

  @Test
  void everyRepresentativeOfZeroIsRecognised() {
    long[] pl = Fe.limbs(P);
    long[] p2 = Fe.limbs(P.shiftLeft(1));
    long[] zero = new long[5];
    long[] r = new long[5];
    List<long[]> g = grid();
    for (long[] z : new long[][] {zero, pl, p2}) {
      assertTrue(Fe.isZero(z));
      Fe.negate(z, r);
      assertTrue(Fe.isZero(r), "−0");
      Fe.sqr(z, r);
      assertTrue(Fe.isZero(r), "0²");
      Fe.twice(z, r);
      assertTrue(Fe.isZero(r), "2·0");
      assertThrows(ArithmeticException.class, () -> Fe.invVar(z, new long[5]));
      int[] w = new int[8];
      Fe.toWords(z, w, 0);
      assertArrayEquals(new int[8], w);
    }
    for (int i = 0; i < 5_000; i++) {
      long[] a = i < 1_000 ? g.get(rnd.nextInt(g.size())) : randomWeak();
      BigInteger x = Fe.value(a);
      // a + p and a + 2p, where they are still weak form, are the same element.
      for (BigInteger k : new BigInteger[] {P, P.shiftLeft(1)}) {
        BigInteger shifted = x.mod(P).add(k);
        if (shifted.bitLength() <= 257 && shifted.shiftRight(208).longValue() <= MAX4) {
          long[] b = Fe.limbs(shifted);
          assertTrue(Fe.equal(a, b), "a ≡ a + kp");
          Fe.sub(a, b, r);
          assertTrue(Fe.isZero(r), "a − (a + kp)");
          Fe.sub(b, a, r);
          assertTrue(Fe.isZero(r), "(a + kp) − a");
        }
      }
      Fe.negate(a, r);
      Fe.add(r, a, r);
      assertTrue(Fe.isZero(r), "−a + a");
      Fe.mul(a, pl, r);
      assertTrue(Fe.isZero(r), "a·p");
      Fe.mul(p2, a, r);
      assertTrue(Fe.isZero(r), "2p·a");
      // Near misses: one off in any limb of p or 2p is never zero.
      for (long[] z : new long[][] {pl, p2}) {
        for (int limb = 0; limb < 5; limb++) {
          for (int d : new int[] {-1, 1}) {
            long[] m = z.clone();
            m[limb] += d;
            if (m[limb] < 0 || m[limb] > (limb < 4 ? Fe.M52 : MAX4)) {
              continue;
            }
            assertFalse(Fe.isZero(m), "near miss of " + Fe.value(z).toString(16));
          }
        }
      }
    }
    long[] one = new long[5];
    Fe.invVar(Fe.limbs(P.add(BigInteger.ONE)), one);
    check(BigInteger.ONE, one, "(p + 1)⁻¹");
    Fe.invVar(Fe.limbs(P.shiftLeft(1).subtract(BigInteger.ONE)), one);
    check(P.subtract(BigInteger.ONE), one, "(2p − 1)⁻¹");
  }

  /**
   * The engine's own operation sequences at the top of the weak form: add chains fed to mul,
   * repeated doubling (8·C in the doubling formula), sub and negate of unreduced results.
   */
  @Test
  void longChainsStayWeakAndExact() {
    long[] max = {Fe.M52, Fe.M52, Fe.M52, Fe.M52, MAX4};
    for (int trial = 0; trial < 200; trial++) {
      long[] acc = trial == 0 ? max.clone() : randomWeak();
      BigInteger ref = Fe.value(acc);
      long[] t = new long[5];
      for (int step = 0; step < 500; step++) {
        long[] b = rnd.nextInt(4) == 0 ? max : randomWeak();
        BigInteger y = Fe.value(b);
        switch (rnd.nextInt(9)) {
          case 0: // (a + b + b + b)·b, three unreduced additions before a product
            Fe.add(acc, b, t);
            Fe.add(t, b, t);
            Fe.add(t, b, t);
            Fe.mul(t, b, acc);
            ref = ref.add(y.multiply(BigInteger.valueOf(3))).multiply(y);
            break;
          case 1: // 8·a − b, as Y3 = E·(D − X3) − 8·C
            Fe.twice(acc, acc);
            Fe.twice(acc, acc);
            Fe.twice(acc, acc);
            Fe.sub(acc, b, acc);
            ref = ref.shiftLeft(3).subtract(y);
            break;
          case 2: // −(−a)
            Fe.negate(acc, acc);
            Fe.negate(acc, acc);
            break;
          case 3: // a − b − b − b (X3 = r² − H³ − 2·X1·H²)
            Fe.sub(acc, b, acc);
            Fe.sub(acc, b, acc);
            Fe.sub(acc, b, acc);
            ref = ref.subtract(y.multiply(BigInteger.valueOf(3)));
            break;
          case 4:
            Fe.sqr(acc, acc);
            ref = ref.multiply(ref);
            break;
          case 5: // 3·a² (E = 3·A)
            Fe.sqr(acc, t);
            Fe.twice(t, acc);
            Fe.add(acc, t, acc);
            ref = ref.multiply(ref).multiply(BigInteger.valueOf(3));
            break;
          case 6: // 0 − a
            Fe.sub(new long[5], acc, acc);
            ref = ref.negate();
            break;
          case 7: // a − max
            Fe.sub(acc, max, acc);
            ref = ref.subtract(Fe.value(max));
            break;
          default:
            Fe.mul(b, acc, acc);
            ref = ref.multiply(y);
        }
        ref = ref.mod(P);
        check(ref, acc, "step " + step);
      }
    }
  }

  @Test
  void wordConversionsOfValuesAtOrAboveP() {
    BigInteger two256 = BigInteger.ONE.shiftLeft(256);
    for (BigInteger v : new BigInteger[] {
      P, P.add(BigInteger.ONE), two256.subtract(BigInteger.ONE), two256.subtract(BigInteger.TWO),
    }) {
      int[] w = org.bouncycastle.math.raw.Nat256.fromBigInteger(v);
      long[] l = new long[5];
      Fe.fromWords(w, 0, l);
      assertWeak(l, "fromWords");
      assertEquals(v, Fe.value(l), "fromWords is exact");
      int[] back = new int[8];
      Fe.toWords(l, back, 0);
      assertEquals(v.mod(P), org.bouncycastle.math.raw.Nat256.toBigInteger(back), "toWords reduces");
    }
  }

  private long[] randomWeak() {
    long[] a = new long[5];
    for (int i = 0; i < 5; i++) {
      long bound = i < 4 ? Fe.M52 : MAX4;
      switch (rnd.nextInt(4)) {
        case 0:
          a[i] = i < 4 ? LOW[rnd.nextInt(LOW.length)] : TOP[rnd.nextInt(TOP.length)];
          break;
        default:
          a[i] = (rnd.nextLong() >>> 1) % (bound + 1);
      }
    }
    return a;
  }
}
