package org.medledger.crypto.ec;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;

/**
 * The secp256k1 group used for Pedersen commitments and Bulletproofs (docs/protocol.md §4), on
 * BouncyCastle's optimised curve. Extra generators come from a nothing-up-my-sleeve hash to the
 * curve (try-and-increment on SHA-256 of a label and counter), so nobody knows their discrete logs.
 */
public final class Secp256k1 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  public static final ECCurve CURVE = PARAMS.getCurve();
  /** The group order q. */
  public static final BigInteger ORDER = PARAMS.getN();
  /** The standard base point. */
  public static final ECPoint G = PARAMS.getG().normalize();
  /** The Pedersen blinding generator. */
  public static final ECPoint H = hashToCurve("medledger/pedersen/H");
  /** Length of a compressed point encoding. */
  public static final int POINT_BYTES = 33;
  /** Length of a scalar encoding. */
  public static final int SCALAR_BYTES = 32;

  private Secp256k1() {}

  /** Deterministic point with unknown discrete logarithm for the given label. */
  public static ECPoint hashToCurve(String label) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    for (int counter = 0; ; counter++) {
      SHA256Digest d = new SHA256Digest();
      byte[] tag = "medledger/hash-to-curve/v1".getBytes(StandardCharsets.UTF_8);
      d.update(tag, 0, tag.length);
      d.update(l, 0, l.length);
      byte[] c = {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter};
      d.update(c, 0, 4);
      byte[] x = new byte[32];
      d.doFinal(x, 0);
      byte[] enc = new byte[33];
      enc[0] = 0x02;
      System.arraycopy(x, 0, enc, 1, 32);
      try {
        ECPoint p = CURVE.decodePoint(enc);
        if (p.isValid() && !p.isInfinity()) {
          return p.normalize();
        }
      } catch (IllegalArgumentException notOnCurve) {
        // x³ + 7 is not a square for this x: try the next counter
      }
    }
  }

  /** Pedersen commitment v·G + r·H. */
  public static ECPoint commit(BigInteger v, BigInteger r) {
    return G.multiply(v.mod(ORDER)).add(H.multiply(r.mod(ORDER))).normalize();
  }

  public static byte[] encodePoint(ECPoint p) {
    if (p.isInfinity()) {
      throw new IllegalArgumentException("the point at infinity has no encoding here");
    }
    return p.getEncoded(true);
  }

  /** Decodes a compressed point; refuses infinity, off-curve and non-canonical encodings. */
  public static ECPoint decodePoint(byte[] enc) {
    if (enc == null || enc.length != POINT_BYTES || (enc[0] != 0x02 && enc[0] != 0x03)) {
      throw new MalformedInputException("MALFORMED_POINT", "expected a 33-byte compressed secp256k1 point");
    }
    ECPoint p;
    try {
      p = CURVE.decodePoint(enc);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("MALFORMED_POINT", "not a point on secp256k1", e);
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new MalformedInputException("MALFORMED_POINT", "invalid secp256k1 point");
    }
    p = p.normalize();
    if (!java.util.Arrays.equals(p.getEncoded(true), enc)) {
      throw new MalformedInputException("MALFORMED_POINT", "non-canonical point encoding");
    }
    return p;
  }

  public static byte[] encodeScalar(BigInteger s) {
    if (s.signum() < 0 || s.compareTo(ORDER) >= 0) {
      throw new IllegalArgumentException("scalar out of range");
    }
    return Bytes.fixed(s, SCALAR_BYTES);
  }

  /** Decodes a 32-byte scalar, refusing values ≥ q. */
  public static BigInteger decodeScalar(byte[] enc) {
    if (enc == null || enc.length != SCALAR_BYTES) {
      throw new MalformedInputException("MALFORMED_SCALAR", "expected a 32-byte scalar");
    }
    BigInteger s = new BigInteger(1, enc);
    if (s.compareTo(ORDER) >= 0) {
      throw new MalformedInputException("MALFORMED_SCALAR", "scalar not reduced modulo the group order");
    }
    return s;
  }
}
