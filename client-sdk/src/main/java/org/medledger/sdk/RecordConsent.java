package org.medledger.sdk;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.sdk.RecordClient.GrantInfo;
import org.medledger.sdk.RecordClient.RecordInfo;
import org.medledger.sdk.RecordClient.Shared;
import org.medledger.sdk.internal.Requests;

/**
 * The patient's consent side of {@link RecordClient} (docs/records.md §3): grants, shares
 * re-encrypted copies with their proofs, and revokes.
 */
final class RecordConsent {
  /** Copies per grant or share request are packed below this many base64 characters. */
  static final int MAX_COPY_CHARS_PER_TX = 384 * 1024;

  private final RecordCore core;

  RecordConsent(RecordCore core) {
    this.core = core;
  }

  String grantRecord(String grantee, String recordId, Instant expiresAt)
      throws LedgerCallException, RecordIntegrityException, ClientRefusalException {
    JsonObject r = core.getRecord(recordId);
    RecordInfo info = RecordCore.recordInfo(r);
    core.requirePatient(info.patient(), recordId + " is about another patient");
    EncryptedRecord original = core.storedRecord(r);
    core.document(info, original); // never share a record that does not decode
    PaillierPublicKey gpk = core.requests.key(grantee);
    RingPedersenParams rp = core.ringPedersen();
    String response = core.requests.submit("records:grant", nonce -> {
      String grantId = RecordProtocol.grantId(core.ledger.channel(), core.ledger.chaincode(), core.accountId(), nonce);
      JsonArray copies = new JsonArray();
      copies.add(copy(original, gpk, rp, grantId, grantee));
      return grantBody(nonce, grantId, grantee, "RECORD", recordId, expiresAt, copies);
    });
    return CanonicalJson.parseObject(response).get("grantId").getAsString();
  }

  Shared grantCategory(String grantee, String recordType, Instant expiresAt) throws LedgerCallException {
    List<String> unreadable = new ArrayList<>();
    List<EncryptedRecord> toShare = shareable(recordType, Set.of(), unreadable);
    PaillierPublicKey gpk = core.requests.key(grantee);
    RingPedersenParams rp = core.ringPedersen();
    List<List<EncryptedRecord>> batches = batches(toShare, gpk);
    List<EncryptedRecord> first = batches.isEmpty() ? List.of() : batches.get(0);
    String response = core.requests.submit("records:grant", nonce -> {
      String grantId = RecordProtocol.grantId(core.ledger.channel(), core.ledger.chaincode(), core.accountId(), nonce);
      JsonArray copies = new JsonArray();
      for (EncryptedRecord r : first) {
        copies.add(copy(r, gpk, rp, grantId, grantee));
      }
      return grantBody(nonce, grantId, grantee, "CATEGORY", recordType, expiresAt, copies);
    });
    String grantId = CanonicalJson.parseObject(response).get("grantId").getAsString();
    List<String> shared = new ArrayList<>();
    first.forEach(r -> shared.add(r.recordId()));
    for (List<EncryptedRecord> batch : batches.subList(Math.min(1, batches.size()), batches.size())) {
      shareBatch(grantId, grantee, gpk, rp, batch);
      batch.forEach(r -> shared.add(r.recordId()));
    }
    return new Shared(grantId, shared, unreadable);
  }

  Shared share(String grantId) throws LedgerCallException, ClientRefusalException {
    GrantInfo g = grant(grantId);
    core.requirePatient(g.patient(), grantId + " is another patient's grant");
    if (!g.scope().equals("CATEGORY")) {
      return new Shared(grantId, List.of(), List.of()); // a record grant carries its only copy
    }
    Set<String> copied = new HashSet<>();
    for (JsonObject c : core.requests.pages("records:listCopies", grantId)) {
      copied.add(c.get("recordId").getAsString());
    }
    List<String> unreadable = new ArrayList<>();
    List<EncryptedRecord> toShare = shareable(g.target(), copied, unreadable);
    PaillierPublicKey gpk = core.requests.key(g.grantee());
    RingPedersenParams rp = core.ringPedersen();
    List<String> shared = new ArrayList<>();
    for (List<EncryptedRecord> batch : batches(toShare, gpk)) {
      shareBatch(grantId, g.grantee(), gpk, rp, batch);
      batch.forEach(r -> shared.add(r.recordId()));
    }
    return new Shared(grantId, shared, unreadable);
  }

  void revoke(String grantId) throws LedgerCallException {
    core.requests.submit("records:revoke", nonce -> {
      JsonObject b = core.requests.body("record.revoke", nonce);
      b.addProperty("grantId", grantId);
      return b;
    });
  }

  GrantInfo grant(String grantId) throws LedgerCallException {
    return RecordCore.grantInfo(CanonicalJson.parseObject(core.ledger.evaluate("records:getGrant", grantId)));
  }

  List<GrantInfo> grants() throws LedgerCallException {
    List<GrantInfo> out = new ArrayList<>();
    for (JsonObject o : core.requests.pages("records:listGrants", core.accountId())) {
      out.add(RecordCore.grantInfo(o));
    }
    return out;
  }

  private void shareBatch(String grantId, String grantee, PaillierPublicKey gpk, RingPedersenParams rp,
      List<EncryptedRecord> batch) throws LedgerCallException {
    JsonArray copies = new JsonArray();
    for (EncryptedRecord r : batch) {
      copies.add(copy(r, gpk, rp, grantId, grantee)); // the proof's context does not depend on the nonce
    }
    core.requests.submit("records:share", nonce -> {
      JsonObject b = core.requests.body("record.share", nonce);
      b.addProperty("grantId", grantId);
      b.add("copies", copies);
      return b;
    });
  }

  /** This patient's records of {@code recordType} not in {@code except} that decode; the others go to {@code unreadable}. */
  private List<EncryptedRecord> shareable(String recordType, Set<String> except, List<String> unreadable)
      throws LedgerCallException {
    List<EncryptedRecord> out = new ArrayList<>();
    for (JsonObject o : core.requests.pages("records:listRecords", core.accountId())) {
      RecordInfo info = RecordCore.recordInfo(o);
      if (!info.recordType().equals(recordType) || except.contains(info.recordId())) {
        continue;
      }
      EncryptedRecord enc = core.storedRecord(core.getRecord(info.recordId()));
      try {
        core.document(info, enc);
        out.add(enc);
      } catch (RecordIntegrityException e) {
        unreadable.add(info.recordId());
      }
    }
    return out;
  }

  /** Packs copies into requests of at most 8 copies and {@link #MAX_COPY_CHARS_PER_TX} characters. */
  private static List<List<EncryptedRecord>> batches(List<EncryptedRecord> records, PaillierPublicKey grantee) {
    List<List<EncryptedRecord>> out = new ArrayList<>();
    List<EncryptedRecord> current = new ArrayList<>();
    long chars = 0;
    for (EncryptedRecord r : records) {
      long size = 4L * (r.segments().size() * (4L + 2L * grantee.bits() / 8) + 200) / 3 + 12 * 1024;
      if (!current.isEmpty() && (current.size() == RecordProtocol.MAX_COPIES_PER_TX || chars + size > MAX_COPY_CHARS_PER_TX)) {
        out.add(current);
        current = new ArrayList<>();
        chars = 0;
      }
      current.add(r);
      chars += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private JsonObject copy(EncryptedRecord original, PaillierPublicKey gpk, RingPedersenParams rp, String grantId,
      String grantee) {
    byte[] ctx = RecordProtocol.reencryptionContext(core.ledger.channel(), core.ledger.chaincode(), grantId, grantee,
        original.recordId());
    ReencryptionProof.Reencrypted re = ReencryptionProof.reencrypt(core.secrets.paillier(), gpk, original, rp, ctx,
        core.requests.random());
    JsonObject c = new JsonObject();
    c.addProperty("recordId", original.recordId());
    c.addProperty("copy", Requests.b64(re.record().toBytes()));
    c.addProperty("proof", Requests.b64(re.proof().toBytes()));
    return c;
  }

  private JsonObject grantBody(long nonce, String grantId, String grantee, String scope, String target, Instant expiresAt,
      JsonArray copies) {
    JsonObject b = core.requests.body("record.grant", nonce);
    b.addProperty("grantId", grantId);
    b.addProperty("grantee", grantee);
    b.addProperty("scope", scope);
    b.addProperty("target", target);
    b.addProperty("expiresAt", expiresAt == null ? 0 : expiresAt.getEpochSecond());
    b.add("copies", copies);
    return b;
  }
}
