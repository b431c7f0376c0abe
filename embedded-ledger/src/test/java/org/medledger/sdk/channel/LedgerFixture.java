package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.SteppingClock;
import org.medledger.sdk.AccountSecrets;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.sdk.LedgerConnection;

/**
 * A configured embedded ledger with a regulator, the insurer (A, test key b) and a hospital (B,
 * test key a), and one payment channel between them opened through the SDK: each party builds its
 * own deposit request, and each derives the channel's parameters from the ledger.
 */
final class LedgerFixture {
  static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],\"RegulatorOrgMSP\":[\"REGULATOR\"]},"
      + "\"patientMsps\":[\"HospitalOrgMSP\"]}";

  final SecureRandom rnd = new SecureRandom();
  /** Transaction time, moved by the test. */
  final SteppingClock clock = new SteppingClock(Instant.parse("2026-03-01T09:00:00Z"), Duration.ZERO);
  final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  final byte[] hospitalSeed = new byte[32];
  final AccountSecrets insurerSecrets;
  final AccountSecrets hospitalSecrets;
  final AccountClient insurer;
  final AccountClient hospital;
  final ChannelClient chainA;
  final ChannelClient chainB;
  final ChannelParams params;
  /** What each account held before the channel, deposits included. */
  final long insurerStart;
  final long hospitalStart;

  LedgerFixture(long depositA, long depositB, long window, int depth) throws Exception {
    gateway("RegulatorOrgMSP").submit("accounts:configure", CONFIG);
    AccountSecrets regulatorSecrets = secrets(Role.REGULATOR, TestKeys.key2048c());
    AccountClient regulator = new AccountClient(regulatorSecrets, gateway("RegulatorOrgMSP"), rnd);
    insurerSecrets = secrets(Role.INSURER, TestKeys.key2048b());
    rnd.nextBytes(hospitalSeed);
    hospitalSecrets = new AccountSecrets(Role.HOSPITAL, hospitalSeed, TestKeys.key2048a());
    insurer = new AccountClient(insurerSecrets, gateway("InsurerOrgMSP"), rnd);
    hospital = new AccountClient(hospitalSecrets, gateway("HospitalOrgMSP"), rnd);
    regulator.register();
    // records:setup comes before every other registration (their Π^fac proofs need the parameters).
    new RecordClient(regulatorSecrets, gateway("RegulatorOrgMSP"), rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    insurer.register();
    hospital.register();
    regulator.issue(insurer.accountId(), 100_000);
    insurer.pay(hospital.accountId(), 3_000);

    chainA = new ChannelClient(insurerSecrets, gateway("InsurerOrgMSP"), rnd);
    chainB = new ChannelClient(hospitalSecrets, gateway("HospitalOrgMSP"), rnd);
    params = openChannel(depositA, depositB, window, depth);
    insurerStart = insurer.balance() + depositA;
    hospitalStart = hospital.balance() + depositB;
  }

  /** Opens another channel between the same two accounts, each party deriving its parameters. */
  ChannelParams openChannel(long depositA, long depositB, long window, int depth) throws Exception {
    ChannelClient.Terms terms = ChannelClient.newTerms(insurer.accountId(), hospital.accountId(), window, depth, rnd);
    String reqA = chainA.openRequest(terms, depositA);
    String reqB = chainB.openRequest(terms, depositB);
    chainB.open(reqA, reqB);
    ChannelParams p = chainA.params(terms);
    assertEquals(p, chainB.params(terms), "both parties derive the same parameters from the ledger");
    assertEquals(depositA, chainB.params(terms).depositA(), "B learns A's deposit from its own copy");
    return p;
  }

  LedgerConnection gateway(String msp) {
    return events(msp);
  }

  /** A connection that also delivers the ledger's events (LedgerEvents). */
  EmbeddedConnection events(String msp) {
    return new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
  }

  private AccountSecrets secrets(Role role, PaillierSecretKey key) {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    return new AccountSecrets(role, seed, key);
  }

  String status() throws Exception {
    return chainA.channel(params.channelId()).getAsJsonObject("channel").get("status").getAsString();
  }
}
