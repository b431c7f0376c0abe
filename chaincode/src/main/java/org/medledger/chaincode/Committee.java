package org.medledger.chaincode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.ErrorCode;

/**
 * The regulator committee as stored under {@code committee} (docs/chaincode.md §10.1): the
 * threshold public key of the current epoch (its n is the regulator account's Paillier key), the
 * member account ids in share-index order (member i holds share i), the epoch (0 at registration,
 * +1 at each re-sharing) and the sequence number of the next committee act in this epoch.
 */
record Committee(byte[] publicKey, List<String> members, long epoch, long seq, String registrationTx) {
  static final String KEY = "committee";

  Committee {
    members = List.copyOf(members);
  }

  /** The stored committee, or null before committee:register. */
  static Committee find(Ledger ledger) {
    JsonObject o = ledger.get(ledger.key(KEY));
    return o == null ? null : fromJson(o);
  }

  /** The stored committee; NO_COMMITTEE before committee:register. */
  static Committee load(Ledger ledger) {
    Committee c = find(ledger);
    if (c == null) {
      throw LedgerException.of(ErrorCode.NO_COMMITTEE, "register the regulator committee first");
    }
    return c;
  }

  void save(Ledger ledger) {
    ledger.put(ledger.key(KEY), toJson());
  }

  /**
   * The decoded key; the bytes were validated when they were stored. Decoding re-runs the key's
   * validation ((m − t)·t exponentiations, up to seconds for m = 64), so the last few decoded keys
   * are kept in {@link #DECODED}: immutable values, looked up by SHA-256 of the exact stored bytes,
   * so a hit returns what decoding would (docs/chaincode.md §1).
   */
  ThresholdPublicKey key() {
    String id = java.util.HexFormat.of().formatHex(sha256(publicKey));
    synchronized (DECODED) {
      ThresholdPublicKey k = DECODED.get(id);
      if (k != null) {
        return k;
      }
    }
    ThresholdPublicKey k;
    try {
      k = ThresholdPublicKey.fromBytes(publicKey);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_COMMITTEE_KEY, "stored committee key is invalid");
    }
    synchronized (DECODED) {
      DECODED.put(id, k);
    }
    return k;
  }

  /** Decoded committee keys, at most {@link #CACHED_KEYS}, least recently used evicted. */
  private static final int CACHED_KEYS = 4;
  private static final java.util.Map<String, ThresholdPublicKey> DECODED =
      new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, ThresholdPublicKey> e) {
          return size() > CACHED_KEYS;
        }
      };

  private static byte[] sha256(byte[] b) {
    org.bouncycastle.crypto.digests.SHA256Digest d = new org.bouncycastle.crypto.digests.SHA256Digest();
    d.update(b, 0, b.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** Member index (1-based) of {@code account}, or 0 if it is not a current member. */
  int indexOf(String account) {
    return members.indexOf(account) + 1;
  }

  /** NOT_COMMITTEE_MEMBER unless {@code account} is a current member; returns its index. */
  int requireMember(String account) {
    int i = indexOf(account);
    if (i == 0) {
      throw LedgerException.of(ErrorCode.NOT_COMMITTEE_MEMBER, account + " is not a member of the committee of epoch "
          + epoch);
    }
    return i;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("publicKey", Base64.getEncoder().encodeToString(publicKey));
    JsonArray a = new JsonArray();
    members.forEach(a::add);
    o.add("members", a);
    o.addProperty("epoch", epoch);
    o.addProperty("seq", seq);
    o.addProperty("registrationTx", registrationTx);
    return o;
  }

  static Committee fromJson(JsonObject o) {
    List<String> m = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray("members")) {
      m.add(e.getAsString());
    }
    return new Committee(Base64.getDecoder().decode(o.get("publicKey").getAsString()), m, o.get("epoch").getAsLong(),
        o.get("seq").getAsLong(), o.get("registrationTx").getAsString());
  }
}
