package org.medledger.crypto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.medledger.crypto.paillier.PaillierSecretKey;

/**
 * Fixed Paillier keys for tests, stored in test resources (generated once by
 * {@code GenerateTestKeys}); they keep the suite fast and the known-answer vectors stable.
 * Synthetic test material only: never use them for anything else.
 */
public final class TestKeys {
  private static final ConcurrentHashMap<String, PaillierSecretKey> CACHE = new ConcurrentHashMap<>();

  private TestKeys() {}

  public static PaillierSecretKey key1024() {
    return load("paillier-1024-a.bin");
  }

  public static PaillierSecretKey key2048a() {
    return load("paillier-2048-a.bin");
  }

  public static PaillierSecretKey key2048b() {
    return load("paillier-2048-b.bin");
  }

  public static PaillierSecretKey key2048c() {
    return load("paillier-2048-c.bin");
  }

  public static PaillierSecretKey key3072() {
    return load("paillier-3072-a.bin");
  }

  private static PaillierSecretKey load(String name) {
    return CACHE.computeIfAbsent(name, n -> {
      try (InputStream in = TestKeys.class.getResourceAsStream("/keys/" + n)) {
        if (in == null) {
          throw new IllegalStateException("missing test key resource " + n);
        }
        return PaillierSecretKey.fromBytes(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
