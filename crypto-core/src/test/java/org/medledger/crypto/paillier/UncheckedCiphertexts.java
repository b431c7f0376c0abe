package org.medledger.crypto.paillier;

import java.math.BigInteger;

/** Builds ciphertext objects without validation, so tests can hand forged ones to verifiers. */
public final class UncheckedCiphertexts {
  private UncheckedCiphertexts() {}

  public static PaillierCiphertext of(BigInteger value, int keyBits) {
    return new PaillierCiphertext(value, keyBits);
  }
}
