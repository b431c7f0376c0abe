package org.medledger.chaincode.api;

/** What an account is on the channel. */
public enum Role {
  PATIENT,
  HOSPITAL,
  INSURER,
  REGULATOR
}
