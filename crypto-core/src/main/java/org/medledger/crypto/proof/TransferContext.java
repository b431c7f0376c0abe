package org.medledger.crypto.proof;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.medledger.crypto.internal.Bytes;

/**
 * Where a transfer bundle is valid (docs/protocol.md §4.3): the channel, the chaincode, the sender
 * and payee accounts and the sender's nonce. The bundle's challenges bind these bytes together
 * with the old balance ciphertext, so a bundle replayed on another channel, for another sender or
 * nonce, or after the balance moved, does not verify. Every field must be well-formed Unicode
 * (a lone surrogate would share its bytes with '?').
 */
public record TransferContext(String channel, String chaincode, String sender, String payee, long senderNonce) {
  public TransferContext {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(chaincode, "chaincode");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(payee, "payee");
    if (senderNonce < 0) {
      throw new IllegalArgumentException("nonce must be non-negative");
    }
  }

  /** Canonical bytes: each string length-prefixed (u16) in field order, then the nonce (u64). */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : new String[] {channel, chaincode, sender, payee}) {
      byte[] b = Bytes.strictUtf8(s);
      if (b.length > 0xFFFF) {
        throw new IllegalArgumentException("context field too long");
      }
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
    }
    out.writeBytes(ByteBuffer.allocate(8).putLong(senderNonce).array());
    return out.toByteArray();
  }
}
