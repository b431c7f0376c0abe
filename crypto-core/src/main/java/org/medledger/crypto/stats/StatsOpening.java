package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * What a hospital may keep of its contribution (docs/protocol.md §11.7): the chapter, the age band,
 * the fee and the DJN exponents ρ of all 33 ciphertexts. With it, anyone who is shown it can recompute
 * the ciphertexts exactly and so check that a contribution on the chain holds these values — an
 * auditor whom the patient has granted the record compares them with the record itself. Secret: it
 * reveals the values (and, through ρ, opens these ciphertexts, and only these). Its encoding is read
 * through {@link SecretAccess#explicit()}; {@link #toString()} is redacted.
 */
public final class StatsOpening {
  static final byte TYPE = 0x42;
  static final byte VERSION = 1;

  private final int keyBits;
  private final StatsContribution contribution;
  private final BigInteger[] categories;
  private final BigInteger[] bands;
  private final BigInteger fee;
  private final BigInteger[] rhoCategories;
  private final BigInteger[] rhoBands;
  private final BigInteger rhoFee;

  StatsOpening(int keyBits, StatsContribution contribution, BigInteger[] categories, BigInteger[] bands, BigInteger fee,
      BigInteger[] rhoCategories, BigInteger[] rhoBands, BigInteger rhoFee) {
    this.keyBits = keyBits;
    this.contribution = contribution;
    this.categories = categories.clone();
    this.bands = bands.clone();
    this.fee = fee;
    this.rhoCategories = rhoCategories.clone();
    this.rhoBands = rhoBands.clone();
    this.rhoFee = rhoFee;
  }

  /** The contribution this opening was made with (null for an opening decoded from bytes). */
  public StatsContribution contribution() {
    return contribution;
  }

  public IcdChapter chapter() {
    return IcdChapter.ofIndex(indexOfOne(categories));
  }

  public AgeBand band() {
    return AgeBand.ofIndex(indexOfOne(bands));
  }

  public long fee() {
    return fee.longValueExact();
  }

  private static int indexOfOne(BigInteger[] v) {
    for (int i = 0; i < v.length; i++) {
      if (BigInteger.ONE.equals(v[i])) {
        return i;
      }
    }
    throw new IllegalStateException("not a one-hot vector");
  }

  /**
   * True iff every ciphertext of {@code c} is exactly Enc(value; ρ) under {@code committee} for this
   * opening's values and exponents: {@code c} holds this chapter, band and fee. Recomputes 33
   * encryptions.
   */
  public boolean matches(PaillierPublicKey committee, StatsContribution c) {
    if (committee.bits() != keyBits || c.fee.keyBits() != keyBits) {
      return false;
    }
    for (int j = 0; j < IcdChapter.COUNT; j++) {
      if (!committee.encryptWith(categories[j], rhoCategories[j]).equals(c.category[j])) {
        return false;
      }
    }
    for (int j = 0; j < AgeBand.COUNT; j++) {
      if (!committee.encryptWith(bands[j], rhoBands[j]).equals(c.band[j])) {
        return false;
      }
    }
    return committee.encryptWith(fee, rhoFee).equals(c.fee);
  }

  /**
   * Encoding: {@code 42 01 ‖ u16 k ‖ u8 chapter ‖ u8 band ‖ u64 fee ‖ ρ × 33 (⌈k/2⌉ bits each, in
   * ⌈⌈k/2⌉/8⌉ bytes; categories, bands, fee)}. Secret.
   */
  public byte[] toBytes(SecretAccess access) {
    SecretAccess.require(access);
    int bits = keyBits;
    int rb = Wire.bytesFor((bits + 1) / 2);
    Wire.Writer w = new Wire.Writer();
    w.raw(new byte[] {TYPE, VERSION}).u16(bits).raw(new byte[] {(byte) chapter().index(), (byte) band().index()});
    w.fixed(fee, 8);
    for (BigInteger r : rhoCategories) {
      w.fixed(r, rb);
    }
    for (BigInteger r : rhoBands) {
      w.fixed(r, rb);
    }
    w.fixed(rhoFee, rb);
    return w.bytes();
  }

  /** Strict decoder: header, key size, chapter and band indices, fee below 2^40, every ρ below 2^⌈k/2⌉. */
  public static StatsOpening fromBytes(byte[] enc, PaillierPublicKey committee) {
    SlotLayout.checkKey(committee);
    int rhoBits = committee.rhoBits();
    int rb = Wire.bytesFor(rhoBits);
    int expected = 4 + 2 + 8 + (SlotLayout.COUNTERS + 1) * rb;
    if (enc == null || enc.length != expected) {
      throw new MalformedInputException(Wire.MALFORMED, "opening has the wrong length");
    }
    Wire.Reader r = new Wire.Reader(enc);
    if (r.u8() != TYPE || r.u8() != VERSION || r.u16() != committee.bits()) {
      throw new MalformedInputException(Wire.MALFORMED, "not a version-1 opening for this key size");
    }
    int chapter = r.u8();
    int band = r.u8();
    if (chapter >= IcdChapter.COUNT || band >= AgeBand.COUNT) {
      throw new MalformedInputException(Wire.MALFORMED, "chapter or band index out of range");
    }
    BigInteger fee = r.bounded(8, SlotLayout.FEE_BITS, "fee");
    BigInteger[] rc = new BigInteger[IcdChapter.COUNT];
    for (int j = 0; j < rc.length; j++) {
      rc[j] = r.bounded(rb, rhoBits, "ρ");
    }
    BigInteger[] rbd = new BigInteger[AgeBand.COUNT];
    for (int j = 0; j < rbd.length; j++) {
      rbd[j] = r.bounded(rb, rhoBits, "ρ");
    }
    BigInteger rf = r.bounded(rb, rhoBits, "ρ");
    return new StatsOpening(committee.bits(), null, StatsContribution.oneHot(IcdChapter.COUNT, chapter),
        StatsContribution.oneHot(AgeBand.COUNT, band), fee, rc, rbd, rf);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatsOpening x && x.keyBits == keyBits && Arrays.equals(x.categories, categories) && Arrays.equals(x.bands, bands)
        && x.fee.equals(fee) && Arrays.equals(x.rhoCategories, rhoCategories) && Arrays.equals(x.rhoBands, rhoBands)
        && x.rhoFee.equals(rhoFee);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rhoCategories);
  }

  @Override
  public String toString() {
    return "StatsOpening[redacted]";
  }
}
