package org.medledger.chaincode;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.medledger.protocol.RecordProtocol;

/**
 * Medical records on chain (docs/chaincode.md §8, docs/records.md): a hospital writes a record
 * encrypted under the patient's key with its record proof; corrections are new versions; the
 * patient grants, shares and revokes access with re-encrypted copies whose proofs are verified
 * here; a grantee reads through a submitted transaction that is logged, granted or denied; claims
 * link a record, the insurer's consented read and the confidential transfer that settles them.
 *
 * <p>This class is the contract's interface only: the function names, their arguments and
 * intents, as Fabric's router and the embedded ledger's {@link ContractDispatcher} see them
 * ({@code EntryCheck} lists the same signatures). Each function delegates to the package-private
 * class of its part: {@code Records} (set-up and records), {@code Consent} (grants and copies),
 * {@code AccessLog} (reads and trails) and {@code Claims}.
 */
@Contract(name = "records", info = @Info(title = "MedLedger records", version = "0.1.0"))
public final class RecordContract implements ContractInterface {

  // ------------------------------------------------------------------------------- set-up

  /**
   * The regulator publishes the channel's ring-Pedersen parameters (N̂, s, t) and their Π^prm
   * proof, once; the proof is verified here (docs/protocol.md §5.4, with its trust assumption).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String setup(Context ctx, String requestJson) {
    return Records.setup(ctx, requestJson);
  }

  /** The published ring-Pedersen parameters and proof (clients validate them once). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getSetup(Context ctx) {
    return Records.getSetup(ctx);
  }

  // ------------------------------------------------------------------------------- records

  /** A hospital writes a new record for a patient: segments under the patient's key, record proof, signature. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String write(Context ctx, String requestJson) {
    return Records.write(ctx, requestJson);
  }

  /**
   * The author of a record writes a corrected version: a new record that names the one it
   * replaces. Only the latest version can be corrected, so versions form one chain.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String correct(Context ctx, String requestJson) {
    return Records.correct(ctx, requestJson);
  }

  /** A record's description, the record that replaced it (if any) and its signed write request. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getRecord(Context ctx, String recordId) {
    return Records.getRecord(ctx, recordId);
  }

  /** One page of a patient's records (descriptions only, no ciphertexts), oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listRecords(Context ctx, String patient, String pageSize, String bookmark) {
    return Records.listRecords(ctx, patient, pageSize, bookmark);
  }

  // ------------------------------------------------------------------------------- consent

  /**
   * The patient grants a hospital, insurer, doctor or the regulator access to one record or to a
   * type of records, optionally until an expiry; the grant carries re-encrypted copies (at most
   * {@link RecordProtocol#MAX_COPIES_PER_TX}) whose re-encryption proofs are verified here.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String grant(Context ctx, String requestJson) {
    return Consent.grant(ctx, requestJson);
  }

  /**
   * The patient adds copies under an active category grant: records of that type written or
   * corrected after the grant, or more than one transaction could carry.
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String share(Context ctx, String requestJson) {
    return Consent.share(ctx, requestJson);
  }

  /**
   * The patient revokes a grant: every later read under it is denied. What the grantee already
   * decrypted, and the copies already on the ledger, cannot be taken back (docs/records.md §3).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String revoke(Context ctx, String requestJson) {
    return Consent.revoke(ctx, requestJson);
  }

  /** A grant, with its revocation if revoked. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getGrant(Context ctx, String grantId) {
    return Consent.getGrant(ctx, grantId);
  }

  /** One page of the grants an account made (patient) or received (grantee). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listGrants(Context ctx, String account, String pageSize, String bookmark) {
    return Consent.listGrants(ctx, account, pageSize, bookmark);
  }

  /** One page of the record ids a grant has copies of (no ciphertexts). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listCopies(Context ctx, String grantId, String pageSize, String bookmark) {
    return Consent.listCopies(ctx, grantId, pageSize, bookmark);
  }

  // ------------------------------------------------------------------------------- access log

  /**
   * A grantee reads a record: a submitted transaction that always commits an access-log entry,
   * GRANTED with the grantee's copy or DENIED with a stable code (docs/chaincode.md §8.2).
   */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String read(Context ctx, String requestJson) {
    return AccessLog.read(ctx, requestJson);
  }

  /** The patient's own access trail, oldest first, for a query the patient signed (QUERY_EXPIRED when stale). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String trail(Context ctx, String signedQuery, String pageSize, String bookmark) {
    return AccessLog.trail(ctx, signedQuery, pageSize, bookmark);
  }

  /** The regulator's view of the access trail: every patient's ({@code patient} = "") or one patient's. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String auditTrail(Context ctx, String patient, String pageSize, String bookmark) {
    return AccessLog.auditTrail(ctx, patient, pageSize, bookmark);
  }

  // ------------------------------------------------------------------------------- claims

  /** The author of a record files a claim on an insurer for it; one claim per correction chain. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String fileClaim(Context ctx, String requestJson) {
    return Claims.fileClaim(ctx, requestJson);
  }

  /** The claim's insurer links the transfer that settles it and its consented read of the record. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String settleClaim(Context ctx, String requestJson) {
    return Claims.settleClaim(ctx, requestJson);
  }

  /** The claim's insurer rejects it, with a reason that is stored in clear. */
  @Transaction(intent = Transaction.TYPE.SUBMIT)
  public String rejectClaim(Context ctx, String requestJson) {
    return Claims.rejectClaim(ctx, requestJson);
  }

  /** A claim with its status (FILED, SETTLED with its transfer and read, or REJECTED). */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String getClaim(Context ctx, String claimId) {
    return Claims.getClaim(ctx, claimId);
  }

  /** One page of the claims an account is party to (hospital, insurer or patient), oldest first. */
  @Transaction(intent = Transaction.TYPE.EVALUATE)
  public String listClaims(Context ctx, String account, String pageSize, String bookmark) {
    return Claims.listClaims(ctx, account, pageSize, bookmark);
  }

  /** Fabric's router calls this for a function the contract lacks; refuse it with a stable code. */
  @Override
  public void unknownTransaction(Context ctx) {
    throw Contracts.unknownFunction(ctx);
  }
}
