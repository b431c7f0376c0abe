package org.medledger.cli;

import java.util.Base64;
import java.util.HexFormat;
import org.medledger.crypto.internal.EncodingHeader;

/** How the command line shows a Paillier ciphertext it cannot read: a short preview, never the whole value. */
public final class Ciphertexts {
  private Ciphertexts() {}

  /** A short view of a base64-encoded Paillier ciphertext: the first and last bytes of c, and its size. */
  public static String preview(String base64) {
    byte[] b = Base64.getDecoder().decode(base64);
    int from = Math.min(EncodingHeader.LENGTH, b.length); // type, version, key size
    HexFormat hex = HexFormat.of();
    return "c = 0x" + hex.formatHex(b, from, Math.min(from + 6, b.length)) + "..." + hex.formatHex(b, Math.max(from, b.length - 3), b.length)
        + " (" + 8 * (b.length - from) + "-bit)";
  }
}
