package org.medledger.crypto.record;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.MalformedInputException;

/**
 * How a byte string becomes segment plaintexts and back (docs/protocol.md §5.1).
 *
 * <p>The body is {@code SHA-256(tag || data) || data}. Each segment is the integer of the bytes
 * {@code 0x01 || version || tag(12) || index u16 || count u16 || totalLength u32 || chunkLength u16
 * || chunk}, where tag = SHA-256("medledger/record-tag/v1" || recordId)[0..12). A segment has at
 * most {@link #segmentBytes(int)} bytes, which leaves room below n for the integer slack of the
 * re-encryption proof. Decoding checks every header field and the digest, so reordering, dropping,
 * duplicating, or splicing in a segment of another record is detected.
 */
public final class SegmentLayout {
  static final byte MARKER = 0x01;
  static final byte VERSION = 1;
  static final int TAG_BYTES = 12;
  static final int HEADER_BYTES = 1 + 1 + TAG_BYTES + 2 + 2 + 4 + 2;
  static final int DIGEST_BYTES = 32;
  /** Largest record accepted: 1 MiB. */
  public static final int MAX_RECORD_BYTES = 1 << 20;
  /**
   * Bits kept free below the modulus for the batched re-encryption proof (docs §5.3): combination
   * challenge (128) + Σ challenge (128) + statistical slack (80) + log2 of the segment limit (13) +
   * 3 bits of carry, so that an integer extracted from a cheating proof exceeds a segment
   * combination by at most a couple of multiples of n.
   */
  public static final int RESERVED_BITS = 352;
  /** Most segments a record may have: 2^13, which the reserved bits account for. */
  public static final int MAX_SEGMENTS = 1 << 13;

  private SegmentLayout() {}

  /** Maximum bytes of one segment plaintext for a modulus of {@code keyBits} bits. */
  public static int segmentBytes(int keyBits) {
    return (keyBits - RESERVED_BITS) / 8;
  }

  /** Bits a segment plaintext may occupy: every segment integer is below 2^segmentBits. */
  public static int segmentBits(int keyBits) {
    return 8 * segmentBytes(keyBits);
  }

  public static int payloadBytes(int keyBits) {
    return segmentBytes(keyBits) - HEADER_BYTES;
  }

  /** Number of segments {@code dataLength} bytes take under a key of {@code keyBits} bits. */
  public static int segmentCount(int dataLength, int keyBits) {
    int body = dataLength + DIGEST_BYTES;
    int per = payloadBytes(keyBits);
    return (body + per - 1) / per;
  }

  public static byte[] tag(String recordId) {
    SHA256Digest d = new SHA256Digest();
    byte[] dom = "medledger/record-tag/v1".getBytes(StandardCharsets.UTF_8);
    byte[] id = recordId.getBytes(StandardCharsets.UTF_8);
    d.update(dom, 0, dom.length);
    d.update(id, 0, id.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return Arrays.copyOf(out, TAG_BYTES);
  }

  /** Cuts {@code data} into segment integers bound to {@code recordId}. */
  public static List<BigInteger> split(byte[] data, String recordId, int keyBits) {
    if (data.length > MAX_RECORD_BYTES) {
      throw new MalformedInputException("RECORD_TOO_LARGE", "record of " + data.length + " bytes exceeds " + MAX_RECORD_BYTES);
    }
    byte[] tag = tag(recordId);
    byte[] body = new byte[DIGEST_BYTES + data.length];
    System.arraycopy(digest(tag, data), 0, body, 0, DIGEST_BYTES);
    System.arraycopy(data, 0, body, DIGEST_BYTES, data.length);
    int per = payloadBytes(keyBits);
    int count = segmentCount(data.length, keyBits);
    if (count > MAX_SEGMENTS) {
      throw new MalformedInputException("RECORD_TOO_LARGE", "record needs more than " + MAX_SEGMENTS + " segments");
    }
    List<BigInteger> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = i * per;
      int len = Math.min(per, body.length - from);
      ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + len);
      b.put(MARKER).put(VERSION).put(tag).putShort((short) i).putShort((short) count)
          .putInt(data.length).putShort((short) len).put(body, from, len);
      out.add(new BigInteger(1, b.array()));
    }
    return out;
  }

  /** Reassembles and checks segment integers; any inconsistency is an error, never a wrong result. */
  public static byte[] join(List<BigInteger> segments, String recordId, int keyBits) {
    if (segments.isEmpty()) {
      throw new MalformedInputException("RECORD_CORRUPT", "record has no segments");
    }
    byte[] tag = tag(recordId);
    int count = segments.size();
    int totalLength = -1;
    ByteBuffer body = null;
    for (int i = 0; i < count; i++) {
      BigInteger s = segments.get(i);
      if (s.signum() <= 0 || s.bitLength() > segmentBits(keyBits)) {
        throw new MalformedInputException("RECORD_CORRUPT", "segment " + i + " is out of range");
      }
      byte[] raw = Bytes.unsigned(s);
      if (raw.length < HEADER_BYTES || raw[0] != MARKER || raw[1] != VERSION) {
        throw new MalformedInputException("RECORD_CORRUPT", "segment " + i + " has no valid header");
      }
      ByteBuffer b = ByteBuffer.wrap(raw);
      b.position(2);
      byte[] t = new byte[TAG_BYTES];
      b.get(t);
      if (!MessageDigest.isEqual(t, tag)) {
        throw new MalformedInputException("RECORD_CORRUPT", "segment " + i + " belongs to another record");
      }
      int index = b.getShort() & 0xFFFF;
      int declaredCount = b.getShort() & 0xFFFF;
      int length = b.getInt();
      int chunk = b.getShort() & 0xFFFF;
      if (index != i) {
        throw new MalformedInputException("RECORD_CORRUPT", "segment at position " + i + " carries index " + index);
      }
      if (declaredCount != count) {
        throw new MalformedInputException("RECORD_CORRUPT", "record declares " + declaredCount + " segments, found " + count);
      }
      if (length < 0 || length > MAX_RECORD_BYTES || count != segmentCount(length, keyBits)) {
        throw new MalformedInputException("RECORD_CORRUPT", "segment " + i + " declares an inconsistent length");
      }
      if (totalLength >= 0 && length != totalLength) {
        throw new MalformedInputException("RECORD_CORRUPT", "segments disagree on the record length");
      }
      totalLength = length;
      if (body == null) {
        body = ByteBuffer.allocate(DIGEST_BYTES + length);
      }
      int expected = Math.min(payloadBytes(keyBits), body.capacity() - i * payloadBytes(keyBits));
      if (chunk != expected || b.remaining() != chunk) {
        throw new MalformedInputException("RECORD_CORRUPT", "segment " + i + " has a wrong chunk length");
      }
      body.put(raw, HEADER_BYTES, chunk);
    }
    byte[] all = body.array();
    byte[] data = Arrays.copyOfRange(all, DIGEST_BYTES, all.length);
    if (!MessageDigest.isEqual(Arrays.copyOf(all, DIGEST_BYTES), digest(tag, data))) {
      throw new MalformedInputException("RECORD_CORRUPT", "record digest does not match its content");
    }
    return data;
  }

  private static byte[] digest(byte[] tag, byte[] data) {
    SHA256Digest d = new SHA256Digest();
    d.update(tag, 0, tag.length);
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
