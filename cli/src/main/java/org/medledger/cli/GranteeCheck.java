package org.medledger.cli;

import java.util.EnumSet;
import java.util.Set;
import org.medledger.protocol.Role;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.PublicLedger;

/**
 * What {@code records grant} asks the ledger before it unlocks the keystore, re-encrypts and
 * proves: that the grantee is registered and of a role that can be granted access. The chaincode
 * refuses the same (UNKNOWN_ACCOUNT, WRONG_ROLE, docs/chaincode.md); asking first only saves the
 * seconds of work a refusal would waste.
 */
final class GranteeCheck {
  /** The roles a patient can grant access to, as the chaincode's consent contract allows. */
  static final Set<Role> GRANTEES = EnumSet.of(Role.HOSPITAL, Role.INSURER, Role.DOCTOR, Role.REGULATOR);

  private GranteeCheck() {}

  /** Refuses a grantee that is the patient itself or whose role cannot be granted access. */
  static void require(PublicLedger ledger, String granteeId, String asGiven, String patientId)
      throws CliException, LedgerCallException {
    if (granteeId.equals(patientId)) {
      throw CliException.local("WRONG_ROLE", "a patient does not grant access to itself; nothing was re-encrypted or sent");
    }
    Role role = ledger.account(granteeId).role();
    if (!GRANTEES.contains(role)) {
      throw CliException.local("WRONG_ROLE", "'" + asGiven + "' is " + Base.anAccount(role) + ", which cannot be granted"
          + " access (a hospital, insurer, doctor or regulator account can); nothing was re-encrypted or sent");
    }
  }
}
