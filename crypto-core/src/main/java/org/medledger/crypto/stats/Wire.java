package org.medledger.crypto.stats;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.bouncycastle.math.ec.ECPoint;

/** Fixed-width reading and writing for the encodings of this package (docs/protocol.md §11.6). */
final class Wire {
  static final String MALFORMED = "MALFORMED_STATS_CONTRIBUTION";

  private Wire() {}

  static int bytesFor(int bits) {
    return (bits + 7) / 8;
  }

  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Writer fixed(BigInteger v, int length) {
      return raw(Bytes.fixed(v, length));
    }

    Writer u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer point(ECPoint p) {
      return raw(Secp256k1.encodePoint(p));
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  static final class Reader {
    private final ByteBuffer b;

    Reader(byte[] enc) {
      this.b = ByteBuffer.wrap(enc);
    }

    byte[] take(int n) {
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    int u8() {
      return b.get() & 0xFF;
    }

    int u16() {
      return b.getShort() & 0xFFFF;
    }

    /** An integer of exactly {@code length} bytes, refused unless below 2^bits. */
    BigInteger bounded(int length, int bits, String what) {
      BigInteger v = new BigInteger(1, take(length));
      if (v.bitLength() > bits) {
        throw new MalformedInputException(MALFORMED, what + " exceeds its bound");
      }
      return v;
    }

    /** An element of [0, n²) as 2k/8 bytes; group membership is checked by the verifier. */
    BigInteger modN2(PaillierPublicKey key, String what) {
      BigInteger v = new BigInteger(1, take(2 * key.bits() / 8));
      if (v.compareTo(key.nSquared()) >= 0) {
        throw new MalformedInputException(MALFORMED, what + " is not reduced modulo n²");
      }
      return v;
    }

    /** A ciphertext as 2k/8 bytes, refused unless in Z*_{n²}. */
    PaillierCiphertext ciphertext(PaillierPublicKey key) {
      return key.ciphertext(new BigInteger(1, take(2 * key.bits() / 8)));
    }

    ECPoint point() {
      return Secp256k1.decodePoint(take(Secp256k1.POINT_BYTES));
    }

    BigInteger scalar() {
      return Secp256k1.decodeScalar(take(Secp256k1.SCALAR_BYTES));
    }

    boolean hasRemaining() {
      return b.hasRemaining();
    }
  }
}
