package org.medledger.crypto.stats;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.ProofException;
import org.medledger.crypto.Transcript;
import org.medledger.crypto.bulletproofs.RangeProof;
import org.medledger.crypto.ec.Secp256k1;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;

/**
 * A hospital's statistical contribution to a record (docs/protocol.md §11): under the committee's
 * Paillier key, a one-hot vector over the 22 ICD-10 chapters ({@link IcdChapter}), a one-hot vector
 * over the age bands ({@link AgeBand}) and the fee, with a non-interactive proof that every one-hot
 * entry is 0 or 1, each vector sums to 1, and the fee lies in [0, 2^40).
 *
 * <p>The fee is linked to a Pedersen commitment V that carries a two-value 64-bit Bulletproof on V and
 * V + (2^64 − 2^40)·G; both in [0, 2^64) means 0 ≤ f &lt; 2^40. Every challenge binds the context
 * ({@link StatsContext}), the committee key, the list ids and every ciphertext. {@link #verify}
 * returns the packed ciphertext ({@link SlotLayout}) the chaincode aggregates.
 *
 * <p>The prover needs only the committee's public key. The object holds no secret: the plaintexts and
 * randomness are dropped when {@link #prove} returns, or kept apart in a {@link StatsOpening} by
 * {@link #proveOpened}.
 */
public final class StatsContribution {
  public static final String DOMAIN = "medledger/stats-contribution/v1";
  /** Code of every verification failure; the message names the failed check. */
  public static final String INVALID = "STATS_PROOF_INVALID";
  static final byte TYPE = 0x40;
  static final byte VERSION = 1;
  /** Bit length of the Bulletproof values. */
  static final int RANGE_BITS = 64;
  /** K = 2^64 − 2^40: V + K·G is in [0, 2^64) iff f &lt; 2^40, given f ≥ 0. */
  static final BigInteger RANGE_SHIFT =
      BigInteger.ONE.shiftLeft(RANGE_BITS).subtract(BigInteger.ONE.shiftLeft(SlotLayout.FEE_BITS));
  static final int HEADER_BYTES = 6;

  final PaillierCiphertext[] category;
  final PaillierCiphertext[] band;
  final PaillierCiphertext fee;
  final ECPoint feeCommitment;
  final RangeProof range;
  final OneHotProof categoryProof;
  final OneHotProof bandProof;
  final FeeLink feeLink;

  StatsContribution(PaillierCiphertext[] category, PaillierCiphertext[] band, PaillierCiphertext fee,
      ECPoint feeCommitment, RangeProof range, OneHotProof categoryProof, OneHotProof bandProof, FeeLink feeLink) {
    this.category = category;
    this.band = band;
    this.fee = fee;
    this.feeCommitment = feeCommitment;
    this.range = range;
    this.categoryProof = categoryProof;
    this.bandProof = bandProof;
    this.feeLink = feeLink;
  }

  /** Enc(1) at the chapter's index and Enc(0) elsewhere; a copy. */
  public PaillierCiphertext[] categoryCiphertexts() {
    return category.clone();
  }

  /** Enc(1) at the band's index and Enc(0) elsewhere; a copy. */
  public PaillierCiphertext[] bandCiphertexts() {
    return band.clone();
  }

  public PaillierCiphertext feeCiphertext() {
    return fee;
  }

  /** V = f·G + γ·H. */
  public ECPoint feeCommitment() {
    return feeCommitment;
  }

  // ---------------------------------------------------------------------------------- proving

  /** Builds a contribution; {@code fee} must lie in [0, 2^40). */
  public static StatsContribution prove(PaillierPublicKey committee, StatsContext ctx, IcdChapter chapter,
      AgeBand ageBand, long fee, SecureRandom rnd) {
    return proveOpened(committee, ctx, chapter, ageBand, fee, rnd).contribution();
  }

  /**
   * As {@link #prove}, and keeps the opening: the plaintexts and the DJN exponents of the 33
   * ciphertexts. The hospital may store it (it is secret: it reveals the record's chapter, band and
   * fee) so that an auditor who is later granted the record can check the contribution against it
   * ({@link StatsOpening#matches}); docs/protocol.md §11.7.
   */
  public static StatsOpening proveOpened(PaillierPublicKey committee, StatsContext ctx, IcdChapter chapter,
      AgeBand ageBand, long fee, SecureRandom rnd) {
    SlotLayout.checkKey(committee);
    if (fee < 0 || fee >= (1L << SlotLayout.FEE_BITS)) {
      throw new IllegalArgumentException("fee must lie in [0, 2^" + SlotLayout.FEE_BITS + ")");
    }
    BigInteger f = BigInteger.valueOf(fee);
    return prove(committee, ctx, oneHot(IcdChapter.COUNT, chapter.index()), oneHot(AgeBand.COUNT, ageBand.index()),
        f, f, rnd, RangeProof::prove, true);
  }

  static BigInteger[] oneHot(int length, int index) {
    BigInteger[] v = new BigInteger[length];
    Arrays.fill(v, BigInteger.ZERO);
    v[index] = BigInteger.ONE;
    return v;
  }

  /** How the contribution obtains its range proof; tests substitute a prover that skips the check. */
  @FunctionalInterface
  interface RangeProver {
    RangeProof prove(Transcript t, BigInteger[] values, BigInteger[] blindings, int bits, SecureRandom rnd);
  }

  /**
   * A malicious prover for the tests: arbitrary entries (reduced mod n in the ciphertexts), a fee in
   * the ciphertext that may differ from the one in the commitment, and any range prover.
   */
  static StatsContribution proveUnchecked(PaillierPublicKey committee, StatsContext ctx, BigInteger[] categories,
      BigInteger[] bands, BigInteger feeEncrypted, BigInteger feeCommitted, SecureRandom rnd, RangeProver rp) {
    return prove(committee, ctx, categories, bands, feeEncrypted, feeCommitted, rnd, rp, false).contribution();
  }

  private static StatsOpening prove(PaillierPublicKey key, StatsContext ctx, BigInteger[] cat, BigInteger[] bnd,
      BigInteger feeEncrypted, BigInteger feeCommitted, SecureRandom rnd, RangeProver rp, boolean honest) {
    BigInteger[] rhoC = new BigInteger[cat.length];
    BigInteger[] rhoB = new BigInteger[bnd.length];
    PaillierCiphertext[] cc = encryptAll(key, cat, rhoC, rnd);
    PaillierCiphertext[] cb = encryptAll(key, bnd, rhoB, rnd);
    BigInteger rhoF = key.randomRho(rnd);
    PaillierCiphertext cf = key.encryptWith(feeEncrypted.mod(key.n()), rhoF);
    BigInteger gamma = FeeLink.randomScalar(rnd);
    ECPoint v = Secp256k1.commit(feeCommitted, gamma);

    Transcript t0 = statementTranscript(key, ctx, cc, cb, cf, v);
    RangeProof range = rp.prove(rangeTranscript(t0), new BigInteger[] {feeCommitted, feeCommitted.add(RANGE_SHIFT)},
        new BigInteger[] {gamma, gamma}, RANGE_BITS, rnd);
    FeeLink link = FeeLink.prove(linkTranscript(t0, range), key, feeCommitted, rhoF, gamma, rnd, honest);
    OneHotProof pc = OneHotProof.prove(sub(t0, "categories"), key, cc, cat, rhoC, rnd);
    OneHotProof pb = OneHotProof.prove(sub(t0, "age-bands"), key, cb, bnd, rhoB, rnd);
    return new StatsOpening(key.bits(), new StatsContribution(cc, cb, cf, v, range, pc, pb, link), cat, bnd, feeEncrypted,
        rhoC, rhoB, rhoF);
  }

  private static PaillierCiphertext[] encryptAll(PaillierPublicKey key, BigInteger[] m, BigInteger[] rho,
      SecureRandom rnd) {
    PaillierCiphertext[] c = new PaillierCiphertext[m.length];
    for (int j = 0; j < m.length; j++) {
      rho[j] = key.randomRho(rnd);
      c[j] = key.encryptWith(m[j].mod(key.n()), rho[j]);
    }
    return c;
  }

  // ------------------------------------------------------------------------------ transcripts

  static Transcript statementTranscript(PaillierPublicKey key, StatsContext ctx, PaillierCiphertext[] cc,
      PaillierCiphertext[] cb, PaillierCiphertext cf, ECPoint v) {
    Transcript t = new Transcript(DOMAIN);
    t.appendBytes("context", ctx.toBytes());
    t.appendBytes("committee-key", key.toBytes());
    t.appendString("categories", IcdChapter.LIST_ID);
    t.appendString("age-bands", AgeBand.LIST_ID);
    t.appendString("layout", SlotLayout.LAYOUT_ID);
    for (int j = 0; j < cc.length; j++) {
      t.appendBytes("category[" + j + "]", cc[j].toBytes());
    }
    for (int j = 0; j < cb.length; j++) {
      t.appendBytes("age-band[" + j + "]", cb[j].toBytes());
    }
    t.appendBytes("fee", cf.toBytes());
    t.appendBytes("fee-commitment", Secp256k1.encodePoint(v));
    return t;
  }

  static Transcript sub(Transcript statement, String name) {
    return statement.fork().appendString("sub-proof", name);
  }

  static Transcript rangeTranscript(Transcript statement) {
    return sub(statement, "range");
  }

  static Transcript linkTranscript(Transcript statement, RangeProof range) {
    return sub(statement, "fee-link").appendBytes("range-proof", range.toBytes());
  }

  // ---------------------------------------------------------------------------- verification

  /**
   * Verifies the contribution for {@code ctx} under the committee key and returns the packed
   * ciphertext Enc(Σ_i m_i·2^(32·i) + f·2^1024) the chaincode adds into the bucket. Every size, range
   * and group membership is checked before the first exponentiation. Throws {@link ProofException}
   * ({@value #INVALID}) naming the failed check, or {@link MalformedInputException} for a key that is
   * too small.
   */
  public PaillierCiphertext verify(PaillierPublicKey committee, StatsContext ctx) {
    SlotLayout.checkKey(committee);
    checkCiphertexts(committee, category, IcdChapter.COUNT, "category");
    checkCiphertexts(committee, band, AgeBand.COUNT, "age band");
    checkCiphertexts(committee, new PaillierCiphertext[] {fee}, 1, "fee");
    categoryProof.checkBounds(committee, IcdChapter.COUNT, "categories");
    bandProof.checkBounds(committee, AgeBand.COUNT, "age bands");
    feeLink.checkBounds(committee);
    if (range.bits() != RANGE_BITS || range.valueCount() != 2) {
      throw new ProofException(INVALID, "fee range proof has the wrong shape");
    }
    ECPoint shifted = feeCommitment.add(Secp256k1.G.multiply(RANGE_SHIFT)).normalize();
    if (shifted.isInfinity()) {
      throw new ProofException(INVALID, "fee commitment is −(2^64 − 2^40)·G");
    }

    Transcript t0 = statementTranscript(committee, ctx, category, band, fee, feeCommitment);
    BigInteger e = feeLink.verifyCurve(linkTranscript(t0, range), feeCommitment);
    try {
      range.verify(rangeTranscript(t0), new ECPoint[] {feeCommitment, shifted}, RANGE_BITS);
    } catch (ProofException ex) {
      throw new ProofException(INVALID, "fee range proof: " + ex.getMessage());
    }
    feeLink.verifyPaillier(committee, fee, e);
    categoryProof.verify(sub(t0, "categories"), committee, category, "categories");
    bandProof.verify(sub(t0, "age-bands"), committee, band, "age bands");
    return packed(committee);
  }

  /** The packed ciphertext of this contribution's counters and fee (no verification). */
  PaillierCiphertext packed(PaillierPublicKey committee) {
    PaillierCiphertext[] counters = new PaillierCiphertext[SlotLayout.COUNTERS];
    System.arraycopy(category, 0, counters, 0, IcdChapter.COUNT);
    System.arraycopy(band, 0, counters, IcdChapter.COUNT, AgeBand.COUNT);
    return SlotLayout.packCiphertexts(committee, counters, fee);
  }

  private static void checkCiphertexts(PaillierPublicKey key, PaillierCiphertext[] c, int length, String what) {
    if (c == null || c.length != length) {
      throw new ProofException(INVALID, "expected " + length + " " + what + " ciphertexts");
    }
    for (int j = 0; j < length; j++) {
      if (c[j] == null || c[j].keyBits() != key.bits() || !key.inUnitGroupOfNSquared(c[j].value())) {
        throw new ProofException(INVALID, what + " ciphertext " + j + " is not in Z*_{n²} of the committee key");
      }
    }
  }

  // -------------------------------------------------------------------------------- encoding

  /** Exact length of an encoded contribution under a key of this size. */
  public static int encodedLength(PaillierPublicKey key) {
    int ct = 2 * key.bits() / 8;
    return HEADER_BYTES + (SlotLayout.COUNTERS + 1) * ct + Secp256k1.POINT_BYTES
        + RangeProof.encodedLength(RANGE_BITS, 2) + OneHotProof.encodedLength(key, IcdChapter.COUNT)
        + OneHotProof.encodedLength(key, AgeBand.COUNT) + FeeLink.encodedLength(key);
  }

  /**
   * Canonical encoding (docs/protocol.md §11.6): {@code 40 01 ‖ u16 k ‖ u8 22 ‖ u8 10}, the 22 category
   * and 10 age-band ciphertexts and the fee ciphertext (2k/8 bytes each), V (33), the range proof, the
   * two one-hot proofs and the fee link, every integer at a fixed width.
   */
  public byte[] toBytes() {
    int bits = fee.keyBits();
    int ct = 2 * bits / 8;
    Wire.Writer w = new Wire.Writer();
    w.raw(new byte[] {TYPE, VERSION}).u16(bits).raw(new byte[] {(byte) category.length, (byte) band.length});
    for (PaillierCiphertext c : category) {
      w.fixed(c.value(), ct);
    }
    for (PaillierCiphertext c : band) {
      w.fixed(c.value(), ct);
    }
    w.fixed(fee.value(), ct).point(feeCommitment).raw(range.toBytes());
    return writeProofs(w, bits).bytes();
  }

  private Wire.Writer writeProofs(Wire.Writer w, int bits) {
    categoryProof.write(w, bits);
    bandProof.write(w, bits);
    feeLink.write(w, bits);
    return w;
  }

  /**
   * Strict decoder against the committee key: type, version, key size, vector lengths, exact total
   * length, ciphertexts in Z*_{n²}, every other group element below n², every integer below its
   * bound, points on the curve, scalars below q. Unit membership of the proof's group elements is
   * checked by {@link #verify} before any exponentiation.
   */
  public static StatsContribution fromBytes(byte[] enc, PaillierPublicKey committee) {
    SlotLayout.checkKey(committee);
    if (enc == null || enc.length < HEADER_BYTES) {
      throw new MalformedInputException(Wire.MALFORMED, "statistical contribution is truncated");
    }
    if (enc[0] != TYPE || enc[1] != VERSION) {
      throw new MalformedInputException(Wire.MALFORMED, "not a version-1 statistical contribution");
    }
    int bits = ((enc[2] & 0xFF) << 8) | (enc[3] & 0xFF);
    if (bits != committee.bits()) {
      throw new MalformedInputException(Wire.MALFORMED, "contribution is for a " + bits + "-bit key");
    }
    if ((enc[4] & 0xFF) != IcdChapter.COUNT || (enc[5] & 0xFF) != AgeBand.COUNT) {
      throw new MalformedInputException(Wire.MALFORMED, "vector lengths do not match the category lists");
    }
    if (enc.length != encodedLength(committee)) {
      throw new MalformedInputException(Wire.MALFORMED, "statistical contribution has the wrong length");
    }
    try {
      Wire.Reader r = new Wire.Reader(enc);
      r.take(HEADER_BYTES);
      PaillierCiphertext[] cc = new PaillierCiphertext[IcdChapter.COUNT];
      for (int j = 0; j < cc.length; j++) {
        cc[j] = r.ciphertext(committee);
      }
      PaillierCiphertext[] cb = new PaillierCiphertext[AgeBand.COUNT];
      for (int j = 0; j < cb.length; j++) {
        cb[j] = r.ciphertext(committee);
      }
      PaillierCiphertext cf = r.ciphertext(committee);
      ECPoint v = r.point();
      RangeProof range = RangeProof.fromBytes(r.take(RangeProof.encodedLength(RANGE_BITS, 2)), RANGE_BITS, 2);
      OneHotProof pc = OneHotProof.read(r, committee, IcdChapter.COUNT);
      OneHotProof pb = OneHotProof.read(r, committee, AgeBand.COUNT);
      FeeLink link = FeeLink.read(r, committee);
      if (r.hasRemaining()) {
        throw new MalformedInputException(Wire.MALFORMED, "trailing bytes after the contribution");
      }
      return new StatsContribution(cc, cb, cf, v, range, pc, pb, link);
    } catch (BufferUnderflowException ex) {
      throw new MalformedInputException(Wire.MALFORMED, "statistical contribution is truncated", ex);
    }
  }
}
