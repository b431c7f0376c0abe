package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.junit.jupiter.api.Test;

/** {@link Fe} against BigInteger arithmetic modulo p, on random and extreme limb patterns. */
class FeTest {
  private static final BigInteger P = Fe.P;
  private static final long MAX4 = (1L << 49) - 1; // largest weak-form top limb

  private final Random rnd = new Random(20261205L);

  private long[] randomWeak() {
    long[] a = new long[5];
    int shape = rnd.nextInt(6);
    for (int i = 0; i < 5; i++) {
      long bound = i < 4 ? Fe.M52 : MAX4;
      switch (shape) {
        case 0:
          a[i] = bound; // all limbs at their maximum
          break;
        case 1:
          a[i] = rnd.nextBoolean() ? bound : 0;
          break;
        case 2:
          a[i] = bound - rnd.nextInt(4);
          break;
        default:
          a[i] = (rnd.nextLong() >>> 1) % (bound + 1);
      }
    }
    return a;
  }

  /** Extreme values: 0, 1, p−1, p, p+1, 2p−1, 2p, 2^256−1 and the largest weak-form value. */
  private static List<long[]> extremes() {
    List<long[]> out = new ArrayList<>();
    BigInteger two256 = BigInteger.ONE.shiftLeft(256);
    for (BigInteger v : new BigInteger[] {
      BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE),
      P.shiftLeft(1).subtract(BigInteger.ONE), P.shiftLeft(1), two256.subtract(BigInteger.ONE), two256,
    }) {
      out.add(Fe.limbs(v));
    }
    out.add(new long[] {Fe.M52, Fe.M52, Fe.M52, Fe.M52, MAX4});
    return out;
  }

  private static void assertWeak(long[] r) {
    for (int i = 0; i < 4; i++) {
      assertTrue(r[i] >= 0 && r[i] <= Fe.M52, "limb " + i);
    }
    assertTrue(r[4] >= 0 && r[4] <= MAX4, "top limb");
  }

  private static void assertResidue(BigInteger expected, long[] r) {
    assertWeak(r);
    assertEquals(expected.mod(P), Fe.value(r).mod(P));
  }

  private void checkPair(long[] a, long[] b) {
    BigInteger x = Fe.value(a);
    BigInteger y = Fe.value(b);
    long[] r = new long[5];
    Fe.mul(a, b, r);
    assertResidue(x.multiply(y), r);
    Fe.sqr(a, r);
    assertResidue(x.multiply(x), r);
    Fe.add(a, b, r);
    assertResidue(x.add(y), r);
    Fe.sub(a, b, r);
    assertResidue(x.subtract(y), r);
    Fe.twice(a, r);
    assertResidue(x.shiftLeft(1), r);
    Fe.negate(a, r);
    assertResidue(x.negate(), r);
    assertEquals(x.mod(P).signum() == 0, Fe.isZero(a));
    assertEquals(x.subtract(y).mod(P).signum() == 0, Fe.equal(a, b));
    long[] n = a.clone();
    Fe.normalize(n);
    assertEquals(x.mod(P), Fe.value(n));
    int[] w = new int[9];
    Fe.toWords(a, w, 1);
    assertArrayEquals(a, a.clone()); // toWords leaves its input alone
    int[] expectedWords = SecP256K1Field.fromBigInteger(x.mod(P));
    for (int i = 0; i < 8; i++) {
      assertEquals(expectedWords[i], w[i + 1]);
    }
    long[] back = new long[5];
    Fe.fromWords(w, 1, back);
    assertEquals(x.mod(P), Fe.value(back));
  }

  @Test
  void operationsMatchBigIntegerOnExtremes() {
    List<long[]> ex = extremes();
    for (long[] a : ex) {
      for (long[] b : ex) {
        checkPair(a, b);
      }
    }
  }

  @Test
  void operationsMatchBigIntegerOnRandomInputs() {
    for (int i = 0; i < 20_000; i++) {
      checkPair(randomWeak(), randomWeak());
    }
  }

  @Test
  void firstFactorMayHaveLimbsBelowTwoToThe55() {
    long max = (1L << 55) - 1;
    for (int i = 0; i < 5_000; i++) {
      long[] a = new long[5];
      for (int j = 0; j < 5; j++) {
        a[j] = i == 0 ? max : (rnd.nextLong() >>> 1) % (max + 1);
      }
      long[] b = i == 0 ? new long[] {Fe.M52, Fe.M52, Fe.M52, Fe.M52, MAX4} : randomWeak();
      long[] r = new long[5];
      Fe.mul(a, b, r);
      assertResidue(Fe.value(a).multiply(Fe.value(b)), r);
    }
  }

  @Test
  void chainedOperationsStayExact() {
    long[] acc = Fe.limbs(BigInteger.valueOf(3));
    BigInteger ref = BigInteger.valueOf(3);
    for (int i = 0; i < 50_000; i++) {
      long[] b = randomWeak();
      BigInteger y = Fe.value(b);
      switch (rnd.nextInt(6)) {
        case 0:
          Fe.mul(acc, b, acc);
          ref = ref.multiply(y);
          break;
        case 1:
          Fe.sqr(acc, acc);
          ref = ref.multiply(ref);
          break;
        case 2:
          Fe.add(acc, b, acc);
          ref = ref.add(y);
          break;
        case 3:
          Fe.sub(acc, b, acc);
          ref = ref.subtract(y);
          break;
        case 4:
          Fe.twice(acc, acc);
          ref = ref.shiftLeft(1);
          break;
        default:
          Fe.negate(acc, acc);
          ref = ref.negate();
      }
      ref = ref.mod(P);
      assertResidue(ref, acc);
    }
  }

  @Test
  void zeroTestAndInversion() {
    assertTrue(Fe.isZero(Fe.limbs(BigInteger.ZERO)));
    assertTrue(Fe.isZero(Fe.limbs(P)));
    assertTrue(Fe.isZero(Fe.limbs(P.shiftLeft(1))));
    assertFalse(Fe.isZero(Fe.limbs(P.add(BigInteger.ONE))));
    assertFalse(Fe.isZero(Fe.limbs(P.subtract(BigInteger.ONE))));
    for (int i = 0; i < 200; i++) {
      long[] a = randomWeak();
      BigInteger x = Fe.value(a).mod(P);
      if (x.signum() == 0) {
        continue;
      }
      long[] r = new long[5];
      Fe.invVar(a, r);
      assertResidue(x.modInverse(P), r);
    }
  }
}
