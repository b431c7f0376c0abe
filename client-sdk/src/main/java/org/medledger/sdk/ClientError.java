package org.medledger.sdk;

/**
 * Why the client refused a call before sending anything (docs/client-sdk.md §3.3); the code of a
 * {@link ClientRefusalException}. The names are stable, and the CLI prints them as they are.
 */
public enum ClientError {
  /** An amount or fee below what the call takes (a payment of at least 1, a fee of at least 0). */
  BAD_AMOUNT,
  /** The account's balance, every pending credit counted, is below the amount to pay. */
  INSUFFICIENT_FUNDS,
  /** A record type that is not 1..32 of a-z, 0-9 and '-'. */
  BAD_RECORD_TYPE,
  /** A document over {@link RecordClient#MAX_DOCUMENT_BYTES}. */
  RECORD_TOO_LARGE,
  /** The record or grant is another patient's. */
  NOT_RECORD_PATIENT,
  /** The claim is not open on this insurer (another insurer's, or settled or rejected already). */
  NOT_CLAIM_PARTY,
  /** The claimed fee is not the fee in the record the claim is about; nothing was paid. */
  FEE_MISMATCH,
  /** A disclosure share received off chain is not the one its member recorded on chain, or not a valid share. */
  SHARE_MISMATCH,
  /** Fewer valid disclosure shares than the committee's threshold. */
  NOT_ENOUGH_SHARES,
  /** The disclosure request is in the other mode (PUBLIC vs PRIVATE) than the call needs. */
  WRONG_MODE,
  /**
   * A statistics bucket's opening request whose bucket's month is not over by this client's clock:
   * the requester post-dated it (docs/chaincode.md §11.2); no share is sent.
   */
  STATS_MONTH_NOT_OVER,
  /**
   * A statistical contribution on a channel with no registered regulator committee: its key would
   * not be a t-of-m committee's, so one party could read the visit (docs/chaincode.md §11.1); nothing
   * is sent.
   */
  NO_COMMITTEE
}
