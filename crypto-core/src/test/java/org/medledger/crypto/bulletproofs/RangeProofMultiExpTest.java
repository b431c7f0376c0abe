package org.medledger.crypto.bulletproofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.ec.Secp256k1;

/**
 * The hand-written group arithmetic and the three multi-exponentiation engines against
 * BouncyCastle's reference implementation, including the exceptional cases of the addition law
 * (equal and opposite operands, infinity) that an adversary could steer a verifier into.
 */
class RangeProofMultiExpTest {
  private static final BigInteger Q = Secp256k1.ORDER;
  private final Random rnd = new Random(20240611L);

  private BigInteger scalar() {
    return new BigInteger(256, rnd).mod(Q);
  }

  private static ECPoint point(String label) {
    return Secp256k1.hashToCurve("medledger/test/" + label);
  }

  private static JacobianPoint jac(ECPoint p) {
    int[][] xy = FieldOps.affine(p);
    return new JacobianPoint().setAffine(xy[0], xy[1]);
  }

  private static ECPoint bc(JacobianPoint p) {
    return FieldOps.toEcPoint(p).normalize();
  }

  @Test
  void jacobianFormulasMatchBouncyCastle() {
    ECPoint p = point("p");
    ECPoint q = point("q");
    int[][] qa = FieldOps.affine(q);
    int[][] pa = FieldOps.affine(p);
    assertEquals(p.twice().normalize(), bc(jac(p).twice()));
    assertEquals(p.add(q).normalize(), bc(jac(p).addAffine(qa[0], qa[1], false)));
    assertEquals(p.subtract(q).normalize(), bc(jac(p).addAffine(qa[0], qa[1], true)));
    // Jacobian operand with Z ≠ 1 on both sides.
    JacobianPoint p3 = jac(p).twice().addAffine(pa[0], pa[1], false);
    JacobianPoint q2 = jac(q).twice();
    assertEquals(p.multiply(BigInteger.valueOf(3)).add(q.twice()).normalize(), bc(new JacobianPoint().set(p3).add(q2)));
    // Exceptional cases.
    assertEquals(p.twice().normalize(), bc(jac(p).addAffine(pa[0], pa[1], false)), "P + P");
    assertTrue(jac(p).addAffine(pa[0], pa[1], true).infinity, "P − P");
    JacobianPoint twoP = jac(p).twice();
    assertEquals(p.multiply(BigInteger.valueOf(4)).normalize(), bc(new JacobianPoint().set(twoP).add(jac(p).twice())), "2P + 2P");
    JacobianPoint minus2P = jac(p.negate()).twice();
    assertTrue(new JacobianPoint().set(twoP).add(minus2P).infinity, "2P + (−2P)");
    assertEquals(p.normalize(), bc(new JacobianPoint().addAffine(pa[0], pa[1], false)), "O + P");
    assertEquals(p.normalize(), bc(new JacobianPoint().add(jac(p))), "O + P (Jacobian)");
    assertEquals(p.normalize(), bc(jac(p).add(new JacobianPoint())), "P + O");
    assertTrue(new JacobianPoint().twice().infinity, "2·O");
  }

  @Test
  void wnafAndRadixDigitsReconstructTheScalar() {
    for (int trial = 0; trial < 200; trial++) {
      BigInteger k = trial == 0 ? BigInteger.ZERO : trial == 1 ? Q.subtract(BigInteger.ONE) : scalar();
      for (int w = 2; w <= 8; w++) {
        byte[] d = Wnaf.of(k, w);
        BigInteger sum = BigInteger.ZERO;
        for (int i = d.length - 1; i >= 0; i--) {
          sum = sum.shiftLeft(1).add(BigInteger.valueOf(d[i]));
          if (d[i] != 0) {
            assertTrue((d[i] & 1) != 0 && Math.abs(d[i]) < (1 << (w - 1)), "digit range");
          }
        }
        assertEquals(k, sum);
      }
      int[] r = ShiftTable.digits(k);
      BigInteger sum = BigInteger.ZERO;
      for (int t = r.length - 1; t >= 0; t--) {
        assertTrue(r[t] >= -127 && r[t] <= 128);
        sum = sum.shiftLeft(8).add(BigInteger.valueOf(r[t]));
      }
      assertEquals(k, sum);
    }
  }

  @Test
  void glvSplitMatchesTheEndomorphism() {
    ECPoint p = point("glv");
    for (int trial = 0; trial < 20; trial++) {
      BigInteger k = scalar();
      BigInteger[] ab = Glv.split(k);
      assertTrue(ab[0].bitLength() <= 129 && ab[1].bitLength() <= 129);
      for (int width : new int[] {Base.DYNAMIC_WIDTH, Base.REUSED_WIDTH}) {
        Base base = Base.dynamic(Base.flatten(p), 1, width)[0];
        assertEquals(p.normalize(), base.toEcPoint());
        MultiExp me = new MultiExp(2);
        base.addTo(me, k);
        assertEquals(p.multiply(k).normalize(), bc(me.evaluate()));
      }
    }
  }

  @Test
  void strausBucketAndLockstepAgreeWithBouncyCastle() {
    int count = 40;
    ECPoint[] pts = new ECPoint[count];
    BigInteger[] ks = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      pts[i] = point("m" + i);
      ks[i] = scalar();
    }
    // Edge scalars and repeated and opposite bases.
    ks[0] = BigInteger.ZERO;
    ks[1] = BigInteger.ONE;
    ks[2] = Q.subtract(BigInteger.ONE);
    pts[3] = pts[4];
    pts[5] = pts[6].negate().normalize();
    ks[5] = ks[6];
    ECPoint expected = ECAlgorithms.sumOfMultiplies(pts, ks).normalize();

    int[] flat = Base.flatten(pts);
    ShiftTable[] shifts = ShiftTable.build(flat, count);
    Base[] fixed = Base.fixed(shifts, count);
    Base[] dynamic = Base.dynamic(flat, count);

    MultiExp straus = new MultiExp(count);
    for (int i = 0; i < count; i++) {
      (i % 2 == 0 ? fixed[i] : dynamic[i]).addTo(straus, ks[i]);
    }
    assertEquals(expected, bc(straus.evaluate()), "Straus");

    BucketMultiExp bucket = new BucketMultiExp(2);
    for (int i = 0; i < count; i++) {
      bucket.add(0, shifts[i], ks[i]);
      bucket.add(1, shifts[i], Q.subtract(ks[i]).mod(Q));
    }
    JacobianPoint[] two = bucket.evaluate();
    assertEquals(expected, bc(two[0]), "bucket");
    assertEquals(expected.negate().normalize(), bc(two[1]), "bucket, negated scalars");

    LockstepMultiExp lock = new LockstepMultiExp(3);
    for (int i = 0; i < count; i++) {
      fixed[i].addTo(lock.output(0), ks[i]);
      dynamic[i].addTo(lock.output(1), ks[i]);
    }
    dynamic[7].addTo(lock.output(2), BigInteger.ONE);
    dynamic[7].addTo(lock.output(2), Q.subtract(BigInteger.ONE)); // P − P = O
    AffineBatch.Slots out = lock.evaluate();
    assertEquals(expected, FieldOps.toEcPoint(out.x[0], out.y[0]), "lock-step, fixed bases");
    assertEquals(expected, FieldOps.toEcPoint(out.x[1], out.y[1]), "lock-step, per-proof bases");
    assertTrue(out.empty[2], "lock-step output that cancels");
  }

  @Test
  void sumsThatCancelGiveInfinity() {
    ECPoint p = point("cancel");
    int[] flat = Base.flatten(p, p);
    ShiftTable[] shifts = ShiftTable.build(flat, 2);
    BigInteger k = scalar();
    BucketMultiExp bucket = new BucketMultiExp(1);
    bucket.add(0, shifts[0], k);
    bucket.add(0, shifts[1], Q.subtract(k));
    assertTrue(bucket.evaluate()[0].infinity);
    MultiExp straus = new MultiExp(2);
    Base[] d = Base.dynamic(flat, 2);
    d[0].addTo(straus, k);
    d[1].addTo(straus, Q.subtract(k));
    assertTrue(straus.evaluate().infinity);
  }

  @Test
  void affineBatchHandlesDoublingAndCancellation() {
    ECPoint p = point("batch");
    ECPoint q = point("batch2");
    int[] flat = Base.flatten(p, p.negate(), q);
    AffineBatch.Slots s = new AffineBatch.Slots(4);
    AffineBatch b = new AffineBatch(4);
    for (int i = 0; i < 4; i++) {
      b.queueAdd(s, i, flat, 0, false); // empty + P = P (immediate)
    }
    b.queueAdd(s, 0, flat, 0, false); // P + P
    b.queueAdd(s, 1, flat, 16, false); // P + (−P)
    b.queueAdd(s, 2, flat, 32, false); // P + Q
    b.queueAdd(s, 3, flat, 0, true); // P − P via negation
    b.flush();
    assertEquals(p.twice().normalize(), FieldOps.toEcPoint(s.x[0], s.y[0]));
    assertTrue(s.empty[1]);
    assertEquals(p.add(q).normalize(), FieldOps.toEcPoint(s.x[2], s.y[2]));
    assertTrue(s.empty[3]);
    b.queueDouble(s, 2);
    b.queueDouble(s, 1); // 2·O
    b.flush();
    assertEquals(p.add(q).twice().normalize(), FieldOps.toEcPoint(s.x[2], s.y[2]));
    assertTrue(s.empty[1]);
  }

  @Test
  void innerProductScheduleIsValid() {
    for (int total = 8; total <= BulletproofGenerators.CAPACITY; total *= 2) {
      boolean[] plan = InnerProductProver.plan(total);
      assertEquals(Integer.numberOfTrailingZeros(total), plan.length);
      assertTrue(!plan[0]);
    }
  }

  @Test
  void bucketTreeSumsHandleEqualOppositeAndOddCounts() {
    // The same base added three, five and seven times: every digit lands three, five or seven
    // times in one bucket, so the pairwise tree meets equal points (doublings), odd counts
    // (a point carried to the next level) and, with q − k, points that cancel.
    ECPoint p = point("tree");
    ShiftTable[] shifts = ShiftTable.build(Base.flatten(p), 1);
    BigInteger k = scalar();
    for (int times : new int[] {2, 3, 5, 7}) {
      BucketMultiExp bucket = new BucketMultiExp(2);
      for (int i = 0; i < times; i++) {
        bucket.add(0, shifts[0], k);
        bucket.add(1, shifts[0], k);
      }
      bucket.add(1, shifts[0], Q.subtract(k)); // one copy cancels
      JacobianPoint[] out = bucket.evaluate();
      assertEquals(p.multiply(k.multiply(BigInteger.valueOf(times))).normalize(), bc(out[0]), times + "·k·P");
      assertEquals(p.multiply(k.multiply(BigInteger.valueOf(times - 1))).normalize(), bc(out[1]), (times - 1) + "·k·P");
    }
  }

  @Test
  void batchedScalarInversionMatchesModInverse() {
    BigInteger[] x = {BigInteger.ONE, Q.subtract(BigInteger.ONE), BigInteger.TWO, scalar(), scalar(), scalar()};
    BigInteger[] inv = Scalars.invAll(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i].modInverse(Q), inv[i], "inverse " + i);
    }
    assertEquals(BigInteger.ONE.modInverse(Q), Scalars.invAll(BigInteger.ONE)[0]);
    org.junit.jupiter.api.Assertions.assertThrows(
        ArithmeticException.class, () -> Scalars.invAll(scalar(), BigInteger.ZERO, scalar()));
  }

  @Test
  void knownMultiplesOfTheGenerator() {
    // Published coordinates (SEC 2 test data), independent of BouncyCastle.
    ECPoint g = Secp256k1.G.normalize();
    int[][] xy = FieldOps.affine(g);
    JacobianPoint two = new JacobianPoint().setAffine(xy[0], xy[1]).twice();
    assertEquals(
        new BigInteger("C6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5", 16),
        FieldOps.toEcPoint(two).normalize().getAffineXCoord().toBigInteger(), "x(2G)");
    JacobianPoint three = new JacobianPoint().set(two).addAffine(xy[0], xy[1], false);
    assertEquals(
        new BigInteger("F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9", 16),
        FieldOps.toEcPoint(three).normalize().getAffineXCoord().toBigInteger(), "x(3G)");
    // 7G = 2·(2G + G) + G through the Jacobian addition law too.
    JacobianPoint seven = new JacobianPoint().set(three).twice();
    seven.add(new JacobianPoint().setAffine(xy[0], xy[1]));
    assertEquals(
        new BigInteger("5CBDF0646E5DB4EAA398F365F2EA7A0E3D419B7E0330E39CE92BDDEDCAC4F9BC", 16),
        FieldOps.toEcPoint(seven).normalize().getAffineXCoord().toBigInteger(), "x(7G)");
    // (q − 1)·G = −G by the Straus engine with the GLV split.
    Base[] b = Base.dynamic(Base.flatten(g), 1);
    MultiExp me = new MultiExp(2);
    b[0].addTo(me, Secp256k1.ORDER.subtract(BigInteger.ONE));
    assertEquals(g.negate().normalize(), FieldOps.toEcPoint(me.evaluate()).normalize(), "(q − 1)·G");
  }
}
