package org.medledger.protocol;

/** What an account is on the channel. */
public enum Role {
  PATIENT,
  HOSPITAL,
  INSURER,
  REGULATOR,
  /** An individual clinician: may be granted access to records; neither pays nor writes records. */
  DOCTOR
}
