package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * Any t (or more) of the m members decrypt to the same plaintext, for a 3-of-5 and a 5-of-9
 * committee at 2048 bits. The shares of fixed ciphertexts (0 and a random one) are made once; each try combines a
 * random subset of them in a random order, some with their commitments (batch rule) and some without (the
 * version-1 rule), with SecureRandom or transcript-derived batch weights.
 */
class ThresholdProperties {
  private static final byte[] CTX = Committees.context("disclosure-request/property");
  private static final int[][] SHAPES = {{3, 5}, {5, 9}};
  private static ThresholdPublicKey[] keys;
  private static PaillierCiphertext[][] ciphertexts;
  private static BigInteger[][] plaintexts;
  private static DecryptionShare[][][] shares;

  @BeforeContainer
  static void prepare() {
    keys = new ThresholdPublicKey[SHAPES.length];
    ciphertexts = new PaillierCiphertext[SHAPES.length][2];
    plaintexts = new BigInteger[SHAPES.length][2];
    shares = new DecryptionShare[SHAPES.length][2][];
    for (int s = 0; s < SHAPES.length; s++) {
      ThresholdDealer.Dealing d = Committees.dealing(2048, SHAPES[s][0], SHAPES[s][1]);
      keys[s] = d.publicKey();
      PaillierPublicKey paillier = d.publicKey().paillierKey();
      for (int c = s == 0 ? 0 : 1; c < 2; c++) { // 5-of-9: one ciphertext only, to keep the suite fast
        plaintexts[s][c] = c == 0 ? BigInteger.ZERO : NumberTheory.randomBelow(Committees.RND, paillier.n());
        ciphertexts[s][c] = paillier.encrypt(plaintexts[s][c], Committees.RND);
        shares[s][c] = new DecryptionShare[SHAPES[s][1] + 1];
        for (int i = 1; i <= SHAPES[s][1]; i++) {
          shares[s][c][i] = PartialDecryption.create(d.shares().get(i - 1), keys[s], ciphertexts[s][c], CTX,
              Committees.RND);
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Integer>> subsetOf5() {
    return Arbitraries.integers().between(1, 5).set().ofMinSize(3).ofMaxSize(5).map(ThresholdProperties::shuffled);
  }

  @Provide
  Arbitrary<List<Integer>> subsetOf9() {
    return Arbitraries.integers().between(1, 9).set().ofMinSize(5).ofMaxSize(5).map(ThresholdProperties::shuffled);
  }

  private static List<Integer> shuffled(Set<Integer> s) {
    List<Integer> l = new ArrayList<>(s);
    java.util.Collections.shuffle(l);
    return l;
  }

  /**
   * Member i's share loses its commitments (as if decoded from the version-1 encoding) when bit i
   * of {@code strip} is set; the batch weights come from SecureRandom or from the transcript.
   */
  private static boolean decrypts(int shape, int c, List<Integer> members, int strip, boolean secureRandom) {
    List<DecryptionShare> offered = new ArrayList<>();
    for (int i : members) {
      DecryptionShare s = shares[shape][c][i];
      offered.add((strip >>> i & 1) == 1 ? DecryptionShare.fromBytes(s.toBytes(keys[shape]), keys[shape]) : s);
    }
    BigInteger m = secureRandom
        ? Combiner.combine(keys[shape], ciphertexts[shape][c], CTX, offered, Committees.RND)
        : Combiner.combine(keys[shape], ciphertexts[shape][c], CTX, offered);
    return m.equals(plaintexts[shape][c]);
  }

  @Provide
  Arbitrary<Integer> strips() {
    return Arbitraries.integers().between(0, 1023);
  }

  @Property(tries = 8)
  boolean anyThreeOfFiveDecrypt(@ForAll("subsetOf5") List<Integer> members, @ForAll boolean second,
      @ForAll("strips") int strip, @ForAll boolean secureRandom) {
    return decrypts(0, second ? 1 : 0, members, strip, secureRandom);
  }

  @Property(tries = 5)
  boolean anyFiveOfNineDecrypt(@ForAll("subsetOf9") List<Integer> members, @ForAll("strips") int strip,
      @ForAll boolean secureRandom) {
    return decrypts(1, 1, members, strip, secureRandom);
  }
}
