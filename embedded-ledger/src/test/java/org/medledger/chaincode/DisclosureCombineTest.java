package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.testing.TestSafePrimes;
import org.medledger.crypto.threshold.DecryptionShare;
import org.medledger.crypto.threshold.PartialDecryption;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.ErrorCode;

/**
 * How {@code committee:share} maps a failed combination (docs/chaincode.md §10.3): the t-th share
 * is verified only inside the combination, so a failure naming the new member is SHARE_INVALID,
 * and one naming a share stored earlier (each verified alone when stored) is no refusal of the
 * caller but a state the contract never writes.
 */
class DisclosureCombineTest {
  private static final SecureRandom RND = new SecureRandom();
  private static final byte[] CONTEXT = "disclosure combine test".getBytes(StandardCharsets.UTF_8);
  private static ThresholdPublicKey pk;
  private static PaillierCiphertext c;
  private static List<DecryptionShare> honest;

  @BeforeAll
  static void deal() {
    BigInteger[] pq = TestSafePrimes.pair(1024);
    ThresholdDealer.Dealing dealing = ThresholdDealer.dealFromSafePrimes(pq[0], pq[1], 3, 5,
        "combine test".getBytes(StandardCharsets.UTF_8), RND);
    pk = dealing.publicKey();
    c = pk.paillierKey().encrypt(BigInteger.valueOf(700), RND);
    honest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      honest.add(PartialDecryption.create(dealing.shares().get(i), pk, c, CONTEXT, RND));
    }
  }

  /** Member {@code i}'s share with c_i·(1+n): a plaintext off by one under the member's unchanged proof. */
  private static DecryptionShare forged(int i) {
    byte[] s = honest.get(i - 1).toBytesWithCommitments(pk);
    BigInteger n = pk.paillierKey().n();
    BigInteger ci = new BigInteger(1, Arrays.copyOfRange(s, 6, 6 + 512));
    byte[] b = ci.multiply(n.add(BigInteger.ONE)).mod(n.multiply(n)).toByteArray();
    Arrays.fill(s, 6, 6 + 512, (byte) 0);
    int len = Math.min(b.length, 512);
    System.arraycopy(b, b.length - len, s, 6 + 512 - len, len);
    return DecryptionShare.fromBytes(s, pk);
  }

  private static List<DecryptionShare> with(int member, DecryptionShare s) {
    List<DecryptionShare> out = new ArrayList<>(honest);
    out.set(member - 1, s);
    return out;
  }

  @Test
  void honestSharesCombine() {
    assertEquals(BigInteger.valueOf(700), Disclosures.combine(pk, c, CONTEXT, honest, 3));
  }

  @Test
  void theNewMembersInvalidShareIsShareInvalid() {
    for (int member = 1; member <= 3; member++) {
      int m = member;
      ChaincodeException e = assertThrows(ChaincodeException.class,
          () -> Disclosures.combine(pk, c, CONTEXT, with(m, forged(m)), m));
      assertEquals(ErrorCode.SHARE_INVALID, LedgerException.codeOf(e), e.getMessage());
    }
  }

  @Test
  void aStoredShareThatFailsIsNotBlamedOnTheCaller() {
    // Member 1's stored share is bad (the contract never stores one), member 3 shares last.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Disclosures.combine(pk, c, CONTEXT, with(1, forged(1)), 3));
    assertTrue(e.getMessage().startsWith("a stored share no longer verifies") && e.getMessage().contains("member 1:"),
        e.getMessage());
  }
}
