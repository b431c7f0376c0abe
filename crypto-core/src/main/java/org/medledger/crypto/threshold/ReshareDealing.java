package org.medledger.crypto.threshold;

import java.math.BigInteger;
import java.util.Arrays;
import org.medledger.crypto.internal.Bytes;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.crypto.MalformedInputException;

/**
 * The public message of one old member in a re-sharing (docs/protocol.md §10.4): the old
 * committee's fingerprint, the dealer i, the qualified old set S, the new shape (t', m') and the
 * Feldman commitments E_k = v^{Δ'·b_k} to the coefficients of its integer polynomial
 * g_i(X) = Σ b_k X^k, b_0 = Δ'·μ_i·Δ·s_i. Says nothing about validity until
 * {@link Resharing#verifyDealing} has accepted it.
 */
public final class ReshareDealing {
  static final byte TYPE = 0x33;
  static final byte VERSION = 1;
  static final String MALFORMED = "MALFORMED_RESHARE";

  private final byte[] committee;
  private final int dealer;
  private final int[] set;
  private final int newThreshold;
  private final int newMembers;
  private final BigInteger[] commitments;

  ReshareDealing(byte[] committee, int dealer, int[] set, int newThreshold, int newMembers, BigInteger[] commitments) {
    this.committee = committee.clone();
    this.dealer = dealer;
    this.set = set.clone();
    this.newThreshold = newThreshold;
    this.newMembers = newMembers;
    this.commitments = commitments.clone();
  }

  public int dealer() {
    return dealer;
  }

  public int[] set() {
    return set.clone();
  }

  public int newThreshold() {
    return newThreshold;
  }

  public int newMembers() {
    return newMembers;
  }

  byte[] committee() {
    return committee;
  }

  BigInteger commitment(int k) {
    return commitments[k];
  }

  int commitmentCount() {
    return commitments.length;
  }

  /**
   * type 0x33, version 1, u16 k ‖ old committee fingerprint (32) ‖ u16 i ‖ u16 |S| ‖ S (u16 each,
   * ascending) ‖ u16 t' ‖ u16 m' ‖ E_0 … E_{t'−1} (k/4 bytes each).
   */
  public byte[] toBytes(int keyBits) {
    int full = keyBits / 4;
    byte[] out = new byte[EncodingHeader.LENGTH + 32 + 4 + 2 * set.length + 4 + commitments.length * full];
    int at = ThresholdPublicKey.put(out, 0, EncodingHeader.of(TYPE, VERSION, keyBits));
    at = ThresholdPublicKey.put(out, at, committee);
    at = ThresholdPublicKey.putU16(out, at, dealer);
    at = ThresholdPublicKey.putU16(out, at, set.length);
    for (int j : set) {
      at = ThresholdPublicKey.putU16(out, at, j);
    }
    at = ThresholdPublicKey.putU16(out, at, newThreshold);
    at = ThresholdPublicKey.putU16(out, at, newMembers);
    for (BigInteger e : commitments) {
      at = ThresholdPublicKey.put(out, at, Bytes.fixed(e, full));
    }
    return out;
  }

  /** Strict decoding: lengths, S ascending without repeats, t' ≤ m' ≤ 64, E_k &lt; n². */
  public static ReshareDealing fromBytes(byte[] encoded, ThresholdPublicKey oldPk) {
    int k = EncodingHeader.read(encoded, TYPE, VERSION, MALFORMED, "re-sharing message");
    int full = k / 4;
    if (k != oldPk.paillierKey().bits() || encoded.length < EncodingHeader.LENGTH + 36) {
      throw new MalformedInputException(MALFORMED, "re-sharing message has the wrong size");
    }
    int at = EncodingHeader.LENGTH;
    byte[] fp = Arrays.copyOfRange(encoded, at, at + 32);
    at += 32;
    int dealer = ThresholdPublicKey.u16(encoded, at);
    int size = ThresholdPublicKey.u16(encoded, at + 2);
    at += 4;
    if (size < 1 || size > ThresholdPublicKey.MAX_MEMBERS || encoded.length < at + 2 * size + 4) {
      throw new MalformedInputException(MALFORMED, "re-sharing message has a bad set");
    }
    int[] set = new int[size];
    for (int i = 0; i < size; i++) {
      set[i] = ThresholdPublicKey.u16(encoded, at);
      at += 2;
      if (i > 0 && set[i] <= set[i - 1]) {
        throw new MalformedInputException(MALFORMED, "set is not strictly ascending");
      }
    }
    int t = ThresholdPublicKey.u16(encoded, at);
    int m = ThresholdPublicKey.u16(encoded, at + 2);
    at += 4;
    if (m < 1 || m > ThresholdPublicKey.MAX_MEMBERS || t < 1 || t > m || encoded.length != at + t * full) {
      throw new MalformedInputException(MALFORMED, "re-sharing message has a bad shape or length");
    }
    BigInteger[] e = new BigInteger[t];
    for (int i = 0; i < t; i++) {
      e[i] = new BigInteger(1, Arrays.copyOfRange(encoded, at, at + full));
      at += full;
    }
    return new ReshareDealing(fp, dealer, set, t, m, e);
  }

  @Override
  public String toString() {
    return "ReshareDealing[dealer " + dealer + ", to " + newThreshold + " of " + newMembers + "]";
  }
}
