package org.medledger.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.medledger.crypto.internal.Bytes;

/**
 * The Fiat–Shamir transcript (docs/protocol.md §2): a SHAKE256 sponge that absorbs every public
 * value of a statement as a labelled, length-prefixed frame and squeezes challenges from a copy.
 *
 * <p>Each frame is {@code u32 len(label) || label || u32 len(data) || data}; a challenge absorbs
 * {@code "challenge" || label} into a copy, squeezes, and then absorbs the challenge itself into the
 * running state, so later challenges depend on earlier ones. Not thread-safe.
 */
public final class Transcript {
  private final SHAKEDigest sponge;

  /** Starts a transcript for one protocol; {@code domain} names the protocol and its version. */
  public Transcript(String domain) {
    this.sponge = new SHAKEDigest(256);
    appendBytes("medledger/transcript/v1", domain.getBytes(StandardCharsets.UTF_8));
  }

  private Transcript(SHAKEDigest state) {
    this.sponge = new SHAKEDigest(state);
  }

  /** An independent copy: appending to one does not affect the other. */
  public Transcript fork() {
    return new Transcript(sponge);
  }

  public Transcript appendBytes(String label, byte[] data) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    absorbLength(l.length);
    sponge.update(l, 0, l.length);
    absorbLength(data.length);
    sponge.update(data, 0, data.length);
    return this;
  }

  public Transcript appendString(String label, String value) {
    return appendBytes(label, value.getBytes(StandardCharsets.UTF_8));
  }

  public Transcript appendLong(String label, long value) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (value >>> (56 - 8 * i));
    }
    return appendBytes(label, b);
  }

  /** Appends a non-negative integer as its minimal unsigned big-endian magnitude. */
  public Transcript appendInteger(String label, BigInteger value) {
    if (value.signum() < 0) {
      // Signed values are framed with an explicit sign so -x and x never collide.
      appendBytes(label + "/neg", Bytes.unsigned(value.negate()));
      return this;
    }
    return appendBytes(label, Bytes.unsigned(value));
  }

  /** A uniform challenge in [0, 2^bits). */
  public BigInteger challengeBits(String label, int bits) {
    byte[] out = squeeze(label, (bits + 7) / 8);
    int excess = out.length * 8 - bits;
    if (excess > 0) {
      out[0] &= (byte) (0xFF >>> excess);
    }
    BigInteger c = new BigInteger(1, out);
    appendInteger(label + "/value", c);
    return c;
  }

  /** A uniform challenge in [0, bound), by rejection sampling over a squeezed stream. */
  public BigInteger challengeBelow(String label, BigInteger bound) {
    if (bound.signum() <= 0) {
      throw new IllegalArgumentException("bound must be positive");
    }
    int bits = bound.bitLength();
    Transcript t = fork().appendString("challenge-below", label);
    for (int attempt = 0; ; attempt++) {
      byte[] out = t.squeeze("attempt-" + attempt, (bits + 7) / 8);
      int excess = out.length * 8 - bits;
      if (excess > 0) {
        out[0] &= (byte) (0xFF >>> excess);
      }
      BigInteger c = new BigInteger(1, out);
      if (c.compareTo(bound) < 0) {
        appendInteger(label + "/value", c);
        return c;
      }
    }
  }

  /** {@code count} uniform challenges of {@code bits} bits each, derived under one label. */
  public BigInteger[] challengeVector(String label, int count, int bits) {
    BigInteger[] out = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      out[i] = challengeBits(label + "[" + i + "]", bits);
    }
    return out;
  }

  private byte[] squeeze(String label, int length) {
    SHAKEDigest copy = new SHAKEDigest(sponge);
    byte[] l = ("challenge/" + label).getBytes(StandardCharsets.UTF_8);
    copy.update(intBytes(l.length), 0, 4);
    copy.update(l, 0, l.length);
    copy.update(intBytes(length), 0, 4);
    byte[] out = new byte[length];
    copy.doFinal(out, 0, length);
    return out;
  }

  private void absorbLength(int len) {
    sponge.update(intBytes(len), 0, 4);
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
