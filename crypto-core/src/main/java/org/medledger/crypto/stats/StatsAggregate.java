package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * A bucket's running sum (docs/protocol.md §11.5): the product modulo n² of the packed ciphertexts of
 * the contributions it has folded, and how many it has folded. Immutable, deterministic (no
 * randomness: the empty sum is the trivial encryption 1 of 0, and adding is one multiplication
 * modulo n²), so every endorser that folds the same contributions gets the same bytes; the order of
 * folding does not change the result. It refuses to fold more than {@link
 * SlotLayout#MAX_CONTRIBUTIONS}, the bound that keeps every slot from carrying into the next.
 */
public final class StatsAggregate {
  static final byte TYPE = 0x41;
  static final byte VERSION = 1;
  /** Code of a fold that would pass {@link SlotLayout#MAX_CONTRIBUTIONS}. */
  public static final String FULL = "STATS_BUCKET_FULL";
  /** Code of a malformed encoded aggregate. */
  public static final String MALFORMED = "MALFORMED_STATS_AGGREGATE";

  private final PaillierPublicKey key;
  private final PaillierCiphertext sum;
  private final long count;

  private StatsAggregate(PaillierPublicKey key, PaillierCiphertext sum, long count) {
    this.key = key;
    this.sum = sum;
    this.count = count;
  }

  /** The empty bucket: count 0 and the ciphertext 1 (Enc(0) with zero randomness). */
  public static StatsAggregate empty(PaillierPublicKey committee) {
    SlotLayout.checkKey(committee);
    return new StatsAggregate(committee, committee.ciphertext(BigInteger.ONE), 0);
  }

  public long count() {
    return count;
  }

  /** Enc(packed sums) under the committee key. */
  public PaillierCiphertext ciphertext() {
    return sum;
  }

  public PaillierPublicKey key() {
    return key;
  }

  /**
   * Folds one verified contribution, given as the packed ciphertext {@link StatsContribution#verify}
   * returned. Refuses a ciphertext of another key size or outside Z*_{n²}, and a fold past the bound.
   */
  public StatsAggregate plus(PaillierCiphertext packed) {
    if (packed == null || packed.keyBits() != key.bits() || !key.inUnitGroupOfNSquared(packed.value())) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "packed contribution is not in Z*_{n²} of the committee key");
    }
    checkRoom(1);
    return new StatsAggregate(key, key.add(sum, packed), count + 1);
  }

  /** The union of two disjoint sets of contributions under the same key (bounded batches fold this way). */
  public StatsAggregate merge(StatsAggregate other) {
    if (!other.key.equals(key)) {
      throw new MalformedInputException(MALFORMED, "aggregates under different committee keys");
    }
    checkRoom(other.count);
    return new StatsAggregate(key, key.add(sum, other.sum), count + other.count);
  }

  private void checkRoom(long more) {
    if (more > SlotLayout.MAX_CONTRIBUTIONS - count) {
      throw new CryptoException(FULL, "a bucket folds at most " + SlotLayout.MAX_CONTRIBUTIONS + " contributions");
    }
  }

  /** Unpacks the committee's decryption of {@link #ciphertext()} (checked against {@link #count()}). */
  public StatsTally open(BigInteger plaintext) {
    return SlotLayout.unpack(plaintext, count);
  }

  /** Canonical encoding: {@code 41 01 ‖ u16 k ‖ u32 count ‖ c (2k/8 bytes)}. */
  public byte[] toBytes() {
    int len = 2 * key.bits() / 8;
    byte[] out = new byte[8 + len];
    out[0] = TYPE;
    out[1] = VERSION;
    out[2] = (byte) (key.bits() >>> 8);
    out[3] = (byte) key.bits();
    for (int i = 0; i < 4; i++) {
      out[4 + i] = (byte) (count >>> (24 - 8 * i));
    }
    System.arraycopy(Bytes.fixed(sum.value(), len), 0, out, 8, len);
    return out;
  }

  /**
   * Strict decoder: type, version, the key's size, exact length, c ∈ Z*_{n²}, and an empty aggregate
   * (count 0) must be exactly the ciphertext 1, so every aggregate has one encoding per state.
   */
  public static StatsAggregate fromBytes(byte[] enc, PaillierPublicKey committee) {
    SlotLayout.checkKey(committee);
    int len = 2 * committee.bits() / 8;
    if (enc == null || enc.length != 8 + len) {
      throw new MalformedInputException(MALFORMED, "aggregate has the wrong length");
    }
    if (enc[0] != TYPE || enc[1] != VERSION) {
      throw new MalformedInputException(MALFORMED, "not a version-1 aggregate");
    }
    int bits = ((enc[2] & 0xFF) << 8) | (enc[3] & 0xFF);
    if (bits != committee.bits()) {
      throw new MalformedInputException(MALFORMED, "aggregate is for a " + bits + "-bit key");
    }
    long count = 0;
    for (int i = 0; i < 4; i++) {
      count = (count << 8) | (enc[4 + i] & 0xFF);
    }
    BigInteger c = new BigInteger(1, Arrays.copyOfRange(enc, 8, enc.length));
    if (count == 0 && !c.equals(BigInteger.ONE)) {
      throw new MalformedInputException(MALFORMED, "an empty aggregate must be the ciphertext 1");
    }
    PaillierCiphertext ct;
    try {
      ct = committee.ciphertext(c);
    } catch (MalformedInputException ex) {
      throw new MalformedInputException(MALFORMED, "aggregate ciphertext is not in Z*_{n²}", ex);
    }
    return new StatsAggregate(committee, ct, count);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatsAggregate a && a.key.equals(key) && a.count == count && a.sum.equals(sum);
  }

  @Override
  public int hashCode() {
    return sum.hashCode() * 31 + Long.hashCode(count);
  }

  @Override
  public String toString() {
    return "StatsAggregate[" + count + " contributions]";
  }
}
