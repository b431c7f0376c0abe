package org.medledger.crypto.paillier;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;

/**
 * A Paillier ciphertext: an element of Z*_{n²} for the key it was made under. Instances are only
 * created through a {@link PaillierPublicKey}, which validates membership.
 */
public final class PaillierCiphertext {
  static final byte TYPE = 0x02;
  static final byte VERSION = 1;

  private final BigInteger value;
  private final int bits;

  PaillierCiphertext(BigInteger value, int bits) {
    this.value = value;
    this.bits = bits;
  }

  /** The integer c in [1, n²). */
  public BigInteger value() {
    return value;
  }

  /** Modulus size of the key this ciphertext belongs to. */
  public int keyBits() {
    return bits;
  }

  /** Canonical binary encoding: type, version, u16 key bits, c as exactly 2·bits/8 bytes. */
  public byte[] toBytes() {
    int len = 2 * bits / 8;
    byte[] out = new byte[4 + len];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (bits >>> 8);
    out[3] = (byte) bits;
    System.arraycopy(Bytes.fixed(value, len), 0, out, 4, len);
    return out;
  }

  /** Decodes and validates against {@code key}: version, size, and c ∈ Z*_{n²}. */
  public static PaillierCiphertext fromBytes(byte[] encoded, PaillierPublicKey key) {
    int bits = EncodingHeader.read(encoded, TYPE, VERSION, "MALFORMED_CIPHERTEXT", "Paillier ciphertext");
    if (bits != key.bits()) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT",
          "ciphertext is for a " + bits + "-bit key, expected " + key.bits());
    }
    if (encoded.length != 4 + 2 * bits / 8) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "ciphertext has the wrong length");
    }
    return key.ciphertext(new BigInteger(1, Arrays.copyOfRange(encoded, 4, encoded.length)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaillierCiphertext c && c.bits == bits && c.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    String hex = value.toString(16);
    return "PaillierCiphertext[" + bits + " bits, " + hex.substring(0, Math.min(16, hex.length())) + "…]";
  }
}
