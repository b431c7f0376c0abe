package org.medledger.crypto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Two fixed safe primes p = 2p'+1, q = 2q'+1 per size (found once with {@code SafePrimes}), so
 * threshold-Paillier tests deal committee keys of 2048 and 3072 bits without a safe-prime search.
 * Synthetic test material only: the factors are public, so nothing dealt from them is secret.
 */
public final class TestSafePrimes {
  private TestSafePrimes() {}

  /** {p, q} of {@code bits} bits each (1024 or 1536), for a modulus of 2·bits. */
  public static BigInteger[] pair(int bits) {
    try (InputStream in = TestSafePrimes.class.getResourceAsStream("/threshold/safe-primes-" + bits + ".txt")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource threshold/safe-primes-" + bits + ".txt");
      }
      String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      return new BigInteger[] {new BigInteger(lines[0], 16), new BigInteger(lines[1], 16)};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
