package org.medledger.crypto.stats;

import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.regex.Pattern;
import org.medledger.crypto.internal.Bytes;

/**
 * Where a statistical contribution is valid (docs/protocol.md §11.2): the channel, the chaincode, the
 * record it is attached to, the hospital account that writes (and signs) the record, and the calendar
 * month "yyyy-MM" of the bucket it is added to. Every challenge of the contribution's proof binds
 * these bytes, so a proof copied to another record, hospital, month, channel or chaincode fails.
 * Every field must be well-formed Unicode: {@code String.getBytes(UTF_8)} would turn a lone surrogate
 * into '?', so two different contexts would share their bytes and accept each other's proofs.
 */
public record StatsContext(String channel, String chaincode, String recordId, String hospital, String month) {
  private static final Pattern MONTH = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");
  /** Longest field in UTF-8 bytes. */
  public static final int MAX_FIELD_BYTES = 1024;

  public StatsContext {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(chaincode, "chaincode");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(hospital, "hospital");
    Objects.requireNonNull(month, "month");
    for (String s : new String[] {channel, chaincode, recordId, hospital}) {
      int len = Bytes.strictUtf8(s).length;
      if (len == 0 || len > MAX_FIELD_BYTES) {
        throw new IllegalArgumentException("context fields must have 1 to " + MAX_FIELD_BYTES + " bytes");
      }
    }
    if (!MONTH.matcher(month).matches()) {
      throw new IllegalArgumentException("month must be yyyy-MM");
    }
  }

  /** Canonical bytes: each field as u16 length ‖ UTF-8, in declaration order. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : new String[] {channel, chaincode, recordId, hospital, month}) {
      byte[] b = Bytes.strictUtf8(s);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }
}
