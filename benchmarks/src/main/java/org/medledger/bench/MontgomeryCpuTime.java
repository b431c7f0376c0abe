package org.medledger.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.medledger.crypto.internal.FixedBaseTable;
import org.medledger.crypto.internal.Montgomery;
import org.medledger.crypto.internal.MultiExp;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Thread CPU time of one modular product modulo n² (and n) by each method the transfer
 * verification can use (docs/performance.md, "Montgomery products in Java"):
 * <ul>
 *   <li>{@code mont.mul}: crypto-core's {@link Montgomery} (60-bit limbs);</li>
 *   <li>{@code legacy_table_product}: the product the fixed-base table used before it, three
 *       {@code BigInteger} multiplications with Montgomery reduction (replicated here);</li>
 *   <li>{@code multiply_mod}: {@code a.multiply(b).mod(m)};</li>
 *   <li>{@code modpow_square_step}: one squaring inside {@code BigInteger.modPow} (with the JDK's
 *       Montgomery intrinsic), by difference: (t(x^(2^4096)) − t(x^(2^1024))) / 3072, which
 *       removes modPow's fixed costs (conversions, window table);</li>
 *   <li>{@code modpow_nth_power_per_step}: the n-th power x^n mod n² divided by its step count
 *       |n| + |n|/7 + 32 (squarings, window products, table of a 6-bit window);</li>
 * </ul>
 * and whole operations: h_s^z (z of ⌈k/2⌉ + 209 bits) by the old and the new fixed-base table, and
 * the single transfer's payer-key right-hand side a1·C_A^e·(a2·C_new^e)^δ by three {@code modPow}s
 * against one {@link MultiExp}. Products are in µs per product (median of 31 samples of a batch),
 * whole operations in ms.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.medledger.bench.MontgomeryCpuTime [bits...]}
 */
public final class MontgomeryCpuTime {
  private static final SecureRandom RND = new SecureRandom();
  private static volatile Object sink;

  private MontgomeryCpuTime() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {2048, 3072} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    for (int bits : sizes) {
      PaillierPublicKey pk = BenchKeys.get("payer", bits).publicKey();
      products("n2", bits, pk.nSquared(), pk.n());
      products("n", bits, pk.n(), null);
      operations(bits, pk);
    }
  }

  private static void products(String label, int bits, BigInteger m, BigInteger nthExponent) throws Exception {
    Montgomery mont = new Montgomery(m);
    BigInteger a = new BigInteger(m.bitLength() + 64, RND).mod(m);
    BigInteger b = new BigInteger(m.bitLength() + 64, RND).mod(m);
    long[] am = mont.toMontgomery(a);
    long[] bm = mont.toMontgomery(b);
    long[] out = mont.newElement();
    int reps = 200;
    report(label, bits, "mont.mul_us", perOp(() -> {
      for (int i = 0; i < reps; i++) {
        mont.mul(am, bm, out);
      }
    }, reps));
    LegacyTable legacy = new LegacyTable(m);
    BigInteger al = legacy.toMont(a);
    BigInteger bl = legacy.toMont(b);
    report(label, bits, "legacy_table_product_us", perOp(() -> {
      for (int i = 0; i < reps; i++) {
        sink = legacy.montMul(al, bl);
      }
    }, reps));
    report(label, bits, "multiply_mod_us", perOp(() -> {
      for (int i = 0; i < reps; i++) {
        sink = a.multiply(b).mod(m);
      }
    }, reps));
    BigInteger e1 = BigInteger.ONE.shiftLeft(1024);
    BigInteger e2 = BigInteger.ONE.shiftLeft(4096);
    double t1 = perOp(() -> sink = a.modPow(e1, m), 1);
    double t2 = perOp(() -> sink = a.modPow(e2, m), 1);
    report(label, bits, "modpow_square_step_us", (t2 - t1) / 3072);
    if (nthExponent != null) {
      int k = nthExponent.bitLength();
      double t = perOp(() -> sink = a.modPow(nthExponent, m), 1);
      report(label, bits, "modpow_nth_power_ms", t / 1000);
      report(label, bits, "modpow_nth_power_per_step_us", t / (k + k / 7.0 + 32));
    }
  }

  private static void operations(int bits, PaillierPublicKey pk) throws Exception {
    BigInteger n2 = pk.nSquared();
    BigInteger hs = pk.hs();
    int maxBits = pk.rhoBits() + PaillierPublicKey.RESPONSE_SLACK_BITS;
    FixedBaseTable table = new FixedBaseTable(hs, n2, maxBits, 7);
    LegacyTable legacy = new LegacyTable(n2);
    BigInteger[][] legacyRows = legacy.table(hs, maxBits, 7);
    BigInteger z = new BigInteger(maxBits - 1, RND);
    if (!table.pow(z).equals(legacy.pow(legacyRows, z, 7)) || !table.pow(z).equals(hs.modPow(z, n2))) {
      throw new IllegalStateException("tables disagree");
    }
    report("n2", bits, "hs_pow_legacy_table_ms", perOp(() -> sink = legacy.pow(legacyRows, z, 7), 1) / 1000);
    report("n2", bits, "hs_pow_new_table_ms", perOp(() -> sink = table.pow(z), 1) / 1000);

    BigInteger a1 = new BigInteger(n2.bitLength() + 64, RND).mod(n2);
    BigInteger a2 = new BigInteger(n2.bitLength() + 64, RND).mod(n2);
    BigInteger cA = new BigInteger(n2.bitLength() + 64, RND).mod(n2);
    BigInteger cNew = new BigInteger(n2.bitLength() + 64, RND).mod(n2);
    BigInteger e = new BigInteger(128, RND);
    BigInteger delta = new BigInteger(128, RND);
    java.util.function.Supplier<BigInteger> three = () -> {
      BigInteger second = a2.multiply(cNew.modPow(e, n2)).mod(n2).modPow(delta, n2);
      return a1.multiply(cA.modPow(e, n2)).mod(n2).multiply(second).mod(n2);
    };
    java.util.function.Supplier<BigInteger> multi = () -> MultiExp.pow(new Montgomery(n2),
        new BigInteger[] {a1, cA, a2, cNew}, new BigInteger[] {BigInteger.ONE, e, delta, e.multiply(delta)});
    if (!three.get().equals(multi.get())) {
      throw new IllegalStateException("multi-exponentiation disagrees");
    }
    report("n2", bits, "payer_rhs_three_modpow_ms", perOp(() -> sink = three.get(), 1) / 1000);
    report("n2", bits, "payer_rhs_multiexp_ms", perOp(() -> sink = multi.get(), 1) / 1000);
  }

  private static void report(String label, int bits, String what, double v) {
    System.out.printf("montgomery bits=%d modulus=%s %s=%.3f%n", bits, label, what, v);
  }

  /** Median thread CPU time of one call of {@code op} divided by {@code per}, in µs. */
  private static double perOp(CpuTimeHarness.Operation op, int per) throws Exception {
    double[] ms = CpuTimeHarness.measure(op, 15, 31);
    return ms[15] * 1000 / per;
  }

  /** The fixed-base table's arithmetic before 60-bit limbs: BigInteger products with Montgomery reduction. */
  private static final class LegacyTable {
    private final BigInteger modulus;
    private final int rBits;
    private final BigInteger rMask;
    private final BigInteger nPrime;

    LegacyTable(BigInteger modulus) {
      this.modulus = modulus;
      this.rBits = ((modulus.bitLength() + 31) / 32) * 32;
      BigInteger r = BigInteger.ONE.shiftLeft(rBits);
      this.rMask = r.subtract(BigInteger.ONE);
      this.nPrime = modulus.negate().modInverse(r);
    }

    BigInteger toMont(BigInteger x) {
      return x.shiftLeft(rBits).mod(modulus);
    }

    BigInteger montMul(BigInteger a, BigInteger b) {
      return redc(a.multiply(b));
    }

    BigInteger redc(BigInteger t) {
      BigInteger m = t.and(rMask).multiply(nPrime).and(rMask);
      BigInteger u = t.add(m.multiply(modulus)).shiftRight(rBits);
      return u.compareTo(modulus) >= 0 ? u.subtract(modulus) : u;
    }

    BigInteger[][] table(BigInteger base, int maxBits, int window) {
      int windows = (maxBits + window - 1) / window;
      int digits = 1 << window;
      BigInteger[][] t = new BigInteger[windows][digits];
      BigInteger b = toMont(base);
      for (int i = 0; i < windows; i++) {
        t[i][1] = b;
        for (int d = 2; d < digits; d++) {
          t[i][d] = montMul(t[i][d - 1], b);
        }
        b = montMul(t[i][digits - 1], b);
      }
      return t;
    }

    BigInteger pow(BigInteger[][] t, BigInteger e, int window) {
      BigInteger acc = null;
      int windows = (e.bitLength() + window - 1) / window;
      for (int i = 0; i < windows; i++) {
        int d = 0;
        for (int j = window - 1; j >= 0; j--) {
          d = (d << 1) | (e.testBit(i * window + j) ? 1 : 0);
        }
        if (d != 0) {
          acc = acc == null ? t[i][d] : montMul(acc, t[i][d]);
        }
      }
      return acc == null ? BigInteger.ONE.mod(modulus) : redc(acc);
    }
  }
}
