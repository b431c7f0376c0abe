package org.medledger.crypto.internal;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Montgomery} and {@link MultiExp} as properties (docs/protocol.md §3.2): for odd moduli of
 * 3 to 6200 bits and raw operands anywhere in the lazy range [0, 2m), the product is a·b·R⁻¹ mod m,
 * stays below 2m and keeps every stored limb a 60-bit value shifted by 2; a multi-exponentiation
 * of up to 8 bases (any size, up to 4m) equals the product of {@code modPow}s.
 */
class MontgomeryProperties {
  private static Arbitrary<BigInteger> oddOfBits(Arbitrary<Integer> bits) {
    return bits.flatMap(b -> Arbitraries.bigIntegers().between(BigInteger.ONE.shiftLeft(b - 1),
        BigInteger.ONE.shiftLeft(b).subtract(BigInteger.ONE))).map(m -> m.setBit(0));
  }

  record Case(BigInteger m, BigInteger a, BigInteger b) {}

  @Provide
  Arbitrary<Case> products() {
    return oddOfBits(Arbitraries.integers().between(3, 6200)).flatMap(m -> {
      Arbitrary<BigInteger> lazy = Arbitraries.bigIntegers().between(BigInteger.ZERO,
          m.shiftLeft(1).subtract(BigInteger.ONE));
      return Combinators.combine(lazy, lazy).as((a, b) -> new Case(m, a, b));
    });
  }

  @Property(tries = 400)
  boolean rawProductIsExactAndBelowTwiceTheModulus(@ForAll("products") Case c) {
    Montgomery mont = new Montgomery(c.m());
    int l = mont.limbs();
    long[] out = mont.newElement();
    mont.mul(Montgomery.toStored(Montgomery.toLimbs(c.a(), l)), Montgomery.toStored(Montgomery.toLimbs(c.b(), l)), out);
    for (long limb : out) {
      if ((limb & 3) != 0 || limb < 0) {
        return false;
      }
    }
    BigInteger got = Montgomery.fromStored(out);
    BigInteger rInv = BigInteger.ONE.shiftLeft(Montgomery.LIMB_BITS * l).modInverse(c.m());
    return got.compareTo(c.m().shiftLeft(1)) < 0
        && got.mod(c.m()).equals(c.a().multiply(c.b()).multiply(rInv).mod(c.m()));
  }

  record Exp(BigInteger m, BigInteger[] bases, BigInteger[] exps) {}

  @Provide
  Arbitrary<Exp> multiExps() {
    Arbitrary<BigInteger> exps = Arbitraries.integers().between(0, 700)
        .flatMap(b -> Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(b)));
    return oddOfBits(Arbitraries.integers().between(3, 2100)).flatMap(mod -> {
      Arbitrary<BigInteger> base = Arbitraries.bigIntegers().between(BigInteger.ZERO, mod.shiftLeft(2));
      return Arbitraries.integers().between(1, 8).flatMap(k -> Combinators.combine(
          base.array(BigInteger[].class).ofSize(k), exps.array(BigInteger[].class).ofSize(k))
          .as((bs, es) -> new Exp(mod, bs, es)));
    });
  }

  @Property(tries = 150)
  boolean multiExpIsTheProductOfModPows(@ForAll("multiExps") Exp x) {
    BigInteger expect = BigInteger.ONE.mod(x.m());
    for (int i = 0; i < x.bases().length; i++) {
      expect = expect.multiply(x.bases()[i].modPow(x.exps()[i], x.m())).mod(x.m());
    }
    return expect.equals(MultiExp.pow(new Montgomery(x.m()), x.bases(), x.exps()));
  }
}
