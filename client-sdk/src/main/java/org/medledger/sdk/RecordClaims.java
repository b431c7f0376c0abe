package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.sdk.RecordClient.ClaimInfo;
import org.medledger.sdk.RecordClient.Opened;
import org.medledger.sdk.internal.Requests;

/**
 * The claims side of {@link RecordClient} (docs/records.md §5): a hospital files a claim with its
 * fee encrypted three ways; an insurer settles it (logged read, fee check, confidential transfer,
 * link) or rejects it.
 */
final class RecordClaims {
  private final RecordCore core;
  private final RecordGrantee reader;
  private AccountClient payments;

  RecordClaims(RecordCore core, RecordGrantee reader) {
    this.core = core;
    this.reader = reader;
  }

  String fileClaim(String recordId, String insurer, long fee) throws LedgerCallException, ClientRefusalException {
    if (fee < 0) {
      throw new ClientRefusalException(ClientError.BAD_AMOUNT, "a fee is not negative, not " + fee);
    }
    Requests rq = core.requests;
    PaillierPublicKey mine = core.secrets.paillier().publicKey();
    PaillierPublicKey ins = rq.key(insurer);
    PaillierPublicKey reg = rq.key(rq.regulator());
    String response = rq.submit("records:fileClaim", nonce -> {
      JsonObject b = rq.body("claim.file", nonce);
      b.addProperty("claimId", RecordProtocol.claimId(core.ledger.channel(), core.ledger.chaincode(), core.accountId(), nonce));
      b.addProperty("recordId", recordId);
      b.addProperty("insurer", insurer);
      b.addProperty("feeHospital", Requests.b64(mine.encrypt(fee, rq.random()).toBytes()));
      b.addProperty("feeInsurer", Requests.b64(ins.encrypt(fee, rq.random()).toBytes()));
      b.addProperty("feeRegulator", Requests.b64(reg.encrypt(fee, rq.random()).toBytes()));
      return b;
    });
    return CanonicalJson.parseObject(response).get("claimId").getAsString();
  }

  ClaimInfo settleClaim(String claimId, String grantId)
      throws LedgerCallException, RecordAccessDeniedException, RecordIntegrityException, ClientRefusalException {
    ClaimInfo c = claim(claimId);
    if (!c.insurer().equals(core.accountId()) || !c.status().equals("FILED")) {
      throw new ClientRefusalException(ClientError.NOT_CLAIM_PARTY, claimId + " is not open on this insurer");
    }
    Opened record = reader.read(grantId, c.recordId());
    long recordFee = record.medicalRecord().fee();
    if (recordFee != c.fee()) {
      throw new ClientRefusalException(ClientError.FEE_MISMATCH, "the claim asks " + c.fee() + ", the record says " + recordFee);
    }
    String transferTx = payments().pay(c.hospital(), c.fee()).txId();
    try {
      return linkSettlement(claimId, transferTx, record.readTx());
    } catch (LedgerCallException e) {
      throw new LedgerCallException(e.kind(), e.errorCode(), e.txId(), "payment " + transferTx
          + " committed but linking it failed; call linkSettlement(" + claimId + ", " + transferTx + ", "
          + record.readTx() + "): " + e.getMessage());
    }
  }

  ClaimInfo linkSettlement(String claimId, String transferTx, String readTx) throws LedgerCallException {
    return claimInfo(CanonicalJson.parseObject(core.requests.submit("records:settleClaim", nonce -> {
      JsonObject b = core.requests.body("claim.settle", nonce);
      b.addProperty("claimId", claimId);
      b.addProperty("transferTx", transferTx);
      b.addProperty("readTx", readTx);
      return b;
    })));
  }

  ClaimInfo rejectClaim(String claimId, String reason) throws LedgerCallException {
    return claimInfo(CanonicalJson.parseObject(core.requests.submit("records:rejectClaim", nonce -> {
      JsonObject b = core.requests.body("claim.reject", nonce);
      b.addProperty("claimId", claimId);
      b.addProperty("reason", reason);
      return b;
    })));
  }

  ClaimInfo claim(String claimId) throws LedgerCallException {
    return claimInfo(CanonicalJson.parseObject(core.ledger.evaluate("records:getClaim", claimId)));
  }

  List<ClaimInfo> claims() throws LedgerCallException {
    List<ClaimInfo> out = new ArrayList<>();
    for (JsonObject o : core.requests.pages("records:listClaims", core.accountId())) {
      out.add(claimInfo(o));
    }
    return out;
  }

  private synchronized AccountClient payments() {
    if (payments == null) {
      payments = new AccountClient(core.secrets, core.ledger, core.requests.random());
    }
    return payments;
  }

  private ClaimInfo claimInfo(JsonObject o) {
    String me = core.accountId();
    String field = me.equals(o.get("hospital").getAsString()) ? "feeHospital"
        : me.equals(o.get("insurer").getAsString()) ? "feeInsurer"
        : core.secrets.role() == Role.REGULATOR ? "feeRegulator" : null;
    long fee = -1;
    if (field != null) {
      PaillierSecretKey sk = core.secrets.paillier();
      try {
        fee = sk.decryptAmount(PaillierCiphertext.fromBytes(Requests.unb64(o.get(field).getAsString()), sk.publicKey()));
      } catch (CryptoException notAnAmount) {
        fee = -1; // the hospital's ciphertext does not hold an amount: unreadable, as for a non-party
      }
    }
    JsonObject closed = o.has("closed") ? o.getAsJsonObject("closed") : new JsonObject();
    return new ClaimInfo(o.get("claimId").getAsString(), o.get("hospital").getAsString(), o.get("insurer").getAsString(),
        o.get("patient").getAsString(), o.get("recordId").getAsString(), fee, o.get("status").getAsString(),
        RecordCore.opt(closed, "transferTx"), RecordCore.opt(closed, "readTx"), RecordCore.opt(closed, "reason"),
        java.time.Instant.parse(o.get("timestamp").getAsString()), o.get("txId").getAsString());
  }
}
