package org.medledger.crypto.stats;

import java.math.BigInteger;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * How one Paillier plaintext carries all the counters of a bucket (docs/protocol.md §11.4).
 *
 * <p>Slot i (0 ≤ i &lt; {@link #COUNTERS}) is bits [w·i, w·i + w) with w = {@link #COUNTER_BITS}:
 * slots 0–21 count the ICD-10 chapters, slots 22–31 the age bands. The fee total sits above them,
 * at bits [{@link #FEE_OFFSET}, {@link #TOTAL_BITS}). A contribution adds 0 or 1 to each counter
 * slot and a fee below 2^40 to the fee slot, so a bucket that folds at most
 * {@link #MAX_CONTRIBUTIONS} = 2^w − 1 contributions has every counter ≤ 2^w − 1 and a fee total
 * below 2^(40+w): no slot ever carries into the next, and the whole plaintext stays below
 * 2^{@value #TOTAL_BITS} &lt; n for every key of 2048 bits or more, so nothing wraps modulo n either.
 */
public final class SlotLayout {
  /** Width w of a counter slot, in bits. */
  public static final int COUNTER_BITS = 32;
  /** Counter slots: the categories, then the age bands. */
  public static final int COUNTERS = IcdChapter.COUNT + AgeBand.COUNT;
  /** A fee is below 2^FEE_BITS (what the contribution's range proof shows). */
  public static final int FEE_BITS = 40;
  /** Width of the fee-total slot: FEE_BITS + COUNTER_BITS. */
  public static final int FEE_SLOT_BITS = FEE_BITS + COUNTER_BITS;
  /** First bit of the fee-total slot. */
  public static final int FEE_OFFSET = COUNTERS * COUNTER_BITS;
  /** The packed plaintext of any bucket within the bound is below 2^TOTAL_BITS. */
  public static final int TOTAL_BITS = FEE_OFFSET + FEE_SLOT_BITS;
  /** The most contributions one bucket (or one aggregate) may fold: 2^w − 1. */
  public static final long MAX_CONTRIBUTIONS = (1L << COUNTER_BITS) - 1;
  /** Smallest key whose plaintext space holds the layout. */
  public static final int MIN_KEY_BITS = 2048;
  /** Names the layout in transcripts and encodings. */
  public static final String LAYOUT_ID = "stats-slots/v1/w=32/counters=32/fee=40";

  private static final BigInteger SLOT_SHIFT = BigInteger.ONE.shiftLeft(COUNTER_BITS);
  private static final BigInteger COUNTER_MASK = BigInteger.ONE.shiftLeft(COUNTER_BITS).subtract(BigInteger.ONE);

  private SlotLayout() {}

  /** Bit offset of counter slot i. */
  public static int offset(int slot) {
    if (slot < 0 || slot >= COUNTERS) {
      throw new IllegalArgumentException("no counter slot " + slot);
    }
    return slot * COUNTER_BITS;
  }

  /** The slot of a category. */
  public static int slot(IcdChapter c) {
    return c.index();
  }

  /** The slot of an age band. */
  public static int slot(AgeBand b) {
    return IcdChapter.COUNT + b.index();
  }

  /** Refuses a key too small to hold the layout. */
  static void checkKey(PaillierPublicKey key) {
    if (key.bits() < MIN_KEY_BITS || key.n().bitLength() <= TOTAL_BITS) {
      throw new MalformedInputException("UNSUPPORTED_KEY_SIZE",
          "statistics need a committee key of at least " + MIN_KEY_BITS + " bits");
    }
  }

  /**
   * The packed plaintext Σ counters[i]·2^(w·i) + fee·2^FEE_OFFSET, for counters in [0, 2^w) and a
   * fee total in [0, 2^FEE_SLOT_BITS).
   */
  public static BigInteger pack(long[] counters, BigInteger feeTotal) {
    if (counters.length != COUNTERS) {
      throw new IllegalArgumentException("expected " + COUNTERS + " counters");
    }
    if (feeTotal.signum() < 0 || feeTotal.bitLength() > FEE_SLOT_BITS) {
      throw new IllegalArgumentException("fee total outside its slot");
    }
    BigInteger acc = feeTotal;
    for (int i = COUNTERS - 1; i >= 0; i--) {
      if (counters[i] < 0 || counters[i] > MAX_CONTRIBUTIONS) {
        throw new IllegalArgumentException("counter outside its slot");
      }
      acc = acc.shiftLeft(COUNTER_BITS).add(BigInteger.valueOf(counters[i]));
    }
    return acc;
  }

  /**
   * The verifier's homomorphic packing: Enc(Σ m_i·2^(w·i) + f·2^FEE_OFFSET) from the unpacked
   * ciphertexts Enc(m_i) and Enc(f), as Π c_i^(2^(w·i)) · c_f^(2^FEE_OFFSET), evaluated by Horner's
   * rule (one power 2^w per slot, {@value #FEE_OFFSET} squarings in all). Deterministic: it
   * uses no randomness, so every endorser derives the same ciphertext. Every ciphertext (non-null, of
   * the key's size, in Z*_{n²}) is checked before the first power (MALFORMED_CIPHERTEXT).
   */
  public static PaillierCiphertext packCiphertexts(PaillierPublicKey key, PaillierCiphertext[] counters,
      PaillierCiphertext fee) {
    if (counters.length != COUNTERS) {
      throw new IllegalArgumentException("expected " + COUNTERS + " counter ciphertexts");
    }
    // Every input is checked before the first power.
    BigInteger[] c = new BigInteger[COUNTERS];
    for (int i = 0; i < COUNTERS; i++) {
      c[i] = valueOf(key, counters[i]);
    }
    BigInteger n2 = key.nSquared();
    BigInteger acc = valueOf(key, fee);
    for (int i = COUNTERS - 1; i >= 0; i--) {
      // w squarings as one modPow: the JDK's Montgomery intrinsic is several times faster per squaring.
      acc = acc.modPow(SLOT_SHIFT, n2).multiply(c[i]).mod(n2);
    }
    return key.ciphertext(acc);
  }

  private static BigInteger valueOf(PaillierPublicKey key, PaillierCiphertext c) {
    if (c == null || c.keyBits() != key.bits() || !key.inUnitGroupOfNSquared(c.value())) {
      throw new MalformedInputException("MALFORMED_CIPHERTEXT", "ciphertext is not in Z*_{n²} of the committee key");
    }
    return c.value();
  }

  /**
   * Splits a decrypted bucket into its counters and fee total. {@code count} is the number of
   * contributions the bucket folded, as the chaincode counted them; each one-hot vector's counters
   * must sum to it and the plaintext must lie below 2^TOTAL_BITS, otherwise the plaintext did not
   * come from {@code count} verified contributions and is refused with STATS_TALLY_INCONSISTENT.
   */
  public static StatsTally unpack(BigInteger plaintext, long count) {
    if (count < 0 || count > MAX_CONTRIBUTIONS) {
      throw new IllegalArgumentException("count outside [0, " + MAX_CONTRIBUTIONS + "]");
    }
    if (plaintext.signum() < 0 || plaintext.bitLength() > TOTAL_BITS) {
      throw new MalformedInputException("STATS_TALLY_INCONSISTENT", "plaintext exceeds the slot layout");
    }
    long[] counters = new long[COUNTERS];
    for (int i = 0; i < COUNTERS; i++) {
      counters[i] = plaintext.shiftRight(i * COUNTER_BITS).and(COUNTER_MASK).longValueExact();
    }
    BigInteger fee = plaintext.shiftRight(FEE_OFFSET);
    long categories = 0;
    long bands = 0;
    for (int i = 0; i < COUNTERS; i++) {
      if (i < IcdChapter.COUNT) {
        categories += counters[i];
      } else {
        bands += counters[i];
      }
    }
    if (categories != count || bands != count) {
      throw new MalformedInputException("STATS_TALLY_INCONSISTENT",
          "counters do not sum to the bucket's contribution count");
    }
    BigInteger maxFee = BigInteger.valueOf(count).multiply(BigInteger.ONE.shiftLeft(FEE_BITS).subtract(BigInteger.ONE));
    if (fee.compareTo(maxFee) > 0) {
      throw new MalformedInputException("STATS_TALLY_INCONSISTENT", "fee total exceeds count · (2^40 − 1)");
    }
    return new StatsTally(count, counters, fee);
  }
}
