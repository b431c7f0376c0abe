package org.medledger.chaincode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.ErrorCode;
import org.medledger.protocol.Role;
import org.medledger.embedded.Endorsement;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.NumberTheory;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.testing.TestKeys;

/**
 * The chaincode's static key cache (docs/chaincode.md §1): bounded, thread-safe, and invisible in
 * results — the same transaction gives the same verdict and the same writes with a cold cache, a
 * warm one and one holding the keys' fixed-base tables. Also the stored h_s read back from an
 * account record, and what the read refuses.
 */
class KeyCacheTest {
  private static final SecureRandom RND = new SecureRandom();

  /** A structurally valid 1024-bit public key (n need not be a product of two primes here). */
  private static PaillierPublicKey syntheticKey() {
    BigInteger n;
    do {
      n = new BigInteger(1024, RND).setBit(1023).setBit(0);
    } while (n.bitLength() != KeySize.ofBits(1024).bits());
    BigInteger h = BigInteger.valueOf(3);
    while (NumberTheory.jacobi(h, n) != 1 || !h.gcd(n).equals(BigInteger.ONE)) {
      h = h.add(BigInteger.ONE);
    }
    return PaillierPublicKey.of(n, h);
  }

  private static PaillierPublicKey lookup(KeyCache cache, PaillierPublicKey k, boolean verification) {
    byte[] key = k.toBytes();
    byte[] hs = k.hsToBytes();
    KeyCache.Decoder d = () -> PaillierPublicKey.fromBytes(key).withStoredHs(hs);
    return verification ? cache.keyForVerification(key, hs, d) : cache.key(key, hs, d);
  }

  @Test
  void holdsAtMostItsBoundOfKeysAndEvictsTheLeastRecentlyUsed() {
    KeyCache cache = new KeyCache(3, 0, 2);
    List<PaillierPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      keys.add(syntheticKey());
    }
    PaillierPublicKey first = lookup(cache, keys.get(0), false);
    for (PaillierPublicKey k : keys.subList(1, 5)) {
      lookup(cache, k, false);
      assertTrue(cache.size() <= 3, "size " + cache.size());
    }
    assertEquals(3, cache.size());
    // keys 2, 3, 4 are cached: key 4 comes back as the same object, key 0 was evicted and is decoded anew.
    assertSame(lookup(cache, keys.get(4), false), lookup(cache, keys.get(4), false));
    PaillierPublicKey again = lookup(cache, keys.get(0), false);
    assertNotSame(first, again);
    assertEquals(first, again);
    assertEquals(first.hs(), again.hs());
  }

  @Test
  void buildsATableOnTheSecondVerificationUseAndKeepsTablesWithinTheBudget() {
    PaillierPublicKey a = syntheticKey();
    PaillierPublicKey b = syntheticKey();
    long one = a.tableBytes();
    KeyCache cache = new KeyCache(16, one + one / 2, 2); // room for one table
    assertFalse(lookup(cache, a, true).isPrecomputed());
    assertFalse(lookup(cache, a, false).isPrecomputed()); // plain lookups do not count
    PaillierPublicKey aTabled = lookup(cache, a, true);
    assertTrue(aTabled.isPrecomputed());
    assertEquals(one, cache.tabledBytes());
    assertSame(aTabled, lookup(cache, a, false)); // a plain lookup gets the table too
    lookup(cache, b, true);
    assertTrue(lookup(cache, b, true).isPrecomputed());
    // b's table pushed a (least recently used) out: one table held, within the budget.
    assertEquals(one, cache.tabledBytes());
    assertEquals(1, cache.size());
    assertFalse(lookup(cache, a, true).isPrecomputed());
  }

  @Test
  void aKeyWhoseTableExceedsTheBudgetNeverGetsOne() {
    PaillierPublicKey a = syntheticKey();
    KeyCache cache = new KeyCache(16, a.tableBytes() - 1, 1);
    assertFalse(lookup(cache, a, true).isPrecomputed());
    assertFalse(lookup(cache, a, true).isPrecomputed());
    assertEquals(0, cache.tabledBytes());
  }

  @Test
  void bytesThatDoNotDecodeAreRefusedEveryTimeAndNeverCached() {
    KeyCache cache = new KeyCache(4, 0, 2);
    AtomicInteger decodes = new AtomicInteger();
    KeyCache.Decoder bad = () -> {
      decodes.incrementAndGet();
      throw LedgerException.of(ErrorCode.MALFORMED_KEY, "bad");
    };
    for (int i = 0; i < 3; i++) {
      assertThrows(ChaincodeException.class, () -> cache.key(new byte[] {1, 2, 3}, null, bad));
    }
    assertEquals(3, decodes.get());
    assertEquals(0, cache.size());
  }

  @Test
  void theCacheKeyIsTheExactBytesKeyAndStoredHsTogether() {
    KeyCache cache = new KeyCache(8, 0, 2);
    PaillierPublicKey k = syntheticKey();
    byte[] key = k.toBytes();
    PaillierPublicKey withHs = lookup(cache, k, false);
    // The same key without a stored h_s (a legacy record) is another entry, decoded from its own bytes.
    PaillierPublicKey legacy = cache.key(key, null, () -> PaillierPublicKey.fromBytes(key));
    assertNotSame(withHs, legacy);
    assertEquals(2, cache.size());
    // A corrupted stored h_s is refused, even though the same key with its true h_s is cached.
    byte[] corrupt = Bytes.fixed(k.n(), 2 * k.bits() / 8);
    ChaincodeException e = assertThrows(ChaincodeException.class, () -> cache.key(key, corrupt,
        () -> decodeAsAccount(key, corrupt)));
    assertEquals(ErrorCode.MALFORMED_KEY, LedgerException.codeOf(e));
  }

  private static PaillierPublicKey decodeAsAccount(byte[] key, byte[] hs) {
    Account a = new Account("acct-x", Role.PATIENT, key, new byte[32], "HospitalOrgMSP", "t", "tx", hs);
    return Account.fromJson(a.toJson()).publicKey();
  }

  @Test
  void concurrentLookupsAgreeAndStayWithinTheBounds() throws Exception {
    KeyCache cache = new KeyCache(4, 2 * syntheticKey().tableBytes(), 2);
    List<PaillierPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add(syntheticKey());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 60; i++) {
            PaillierPublicKey k = keys.get((seed + i * 7) % keys.size());
            PaillierPublicKey got = lookup(cache, k, i % 2 == 0);
            BigInteger x = BigInteger.valueOf(1_000_003L * i + seed);
            if (!got.equals(k) || !got.hs().equals(k.hs()) || !got.hsPow(x).equals(k.hs().modPow(x, k.nSquared()))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(cache.size() <= 4);
    assertTrue(cache.tabledBytes() <= 2 * keys.get(0).tableBytes());
  }

  // --------------------------------------------------------------- the stored h_s of an account

  @Test
  void registrationStoresHsAndTheAccountRecordCarriesIt() {
    Channel ch = new Channel().configured().withInstitutions();
    JsonObject acct = CanonicalJson.parseObject(ch.evaluate(ch.hospitalOrg, "accounts:getAccount", ch.hospital.id));
    byte[] hs = Base64.getDecoder().decode(acct.get("paillierHs").getAsString());
    PaillierPublicKey pk = ch.hospital.paillier.publicKey();
    assertArrayEquals(Bytes.fixed(pk.h().modPow(pk.n(), pk.nSquared()), 2 * pk.bits() / 8), hs);
  }

  @Test
  void aStoredHsThatFailsTheReadChecksIsRefusedAsMalformedKey() {
    PaillierPublicKey pk = TestKeys.key2048b().publicKey();
    byte[] key = pk.toBytes();
    int len = 2 * pk.bits() / 8;
    BigInteger minusOne = BigInteger.TWO;
    while (NumberTheory.jacobi(minusOne, pk.n()) != -1) {
      minusOne = minusOne.add(BigInteger.ONE);
    }
    List<byte[]> bad = List.of(
        java.util.Arrays.copyOf(pk.hsToBytes(), len - 1), // wrong size
        Bytes.fixed(pk.n(), len), // not a unit
        Bytes.fixed(BigInteger.ONE, len), // 1
        Bytes.fixed(pk.hs().multiply(minusOne).mod(pk.nSquared()), len)); // Jacobi symbol −1
    for (byte[] hs : bad) {
      Account a = new Account("acct-y" + hs.length, Role.HOSPITAL, key, new byte[32], "HospitalOrgMSP", "t", "tx", hs);
      ChaincodeException e = assertThrows(ChaincodeException.class, () -> Account.fromJson(a.toJson()).publicKey());
      assertEquals(ErrorCode.MALFORMED_KEY, LedgerException.codeOf(e));
    }
    // A legacy record without h_s decodes, and its h_s is the recomputed one.
    Account legacy = new Account("acct-z", Role.HOSPITAL, key, new byte[32], "HospitalOrgMSP", "t", "tx", null);
    JsonObject j = legacy.toJson();
    assertFalse(j.has("paillierHs"));
    assertEquals(pk.hs(), Account.fromJson(j).publicKey().hs());
  }

  // ---------------------------------------------------- the same verdict, cold, warm and tabled

  /** The bundle with the last byte of zβ_B changed: the payee equation (h_s^{zβ_B}) fails, nothing else. */
  private static byte[] withPayeeResponseChanged(byte[] bundle, int bits) {
    ByteBuffer b = ByteBuffer.wrap(bundle);
    int ct = 4 + bits / 4;
    b.position(2 + 3 * ct + 2 * Secp256k1.POINT_BYTES);
    int rl = b.getInt();
    int pos = b.position() + rl + 4 * (bits / 4) + 2 * Secp256k1.POINT_BYTES + 2 * 29 + 2 * (bits / 8);
    int len = ((bundle[pos] & 0xFF) << 8) | (bundle[pos + 1] & 0xFF);
    byte[] out = bundle.clone();
    out[pos + 2 + len - 1] ^= 0x01;
    return out;
  }

  private static String verdict(Endorsement e) {
    return e.succeeded() + " " + e.errorCode() + " " + e.errorMessage() + " " + e.writtenKeys().size() + " " + e.eventName().orElse("-") + " "
        + new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8).replace(e.txId(), "TX");
  }

  @Test
  void aTransferGetsTheSameVerdictWithAColdAWarmAndATabledCache() {
    Channel ch = new Channel().configured().withInstitutions();
    ch.issue(100_000, ch.insurer);
    String good = ch.transferRequest(ch.insurer, ch.hospital, 2_500);
    JsonObject body = CanonicalJson.parseObject(good).getAsJsonObject("body");
    byte[] bundle = Base64.getDecoder().decode(body.get("bundle").getAsString());
    body.addProperty("bundle", Base64.getEncoder().encodeToString(withPayeeResponseChanged(bundle, 2048)));
    String forged = ch.insurer.sign(body);

    List<String> verdicts = new ArrayList<>();
    java.time.Instant at = ch.tick();
    KeyCache.SHARED.clear(); // cold: keys decoded from the ledger, no tables
    for (int round = 0; round < 3; round++) { // round 1 builds the tables, round 2 uses them
      Endorsement ok = ch.ledger.endorse(ch.insurerOrg, at, "money:transfer", good);
      Endorsement bad = ch.ledger.endorse(ch.insurerOrg, at, "money:transfer", forged);
      assertTrue(ok.succeeded(), ok.errorMessage());
      assertEquals("TRANSFER_PROOF_INVALID", bad.errorCode());
      assertTrue(bad.errorMessage().contains("payee copy"), bad.errorMessage());
      verdicts.add(verdict(ok) + " | " + verdict(bad) + " | " + ok.writtenKeys().stream()
          .map(k -> k.replace(ok.txId(), "TX")).sorted().toList());
    }
    assertEquals(verdicts.get(0), verdicts.get(1));
    assertEquals(verdicts.get(0), verdicts.get(2));
    // The payee's and the regulator's keys now carry their tables; the verdicts above did not move.
    assertTrue(KeyCache.SHARED.tabledBytes() > 0);
    assertTrue(ch.submit(ch.insurerOrg, "money:transfer", good).isValid());
  }
}
