package org.medledger.sdk;

import com.google.gson.JsonObject;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.record.RecordCipher;
import org.medledger.crypto.stats.StatsOpening;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.StatsProtocol;
import org.medledger.sdk.RecordClient.RecordInfo;
import org.medledger.sdk.RecordClient.Written;
import org.medledger.sdk.internal.Requests;

/** The author's side of {@link RecordClient}: a hospital writes and corrects records (docs/records.md §2). */
final class RecordAuthor {
  private final RecordCore core;

  RecordAuthor(RecordCore core) {
    this.core = core;
  }

  Written writeDocument(String patient, String recordType, byte[] document)
      throws LedgerCallException, ClientRefusalException {
    return writeDocument(patient, recordType, document, null, null);
  }

  /**
   * As above; with a {@code visit}, attaches the record's statistical contribution (rebuilt for the
   * record id of each attempt's nonce) and leaves its opening in {@code opening[0]}.
   */
  Written writeDocument(String patient, String recordType, byte[] document, StatsVisit visit, StatsOpening[] opening)
      throws LedgerCallException, ClientRefusalException {
    if (!RecordProtocol.RECORD_TYPE.matcher(recordType).matches()) {
      throw new ClientRefusalException(ClientError.BAD_RECORD_TYPE, "record type must be 1..32 of a-z, 0-9 and '-'");
    }
    byte[] plaintext = plaintext(document);
    if (visit != null) {
      StatsClient.requireCommittee(core.ledger);
    }
    PaillierPublicKey pk = core.requests.key(patient);
    return written(core.requests.submit("records:write", nonce -> {
      JsonObject b = recordBody("record.write", nonce, patient, pk, recordType, plaintext, "");
      if (visit != null) {
        // The bucket month is the transaction's; a write that straddles a month end is refused and retried by the caller.
        StatsOpening o = StatsClient.contribution(core.requests, core.ledger, core.requests.random(),
            b.get("recordId").getAsString(), StatsProtocol.month(core.ledger.queryTime()), visit);
        b.addProperty("stats", Requests.b64(o.contribution().toBytes()));
        opening[0] = o;
      }
      return b;
    }));
  }

  Written correctDocument(String recordId, byte[] document) throws LedgerCallException, ClientRefusalException {
    byte[] plaintext = plaintext(document);
    RecordInfo original = RecordCore.recordInfo(core.getRecord(recordId));
    PaillierPublicKey pk = core.requests.key(original.patient());
    return written(core.requests.submit("records:correct", nonce -> recordBody("record.correct", nonce, original.patient(), pk,
        original.recordType(), plaintext, recordId)));
  }

  private byte[] plaintext(byte[] document) throws ClientRefusalException {
    if (document.length > RecordClient.MAX_DOCUMENT_BYTES) {
      throw new ClientRefusalException(ClientError.RECORD_TOO_LARGE, "a document has at most "
          + RecordClient.MAX_DOCUMENT_BYTES + " bytes");
    }
    byte[] p = new byte[RecordClient.SALT_BYTES + document.length];
    byte[] salt = new byte[RecordClient.SALT_BYTES];
    core.requests.random().nextBytes(salt);
    System.arraycopy(salt, 0, p, 0, RecordClient.SALT_BYTES);
    System.arraycopy(document, 0, p, RecordClient.SALT_BYTES, document.length);
    return p;
  }

  private JsonObject recordBody(String type, long nonce, String patient, PaillierPublicKey pk, String recordType,
      byte[] plaintext, String replaces) {
    LedgerConnection ledger = core.ledger;
    String id = RecordProtocol.recordId(ledger.channel(), ledger.chaincode(), core.accountId(), nonce);
    RecordCipher.Sealed sealed = RecordCipher.encrypt(plaintext, id, pk, core.requests.random());
    byte[] ctx = RecordProtocol.recordProofContext(ledger.channel(), ledger.chaincode(), core.accountId(), patient,
        recordType, replaces);
    RecordProof proof = RecordProof.prove(pk, sealed.record(), sealed.opening(), ctx, core.requests.random());
    JsonObject b = core.requests.body(type, nonce);
    b.addProperty("recordId", id);
    b.addProperty("patient", patient);
    b.addProperty("recordType", recordType);
    b.addProperty("record", Requests.b64(sealed.record().toBytes()));
    b.addProperty("proof", Requests.b64(proof.toBytes(pk)));
    b.addProperty("commitment", RecordProtocol.commitment(plaintext));
    if (!replaces.isEmpty()) {
      b.addProperty("replaces", replaces);
    }
    return b;
  }

  private static Written written(String response) {
    JsonObject o = CanonicalJson.parseObject(response);
    return new Written(o.get("recordId").getAsString(), o.get("txId").getAsString(), o.get("version").getAsLong());
  }
}
