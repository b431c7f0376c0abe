package org.medledger.crypto.internal;

import org.medledger.crypto.MalformedInputException;
/**
 * The prefix every binary encoding of crypto-core starts with (docs/protocol.md §3.3): a type
 * byte, a version byte and a u16 size in bits. One reader keeps the checks identical everywhere.
 */
public final class EncodingHeader {
  /** Bytes of the header. */
  public static final int LENGTH = 4;

  private EncodingHeader() {}

  /** The header bytes for an encoding of {@code type}, {@code version} and size {@code bits}. */
  public static byte[] of(byte type, byte version, int bits) {
    return new byte[] {type, version, (byte) (bits >>> 8), (byte) bits};
  }

  /**
   * Checks the type and version of {@code encoded} and returns its size field; failures are
   * {@link MalformedInputException}s with {@code code}, naming {@code what} was expected.
   */
  public static int read(byte[] encoded, byte type, byte version, String code, String what) {
    if (encoded == null || encoded.length < LENGTH) {
      throw new MalformedInputException(code, what + " encoding too short");
    }
    if (encoded[0] != type) {
      throw new MalformedInputException(code, "not a " + what + " encoding");
    }
    if (encoded[1] != version) {
      throw new MalformedInputException(code, "unsupported " + what + " version " + encoded[1]);
    }
    return ((encoded[2] & 0xFF) << 8) | (encoded[3] & 0xFF);
  }
}
