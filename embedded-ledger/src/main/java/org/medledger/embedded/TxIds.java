package org.medledger.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Transaction ids. Fabric takes SHA-256 of a random nonce and the creator; the embedded ledger
 * hashes the whole proposal (channel, creator, timestamp, function, arguments) with a counter as
 * the nonce, so the same calls in the same order give the same ids in every run. Each field is
 * length-prefixed, so no two proposals share an encoding. The id has Fabric's form: 64 lowercase
 * hex digits.
 */
final class TxIds {
  private static final byte[] DOMAIN = "medledger/embedded-ledger/txid/v1".getBytes(UTF_8);

  private TxIds() {}

  static String derive(
      String channel, byte[] creator, Instant timestamp, String function, List<String> args, long nonce) {
    SHA256Digest d = new SHA256Digest();
    field(d, DOMAIN);
    field(d, channel.getBytes(UTF_8));
    field(d, creator);
    d.update(ByteBuffer.allocate(12).putLong(timestamp.getEpochSecond()).putInt(timestamp.getNano()).array(), 0, 12);
    field(d, function.getBytes(UTF_8));
    d.update(ByteBuffer.allocate(4).putInt(args.size()).array(), 0, 4);
    for (String arg : args) {
      field(d, arg.getBytes(UTF_8));
    }
    d.update(ByteBuffer.allocate(8).putLong(nonce).array(), 0, 8);
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }

  private static void field(SHA256Digest d, byte[] b) {
    d.update(ByteBuffer.allocate(4).putInt(b.length).array(), 0, 4);
    d.update(b, 0, b.length);
  }
}
