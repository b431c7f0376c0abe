package org.medledger.protocol;

/** What an account is on the channel. */
public enum Role {
  PATIENT,
  HOSPITAL,
  INSURER,
  REGULATOR,
  /** An individual clinician: may be granted access to records; neither pays nor writes records. */
  DOCTOR,
  /**
   * A member of the regulator's threshold committee (docs/chaincode.md §10): holds a key share of
   * the regulator key, opens disclosure requests and shares decryptions; neither pays nor is paid.
   */
  COMMITTEE_MEMBER
}
