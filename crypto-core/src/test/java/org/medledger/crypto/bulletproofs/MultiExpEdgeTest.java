package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.ec.Secp256k1;

/**
 * Adversarial review of the group-law and multi-exponentiation engines on the five-limb field:
 * exceptional cases of the addition law with Z ≠ 1 and with unreduced coordinates, aliasing,
 * empty and one-item buckets, the highest bucket slot, digit extremes, over-full spread buckets,
 * scalars whose GLV half vanishes, and duplicate and opposite bases; all against BouncyCastle.
 */
class MultiExpEdgeTest {
  private static final BigInteger Q = Secp256k1.ORDER;
  private static final BigInteger LAMBDA =
      new BigInteger("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72", 16);
  private final Random rnd = new Random(0xB0C4E7L);

  private BigInteger scalar() {
    return new BigInteger(256, rnd).mod(Q);
  }

  private static ECPoint point(String label) {
    return Secp256k1.hashToCurve("medledger/test/edge/" + label);
  }

  private static JacobianPoint jac(ECPoint p) {
    int[][] xy = FieldOps.affine(p);
    return new JacobianPoint().setAffine(xy[0], xy[1]);
  }

  private static ECPoint bc(JacobianPoint p) {
    return FieldOps.toEcPoint(p).normalize();
  }

  private static ECPoint times(ECPoint p, long k) {
    return p.multiply(BigInteger.valueOf(k)).normalize();
  }

  @Test
  void jacobianExceptionalCasesWithZNotOne() {
    ECPoint p = point("p");
    ECPoint q = point("q");
    int[][] p2 = FieldOps.affine(times(p, 2));
    int[][] m2 = FieldOps.affine(times(p, -2));
    // 2P held with Z ≠ 1, meeting ±2P in affine form.
    assertEquals(times(p, 4), bc(jac(p).twice().addAffine(p2[0], p2[1], false)), "2P + 2P");
    assertTrue(jac(p).twice().addAffine(p2[0], p2[1], true).infinity, "2P − 2P");
    assertEquals(times(p, 4), bc(jac(p).twice().addAffine(m2[0], m2[1], true)), "2P − (−2P)");
    assertTrue(jac(p).twice().addAffine(m2[0], m2[1], false).infinity, "2P + (−2P)");
    // Both operands with Z ≠ 1 and different Z: 3P (via 2P + P) against 3P (via 4P − P).
    int[][] pa = FieldOps.affine(p);
    JacobianPoint threeA = jac(p).twice().addAffine(pa[0], pa[1], false);
    JacobianPoint threeB = jac(p).twice().twice().addAffine(pa[0], pa[1], true);
    assertEquals(times(p, 6), bc(new JacobianPoint().set(threeA).add(threeB)), "3P + 3P, different Z");
    JacobianPoint minusThree = jac(p.negate()).twice().twice().addAffine(pa[0], pa[1], false);
    assertTrue(new JacobianPoint().set(threeA).add(minusThree).infinity, "3P + (−3P), different Z");
    // Aliasing: a point added to itself.
    JacobianPoint self = jac(q).twice();
    assertEquals(times(q, 4), bc(self.add(self)), "J + J (same object)");
    // Infinity in the middle of a chain and on both sides.
    JacobianPoint chain = jac(p).addAffine(pa[0], pa[1], true);
    assertTrue(chain.infinity);
    int[][] qa = FieldOps.affine(q);
    assertEquals(q.negate().normalize(), bc(chain.addAffine(qa[0], qa[1], true)), "O − Q");
    assertEquals(times(q, -2), bc(chain.twice()), "2·(−Q)");
    assertTrue(new JacobianPoint().add(new JacobianPoint()).infinity, "O + O");
    assertTrue(new JacobianPoint().set(new JacobianPoint()).infinity, "set(O)");
    JacobianPoint j = jac(p);
    assertTrue(j.set(new JacobianPoint()).infinity, "finite point set to O");
  }

  @Test
  void affineBatchCompareCoordinatesModuloP() {
    // Slots whose coordinates are unreduced (x + p, y + p, both below 2^257) must still meet the
    // same point as a doubling and the opposite point as a cancellation.
    ECPoint p = point("unreduced");
    ECPoint q = point("other");
    int[] flat = Base.flatten(p, q);
    BigInteger x = p.getAffineXCoord().toBigInteger();
    BigInteger y = p.getAffineYCoord().toBigInteger();
    AffineBatch.Slots s = new AffineBatch.Slots(5);
    for (int i = 0; i < 5; i++) {
      s.x[i] = Fe.limbs(x.add(Fe.P));
      s.y[i] = Fe.limbs(i % 2 == 0 ? y.add(Fe.P) : y);
      s.empty[i] = false;
    }
    s.x[4] = Fe.limbs(x);
    s.y[4] = Fe.limbs(Fe.P.subtract(y).add(Fe.P)); // −P with y unreduced
    AffineBatch b = new AffineBatch(5);
    b.queueAdd(s, 0, flat, 0, false); // P + P
    b.queueAdd(s, 1, flat, 0, true); // P − P
    b.queueAdd(s, 2, flat, 0, true); // P − P
    b.queueAdd(s, 3, flat, 16, false); // P + Q
    b.queueAdd(s, 4, flat, 0, true); // −P − P
    b.flush();
    assertEquals(p.twice().normalize(), FieldOps.toEcPoint(s.x[0], s.y[0]));
    assertTrue(s.empty[1]);
    assertTrue(s.empty[2]);
    assertEquals(p.add(q).normalize(), FieldOps.toEcPoint(s.x[3], s.y[3]));
    assertEquals(p.twice().negate().normalize(), FieldOps.toEcPoint(s.x[4], s.y[4]));
    // A slot set with negation meets the same negated point: a doubling of −P.
    AffineBatch.Slots t = new AffineBatch.Slots(1);
    AffineBatch one = new AffineBatch(1);
    assertFalse(one.queueAdd(t, 0, flat, 0, true)); // empty slot: immediate, batch not full
    assertTrue(one.queueAdd(t, 0, flat, 0, true)); // now full
    one.flush();
    assertEquals(p.twice().negate().normalize(), FieldOps.toEcPoint(t.x[0], t.y[0]));
    assertTrue(one.queueAdd(t, 0, flat, 0, false)); // −2P + P
    one.flush();
    assertEquals(p.negate().normalize(), FieldOps.toEcPoint(t.x[0], t.y[0]));
  }

  @Test
  void bucketMethodEmptyZeroAndSingleItems() {
    ECPoint p = point("b0");
    ShiftTable[] shifts = ShiftTable.build(Base.flatten(p), 1);
    assertTrue(new BucketMultiExp(1).evaluate()[0].infinity, "no terms");
    BucketMultiExp zeros = new BucketMultiExp(3);
    for (int o = 0; o < 3; o++) {
      zeros.add(o, shifts[0], BigInteger.ZERO);
    }
    for (JacobianPoint j : zeros.evaluate()) {
      assertTrue(j.infinity, "all-zero scalars");
    }
    // Single items in every bucket, one at a time: k = d·2^(8t).
    for (int d : new int[] {1, 2, 127, 128}) {
      for (int t : new int[] {0, 1, 31}) {
        BigInteger k = BigInteger.valueOf(d).shiftLeft(8 * t);
        BucketMultiExp one = new BucketMultiExp(1);
        one.add(0, shifts[0], k);
        assertEquals(p.multiply(k).normalize(), bc(one.evaluate()[0]), "k = " + d + "·2^" + (8 * t));
      }
    }
    // The highest slot: output 511 (of 512, the most allowed), bucket 128.
    BucketMultiExp wide = new BucketMultiExp(512);
    BigInteger k128 = BigInteger.valueOf(128);
    wide.add(511, shifts[0], k128);
    wide.add(0, shifts[0], BigInteger.ONE);
    JacobianPoint[] out = wide.evaluate();
    assertEquals(times(p, 128), bc(out[511]), "slot 65535");
    assertEquals(p.normalize(), bc(out[0]), "slot 0");
    for (int o = 1; o < 511; o++) {
      assertTrue(out[o].infinity, "untouched output " + o);
    }
  }

  @Test
  void bucketMethodDigitExtremes() {
    ECPoint[] pts = {point("d0"), point("d1"), point("d2")};
    ShiftTable[] shifts = ShiftTable.build(Base.flatten(pts), 3);
    StringBuilder all128 = new StringBuilder();
    StringBuilder all129 = new StringBuilder();
    StringBuilder allFF = new StringBuilder();
    for (int i = 0; i < 31; i++) {
      all128.append("80");
      all129.append("81");
      allFF.append("ff");
    }
    BigInteger[] ks = {
      new BigInteger(all128.toString(), 16), // every digit +128
      new BigInteger(all129.toString(), 16), // every digit −127 with a carry
      new BigInteger(allFF.toString(), 16), // every digit −1, top digit carried
      Q.subtract(BigInteger.ONE),
      Q.subtract(BigInteger.valueOf(128)),
      BigInteger.ONE.shiftLeft(255),
      LAMBDA,
    };
    for (BigInteger k : ks) {
      BucketMultiExp me = new BucketMultiExp(2);
      for (int i = 0; i < 3; i++) {
        me.add(0, shifts[i], k);
        me.add(1, shifts[i], Q.subtract(k));
      }
      ECPoint expected = ECAlgorithms.sumOfMultiplies(pts, new BigInteger[] {k, k, k}).normalize();
      JacobianPoint[] out = me.evaluate();
      assertEquals(expected, bc(out[0]), k.toString(16));
      assertEquals(expected.negate().normalize(), bc(out[1]), "q − " + k.toString(16));
    }
  }

  @Test
  void spreadBucketsWithManyEqualAndOppositeItems() {
    ECPoint p = point("spread");
    ECPoint q = point("spread2");
    ShiftTable[] shifts = ShiftTable.build(Base.flatten(p, q), 2);
    // 1000 copies of 1·P: bucket 1 holds 1000 items spread over ⌈1000/cap⌉ accumulators, all
    // holding the same multiples of P, so every batch is full of identical doublings.
    BucketMultiExp same = new BucketMultiExp(1);
    for (int i = 0; i < 1000; i++) {
      same.add(0, shifts[0], BigInteger.ONE);
    }
    assertEquals(times(p, 1000), bc(same.evaluate()[0]), "1000·P");
    // Alternating P and −P in one bucket: accumulators empty and refill on every round.
    BucketMultiExp alt = new BucketMultiExp(1);
    for (int i = 0; i < 1001; i++) {
      alt.add(0, shifts[0], i % 2 == 0 ? BigInteger.ONE : Q.subtract(BigInteger.ONE));
    }
    assertEquals(p.normalize(), bc(alt.evaluate()[0]), "501·P − 500·P");
    BucketMultiExp cancel = new BucketMultiExp(1);
    for (int i = 0; i < 600; i++) {
      cancel.add(0, shifts[i % 2], i < 300 ? BigInteger.valueOf(5) : Q.subtract(BigInteger.valueOf(5)));
    }
    assertTrue(cancel.evaluate()[0].infinity, "300 terms cancelled by 300 opposite terms");
    // One full bucket beside random terms, several outputs, crossing the 256-operation batch.
    BigInteger k = scalar();
    BucketMultiExp mixed = new BucketMultiExp(3);
    ECPoint expected = Secp256k1.CURVE.getInfinity();
    for (int i = 0; i < 700; i++) {
      BigInteger ki = i % 3 == 0 ? k : scalar();
      mixed.add(i % 3, shifts[i % 2], ki);
      if (i % 3 == 1) {
        expected = expected.add((i % 2 == 0 ? p : q).multiply(ki));
      }
    }
    JacobianPoint[] out = mixed.evaluate();
    assertEquals(expected.normalize(), bc(out[1]), "random output beside a full bucket");
    long ps = 0;
    long qs = 0;
    for (int i = 0; i < 700; i += 3) {
      if (i % 2 == 0) {
        ps++;
      } else {
        qs++;
      }
    }
    ECPoint zeroOut = p.multiply(k.multiply(BigInteger.valueOf(ps))).add(q.multiply(k.multiply(BigInteger.valueOf(qs))));
    assertEquals(zeroOut.normalize(), bc(out[0]), "repeated scalar over two bases");
  }

  @Test
  void strausAndLockstepWithVanishingGlvHalvesAndDuplicates() {
    ECPoint p = point("glv");
    ECPoint q = point("glv2");
    assertEquals(Secp256k1.G.multiply(LAMBDA).normalize().getAffineYCoord(), Secp256k1.G.getAffineYCoord(),
        "λ is the endomorphism eigenvalue");
    int[] flat = Base.flatten(p, p, p.negate(), q);
    Base[] dyn = Base.dynamic(flat, 4);
    Base[] fixed = Base.fixed(ShiftTable.build(flat, 4), 4);
    BigInteger[] edge = {
      BigInteger.ONE, Q.subtract(BigInteger.ONE), LAMBDA, Q.subtract(LAMBDA), LAMBDA.add(BigInteger.ONE),
      BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE),
      BigInteger.ONE.shiftLeft(224),
    };
    for (BigInteger k : edge) {
      for (Base[] bases : new Base[][] {dyn, fixed}) {
        MultiExp me = new MultiExp(4);
        bases[0].addTo(me, k);
        bases[1].addTo(me, k); // the same point again: every addition meets itself
        bases[3].addTo(me, k);
        assertEquals(p.multiply(k.shiftLeft(1)).add(q.multiply(k)).normalize(), bc(me.evaluate()), k.toString(16));
        MultiExp cancel = new MultiExp(4);
        bases[0].addTo(cancel, k);
        bases[2].addTo(cancel, k); // k·(−P)
        assertTrue(cancel.evaluate().infinity, "k·P + k·(−P), " + k.toString(16));
        LockstepMultiExp lock = new LockstepMultiExp(3);
        bases[0].addTo(lock.output(0), k);
        bases[1].addTo(lock.output(0), k);
        bases[0].addTo(lock.output(1), k);
        bases[2].addTo(lock.output(1), k);
        bases[3].addTo(lock.output(2), k);
        AffineBatch.Slots out = lock.evaluate(Base.flatten(p, p, q.negate()));
        assertEquals(p.multiply(k.shiftLeft(1).add(BigInteger.ONE)).normalize(),
            FieldOps.toEcPoint(out.x[0], out.y[0]), "lock-step 2k·P + P");
        assertEquals(p.normalize(), FieldOps.toEcPoint(out.x[1], out.y[1]), "lock-step 0 + P");
        ECPoint r2 = q.multiply(k.subtract(BigInteger.ONE));
        if (r2.isInfinity()) {
          assertTrue(out.empty[2]);
        } else {
          assertEquals(r2.normalize(), FieldOps.toEcPoint(out.x[2], out.y[2]), "lock-step (k − 1)·Q");
        }
      }
    }
  }

  @Test
  void tablesOfTheGeneratorAndItsSmallMultiples() {
    // Table construction doubles and adds P with itself; the generator and 2G, 3G are the
    // points every implementation gets right or wrong first.
    ECPoint[] pts = {Secp256k1.G, times(Secp256k1.G, 2), times(Secp256k1.G, 3), times(Secp256k1.G, -1)};
    int[] flat = Base.flatten(pts);
    ShiftTable[] shifts = ShiftTable.build(flat, 4);
    for (int i = 0; i < 4; i++) {
      for (int t = 0; t < ShiftTable.DIGITS; t++) {
        int[] d = shifts[i].data();
        ECPoint e = FieldOps.toEcPoint(java.util.Arrays.copyOfRange(d, 16 * t, 16 * t + 8),
            java.util.Arrays.copyOfRange(d, 16 * t + 8, 16 * t + 16));
        assertEquals(pts[i].multiply(BigInteger.ONE.shiftLeft(8 * t)).normalize(), e, "2^(8t)·P, t = " + t);
      }
    }
    PointTable[] tables = PointTable.build(flat, 4, 8);
    for (int i = 0; i < 4; i++) {
      int[] x = new int[8];
      int[] y = new int[8];
      for (int idx = 0; idx < 64; idx++) {
        tables[i].load(idx, x, y);
        assertEquals(pts[i].multiply(BigInteger.valueOf(2L * idx + 1)).normalize(), FieldOps.toEcPoint(x, y));
      }
    }
    // G + 2G + 3G − G − 2G − 3G in one bucket pass.
    BucketMultiExp me = new BucketMultiExp(1);
    BigInteger k = scalar();
    me.add(0, shifts[0], k);
    me.add(0, shifts[1], k);
    me.add(0, shifts[2], Q.subtract(k));
    me.add(0, shifts[3], Q.subtract(k).multiply(BigInteger.TWO.negate()).mod(Q)); // (−G)·(−2(q−k)) = −2k·G
    assertEquals(Secp256k1.G.multiply(k.multiply(BigInteger.valueOf(1 + 2 - 3 - 2))).normalize(),
        bc(me.evaluate()[0]));
  }

  @Test
  void randomGroupLawChainsMatchBouncyCastle() {
    // A long walk mixing Jacobian doubling, mixed and full additions, negations and deliberately
    // equal or opposite operands, compared with BouncyCastle after every step.
    ECPoint[] pool = new ECPoint[6];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = point("walk" + i);
    }
    JacobianPoint j = new JacobianPoint();
    ECPoint ref = Secp256k1.CURVE.getInfinity();
    for (int step = 0; step < 3_000; step++) {
      int op = rnd.nextInt(6);
      ECPoint operand = pool[rnd.nextInt(pool.length)];
      if (op >= 3 && !ref.isInfinity() && rnd.nextBoolean()) {
        operand = rnd.nextBoolean() ? ref : ref.negate(); // force the exceptional cases
      }
      operand = operand.normalize();
      boolean flag = rnd.nextBoolean();
      switch (op) {
        case 0:
          j.twice();
          ref = ref.twice();
          break;
        case 1:
        case 3: {
          int[][] a = FieldOps.affine(operand);
          j.addAffine(a[0], a[1], flag);
          ref = ref.add(flag ? operand.negate() : operand);
          break;
        }
        case 2:
        case 4: {
          // A Jacobian operand with Z ≠ 1: 2·operand − operand, doubled once more if flagged.
          int[][] a = FieldOps.affine(operand);
          JacobianPoint o = jac(operand).twice().addAffine(a[0], a[1], true);
          if (flag) {
            o.twice();
          }
          j.add(o);
          ref = ref.add(flag ? operand.twice() : operand);
          break;
        }
        default: {
          // Unreduced representatives of the same point: x + p and y + 2p.
          long[] ax = new long[5];
          long[] ay = new long[5];
          int[][] a = FieldOps.affine(operand);
          Fe.fromWords(a[0], 0, ax);
          Fe.fromWords(a[1], 0, ay);
          Fe.add(ax, Fe.limbs(Fe.P), ax);
          Fe.sub(ay, Fe.limbs(Fe.P.shiftLeft(1)), ay);
          j.addAffine(ax, ay, flag);
          ref = ref.add(flag ? operand.negate() : operand);
        }
      }
      ref = ref.normalize();
      assertEquals(ref.isInfinity(), j.infinity, "infinity at step " + step);
      if (!ref.isInfinity()) {
        assertEquals(ref, bc(j), "step " + step);
      }
    }
  }

  @Test
  void randomMultiExponentiationsMatchBouncyCastle() {
    ECPoint[] pool = new ECPoint[12];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = point("pool" + i);
    }
    pool[1] = pool[0];
    pool[2] = pool[0].negate().normalize();
    int[] flat = Base.flatten(pool);
    ShiftTable[] shifts = ShiftTable.build(flat, pool.length);
    Base[] dyn = Base.dynamic(flat, pool.length);
    Base[] fixed = Base.fixed(shifts, pool.length);
    BigInteger[] special = {BigInteger.ZERO, BigInteger.ONE, Q.subtract(BigInteger.ONE), LAMBDA, BigInteger.valueOf(128)};
    for (int trial = 0; trial < 60; trial++) {
      int terms = 1 + rnd.nextInt(trial < 30 ? 8 : 200);
      ECPoint[] ps = new ECPoint[terms];
      BigInteger[] ks = new BigInteger[terms];
      int[] idx = new int[terms];
      for (int t = 0; t < terms; t++) {
        idx[t] = rnd.nextInt(trial % 4 == 0 ? 3 : pool.length); // bases 0–2 are ±pool[0]
        ps[t] = pool[idx[t]];
        ks[t] = rnd.nextInt(3) == 0 ? special[rnd.nextInt(special.length)] : scalar();
      }
      if (trial % 4 == 0 && terms > 1) {
        // Make the sum cancel: every term is on ±pool[0], the last one takes minus the rest.
        BigInteger sum = BigInteger.ZERO;
        for (int t = 0; t < terms - 1; t++) {
          sum = sum.add(idx[t] == 2 ? ks[t].negate() : ks[t]);
        }
        idx[terms - 1] = 0;
        ps[terms - 1] = pool[0];
        ks[terms - 1] = sum.negate().mod(Q);
        assertTrue(ECAlgorithms.sumOfMultiplies(ps, ks).isInfinity());
      }
      ECPoint expected = ECAlgorithms.sumOfMultiplies(ps, ks).normalize();
      BucketMultiExp bucket = new BucketMultiExp(1);
      MultiExp straus = new MultiExp(terms);
      LockstepMultiExp lock = new LockstepMultiExp(1);
      for (int t = 0; t < terms; t++) {
        bucket.add(0, shifts[idx[t]], ks[t]);
        (t % 2 == 0 ? dyn : fixed)[idx[t]].addTo(straus, ks[t]);
        (t % 2 == 1 ? dyn : fixed)[idx[t]].addTo(lock.output(0), ks[t]);
      }
      JacobianPoint b = bucket.evaluate()[0];
      JacobianPoint s = straus.evaluate();
      AffineBatch.Slots l = lock.evaluate();
      assertEquals(expected.isInfinity(), b.infinity, "bucket infinity, trial " + trial);
      assertEquals(expected.isInfinity(), s.infinity, "Straus infinity, trial " + trial);
      assertEquals(expected.isInfinity(), l.empty[0], "lock-step infinity, trial " + trial);
      if (!expected.isInfinity()) {
        assertEquals(expected, bc(b), "bucket, trial " + trial);
        assertEquals(expected, bc(s), "Straus, trial " + trial);
        assertEquals(expected, FieldOps.toEcPoint(l.x[0], l.y[0]), "lock-step, trial " + trial);
      }
    }
  }
}
