package org.medledger.sdk;

import java.security.SecureRandom;
import java.time.Clock;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.Identity;
import org.medledger.protocol.Role;

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

  /** The institutions {@link #institutions} registers; the insurer holds 10,000. */
  public record Institutions(AccountClient regulator, AccountClient hospital, AccountSecrets insurerSecrets,
      Identity insurerGateway) {}

  /**
   * Configures the channel and registers, in the order registration needs: the regulator (which
   * publishes the ring-Pedersen parameters), a hospital and an insurer, then issues 10,000 to the
   * insurer. Fixed test keys keep it fast.
   */
  public static Institutions institutions(EmbeddedLedger ledger, Clock clock, SecureRandom rnd) throws Exception {
    new EmbeddedConnection(ledger, ledger.identity("RegulatorOrgMSP", "admin"), "medledger", clock).submit("accounts:configure", CONFIG);
    AccountSecrets rs = AccountSecrets.generate(Role.REGULATOR, TestKeys.key2048c(), rnd);
    EmbeddedConnection regulatorGateway =
        new EmbeddedConnection(ledger, ledger.identity("RegulatorOrgMSP", "RegulatorOrgMSP-gateway"), "medledger", clock);
    AccountClient regulator = new AccountClient(rs, regulatorGateway, rnd);
    regulator.register();
    // records:setup before the other registrations: their Π^fac proofs are made against it.
    new RecordClient(rs, regulatorGateway, rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    AccountClient hospital = new AccountClient(AccountSecrets.generate(Role.HOSPITAL, TestKeys.key2048a(), rnd),
        new EmbeddedConnection(ledger, ledger.identity("HospitalOrgMSP", "HospitalOrgMSP-gateway"), "medledger", clock), rnd);
    hospital.register();
    AccountSecrets insurerSecrets = AccountSecrets.generate(Role.INSURER, TestKeys.key2048b(), rnd);
    Identity insurerGateway = ledger.identity("InsurerOrgMSP", "gw");
    new AccountClient(insurerSecrets, new EmbeddedConnection(ledger, insurerGateway, "medledger", clock), rnd).register();
    regulator.issue(insurerSecrets.accountId(), 10_000);
    return new Institutions(regulator, hospital, insurerSecrets, insurerGateway);
  }
}
