package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.crypto.testing.TestSafePrimes;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.DecryptionShare;
import org.medledger.crypto.threshold.PartialDecryption;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.embedded.EmbeddedConnection;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.MedLedgerContracts;
import org.medledger.protocol.Role;

/**
 * A channel whose regulator is a threshold committee (docs/client-sdk.md §12): the regulator account
 * holds only a signing key and the dealt committee key (2048 bits, dealt from the fixed test safe
 * primes), {@link #MEMBER_ACCOUNTS} member accounts (the first five form the 3-of-5 committee, the
 * others wait to join at a re-sharing), an insurer holding 10,000 issued by a committee act, a
 * hospital and a patient.
 */
final class CommitteeChannel {
  static final String CONFIG = "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],"
      + "\"roles\":{\"HospitalOrgMSP\":[\"HOSPITAL\"],\"InsurerOrgMSP\":[\"INSURER\"],"
      + "\"RegulatorOrgMSP\":[\"COMMITTEE_MEMBER\",\"REGULATOR\"]},\"patientMsps\":[\"HospitalOrgMSP\"]}";
  static final int MEMBER_ACCOUNTS = 7;
  static final SecureRandom RND = new SecureRandom();

  final EmbeddedLedger ledger = EmbeddedLedger.inMemory("medchannel", MedLedgerContracts.dispatcher());
  final SteppingClock clock = new SteppingClock("2026-03-01T09:00:00Z");
  final AccountSecrets regulatorSecrets;
  final CommitteeClient regulator;
  final ThresholdDealer.Dealing dealing;
  final List<AccountSecrets> memberSecrets = new ArrayList<>();
  final List<CommitteeClient> members = new ArrayList<>();
  final AccountClient insurer;
  final AccountClient hospital;
  final AccountClient patient;
  final AccountSecrets insurerSecrets;
  final AccountSecrets hospitalSecrets;
  final AccountSecrets patientSecrets;

  CommitteeChannel() throws Exception {
    this(false, true);
  }

  CommitteeChannel(boolean freshPrimes) throws Exception {
    this(freshPrimes, true);
  }

  /**
   * With {@code freshPrimes}, the committee key is dealt with a safe-prime search instead of the
   * fixed primes; without {@code registerCommittee}, everything but committee:register is done.
   */
  CommitteeChannel(boolean freshPrimes, boolean registerCommittee) throws Exception {
    this(freshPrimes, registerCommittee, CONFIG);
  }

  /** As above, with the channel configuration {@code config} (e.g. another statistics k). */
  CommitteeChannel(boolean freshPrimes, boolean registerCommittee, String config) throws Exception {
    gateway("RegulatorOrgMSP").submit("accounts:configure", config);
    regulatorSecrets = AccountSecrets.signingOnly(Role.REGULATOR, RND);
    regulator = CommitteeClient.builder().secrets(regulatorSecrets).ledger(gateway("RegulatorOrgMSP")).random(RND).build();
    BigInteger[] pq = TestSafePrimes.pair(1024);
    // The key proof binds the regulator account, so each channel deals afresh (about a second).
    dealing = freshPrimes
        ? CommitteeClient.deal(KeySize.BITS_2048, 3, 5, "medchannel", regulatorSecrets.accountId(), RND)
        : CommitteeClient.dealFromSafePrimes(pq[0], pq[1], 3, 5, "medchannel", regulatorSecrets.accountId(), RND);
    regulator.registerRegulator(dealing);
    new RecordClient(regulatorSecrets, gateway("RegulatorOrgMSP"), RND)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    for (int i = 0; i < MEMBER_ACCOUNTS; i++) {
      AccountSecrets s = AccountSecrets.generate(Role.COMMITTEE_MEMBER, i % 2 == 0 ? TestKeys.key2048a() : TestKeys.key2048b(), RND);
      new AccountClient(s, gateway("RegulatorOrgMSP"), RND).register();
      memberSecrets.add(s);
      members.add(new CommitteeClient(s, gateway("RegulatorOrgMSP"), RND));
    }
    insurerSecrets = AccountSecrets.generate(Role.INSURER, TestKeys.key2048b(), RND);
    hospitalSecrets = AccountSecrets.generate(Role.HOSPITAL, TestKeys.key2048a(), RND);
    patientSecrets = AccountSecrets.generate(Role.PATIENT, new PaillierKeyGenerator(RND).generate(KeySize.BITS_2048), RND);
    insurer = new AccountClient(insurerSecrets, gateway("InsurerOrgMSP"), RND);
    hospital = new AccountClient(hospitalSecrets, gateway("HospitalOrgMSP"), RND);
    patient = new AccountClient(patientSecrets, gateway("HospitalOrgMSP"), RND);
    for (AccountClient c : List.of(insurer, hospital, patient)) {
      c.register();
    }
    if (registerCommittee) {
      regulator.registerCommittee(dealing.publicKey(), memberIds(0, 5));
    }
  }

  /**
   * A decryption share made with {@code share} under {@code pk} of the ciphertext that request
   * {@code ciphertextOf} targets, bound to request {@code contextOf}: an honest share when both are
   * the same request, a share of another ciphertext or for another request otherwise.
   */
  byte[] shareBytes(KeyShare share, ThresholdPublicKey pk, String ciphertextOf, String contextOf) throws LedgerCallException {
    return decryptionShare(share, pk, ciphertextOf, contextOf).toBytesWithCommitments(pk);
  }

  /** As {@link #shareBytes}, in the version-1 encoding (no commitments) an older client sent. */
  byte[] shareBytesV1(KeyShare share, ThresholdPublicKey pk, String ciphertextOf, String contextOf) throws LedgerCallException {
    return decryptionShare(share, pk, ciphertextOf, contextOf).toBytes(pk);
  }

  private DecryptionShare decryptionShare(KeyShare share, ThresholdPublicKey pk, String ciphertextOf, String contextOf)
      throws LedgerCallException {
    com.google.gson.JsonObject d = org.medledger.protocol.CanonicalJson.parseObject(
        gateway("RegulatorOrgMSP").evaluate("committee:getDisclosure", ciphertextOf));
    PaillierCiphertext c = PaillierCiphertext.fromBytes(java.util.Base64.getDecoder().decode(d.get("ciphertext").getAsString()),
        pk.paillierKey());
    return PartialDecryption.create(share, pk, c, CommitteeProtocol.shareContext("medchannel", "medledger", contextOf), RND);
  }

  LedgerConnection gateway(String msp) {
    return new EmbeddedConnection(ledger, ledger.identity(msp, msp + "-gateway"), "medledger", clock);
  }

  /** Member accounts {@code from} (inclusive) to {@code to} (exclusive), 0-based. */
  List<String> memberIds(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(memberSecrets.get(i).accountId());
    }
    return out;
  }

  /** The dealt share of member index {@code i} (1-based) of the first committee. */
  KeyShare share(int i) {
    return dealing.shares().get(i - 1);
  }

  /** member(i) is the client of member index i (1-based) of the first committee. */
  CommitteeClient member(int i) {
    return members.get(i - 1);
  }

  /** An act signed by the given members (1-based indices into {@link #members}), submitted. */
  com.google.gson.JsonObject act(CommitteeAct act, int... signers) throws LedgerCallException {
    for (int i : signers) {
      member(i).sign(act);
    }
    return member(signers.length == 0 ? 1 : signers[0]).submit(act);
  }

  static LedgerCallException refused(String code, Executable call) {
    LedgerCallException e = assertThrows(LedgerCallException.class, call::run);
    assertEquals(LedgerCallException.Kind.REFUSED, e.kind(), e.getMessage());
    assertEquals(code, e.errorCode(), e.getMessage());
    return e;
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Exception;
  }
}
