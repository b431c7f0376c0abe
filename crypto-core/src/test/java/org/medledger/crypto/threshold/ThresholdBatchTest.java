package org.medledger.crypto.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;

/**
 * Shares that carry their proof's commitments (a, b) and the batch rule of docs/protocol.md §10.2:
 * a batch with one bad share names it, the commitment encoding is strict, and the batch accepts
 * what the share-by-share rule accepts.
 */
class ThresholdBatchTest extends DealtCommittee {
  private static final byte[] CTX = Committees.context("disclosure-request/batch");

  ThresholdBatchTest() {
    super(CTX, 271_828L, 5);
  }

  @BeforeAll
  void sharesCarryCommitments() {
    for (int i = 1; i <= 5; i++) {
      assertTrue(good[i].hasCommitments());
    }
  }

  /** Refused the same way by verifyBatch, by both combiners, naming {@code member}. */
  private InvalidShareException refusedEverywhere(List<DecryptionShare> shares, int member) {
    InvalidShareException e = assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verifyBatch(pk, c, CTX, shares, Committees.RND));
    assertEquals("DECRYPTION_SHARE_INVALID", e.code());
    assertEquals(member, e.member());
    InvalidShareException derived = assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, shares));
    assertEquals(member, derived.member());
    InvalidShareException random = assertThrows(InvalidShareException.class,
        () -> Combiner.combine(pk, c, CTX, shares, Committees.RND));
    assertEquals(member, random.member());
    return e;
  }

  /** A share with commitments whose challenge matches (a, b) but whose response is off by {@code delta}. */
  private DecryptionShare responseShifted(DecryptionShare g, BigInteger delta) {
    return new DecryptionShare(g.member(), g.value(), g.challenge(), g.response().add(delta), g.commitmentA(),
        g.commitmentB());
  }

  @Test
  void honestBatchesAreAcceptedAndCombine() {
    PartialDecryption.verifyBatch(pk, c, CTX, allWith(), Committees.RND);
    assertEquals(271_828L, Combiner.combineAmount(pk, c, CTX, allWith()));
    assertEquals(271_828L, Combiner.combineAmount(pk, c, CTX, allWith(), Committees.RND));
    // Shares with and without commitments mix: 1 and 4 from the version-1 encoding.
    List<DecryptionShare> mixed = allWith(DecryptionShare.fromBytes(good[1].toBytes(pk), pk),
        DecryptionShare.fromBytes(good[4].toBytes(pk), pk));
    assertFalse(mixed.get(0).hasCommitments());
    assertEquals(271_828L, Combiner.combineAmount(pk, c, CTX, mixed, Committees.RND));
    PartialDecryption.verifyBatch(pk, c, CTX, mixed.subList(0, 1), Committees.RND);
    PartialDecryption.verifyBatch(pk, c, CTX, List.of(), Committees.RND);
  }

  @Test
  void batchWithOneBadShareNamesIt() {
    // The challenge still matches the commitments, so only the batch equation can catch it.
    DecryptionShare bad = responseShifted(good[4], BigInteger.ONE);
    PartialDecryption.challenge(pk, 4, c.value(), CTX, bad.value(), bad.commitmentA(), bad.commitmentB());
    InvalidShareException e = refusedEverywhere(allWith(bad), 4);
    assertTrue(e.getMessage().contains("proof does not verify"), e.getMessage());
    assertThrows(InvalidShareException.class, () -> PartialDecryption.verify(pk, c, CTX, bad));
    // Two bad shares: the lowest index is named.
    refusedEverywhere(allWith(bad, responseShifted(good[2], BigInteger.ONE.negate())), 2);
  }

  @Test
  void wrongValueUnderARecomputedChallengeIsRefusedByTheEquation() {
    // Member 3 publishes c_3·(1+n) (plaintext off by one) with commitments of its choice and the
    // challenge they give: the transcript check passes, the batch equation fails and names 3.
    DecryptionShare g = good[3];
    BigInteger shifted = g.value().multiply(paillier.gPow(BigInteger.ONE)).mod(nSq);
    BigInteger e = PartialDecryption.challenge(pk, 3, c.value(), CTX, shifted, g.commitmentA(), g.commitmentB());
    BigInteger x = pk.delta().multiply(dealing.shares().get(2).secret(SecretAccess.explicit()));
    BigInteger z = g.response().subtract(g.challenge().multiply(x)).add(e.multiply(x)); // r + e·x
    DecryptionShare forged = new DecryptionShare(3, shifted, e, z, g.commitmentA(), g.commitmentB());
    refusedEverywhere(allWith(forged), 3);
    // The same value with the honest proof fails the transcript check first.
    refusedEverywhere(allWith(new DecryptionShare(3, shifted, g.challenge(), g.response(), g.commitmentA(),
        g.commitmentB())), 3);
  }

  @Test
  void anotherMembersCommitmentsAreRefused() {
    DecryptionShare mixed = new DecryptionShare(3, good[3].value(), good[2].challenge(), good[2].response(),
        good[2].commitmentA(), good[2].commitmentB());
    refusedEverywhere(allWith(mixed), 3);
    DecryptionShare relabelled = new DecryptionShare(3, good[2].value(), good[2].challenge(), good[2].response(),
        good[2].commitmentA(), good[2].commitmentB());
    refusedEverywhere(allWith(relabelled), 3);
  }

  @Test
  void responsesAtAndOverTheBoundAreRefused() {
    DecryptionShare g = good[5];
    BigInteger bound = BigInteger.ONE.shiftLeft(pk.responseBits());
    for (BigInteger z : new BigInteger[] {bound, bound.negate()}) {
      DecryptionShare s = new DecryptionShare(5, g.value(), g.challenge(), z, g.commitmentA(), g.commitmentB());
      InvalidShareException e = refusedEverywhere(allWith(s), 5);
      assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    }
    for (BigInteger z : new BigInteger[] {bound.subtract(BigInteger.ONE), BigInteger.ONE.subtract(bound)}) {
      DecryptionShare s = new DecryptionShare(5, g.value(), g.challenge(), z, g.commitmentA(), g.commitmentB());
      InvalidShareException e = refusedEverywhere(allWith(s), 5);
      assertTrue(e.getMessage().contains("proof does not verify"), e.getMessage());
    }
  }

  @Test
  void commitmentsOutsideTheGroupAreRefusedBeforeAnyExponentiation() {
    DecryptionShare g = good[1];
    BigInteger p = Committees.primes(2048)[0];
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, p, nSq, BigInteger.ONE.negate()}) {
      for (boolean onA : new boolean[] {true, false}) {
        DecryptionShare s = new DecryptionShare(1, g.value(), g.challenge(), g.response(),
            onA ? bad : g.commitmentA(), onA ? g.commitmentB() : bad);
        InvalidShareException e = refusedEverywhere(allWith(s), 1);
        assertTrue(e.getMessage().contains("commitment is not in Z*_{n²}"), e.getMessage());
      }
    }
  }

  @Test
  void aShareUnderAForgedVerificationKeyIsRefusedInABatch() {
    // t = m, so the key's polynomial check cannot apply; the proof binds the forged key's encoding.
    ThresholdDealer.Dealing full = Committees.dealing(2048, 2, 2);
    ThresholdPublicKey genuine = full.publicKey();
    BigInteger x = BigInteger.valueOf(987_654_321);
    BigInteger[] vks = {genuine.v().modPow(genuine.delta().multiply(x), nSq), genuine.verificationKey(2)};
    ThresholdPublicKey fake = ThresholdPublicKey.of(paillier, genuine.v(), 2, 2, genuine.shareBits(), genuine.scale(), vks);
    DecryptionShare lie = PartialDecryption.create(new KeyShare(fake, 1, x), fake, c, CTX, Committees.RND);
    PartialDecryption.verifyBatch(fake, c, CTX, List.of(lie), Committees.RND); // consistent with the forged key only
    DecryptionShare honest2 = PartialDecryption.create(full.shares().get(1), genuine, c, CTX, Committees.RND);
    InvalidShareException e = assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verifyBatch(genuine, c, CTX, List.of(honest2, lie), Committees.RND));
    assertEquals(1, e.member());
    // The forged proof's commitments under the genuine key's transcript: the equation names it.
    BigInteger eGenuine = PartialDecryption.challenge(genuine, 1, c.value(), CTX, lie.value(), lie.commitmentA(),
        lie.commitmentB());
    DecryptionShare rebound = new DecryptionShare(1, lie.value(), eGenuine, lie.response(), lie.commitmentA(),
        lie.commitmentB());
    e = assertThrows(InvalidShareException.class,
        () -> Combiner.combine(genuine, c, CTX, List.of(rebound, honest2), Committees.RND));
    assertEquals(1, e.member());
  }

  @Test
  void aCommitmentUpToSignIsTheSquaredRule() {
    // A prover who publishes −a instead of a (and hashes −a) passes the squared equations; its
    // c_i is the honest one, so the plaintext is right. Its version-1 projection (a recomputed)
    // does not verify: docs/protocol.md §10.2 says which rule applies to which share.
    KeyShare share = dealing.shares().get(1);
    BigInteger x = pk.delta().multiply(share.secret(SecretAccess.explicit()));
    BigInteger c4 = c.value().modPow(BigInteger.valueOf(4), nSq);
    BigInteger r = new BigInteger(pk.nonceBits(), Committees.RND);
    BigInteger a = nSq.subtract(c4.modPow(r, nSq));
    BigInteger b = pk.v().modPow(r, nSq);
    BigInteger e = PartialDecryption.challenge(pk, 2, c.value(), CTX, good[2].value(), a, b);
    DecryptionShare signed = new DecryptionShare(2, good[2].value(), e, r.add(e.multiply(x)), a, b);
    PartialDecryption.verify(pk, c, CTX, signed);
    assertEquals(271_828L, Combiner.combineAmount(pk, c, CTX, allWith(signed), Committees.RND));
    DecryptionShare projected = DecryptionShare.fromBytes(signed.toBytes(pk), pk);
    assertEquals(2, assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verify(pk, c, CTX, projected)).member());
  }

  @Test
  void commitmentEncodingIsStrictAndVersionOneIsUnchanged() {
    DecryptionShare g = good[2];
    byte[] v1 = g.toBytes(pk);
    assertEquals(1, v1[1]);
    assertEquals(DecryptionShare.encodedLength(pk), v1.length);
    byte[] v2 = g.toBytesWithCommitments(pk);
    assertEquals(2, v2[1]);
    assertArrayEquals(Arrays.copyOfRange(v1, 2, v1.length), Arrays.copyOfRange(v2, 2, v1.length));
    DecryptionShare back = DecryptionShare.fromBytes(v2, pk);
    assertTrue(back.hasCommitments());
    assertEquals(g.commitmentA(), back.commitmentA());
    assertEquals(g.commitmentB(), back.commitmentB());
    PartialDecryption.verify(pk, c, CTX, back);
    assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(Arrays.copyOf(v2, v2.length - 1), pk));
    assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(Arrays.copyOf(v2, v2.length + 1), pk));
    byte[] v2Short = v1.clone();
    v2Short[1] = 2; // claims commitments, carries none
    assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(v2Short, pk));
    byte[] v3 = v2.clone();
    v3[1] = 3;
    assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(v3, pk));
    // a ≥ n² does not decode.
    byte[] bigA = v2.clone();
    Arrays.fill(bigA, v1.length, v1.length + pk.paillierKey().bits() / 4, (byte) 0xFF);
    assertEquals("MALFORMED_DECRYPTION_SHARE",
        assertThrows(MalformedInputException.class, () -> DecryptionShare.fromBytes(bigA, pk)).code());
    DecryptionShare plain = DecryptionShare.fromBytes(v1, pk);
    assertFalse(plain.hasCommitments());
    assertThrows(IllegalStateException.class, () -> plain.toBytesWithCommitments(pk));
  }

  @Test
  void aPrecomputedKeyAgreesWithModPow() {
    ThresholdPublicKey fast = ThresholdPublicKey.fromBytes(pk.toBytes());
    assertFalse(fast.isPrecomputed());
    assertTrue(fast.precompute().isPrecomputed());
    assertEquals(pk, fast);
    assertTrue(fast.tableBytes() > 10_000_000L && fast.tableBytes() < 20_000_000L, "about 14 MB at 2048 bits");
    BigInteger top = BigInteger.ONE.shiftLeft(pk.responseBits() + 1).subtract(BigInteger.ONE);
    for (BigInteger x : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, top, top.add(BigInteger.ONE),
        new BigInteger(pk.responseBits(), Committees.RND), new BigInteger(200, Committees.RND).negate()}) {
      assertEquals(pk.v().modPow(x, nSq), fast.vPow(x), x.bitLength() + " bits");
    }
    // Shares made with the table verify without it, and the other way round, in both rules.
    DecryptionShare made = PartialDecryption.create(dealing.shares().get(0), fast, c, CTX, Committees.RND);
    PartialDecryption.verify(pk, c, CTX, made);
    PartialDecryption.verify(pk, c, CTX, DecryptionShare.fromBytes(made.toBytes(pk), pk));
    PartialDecryption.verify(fast, c, CTX, DecryptionShare.fromBytes(good[3].toBytes(pk), pk));
    assertEquals(271_828L, Combiner.combineAmount(fast, c, CTX, allWith(made), Committees.RND));
    DecryptionShare bad = responseShifted(good[4], BigInteger.ONE);
    assertEquals(4, assertThrows(InvalidShareException.class,
        () -> Combiner.combine(fast, c, CTX, allWith(bad))).member());
    DecryptionShare badV1 = DecryptionShare.fromBytes(bad.toBytes(pk), pk);
    assertEquals(4, assertThrows(InvalidShareException.class,
        () -> PartialDecryption.verify(fast, c, CTX, badV1)).member());
  }
}
