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

  /** The decoded key; the bytes were validated when they were stored. */
  ThresholdPublicKey key() {
    try {
      return ThresholdPublicKey.fromBytes(publicKey);
    } catch (CryptoException e) {
      throw LedgerException.of(ErrorCode.MALFORMED_COMMITTEE_KEY, "stored committee key is invalid");
    }
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
