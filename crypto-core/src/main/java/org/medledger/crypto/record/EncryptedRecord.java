package org.medledger.crypto.record;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/** A record as segment ciphertexts under one Paillier key, with the id it is bound to. */
public final class EncryptedRecord {
  static final byte TYPE = 0x10;
  static final byte VERSION = 1;
  /** Longest record id accepted, in UTF-8 bytes. */
  public static final int MAX_ID_BYTES = 128;

  private final String recordId;
  private final int keyBits;
  private final int layoutBits;
  private final List<PaillierCiphertext> segments;

  /** A record segmented for the key it is encrypted under. */
  public EncryptedRecord(String recordId, int keyBits, List<PaillierCiphertext> segments) {
    this(recordId, keyBits, keyBits, segments);
  }

  /**
   * A record encrypted under a {@code keyBits} key whose segments were cut for a
   * {@code layoutBits} key (a grantee's copy keeps the patient's layout); layoutBits ≤ keyBits.
   */
  public EncryptedRecord(String recordId, int keyBits, int layoutBits, List<PaillierCiphertext> segments) {
    if (layoutBits > keyBits || layoutBits < 1024) {
      throw new MalformedInputException("MALFORMED_RECORD", "segment layout does not fit the key");
    }
    checkId(recordId);
    if (segments.isEmpty()) {
      throw new MalformedInputException("MALFORMED_RECORD", "a record has at least one segment");
    }
    for (PaillierCiphertext c : segments) {
      if (c.keyBits() != keyBits) {
        throw new MalformedInputException("MALFORMED_RECORD", "segments under keys of different sizes");
      }
    }
    this.recordId = recordId;
    this.keyBits = keyBits;
    this.layoutBits = layoutBits;
    this.segments = List.copyOf(segments);
  }

  static void checkId(String recordId) {
    if (recordId == null || recordId.isEmpty() || recordId.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new MalformedInputException("MALFORMED_RECORD", "record id must be 1.." + MAX_ID_BYTES + " bytes");
    }
  }

  public String recordId() {
    return recordId;
  }

  public int keyBits() {
    return keyBits;
  }

  /** The key size the segments were cut for (SegmentLayout); equals keyBits except in grants. */
  public int layoutBits() {
    return layoutBits;
  }

  public List<PaillierCiphertext> segments() {
    return segments;
  }

  /** type, version, u16 key bits, u16 layout bits, u16 id length, id, u32 count, then each ciphertext. */
  public byte[] toBytes() {
    byte[] id = recordId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer head = ByteBuffer.allocate(1 + 1 + 2 + 2 + 2 + id.length + 4);
    head.put(TYPE).put(VERSION).putShort((short) keyBits).putShort((short) layoutBits).putShort((short) id.length)
        .put(id).putInt(segments.size());
    out.writeBytes(head.array());
    for (PaillierCiphertext c : segments) {
      out.writeBytes(c.toBytes());
    }
    return out.toByteArray();
  }

  /** Strict decoder; every segment is validated as a ciphertext of {@code key}. */
  public static EncryptedRecord fromBytes(byte[] enc, PaillierPublicKey key, int maxSegments) {
    try {
      ByteBuffer b = ByteBuffer.wrap(enc);
      if (b.get() != TYPE || b.get() != VERSION) {
        throw new MalformedInputException("MALFORMED_RECORD", "not a version-1 encrypted record");
      }
      int bits = b.getShort() & 0xFFFF;
      if (bits != key.bits()) {
        throw new MalformedInputException("MALFORMED_RECORD", "record is for a " + bits + "-bit key");
      }
      int layout = b.getShort() & 0xFFFF;
      if (layout != 1024 && layout != 2048 && layout != 3072 && layout != 4096) {
        throw new MalformedInputException("MALFORMED_RECORD", "unsupported segment layout " + layout);
      }
      int idLen = b.getShort() & 0xFFFF;
      if (idLen == 0 || idLen > MAX_ID_BYTES) {
        throw new MalformedInputException("MALFORMED_RECORD", "record id length out of range");
      }
      byte[] id = new byte[idLen];
      b.get(id);
      int count = b.getInt();
      if (count <= 0 || count > maxSegments) {
        throw new MalformedInputException("MALFORMED_RECORD", "segment count " + count + " outside 1.." + maxSegments);
      }
      int each = 4 + 2 * bits / 8;
      if (b.remaining() != (long) count * each) {
        throw new MalformedInputException("MALFORMED_RECORD", "record encoding has the wrong length");
      }
      List<PaillierCiphertext> segs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] c = new byte[each];
        b.get(c);
        segs.add(PaillierCiphertext.fromBytes(c, key));
      }
      String recordId = new String(id, StandardCharsets.UTF_8);
      if (!Arrays.equals(recordId.getBytes(StandardCharsets.UTF_8), id)) {
        throw new MalformedInputException("MALFORMED_RECORD", "record id is not valid UTF-8");
      }
      return new EncryptedRecord(recordId, bits, layout, segs);
    } catch (java.nio.BufferUnderflowException e) {
      throw new MalformedInputException("MALFORMED_RECORD", "record encoding is truncated", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedRecord r && r.recordId.equals(recordId) && r.keyBits == keyBits
        && r.layoutBits == layoutBits && r.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return recordId.hashCode() * 31 + segments.hashCode();
  }
}
