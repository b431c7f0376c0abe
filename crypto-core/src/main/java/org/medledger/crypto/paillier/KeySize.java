package org.medledger.crypto.paillier;

import org.medledger.crypto.MalformedInputException;

/** The Paillier modulus sizes MedLedger accepts (docs/protocol.md §3.1). */
public enum KeySize {
  /** About 80-bit security; kept only so benchmarks can stand beside the paper. Insecure. */
  INSECURE_1024(1024, 80),
  BITS_2048(2048, 112),
  /** The default. */
  BITS_3072(3072, 128),
  BITS_4096(4096, 152);

  private final int bits;
  private final int securityBits;

  KeySize(int bits, int securityBits) {
    this.bits = bits;
    this.securityBits = securityBits;
  }

  public static final KeySize DEFAULT = BITS_3072;

  public int bits() {
    return bits;
  }

  /** Approximate classical security level (NIST SP 800-57 for factoring-based schemes). */
  public int securityBits() {
    return securityBits;
  }

  public static KeySize ofBits(int bits) {
    for (KeySize s : values()) {
      if (s.bits == bits) {
        return s;
      }
    }
    throw new MalformedInputException("UNSUPPORTED_KEY_SIZE",
        "Paillier modulus of " + bits + " bits; supported: 1024 (insecure), 2048, 3072, 4096");
  }
}
