package org.medledger.cli;

import java.util.regex.Pattern;
import org.medledger.protocol.Role;

/**
 * The organisations of MedLedger's standard channel and which one's gateway an account uses by
 * default (docs/cli.md §2): hospitals, doctors and patients go through HospitalOrg, the insurer
 * through InsurerOrg, the regulator and its committee members through RegulatorOrg.
 */
public final class Organisations {
  public static final String HOSPITAL_ORG = "HospitalOrgMSP";
  public static final String INSURER_ORG = "InsurerOrgMSP";
  public static final String REGULATOR_ORG = "RegulatorOrgMSP";
  /** The embedded ledger's channel and chaincode names. */
  public static final String CHANNEL = "medchannel";
  public static final String CHAINCODE = "medledger";
  private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");

  private Organisations() {}

  static String defaultFor(Role role) {
    return switch (role) {
      case REGULATOR, COMMITTEE_MEMBER -> REGULATOR_ORG;
      case INSURER -> INSURER_ORG;
      case HOSPITAL, DOCTOR, PATIENT -> HOSPITAL_ORG;
    };
  }

  static String checkMspId(String msp) throws CliException {
    if (!MSP_ID.matcher(msp).matches()) {
      throw CliException.usage("organisation '" + msp + "' must be an MSP id of letters, digits, '.' and '-'");
    }
    return msp;
  }

  /**
   * The standard configuration: RegulatorOrg administers; each organisation registers its own
   * institutional roles (HospitalOrg: hospitals and doctors); every organisation's gateway may
   * register patients.
   */
  public static String standardConfig(String channel, String chaincode) {
    return "{\"adminMsps\":[\"" + REGULATOR_ORG + "\"],\"chaincode\":\"" + chaincode + "\",\"channel\":\"" + channel + "\","
        + "\"patientMsps\":[\"" + HOSPITAL_ORG + "\",\"" + INSURER_ORG + "\",\"" + REGULATOR_ORG + "\"],"
        + "\"roles\":{\"" + HOSPITAL_ORG + "\":[\"DOCTOR\",\"HOSPITAL\"],\"" + INSURER_ORG + "\":[\"INSURER\"],\""
        + REGULATOR_ORG + "\":[\"COMMITTEE_MEMBER\",\"REGULATOR\"]}}";
  }
}
