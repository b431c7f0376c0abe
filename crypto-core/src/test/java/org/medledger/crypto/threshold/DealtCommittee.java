package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * What the share suites ({@code ThresholdBatchTest}, {@code ThresholdReviewTest},
 * {@code ThresholdMaliciousTest}) start from: the 3-of-5 committee of 2048 bits (dealt once per JVM,
 * {@link Committees}), a ciphertext of one amount under its key, and honest shares of it for the
 * suite's context from members 1 to {@code sharers} ({@code good[i]} is member i's; index 0 is unused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DealtCommittee {
  private final byte[] context;
  private final long amount;
  private final int sharers;
  ThresholdDealer.Dealing dealing;
  ThresholdPublicKey pk;
  PaillierPublicKey paillier;
  BigInteger nSq;
  PaillierCiphertext c;
  DecryptionShare[] good;

  DealtCommittee(byte[] context, long amount, int sharers) {
    this.context = context;
    this.amount = amount;
    this.sharers = sharers;
  }

  @BeforeAll
  void deal() {
    dealing = Committees.dealing(2048, 3, 5);
    pk = dealing.publicKey();
    paillier = pk.paillierKey();
    nSq = paillier.nSquared();
    c = paillier.encrypt(amount, Committees.RND);
    good = new DecryptionShare[sharers + 1];
    for (int i = 1; i <= sharers; i++) {
      good[i] = PartialDecryption.create(dealing.shares().get(i - 1), pk, c, context, Committees.RND);
    }
  }

  /** The honest shares with those of the members of {@code bad} replaced by them. */
  List<DecryptionShare> allWith(DecryptionShare... bad) {
    List<DecryptionShare> out = new ArrayList<>();
    for (int i = 1; i <= sharers; i++) {
      DecryptionShare s = good[i];
      for (DecryptionShare b : bad) {
        if (b.member() == i) {
          s = b;
        }
      }
      out.add(s);
    }
    return out;
  }
}
