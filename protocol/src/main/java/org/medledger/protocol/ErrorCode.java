package org.medledger.protocol;

/**
 * Stable error codes of the chaincode (docs/chaincode.md §6). Every refused request ends in a
 * Fabric {@code ChaincodeException} whose payload is the code's name in
 * UTF-8 and whose message starts with it; nothing is written.
 */
public enum ErrorCode {
  MALFORMED_REQUEST("the request is not valid JSON of the expected shape"),
  PAYLOAD_TOO_LARGE("the request or one of its fields exceeds its size limit"),
  NOT_CONFIGURED("the channel configuration has not been set"),
  ALREADY_CONFIGURED("the channel configuration can be set only once"),
  FORBIDDEN_ORGANISATION("the caller's organisation may not do this"),
  BAD_SIGNATURE("the request's account signature does not verify"),
  BAD_NONCE("the request's nonce is not the account's next nonce"),
  UNKNOWN_ACCOUNT("no such account"),
  ACCOUNT_EXISTS("the account is already registered"),
  WRONG_ROLE("the account's role does not allow this"),
  REGULATOR_EXISTS("the channel already has a regulator"),
  NO_REGULATOR("the channel has no regulator yet"),
  KEY_TOO_SMALL("Paillier moduli under 2048 bits are refused"),
  MALFORMED_KEY("the Paillier key or its encoding is invalid"),
  KEY_PROOF_INVALID("the Paillier key proof does not verify"),
  FACTOR_PROOF_INVALID("the no-small-factor proof (Π^fac) of the Paillier key does not verify"),
  INVALID_AMOUNT("the issued amount is out of range"),
  SUPPLY_EXCEEDED("the total supply would reach 2^63"),
  SELF_TRANSFER("payer and payee are the same account"),
  UNKNOWN_CREDIT("a named pending credit does not exist for this account"),
  TOO_MANY_CREDITS("too many pending credits named in one transaction"),
  MALFORMED_PROOF("the transfer bundle's encoding is invalid"),
  TRANSFER_PROOF_INVALID("the transfer bundle does not verify"),
  BATCH_SIZE("a transfer batch is empty or holds more than Limits.MAX_BATCH_TRANSFERS transfers"),
  BATCH_DUPLICATE("the same transfer (or the same payer and nonce) appears twice in a batch"),
  BATCH_MIXED_PAYEES("the transfers of a batch go to more than one payee"),
  BAD_PAGE("the page size is not a whole number from 1 to 100"),
  BAD_BOOKMARK("the bookmark was not issued by this chaincode for this query"),
  // --- records (docs/chaincode.md §8) ---
  RECORDS_NOT_SET_UP("the channel's ring-Pedersen parameters have not been published"),
  RECORDS_ALREADY_SET_UP("the ring-Pedersen parameters can be published only once"),
  RING_PEDERSEN_INVALID("the ring-Pedersen parameters or their proof do not validate"),
  UNKNOWN_RECORD("no such record"),
  MALFORMED_RECORD("the encrypted record's encoding is invalid or does not match the request"),
  RECORD_TOO_LARGE("the record exceeds the chaincode's size limit"),
  RECORD_PROOF_INVALID("the author's record proof does not verify"),
  NOT_RECORD_AUTHOR("only the record's author may do this"),
  NOT_RECORD_PATIENT("the record or grant belongs to another patient"),
  RECORD_SUPERSEDED("the record has already been corrected; use its latest version"),
  UNKNOWN_GRANT("no such grant"),
  NOT_GRANTEE("the grant was made to another account"),
  GRANT_REVOKED("the grant has been revoked"),
  GRANT_EXPIRED("the grant's expiry is not after the transaction time"),
  OUT_OF_SCOPE("the record is outside the grant's scope"),
  NO_COPY("the patient has not yet shared a copy of this record under the grant"),
  COPY_EXISTS("a copy of this record was already shared under the grant"),
  TOO_MANY_COPIES("too many re-encrypted copies in one transaction"),
  GRANTEE_KEY_TOO_SMALL("the grantee's key is shorter than the record's segment layout"),
  REENCRYPTION_PROOF_INVALID("a re-encryption proof does not verify"),
  MALFORMED_CIPHERTEXT("a ciphertext is not valid under the key it is meant for"),
  UNKNOWN_CLAIM("no such claim"),
  CLAIM_EXISTS("a claim was already filed for this record"),
  CLAIM_CLOSED("the claim has already been settled or rejected"),
  NOT_CLAIM_PARTY("only the claim's insurer may settle or reject it"),
  UNKNOWN_TRANSFER("no such transfer"),
  SETTLEMENT_MISMATCH("the transfer does not settle this claim"),
  TRANSFER_ALREADY_LINKED("the transfer already settles another claim"),
  NO_CONSENTED_READ("the insurer has no granted read of the claim's record made after the claim"),
  QUERY_EXPIRED("the signed query's notAfter is before the proposal time or too far after it"),
  // --- payment channels (docs/chaincode.md §9) ---
  CHANNEL_EXISTS("a payment channel with this id already exists"),
  UNKNOWN_CHANNEL("no such payment channel"),
  BAD_CHANNEL_TERMS("the channel's parties, window or depth are out of range, or the two open requests disagree"),
  NOT_A_PARTY("the account is not the channel party allowed to do this"),
  CHANNEL_STATE("the channel's status does not allow this"),
  BAD_STATE_SIGNATURE("a channel state or close signature does not verify"),
  STALE_STATE("the submitted channel state is not later than the one being closed on"),
  WINDOW_CLOSED("the channel's dispute window has passed"),
  WINDOW_OPEN("the channel's dispute window has not passed yet"),
  CONTEST_INVALID("the contest does not show that the answer differs from the signed state"),
  // --- regulator committee and disclosures (docs/chaincode.md §10) ---
  COMMITTEE_EXISTS("the regulator committee is registered already"),
  NO_COMMITTEE("the channel has no regulator committee"),
  MALFORMED_COMMITTEE_KEY("the threshold public key, its shape or its member list is invalid"),
  COMMITTEE_KEY_MISMATCH("the committee key's modulus is not the regulator account's Paillier key"),
  NOT_COMMITTEE_MEMBER("the account is not a member of the current committee"),
  NOT_ENOUGH_SIGNATURES("a committee act needs t valid signatures of distinct current members"),
  COMMITTEE_ACT("the act needs the committee's t signatures, not the regulator's single key"),
  BAD_SEQUENCE("the committee act's epoch or sequence number is not the committee's current one"),
  UNKNOWN_TARGET("the disclosure target does not exist or holds no regulator ciphertext"),
  UNPROVEN_TARGET("the target's regulator ciphertext is not proven to be its payment's (a claim fee): not disclosable"),
  UNKNOWN_DISCLOSURE("no such disclosure request"),
  DISCLOSURE_CLOSED("the disclosure request has been opened (PUBLIC) or fully shared (PRIVATE) already"),
  WRONG_MODE("the share's form does not match the request's mode"),
  MALFORMED_SHARE("the decryption share's encoding is invalid for this committee"),
  SHARE_INVALID("the decryption share's proof does not verify for this request, ciphertext and member"),
  SHARE_NOT_YOURS("the share names another member index than the signer's"),
  DUPLICATE_SHARE("this member has already shared for this request"),
  RESHARE_INVALID("a re-sharing message or the new committee does not validate"),
  // --- encrypted statistics (docs/chaincode.md §11) ---
  STATS_BAD_BUCKET("the query does not name exactly one bucket by its canonical id (yyyy-MM.KIND.account)"),
  STATS_CONTRIBUTION_INVALID("the record's statistical contribution is malformed or its proof does not verify for this record, hospital and month"),
  STATS_NOT_CLOSED("the bucket's month is not over by this transaction's timestamp"),
  STATS_BELOW_K("the bucket holds fewer contributions than the channel's minimum k"),
  STATS_NOT_FOLDED("the bucket still has contributions to fold"),
  STATS_ALREADY_OPENED("the bucket's opening has already been requested (a bucket is opened once)"),
  STATS_SEALED("the bucket is sealed by its opening request (or would pass 2^32 - 1 contributions): nothing more is folded into it"),
  STATS_NOTHING_TO_FOLD("every contribution of the bucket written so far is folded already"),
  STATS_NOT_OPENED("the bucket's committee disclosure has not produced its plaintext yet"),
  STATS_PUBLIC_ONLY("a bucket is opened only by a PUBLIC disclosure");

  private final String meaning;

  ErrorCode(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
