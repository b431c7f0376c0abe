package org.medledger.sdk;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.SecretAccess;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierPublicKey;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.proof.RecordProof;
import org.medledger.crypto.proof.ReencryptionProof;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.protocol.SignedRequest;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.protocol.RecordProtocol;
import org.medledger.sdk.internal.Requests;

/**
 * One account's client for medical records (docs/client-sdk.md §8, docs/records.md). A hospital
 * writes and corrects records under the patient's public key and files claims; a patient opens
 * its records, grants, shares and revokes access and lists who read what; a grantee reads with a
 * logged transaction and decrypts its copy; an insurer settles claims by a confidential transfer;
 * the regulator publishes the ring-Pedersen parameters and audits the trail. The account's
 * secrets never leave this object. Works over any {@link LedgerConnection}.
 *
 * <p>A thin facade over one package-private class per role (author, patient consent, grantee and
 * trail, claims) that share the request layer: requests that lose an MVCC race or find their nonce
 * moved are rebuilt and resubmitted, at most {@link #MAX_ATTEMPTS} times; any other refusal is
 * returned at once. A check the client makes itself throws {@link ClientRefusalException}, with
 * nothing sent.
 */
public final class RecordClient {
  /** Attempts per request (first try plus retries after a conflict or a moved nonce). */
  public static final int MAX_ATTEMPTS = Requests.MAX_ATTEMPTS;
  /** Random bytes at the front of every plaintext, so the author's commitment hides the record. */
  public static final int SALT_BYTES = 16;
  /** Largest document the client encrypts: the chaincode's limit less the salt. */
  public static final int MAX_DOCUMENT_BYTES = RecordProtocol.MAX_RECORD_BYTES - SALT_BYTES;
  /**
   * How long a signed trail query stays valid: half the chaincode's bound
   * ({@link RecordProtocol#MAX_QUERY_VALIDITY_SECONDS}), leaving room for clock skew.
   */
  public static final Duration TRAIL_QUERY_VALIDITY = Duration.ofSeconds(RecordProtocol.MAX_QUERY_VALIDITY_SECONDS / 2);

  private final RecordCore core;
  private final RecordAuthor author;
  private final RecordConsent consent;
  private final RecordGrantee grantee;
  private final RecordClaims claims;

  /** A client; {@link #builder()} builds the same. */
  public RecordClient(AccountSecrets secrets, LedgerConnection ledger, SecureRandom rnd) {
    this.core = new RecordCore(new Requests(secrets, ledger, rnd));
    this.author = new RecordAuthor(core);
    this.consent = new RecordConsent(core);
    this.grantee = new RecordGrantee(core);
    this.claims = new RecordClaims(core, grantee);
  }

  /** A builder: secrets, ledger and random source are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RecordClient}. */
  public static final class Builder {
    private AccountSecrets secrets;
    private LedgerConnection ledger;
    private SecureRandom rnd;

    private Builder() {}

    /** The account's secrets (required). */
    public Builder secrets(AccountSecrets s) {
      this.secrets = Objects.requireNonNull(s, "secrets");
      return this;
    }

    /** The connection to the ledger (required); several clients may share one. */
    public Builder ledger(LedgerConnection l) {
      this.ledger = Objects.requireNonNull(l, "ledger");
      return this;
    }

    /** The source of every secret the client draws (required). */
    public Builder random(SecureRandom r) {
      this.rnd = Objects.requireNonNull(r, "random");
      return this;
    }

    public RecordClient build() {
      if (secrets == null || ledger == null || rnd == null) {
        throw new IllegalStateException("secrets, ledger and random are required");
      }
      return new RecordClient(secrets, ledger, rnd);
    }
  }

  public String accountId() {
    return core.accountId();
  }

  // ------------------------------------------------------------------------------- results

  /** A record's public description; {@code replaces} and {@code supersededBy} are "" when absent. */
  public record RecordInfo(String recordId, String patient, String author, String recordType, long version,
      String replaces, String supersededBy, Instant timestamp, String txId, String commitment) {}

  /** A written record: its id, the transaction and its version. */
  public record Written(String recordId, String txId, long version) {}

  /**
   * A decrypted record. {@code readTx} is the logged read transaction for a grantee, "" for the
   * patient opening its own record. The document is the author's bytes, usually a Table 1 record.
   */
  public record Opened(RecordInfo info, byte[] document, String readTx) {
    public MedicalRecord medicalRecord() {
      return MedicalRecord.fromJson(document);
    }

    @Override
    public byte[] document() {
      return document.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Opened x && x.info.equals(info) && Arrays.equals(x.document, document) && x.readTx.equals(readTx);
    }

    @Override
    public int hashCode() {
      return info.hashCode() * 31 + Arrays.hashCode(document);
    }

    @Override
    public String toString() {
      return "Opened[" + info.recordId() + ", " + document.length + " bytes, content redacted]";
    }
  }

  /** A grant as stored; {@code expiresAt} is null for a grant without expiry. */
  public record GrantInfo(String grantId, String patient, String grantee, String scope, String target,
      Instant expiresAt, Instant timestamp, boolean revoked) {}

  /** What a grant or share transaction put on the ledger, and which records could not be shared. */
  public record Shared(String grantId, List<String> shared, List<String> unreadable) {}

  /** One access-trail entry; {@code code} is "" for a granted read. */
  public record Access(String txId, Instant timestamp, String reader, String grantId, String recordId,
      String patient, boolean granted, String code) {}

  /**
   * A claim. {@code fee} is decrypted from this account's copy (hospital, insurer or regulator);
   * it is -1 for anyone else, and when the copy does not hold an amount. {@code status} is FILED, SETTLED or REJECTED; the settlement's transfer
   * and read, or the rejection's reason, are "" until then.
   */
  public record ClaimInfo(String claimId, String hospital, String insurer, String patient, String recordId, long fee,
      String status, String transferTx, String readTx, String reason, Instant timestamp, String txId) {}

  // ------------------------------------------------------------------------------- set-up

  /** Regulator: publishes the channel's ring-Pedersen parameters and their Π^prm proof, once. */
  public void publishRingPedersen(byte[] params, byte[] proof) throws LedgerCallException {
    core.requests.submit("records:setup", nonce -> {
      JsonObject b = core.requests.body("record.setup", nonce);
      b.addProperty("params", Requests.b64(params));
      b.addProperty("proof", Requests.b64(proof));
      return b;
    });
  }

  /** The channel's parameters, validated (Π^prm) once per client. */
  RingPedersenParams ringPedersen() throws LedgerCallException {
    return core.ringPedersen();
  }

  // ------------------------------------------------------------------------------- author

  /**
   * Hospital: writes a Table 1 record about {@code patient}.
   *
   * @throws ClientRefusalException BAD_RECORD_TYPE, RECORD_TOO_LARGE
   */
  public Written write(String patient, String recordType, MedicalRecord record) throws LedgerCallException, ClientRefusalException {
    return author.writeDocument(patient, recordType, record.toJson());
  }

  /**
   * Hospital: writes a Table 1 record about {@code patient} with its statistical contribution
   * (docs/protocol.md §11) for {@code visit}, bucketed under this hospital and the month of the
   * write. Returns the write and the contribution's opening, which the hospital keeps (secret).
   *
   * @throws ClientRefusalException BAD_RECORD_TYPE, RECORD_TOO_LARGE
   */
  public StatsClient.Contributed write(String patient, String recordType, MedicalRecord record, StatsVisit visit)
      throws LedgerCallException, ClientRefusalException {
    org.medledger.crypto.stats.StatsOpening[] opening = new org.medledger.crypto.stats.StatsOpening[1];
    Written w = author.writeDocument(patient, recordType, record.toJson(), java.util.Objects.requireNonNull(visit), opening);
    return new StatsClient.Contributed(w, opening[0]);
  }

  /**
   * Hospital: writes any document (at most {@link #MAX_DOCUMENT_BYTES}) about {@code patient}.
   *
   * @throws ClientRefusalException BAD_RECORD_TYPE, RECORD_TOO_LARGE
   */
  public Written writeDocument(String patient, String recordType, byte[] document) throws LedgerCallException, ClientRefusalException {
    return author.writeDocument(patient, recordType, document);
  }

  /**
   * Hospital, author of {@code recordId} (its latest version): writes the corrected record.
   *
   * @throws ClientRefusalException RECORD_TOO_LARGE
   */
  public Written correct(String recordId, MedicalRecord record) throws LedgerCallException, ClientRefusalException {
    return author.correctDocument(recordId, record.toJson());
  }

  /**
   * Hospital, author of {@code recordId}: writes the corrected document.
   *
   * @throws ClientRefusalException RECORD_TOO_LARGE
   */
  public Written correctDocument(String recordId, byte[] document) throws LedgerCallException, ClientRefusalException {
    return author.correctDocument(recordId, document);
  }

  // ------------------------------------------------------------------------------- records

  /** A record's description. */
  public RecordInfo record(String recordId) throws LedgerCallException {
    return RecordCore.recordInfo(core.getRecord(recordId));
  }

  /** Every record about {@code patient}, oldest first (descriptions only). */
  public List<RecordInfo> records(String patient) throws LedgerCallException {
    List<RecordInfo> out = new ArrayList<>();
    for (JsonObject o : core.requests.pages("records:listRecords", patient)) {
      out.add(RecordCore.recordInfo(o));
    }
    return out;
  }

  /**
   * Patient: decrypts one of its own records and checks it against the author's commitment.
   *
   * @throws ClientRefusalException NOT_RECORD_PATIENT for another patient's record
   */
  public Opened open(String recordId) throws LedgerCallException, RecordIntegrityException, ClientRefusalException {
    JsonObject r = core.getRecord(recordId);
    RecordInfo info = RecordCore.recordInfo(r);
    core.requirePatient(info.patient(), recordId + " is about another patient");
    return new Opened(info, core.document(info, core.storedRecord(r)), "");
  }

  // ------------------------------------------------------------------------------- consent

  /**
   * Patient: grants {@code grantee} access to one record, until {@code expiresAt} (null: no
   * expiry). The patient decrypts its record, re-encrypts it for the grantee and proves it.
   * Returns the grant id.
   *
   * @throws ClientRefusalException NOT_RECORD_PATIENT for another patient's record
   */
  public String grantRecord(String grantee, String recordId, Instant expiresAt)
      throws LedgerCallException, RecordIntegrityException, ClientRefusalException {
    return consent.grantRecord(grantee, recordId, expiresAt);
  }

  /**
   * Patient: grants {@code grantee} access to every record of type {@code recordType}, present and
   * future, until {@code expiresAt} (null: no expiry), and shares copies of every record of that
   * type that decodes (in as many transactions as needed). Later records need {@link #share}.
   */
  public Shared grantCategory(String grantee, String recordType, Instant expiresAt) throws LedgerCallException {
    return consent.grantCategory(grantee, recordType, expiresAt);
  }

  /**
   * Patient: shares copies of the records a category grant covers but has no copy of yet (records
   * written or corrected after the grant). Returns what was shared.
   *
   * @throws ClientRefusalException NOT_RECORD_PATIENT for another patient's grant
   */
  public Shared share(String grantId) throws LedgerCallException, ClientRefusalException {
    return consent.share(grantId);
  }

  /** Patient: revokes a grant. What the grantee already decrypted cannot be taken back. */
  public void revoke(String grantId) throws LedgerCallException {
    consent.revoke(grantId);
  }

  public GrantInfo grant(String grantId) throws LedgerCallException {
    return consent.grant(grantId);
  }

  /** The grants this account made (patient) or received (grantee). */
  public List<GrantInfo> grants() throws LedgerCallException {
    return consent.grants();
  }

  // ------------------------------------------------------------------------------- reading

  /**
   * Grantee: reads a record under a grant. The read is a submitted transaction that the chaincode
   * logs whether it is granted or denied; a denial throws {@link RecordAccessDeniedException}
   * with its code. The copy is decrypted here and checked against the author's commitment.
   */
  public Opened read(String grantId, String recordId)
      throws LedgerCallException, RecordAccessDeniedException, RecordIntegrityException {
    return grantee.read(grantId, recordId);
  }

  /**
   * Patient: its access trail (who read or tried to read which of its records, when), oldest
   * first. The signed query is valid until {@link #TRAIL_QUERY_VALIDITY} after the connection's
   * query time ({@code notAfter}), so a leaked query soon stops working.
   */
  public List<Access> trail() throws LedgerCallException {
    return grantee.trail();
  }

  /** Regulator: the access trail of every patient ({@code patient} = "") or of one patient. */
  public List<Access> auditTrail(String patient) throws LedgerCallException {
    return grantee.auditTrail(patient);
  }

  // ------------------------------------------------------------------------------- claims

  /**
   * Hospital, author of {@code recordId}: files a claim on {@code insurer} for {@code fee}, encrypted
   * under its own, the insurer's and the regulator's keys. Returns the claim id.
   *
   * @throws ClientRefusalException BAD_AMOUNT for a negative fee
   */
  public String fileClaim(String recordId, String insurer, long fee) throws LedgerCallException, ClientRefusalException {
    return claims.fileClaim(recordId, insurer, fee);
  }

  /**
   * Insurer: settles a claim. Reads the claim's record under {@code grantId} (a logged read, so the
   * patient's consent is on the ledger), checks that the claimed fee is the record's fee, pays the
   * hospital by a confidential transfer and links claim, read and transfer.
   *
   * @throws ClientRefusalException NOT_CLAIM_PARTY if the claim is not open on this insurer;
   *     FEE_MISMATCH if the fees differ: nothing is paid (the read is logged), the insurer may reject;
   *     INSUFFICIENT_FUNDS from the payment
   */
  public ClaimInfo settleClaim(String claimId, String grantId)
      throws LedgerCallException, RecordAccessDeniedException, RecordIntegrityException, ClientRefusalException {
    return claims.settleClaim(claimId, grantId);
  }

  /** Insurer: links an already committed transfer and granted read to a claim. */
  public ClaimInfo linkSettlement(String claimId, String transferTx, String readTx) throws LedgerCallException {
    return claims.linkSettlement(claimId, transferTx, readTx);
  }

  /** Insurer: rejects a claim with a reason, which is stored in clear. */
  public ClaimInfo rejectClaim(String claimId, String reason) throws LedgerCallException {
    return claims.rejectClaim(claimId, reason);
  }

  public ClaimInfo claim(String claimId) throws LedgerCallException {
    return claims.claim(claimId);
  }

  /** The claims this account is party to (hospital, insurer or patient), oldest first. */
  public List<ClaimInfo> claims() throws LedgerCallException {
    return claims.claims();
  }
}
