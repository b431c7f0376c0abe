package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.SegmentLayout;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.RecordClient.Access;
import org.medledger.sdk.RecordClient.Opened;
import org.medledger.sdk.RecordClient.RecordInfo;
import org.medledger.sdk.internal.Requests;

/**
 * The reading side of {@link RecordClient} (docs/records.md §4): a grantee's logged read of its
 * copy, and the access trail those reads leave, as the patient and the regulator query it.
 */
final class RecordGrantee {
  private final RecordCore core;

  RecordGrantee(RecordCore core) {
    this.core = core;
  }

  Opened read(String grantId, String recordId)
      throws LedgerCallException, RecordAccessDeniedException, RecordIntegrityException {
    JsonObject r = CanonicalJson.parseObject(core.requests.submit("records:read", nonce -> {
      JsonObject b = core.requests.body("record.read", nonce);
      b.addProperty("grantId", grantId);
      b.addProperty("recordId", recordId);
      return b;
    }));
    String tx = r.get("txId").getAsString();
    if (!r.get("outcome").getAsString().equals("GRANTED")) {
      throw new RecordAccessDeniedException(r.get("code").getAsString(), tx, grantId, recordId);
    }
    RecordInfo info = RecordCore.recordInfo(r.getAsJsonObject("record"));
    EncryptedRecord copy;
    try {
      copy = EncryptedRecord.fromBytes(Requests.unb64(r.get("copy").getAsString()), core.secrets.paillier().publicKey(),
          SegmentLayout.MAX_SEGMENTS);
    } catch (CryptoException e) {
      throw new RecordIntegrityException("RECORD_CORRUPT", recordId, e.getMessage());
    }
    return new Opened(info, core.document(info, copy), tx);
  }

  List<Access> trail() throws LedgerCallException {
    JsonObject q = new JsonObject();
    q.addProperty("type", "record.trail");
    q.addProperty("account", core.accountId());
    q.addProperty("notAfter", core.ledger.queryTime().plus(RecordClient.TRAIL_QUERY_VALIDITY).getEpochSecond());
    return accesses(core.requests.pages("records:trail", core.requests.sign(q)));
  }

  List<Access> auditTrail(String patient) throws LedgerCallException {
    return accesses(core.requests.pages("records:auditTrail", patient));
  }

  private static List<Access> accesses(List<JsonObject> items) {
    List<Access> out = new ArrayList<>();
    for (JsonObject o : items) {
      out.add(RecordCore.access(o));
    }
    return out;
  }
}
