package org.medledger.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.medledger.crypto.record.SegmentLayout;

/**
 * What the records contract and its clients must agree on (docs/records.md, docs/chaincode.md §8):
 * how record, grant and claim ids are derived, the context bytes the record proof and the
 * re-encryption proof are bound to, and the size limits.
 *
 * <p>Every id is derived from the signing account and the nonce of the request that creates it,
 * so the client knows it before submitting (the segments and proofs are bound to it), two requests
 * can never collide, and nobody can squat another account's id.
 */
public final class RecordProtocol {
  /** Largest record plaintext the chaincode accepts: 16 KiB (the paper's records are a few KB). */
  public static final int MAX_RECORD_BYTES = 16 * 1024;
  /** Most re-encrypted copies one grant or share transaction may carry. */
  public static final int MAX_COPIES_PER_TX = 8;
  /** Record types (categories): lower-case letters, digits and '-', 1..32 characters. */
  public static final Pattern RECORD_TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  /** Ids this protocol derives: a prefix and 32 lower-case hex digits. */
  public static final Pattern RECORD_ID = Pattern.compile("rec-[0-9a-f]{32}");
  public static final Pattern GRANT_ID = Pattern.compile("grant-[0-9a-f]{32}");
  public static final Pattern CLAIM_ID = Pattern.compile("claim-[0-9a-f]{32}");
  /** Latest expiry accepted, 9999-12-31T23:59:59Z in epoch seconds. */
  public static final long MAX_EXPIRY = 253_402_300_799L;
  /** A signed trail query's notAfter may lie at most this many seconds after the proposal time. */
  public static final long MAX_QUERY_VALIDITY_SECONDS = 600;

  private RecordProtocol() {}

  /** Most segments a record may have under a {@code layoutBits} patient key: those of 16 KiB. */
  public static int maxSegments(int layoutBits) {
    return SegmentLayout.segmentCount(MAX_RECORD_BYTES, layoutBits);
  }

  /** The id of the record that {@code author} writes with request nonce {@code nonce}. */
  public static String recordId(String channel, String chaincode, String author, long nonce) {
    return "rec-" + idHash("medledger/record-id/v1", channel, chaincode, author, Long.toString(nonce));
  }

  /** The id of the grant that {@code patient} makes with request nonce {@code nonce}. */
  public static String grantId(String channel, String chaincode, String patient, long nonce) {
    return "grant-" + idHash("medledger/grant-id/v1", channel, chaincode, patient, Long.toString(nonce));
  }

  /** The id of the claim that {@code hospital} files with request nonce {@code nonce}. */
  public static String claimId(String channel, String chaincode, String hospital, long nonce) {
    return "claim-" + idHash("medledger/claim-id/v1", channel, chaincode, hospital, Long.toString(nonce));
  }

  /**
   * The context of the author's record proof (docs/protocol.md §5.2): channel, chaincode, author,
   * patient, record type and the record it replaces ("" for an original). The proof itself binds
   * the record id and the patient key.
   */
  public static byte[] recordProofContext(String channel, String chaincode, String author, String patient,
      String recordType, String replaces) {
    return frames("medledger/record/v1", channel, chaincode, author, patient, recordType, replaces);
  }

  /**
   * The context of a re-encryption proof (docs/protocol.md §5.3): channel, chaincode, grant id
   * (which binds the patient and the grant request's nonce), grantee and record id.
   */
  public static byte[] reencryptionContext(String channel, String chaincode, String grantId, String grantee,
      String recordId) {
    return frames("medledger/grant/v1", channel, chaincode, grantId, grantee, recordId);
  }

  /**
   * SHA-256 over the domain "medledger/record-commitment/v1" and the record plaintext, lower-case
   * hex. The author signs it with the record; a reader checks its decrypted plaintext against it
   * (docs/records.md §2). The client puts 16 random bytes at the front of every plaintext, so the
   * commitment reveals nothing about a low-entropy record.
   */
  public static String commitment(byte[] plaintext) {
    return HexFormat.of().formatHex(sha256(frames("medledger/record-commitment/v1"), plaintext));
  }

  private static String idHash(String domain, String... parts) {
    return HexFormat.of().formatHex(sha256(frames(domain, parts)), 0, 16);
  }

  /** Unambiguous concatenation: each part as u32 length ‖ UTF-8 bytes. */
  private static byte[] frames(String domain, String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, domain);
    for (String p : parts) {
      frame(out, p);
    }
    return out.toByteArray();
  }

  private static void frame(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }

  private static byte[] sha256(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
