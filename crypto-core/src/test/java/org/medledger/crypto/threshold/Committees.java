package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.medledger.crypto.testing.TestSafePrimes;

/** Committee keys dealt once per JVM from the fixed safe primes (tests only). */
final class Committees {
  static final SecureRandom RND = new SecureRandom();
  static final byte[] KEY_CONTEXT = "medledger/regulator-committee/test".getBytes(StandardCharsets.UTF_8);
  private static final ConcurrentHashMap<String, ThresholdDealer.Dealing> CACHE = new ConcurrentHashMap<>();

  private Committees() {}

  static ThresholdDealer.Dealing dealing(int keyBits, int t, int m) {
    return CACHE.computeIfAbsent(keyBits + "/" + t + "/" + m, k -> {
      BigInteger[] pq = TestSafePrimes.pair(keyBits / 2);
      return ThresholdDealer.dealFromSafePrimes(pq[0], pq[1], t, m, KEY_CONTEXT, RND);
    });
  }

  static BigInteger[] primes(int keyBits) {
    return TestSafePrimes.pair(keyBits / 2);
  }

  static byte[] context(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
