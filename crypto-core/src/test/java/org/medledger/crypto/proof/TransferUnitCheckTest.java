package org.medledger.crypto.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.paillier.UncheckedCiphertexts;
import org.medledger.crypto.testing.TestKeys;

/**
 * Group membership of the bundle's elements (docs/protocol.md §4.3): the verifier checks coprimality
 * with one gcd per key on a product, then names the first non-unit. A malicious payer puts a
 * multiple of a key's prime factor (in range, so only the gcd can see it) in each slot.
 */
class TransferUnitCheckTest {
  private final SecureRandom rnd = new SecureRandom();
  private final PaillierSecretKey payer = TestKeys.key2048a();
  private final PaillierSecretKey payee = TestKeys.key2048b();
  private final PaillierSecretKey regulator = TestKeys.key2048c();
  private final TransferContext ctx = new TransferContext("medchannel", "medledger", "acct-A", "acct-B", 5);

  private TransferStatement statement() {
    PaillierCiphertext old = payer.publicKey().encrypt(1_000_000L, rnd);
    return new TransferStatement(payer.publicKey(), payee.publicKey(), regulator.publicKey(), old, ctx);
  }

  /** A non-unit below n (or n²) of the key: p·r for a random r, p the key's factor. */
  private BigInteger nonUnit(PaillierSecretKey k, boolean modSquare) {
    BigInteger p = k.p(SecretAccess.explicit());
    BigInteger bound = modSquare ? k.publicKey().nSquared() : k.publicKey().n();
    BigInteger r = new BigInteger(bound.bitLength() - p.bitLength() - 1, rnd).setBit(0);
    BigInteger x = p.multiply(r);
    assertTrue(x.signum() > 0 && x.compareTo(bound) < 0 && !x.gcd(k.publicKey().n()).equals(BigInteger.ONE));
    return x;
  }

  private static final String[] SLOTS = {"w1", "w2", "a1", "a2", "aB", "aR", "C_A", "C_B", "C_R"};

  /** The bundle with slot {@code s} replaced by {@code v}. */
  private static TransferProof with(TransferProof p, String s, BigInteger v, int bits) {
    BigInteger[] x = {p.w1, p.w2, p.a1, p.a2, p.aB, p.aR, p.cA.value(), p.cB.value(), p.cR.value()};
    for (int i = 0; i < SLOTS.length; i++) {
      if (SLOTS[i].equals(s)) {
        x[i] = v;
      }
    }
    return new TransferProof(UncheckedCiphertexts.of(x[6], bits), UncheckedCiphertexts.of(x[7], bits),
        UncheckedCiphertexts.of(x[8], bits), p.vT, p.vN, p.range, x[2], x[3], x[4], x[5], p.ecT, p.ecN, p.zT, p.zN,
        x[0], x[1], p.zBetaB, p.zBetaR, p.zKappaT, p.zKappaN);
  }

  private PaillierSecretKey owner(String slot) {
    return switch (slot) {
      case "aB", "C_B" -> payee;
      case "aR", "C_R" -> regulator;
      default -> payer;
    };
  }

  private static void assertRefused(TransferProof p, TransferStatement st, String fragment) {
    ProofException e = assertThrows(ProofException.class, () -> p.verify(st));
    assertEquals("TRANSFER_PROOF_INVALID", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void aNonUnitInAnySlotIsRefusedAndNamed() {
    TransferStatement st = statement();
    TransferProof honest = TransferProof.prove(st, payer, 4_321L, rnd);
    honest.verify(st);
    for (String slot : SLOTS) {
      boolean modSquare = !slot.startsWith("w");
      TransferProof bad = with(honest, slot, nonUnit(owner(slot), modSquare), 2048);
      assertRefused(bad, st, slot + " is not a unit");
    }
  }

  @Test
  void aValueThatIsAUnitOfAnotherKeyIsStillCheckedAgainstItsOwn() {
    TransferStatement st = statement();
    TransferProof honest = TransferProof.prove(st, payer, 99L, rnd);
    // A multiple of the payer's factor, placed under the payee's key: a unit there, so accepted by the
    // membership check (and refused later by the equations), while the same value as a1 is refused.
    BigInteger x = nonUnit(payer, true);
    assertTrue(x.gcd(payee.publicKey().n()).equals(BigInteger.ONE));
    ProofException e = assertThrows(ProofException.class, () -> with(honest, "aB", x, 2048).verify(st));
    assertTrue(!e.getMessage().contains("not a unit"), e.getMessage());
    assertRefused(with(honest, "a1", x, 2048), st, "a1 is not a unit");
  }

  @Test
  void twoNonUnitsNameTheFirstInCheckOrder() {
    TransferStatement st = statement();
    TransferProof honest = TransferProof.prove(st, payer, 5L, rnd);
    TransferProof two = with(with(honest, "C_R", nonUnit(regulator, true), 2048), "a2", nonUnit(payer, true), 2048);
    assertRefused(two, st, "a2 is not a unit");
    // Zero and out-of-range values are refused as before.
    assertRefused(with(honest, "w2", BigInteger.ZERO, 2048), st, "w2 is not a unit");
    assertRefused(with(honest, "a1", payer.publicKey().nSquared(), 2048), st, "a1 is not a unit");
    assertRefused(with(honest, "w1", payer.publicKey().n().add(BigInteger.ONE), 2048), st, "w1 is not a unit");
  }
}
