package org.medledger.bench;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;

/** Keys generated once per benchmark JVM, by role and size. */
final class BenchKeys {
  private static final ConcurrentHashMap<String, PaillierSecretKey> KEYS = new ConcurrentHashMap<>();
  static final SecureRandom RANDOM = new SecureRandom();

  private BenchKeys() {}

  static PaillierSecretKey get(String role, int bits) {
    return KEYS.computeIfAbsent(role + bits,
        r -> new PaillierKeyGenerator(RANDOM).generate(KeySize.ofBits(bits)));
  }
}
