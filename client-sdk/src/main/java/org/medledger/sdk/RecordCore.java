package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.crypto.record.EncryptedRecord;
import org.medledger.crypto.record.RecordCipher;
import org.medledger.crypto.record.SegmentLayout;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.sdk.RecordClient.Access;
import org.medledger.sdk.RecordClient.GrantInfo;
import org.medledger.sdk.RecordClient.RecordInfo;
import org.medledger.sdk.internal.Requests;

/**
 * What the record roles of {@link RecordClient} share: the request layer, the channel's validated
 * ring-Pedersen parameters, record reads and decryption, and the parsing of the ledger's answers.
 */
final class RecordCore {
  final Requests requests;
  final AccountSecrets secrets;
  final LedgerConnection ledger;
  private volatile RingPedersenParams ringPedersen;

  RecordCore(Requests requests) {
    this.requests = requests;
    this.secrets = requests.secrets();
    this.ledger = requests.ledger();
  }

  String accountId() {
    return secrets.accountId();
  }

  /** The channel's parameters, validated (Π^prm) once per client. */
  RingPedersenParams ringPedersen() throws LedgerCallException {
    RingPedersenParams rp = ringPedersen;
    if (rp == null) {
      rp = RingPedersenSetup.fetch(ledger);
      ringPedersen = rp;
    }
    return rp;
  }

  /** {@code records:getRecord} as the ledger answers it. */
  JsonObject getRecord(String recordId) throws LedgerCallException {
    return CanonicalJson.parseObject(ledger.evaluate("records:getRecord", recordId));
  }

  /** The record the patient's key opens, from a {@code records:getRecord} answer. */
  EncryptedRecord storedRecord(JsonObject getRecordResponse) {
    JsonObject body = getRecordResponse.getAsJsonObject("request").getAsJsonObject("body");
    return EncryptedRecord.fromBytes(Requests.unb64(body.get("record").getAsString()), secrets.paillier().publicKey(),
        SegmentLayout.MAX_SEGMENTS);
  }

  /** Refuses a record or grant that is not this patient's. */
  void requirePatient(String patient, String what) throws ClientRefusalException {
    if (!patient.equals(accountId())) {
      throw new ClientRefusalException(ClientError.NOT_RECORD_PATIENT, what);
    }
  }

  /** Decrypts, reassembles, checks the author's commitment and strips the salt. */
  byte[] document(RecordInfo info, EncryptedRecord enc) throws RecordIntegrityException {
    PaillierSecretKey sk = secrets.paillier();
    byte[] plaintext;
    try {
      plaintext = RecordCipher.decrypt(enc, sk);
    } catch (CryptoException e) {
      throw new RecordIntegrityException("RECORD_CORRUPT", info.recordId(), e.getMessage());
    }
    if (!RecordProtocol.commitment(plaintext).equals(info.commitment()) || plaintext.length < RecordClient.SALT_BYTES) {
      throw new RecordIntegrityException("COMMITMENT_MISMATCH", info.recordId(),
          "the decrypted record is not the one its author committed to");
    }
    return Arrays.copyOfRange(plaintext, RecordClient.SALT_BYTES, plaintext.length);
  }

  static RecordInfo recordInfo(JsonObject o) {
    return new RecordInfo(o.get("recordId").getAsString(), o.get("patient").getAsString(), o.get("author").getAsString(),
        o.get("recordType").getAsString(), o.get("version").getAsLong(), opt(o, "replaces"), opt(o, "supersededBy"),
        Instant.parse(o.get("timestamp").getAsString()), o.get("txId").getAsString(), o.get("commitment").getAsString());
  }

  static GrantInfo grantInfo(JsonObject o) {
    long exp = o.get("expiresAt").getAsLong();
    return new GrantInfo(o.get("grantId").getAsString(), o.get("patient").getAsString(), o.get("grantee").getAsString(),
        o.get("scope").getAsString(), o.get("target").getAsString(), exp == 0 ? null : Instant.ofEpochSecond(exp),
        Instant.parse(o.get("timestamp").getAsString()), o.has("revoked"));
  }

  static Access access(JsonObject o) {
    boolean granted = o.get("outcome").getAsString().equals("GRANTED");
    return new Access(o.get("txId").getAsString(), Instant.parse(o.get("timestamp").getAsString()),
        o.get("reader").getAsString(), o.get("grantId").getAsString(), o.get("recordId").getAsString(), opt(o, "patient"),
        granted, opt(o, "code"));
  }

  static String opt(JsonObject o, String name) {
    return o.has(name) ? o.get(name).getAsString() : "";
  }
}
