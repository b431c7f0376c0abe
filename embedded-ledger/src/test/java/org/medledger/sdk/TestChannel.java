package org.medledger.sdk;

/** The channel the SDK's ledger tests configure. */
public final class TestChannel {
  private TestChannel() {}

  /**
   * RegulatorOrgMSP administers the channel and holds the regulator, InsurerOrgMSP insurers,
   * HospitalOrgMSP hospitals and patients.
   */
  public static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\"]}";
}
