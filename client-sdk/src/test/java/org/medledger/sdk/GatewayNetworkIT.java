package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.crypto.testing.TestSafePrimes;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;
import org.medledger.sdk.LedgerCallException.Kind;
import org.medledger.sdk.docs.GatewayExample;

/**
 * The SDK against a running Fabric test network (test-network/network.sh up and deploy): the
 * money story of docs/chaincode.md through three organisations' gateways, 20 payments from 20
 * patients to one hospital all in flight at once, settlement, the regulator's audit, refusals with their codes, an event
 * subscription resumed across a restart; then the records story of issue 5 ({@link RecordStory}, with the same
 * regulator) and the records' refusals. Runs only with {@code -Dnetwork.dir=<run dir>} on a
 * freshly deployed network (it configures the channel and registers the regulator).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayNetworkIT {
  /** One payment each, all in flight at once: an AccountClient sends one request at a time. */
  private static final int PATIENTS = 20;
  private static final int PAYMENTS = PATIENTS;
  /** Insurers fund the patients in parallel chains (each insurer's payments follow its nonces). */
  private static final int INSURERS = 4;
  private static final long ISSUED_EACH = 250_000;
  private static final Duration LONG = Duration.ofMinutes(3);
  private final SecureRandom rnd = new SecureRandom();
  private final List<GatewayConnection> connections = new ArrayList<>();
  /** Every plaintext amount moved by a transfer, for the audit. */
  private final List<Long> transferred = Collections.synchronizedList(new ArrayList<>());
  private Path runDir;
  private String skip;
  private GatewayConnection hospitalGw;
  private GatewayConnection insurerGw;
  private GatewayConnection regulatorGw;
  private AccountClient regulator;
  private AccountClient insurer;
  private final List<AccountClient> insurers = new ArrayList<>();
  private AccountClient hospital;
  private AccountClient clinic;
  private final List<AccountClient> patients = new ArrayList<>();
  private CountingConnection patientGw;
  /** The regulator's secrets (the channel has one regulator; the records story reuses it). */
  private AccountSecrets regulatorSecrets;
  private volatile AccountSecrets lastSecrets;
  private RecordStory story;
  /** The committee key the regulator registered with, and its five members' shares. */
  private ThresholdDealer.Dealing dealing;
  /** A member of the committee registered at step 13 (its client and secrets), for step 14. */
  private CommitteeClient committeeMember;
  private AccountSecrets committeeMemberSecrets;

  /** The records story's configuration, with COMMITTEE_MEMBER accounts at the regulator's organisation. */
  static final String CONFIG = committeeConfig();

  private static String committeeConfig() {
    String from = "\"RegulatorOrgMSP\":[\"REGULATOR\"]";
    if (!RecordStory.CONFIG.contains(from)) {
      throw new IllegalStateException("RecordStory.CONFIG changed: " + RecordStory.CONFIG);
    }
    return RecordStory.CONFIG.replace(from, "\"RegulatorOrgMSP\":[\"COMMITTEE_MEMBER\",\"REGULATOR\"]");
  }

  @TempDir
  Path tmp;

  @BeforeAll
  void network() {
    String dir = System.getProperty("network.dir", "");
    if (dir.isBlank()) {
      skip = "GatewayNetworkIT SKIPPED: no test network given. Start one with test-network/network.sh up && "
          + "test-network/network.sh deploy, then run mvn verify -Dnetwork.dir=<its run directory>.";
    } else if (!Files.isRegularFile(Path.of(dir, "gateway", "hospital.json"))) {
      skip = "GatewayNetworkIT SKIPPED: " + dir + "/gateway/hospital.json not found (is the network up and deployed?)";
    } else {
      runDir = Path.of(dir);
      return;
    }
    log(skip);
  }

  /** Every step needs the network; without one each is reported skipped with the reason. */
  private void needNetwork() {
    Assumptions.assumeTrue(skip == null, skip);
  }

  @AfterAll
  void close() {
    connections.forEach(GatewayConnection::close);
  }

  private GatewayConnection connect(String org) throws Exception {
    GatewayConnection c = GatewayConnection.builder().material(GatewayMaterial.read(runDir.resolve("gateway/" + org + ".json")))
        .endorseTimeout(LONG).commitStatusTimeout(LONG).evaluateTimeout(Duration.ofMinutes(1)).connect();
    connections.add(c);
    return c;
  }

  private AccountClient register(Role role, LedgerConnection gw, PaillierSecretKey key) throws LedgerCallException {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    AccountSecrets secrets = new AccountSecrets(role, seed, key);
    AccountClient c = new AccountClient(secrets, gw, rnd);
    c.register();
    lastSecrets = secrets;
    return c;
  }

  private void registered() {
    needNetwork();
    Assumptions.assumeTrue(patients.size() == PATIENTS, "skipped: the accounts were not registered (see the first step)");
  }

  private static void log(String s) {
    System.out.println("[GatewayNetworkIT] " + s);
  }

  @Test
  @Order(1)
  void configureAndRegisterEveryRole() throws Exception {
    needNetwork();
    hospitalGw = connect("hospital");
    insurerGw = connect("insurer");
    regulatorGw = connect("regulator");
    JsonObject channel;
    try {
      channel = CanonicalJson.parseObject(regulatorGw.evaluate("accounts:getChannel"));
    } catch (LedgerCallException e) {
      assertEquals("NOT_CONFIGURED", e.errorCode(), e.getMessage());
      channel = null;
    }
    Assumptions.assumeTrue(channel == null || channel.get("regulator").getAsString().isEmpty(),
        "the channel already has a regulator: run on a freshly deployed network (network.sh down, up, deploy)");
    if (channel == null) {
      // The hospital organisation holds HOSPITAL and DOCTOR accounts: the records story needs both.
      String config = CONFIG;
      LedgerCallException wrongOrg = assertThrows(LedgerCallException.class, () -> hospitalGw.submit("accounts:configure", config));
      assertEquals(Kind.REFUSED, wrongOrg.kind());
      assertEquals("FORBIDDEN_ORGANISATION", wrongOrg.errorCode());
      regulatorGw.submit("accounts:configure", config);
    }
    long t0 = System.nanoTime();
    // The regulator's key is a 3-of-5 committee key from the start (docs/client-sdk.md §12.1),
    // dealt from the fixed test safe primes for its account. The test also keeps the dealer's full
    // key (rebuilt from p and q, which a real dealer erases, docs/protocol.md §10.5) in the
    // regulator's secrets, because the single-key steps before the committee is registered
    // (issue, the regulator's audit, the records story) decrypt with it; the committee steps
    // (committeeIssuesAndOpensATransferOnThePeers) use only the members' shares.
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    String regulatorId = new AccountSecrets(Role.REGULATOR, seed, null).accountId();
    BigInteger[] pq = TestSafePrimes.pair(1024);
    dealing = CommitteeClient.dealFromSafePrimes(pq[0], pq[1], 3, 5, "medchannel", regulatorId, rnd);
    regulatorSecrets = new AccountSecrets(Role.REGULATOR, seed,
        PaillierSecretKey.of(dealing.publicKey().paillierKey(), pq[0].max(pq[1]), pq[0].min(pq[1])));
    Arrays.fill(seed, (byte) 0);
    new CommitteeClient(regulatorSecrets, regulatorGw, rnd).registerRegulator(dealing);
    regulator = new AccountClient(regulatorSecrets, regulatorGw, rnd);
    assertEquals(regulatorId, regulator.accountId());
    // records:setup right after the regulator: every other registration carries a Π^fac proof
    // against the channel's ring-Pedersen parameters (docs/chaincode.md §3).
    new RecordClient(regulatorSecrets, regulatorGw, rnd)
        .publishRingPedersen(TestRingPedersen.paramsBytes(2048), TestRingPedersen.proofBytes(2048));
    hospital = register(Role.HOSPITAL, hospitalGw, TestKeys.key2048a());
    clinic = register(Role.HOSPITAL, hospitalGw, TestKeys.key3072());
    patientGw = new CountingConnection(hospitalGw);
    long k0 = System.nanoTime();
    List<PaillierSecretKey> keys = new ArrayList<>();
    for (int i = 0; i < PATIENTS + INSURERS - 1; i++) {
      keys.add(new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    }
    log(String.format("generated %d Paillier keys (2048-bit) in %.1f s", keys.size(), (System.nanoTime() - k0) / 1e9));
    // Registrations write only the new account's keys: they run in parallel.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<AccountClient>> pending = new ArrayList<>();
    pending.add(pool.submit(() -> register(Role.INSURER, insurerGw, TestKeys.key2048b())));
    for (int i = 0; i < INSURERS - 1; i++) {
      PaillierSecretKey k = keys.get(PATIENTS + i);
      pending.add(pool.submit(() -> register(Role.INSURER, insurerGw, k)));
    }
    for (int i = 0; i < PATIENTS; i++) {
      PaillierSecretKey k = keys.get(i);
      pending.add(pool.submit(() -> register(Role.PATIENT, patientGw, k)));
    }
    for (int i = 0; i < pending.size(); i++) {
      AccountClient c = pending.get(i).get(10, TimeUnit.MINUTES);
      (i < INSURERS ? insurers : patients).add(c);
    }
    pool.shutdown();
    insurer = insurers.get(0);
    log(String.format("registered %d accounts in %.1f s", 3 + INSURERS + PATIENTS, (System.nanoTime() - t0) / 1e9));
    JsonObject c = CanonicalJson.parseObject(hospitalGw.evaluate("accounts:getChannel"));
    assertEquals(regulator.accountId(), c.get("regulator").getAsString());
  }

  @Test
  @Order(2)
  void issueAndFund() throws Exception {
    registered();
    long t0 = System.nanoTime();
    for (AccountClient i : insurers) {
      regulator.issue(i.accountId(), ISSUED_EACH);
    }
    // Each insurer funds its share of the patients; the insurers run in parallel.
    ExecutorService pool = Executors.newFixedThreadPool(INSURERS);
    List<Future<?>> chains = new ArrayList<>();
    for (int i = 0; i < INSURERS; i++) {
      AccountClient ins = insurers.get(i);
      List<AccountClient> share = patients.subList(i * PATIENTS / INSURERS, (i + 1) * PATIENTS / INSURERS);
      chains.add(pool.submit(() -> {
        for (AccountClient p : share) {
          ins.pay(p.accountId(), 10_000);
          transferred.add(10_000L);
        }
        return null;
      }));
    }
    for (Future<?> f : chains) {
      f.get(30, TimeUnit.MINUTES);
    }
    pool.shutdown();
    log(String.format("issued to %d insurers and funded %d patients in %.1f s", INSURERS, PATIENTS, (System.nanoTime() - t0) / 1e9));
    assertEquals(ISSUED_EACH - 10_000L * PATIENTS / INSURERS, insurer.balance());
    for (AccountClient p : patients) {
      assertEquals(10_000, p.balance());
    }
  }

  @Test
  @Order(3)
  void twentyConcurrentPaymentsToOneHospitalAllCommit() throws Exception {
    registered();
    ExecutorService pool = Executors.newFixedThreadPool(PAYMENTS);
    CountDownLatch start = new CountDownLatch(1);
    long[] latencyMs = new long[PAYMENTS];
    List<Future<Transfer>> futures = new ArrayList<>();
    long[] paid = new long[PATIENTS];
    for (int i = 0; i < PAYMENTS; i++) {
      int n = i;
      long amount = 100 + n;
      paid[n % PATIENTS] += amount;
      futures.add(pool.submit(() -> {
        start.await();
        long t = System.nanoTime();
        Transfer record = patients.get(n % PATIENTS).pay(hospital.accountId(), amount);
        latencyMs[n] = (System.nanoTime() - t) / 1_000_000;
        return record;
      }));
    }
    int submitsBefore = patientGw.transferSubmits.get();
    long t0 = System.nanoTime();
    start.countDown();
    List<String> txIds = new ArrayList<>();
    for (Future<Transfer> f : futures) {
      txIds.add(f.get(10, TimeUnit.MINUTES).txId());
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    long[] sorted = latencyMs.clone();
    Arrays.sort(sorted);
    log(String.format("%d concurrent payments (one per patient, all in flight at once) from %d patients to one hospital: all committed in %.1f s wall "
            + "(%.2f tx/s); per payment min %d ms, median %d ms, max %d ms; %d transfer submissions, failed ones by kind: %s",
        PAYMENTS, PATIENTS, wall, PAYMENTS / wall, sorted[0], sorted[PAYMENTS / 2], sorted[PAYMENTS - 1],
        patientGw.transferSubmits.get() - submitsBefore, patientGw.failures));
    assertEquals(PAYMENTS, new HashSet<>(txIds).size());
    long total = 0;
    for (int i = 0; i < PAYMENTS; i++) {
      total += 100 + i;
      transferred.add(100L + i);
    }
    assertEquals(total, hospital.balance());
    for (int p = 0; p < PATIENTS; p++) {
      assertEquals(10_000 - paid[p], patients.get(p).balance());
      assertEquals(PAYMENTS / PATIENTS + 1, patients.get(p).history().size(), "funding plus its payment");
    }
  }

  @Test
  @Order(4)
  void settlementBetweenInsurerAndHospitals() throws Exception {
    registered();
    long before = hospital.balance();
    insurer.pay(hospital.accountId(), 7_500); // the insurer settles a claim with the hospital
    insurer.pay(clinic.accountId(), 2_500); // and one with a clinic holding a 3072-bit key
    hospital.pay(insurer.accountId(), 500); // a refund the other way
    transferred.addAll(List.of(7_500L, 2_500L, 500L));
    assertEquals(before + 7_500 - 500, hospital.balance());
    assertEquals(2_500, clinic.balance());
    assertEquals(ISSUED_EACH - 10_000L * PATIENTS / INSURERS - 7_500 - 2_500 + 500, insurer.balance());
  }

  @Test
  @Order(5)
  void theRegulatorsAuditDecryptsToThePlaintextSums() throws Exception {
    registered();
    long issued = 0;
    long moved = 0;
    int transfers = 0;
    for (Transfer e : regulator.audit()) {
      if (e.kind().equals("ISSUE")) {
        issued += e.amount().orElse(-1);
      } else if (e.kind().equals("TRANSFER")) {
        assertTrue(e.amount().orElse(-1) >= 0, "every transfer decrypts under the regulator's key");
        moved += e.amount().orElse(-1);
        transfers++;
      }
    }
    assertEquals(ISSUED_EACH * INSURERS, issued);
    assertEquals(transferred.size(), transfers);
    assertEquals(transferred.stream().mapToLong(Long::longValue).sum(), moved);
    log("audit: " + transfers + " transfers, " + moved + " moved, " + issued + " issued — equal to the plaintext sums");
    LedgerCallException notRegulator = assertThrows(LedgerCallException.class, () -> hospitalGw.evaluate("money:audit", "10", ""));
    assertEquals("FORBIDDEN_ORGANISATION", notRegulator.errorCode());
  }

  @Test
  @Order(6)
  void badRequestsAreRefusedWithTheirCodes() throws Exception {
    registered();
    LedgerCallException again = assertThrows(LedgerCallException.class, () -> regulatorGw.submit("accounts:configure",
        "{\"channel\":\"medchannel\",\"chaincode\":\"medledger\",\"adminMsps\":[\"RegulatorOrgMSP\"],\"roles\":{},\"patientMsps\":[]}"));
    assertEquals("ALREADY_CONFIGURED", again.errorCode());

    LedgerCallException unknown = assertThrows(LedgerCallException.class,
        () -> patients.get(0).pay("acct-00000000000000000000000000000000", 10));
    assertEquals(Kind.REFUSED, unknown.kind());
    assertEquals("UNKNOWN_ACCOUNT", unknown.errorCode());
    assertEquals(LedgerCallException.Committed.NO, unknown.committed());
    assertFalse(unknown.txId().isEmpty(), "a refusal through the gateway names its proposal's transaction id");

    LedgerCallException small = assertThrows(LedgerCallException.class, () -> register(Role.PATIENT, hospitalGw, TestKeys.key1024()));
    assertEquals("KEY_TOO_SMALL", small.errorCode());

    LedgerCallException wrongGateway = assertThrows(LedgerCallException.class,
        () -> register(Role.HOSPITAL, insurerGw, TestKeys.key2048a()));
    assertEquals("FORBIDDEN_ORGANISATION", wrongGateway.errorCode());

    LedgerCallException issueByInsurer = assertThrows(LedgerCallException.class, () -> insurer.issue(insurer.accountId(), 5));
    assertEquals("WRONG_ROLE", issueByInsurer.errorCode());

    // A replayed transfer (the exact request of a committed payment) is refused: its nonce is used.
    patients.get(2).pay(hospital.accountId(), 7);
    transferred.add(7L);
    String replay = patientGw.lastTransferRequest.get();
    LedgerCallException replayed = assertThrows(LedgerCallException.class, () -> hospitalGw.submit("money:transfer", replay));
    assertEquals("BAD_NONCE", replayed.errorCode());

    // The same request with its signature altered.
    JsonObject forged = CanonicalJson.parseObject(replay);
    String sig = forged.get("signature").getAsString();
    forged.addProperty("signature", (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
    LedgerCallException badSig = assertThrows(LedgerCallException.class,
        () -> hospitalGw.submit("money:transfer", CanonicalJson.toString(forged)));
    assertEquals("BAD_SIGNATURE", badSig.errorCode());

    LedgerCallException badPage = assertThrows(LedgerCallException.class, () -> hospitalGw.evaluate("money:history",
        hospital.accountId(), "1000", ""));
    assertEquals("BAD_PAGE", badPage.errorCode());
    assertEquals(Kind.REFUSED, badPage.kind());
  }

  /**
   * Events: a subscription with a file checkpoint stopped mid-stream, the connection closed (the
   * process "restarts"), a payment made meanwhile, then resumed with a new connection: together
   * the two runs deliver exactly the events a fresh subscription from block 0 sees.
   */
  @Test
  @Order(7)
  void eventSubscriptionResumesAcrossARestart() throws Exception {
    registered();
    Path cp = tmp.resolve("regulator-events.checkpoint");
    List<MedLedgerEvent> seen = Collections.synchronizedList(new ArrayList<>());
    GatewayConnection first = connect("regulator");
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<EventSubscription> sub = new AtomicReference<>();
    try (FileCheckpointer checkpointer = new FileCheckpointer(cp)) {
      sub.set(first.subscribe(0, checkpointer, e -> {
        seen.add(e);
        if (seen.size() == 15) {
          while (sub.get() == null) {
            Thread.onSpinWait();
          }
          sub.get().close();
          stopped.countDown();
        }
      }));
      assertTrue(stopped.await(2, TimeUnit.MINUTES));
      sub.get().close();
    }
    first.close();
    assertEquals(15, seen.size());

    String last = patients.get(1).pay(hospital.accountId(), 42).txId();

    GatewayConnection second = connect("regulator");
    CountDownLatch caughtUp = new CountDownLatch(1);
    try (FileCheckpointer checkpointer = new FileCheckpointer(cp)) {
      EventSubscription s = second.subscribe(0, checkpointer, e -> {
        seen.add(e);
        if (e.txId().equals(last)) {
          caughtUp.countDown();
        }
      });
      assertTrue(caughtUp.await(2, TimeUnit.MINUTES));
      s.close();
    }

    List<MedLedgerEvent> reference = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch refDone = new CountDownLatch(1);
    EventSubscription r = second.subscribe(0, new InMemoryCheckpointer(), e -> {
      reference.add(e);
      if (e.txId().equals(last)) {
        refDone.countDown();
      }
    });
    assertTrue(refDone.await(2, TimeUnit.MINUTES));
    r.close();
    assertEquals(reference, seen);
    assertEquals(seen.size(), new HashSet<>(seen.stream().map(MedLedgerEvent::txId).toList()).size(), "no duplicates");
    assertEquals("medledger.Configured", seen.get(0).name());
    assertEquals("medledger.Transferred", seen.get(seen.size() - 1).name());
    log("events: " + seen.size() + " delivered once each across a restart (stopped after 15, resumed from block "
        + seen.get(15).blockNumber() + ")");
  }

  /**
   * The records story on the real network, after the money steps (it shares their regulator and
   * the ring-Pedersen parameters published in the first step): a 4096-byte synthetic record written by a new
   * hospital, granted to a new insurer, read (logged), claimed, settled by a confidential transfer,
   * revoked, a denied read logged, trails listed, a category grant to a doctor and a correction.
   */
  @Test
  @Order(8)
  void theRecordStoryOnTheNetwork() throws Exception {
    registered();
    Assumptions.assumeTrue(regulatorSecrets != null, "skipped: no regulator registered");
    long t0 = System.nanoTime();
    story = new RecordStory(this::gatewayOf).institutionsAfterSetup(regulatorSecrets);
    story.run();
    log(String.format("records story (write 4096 bytes, grant, read, claim, settle, revoke, denied read, trails, category grant, "
        + "correction) committed in %.1f s", (System.nanoTime() - t0) / 1e9));
  }

  private LedgerConnection gatewayOf(String msp) {
    return switch (msp) {
      case "HospitalOrgMSP" -> hospitalGw;
      case "InsurerOrgMSP" -> insurerGw;
      case "RegulatorOrgMSP" -> regulatorGw;
      default -> throw new IllegalArgumentException(msp);
    };
  }

  /**
   * Records refused by the chaincode with their codes, nothing written: a write whose author
   * signature is forged, a grant signed by the hospital instead of the patient, a write for an
   * unknown patient, and a record larger than the chaincode's limit (also refused by the client).
   */
  @Test
  @Order(9)
  void badRecordRequestsAreRefusedWithTheirCodes() throws Exception {
    registered();
    Assumptions.assumeTrue(story != null, "skipped: the records story did not set up its institutions");
    AccountSecrets patientSecrets = story.secrets(Role.PATIENT, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    story.register(patientSecrets, "HospitalOrgMSP");
    RecordClient patient = new RecordClient(patientSecrets, hospitalGw, rnd);
    RecordClient.Written w = story.hospital.write(patient.accountId(), "visit", story.synthetic.next());
    AccountSecrets impostor = story.secrets(Role.HOSPITAL, TestKeys.key2048a());

    // The hospital's write, its signature replaced by one from a key that is not the author's.
    RecordClient forger = new RecordClient(story.hospitalSecrets, new Resigning(hospitalGw, "records:write", impostor), rnd);
    LedgerCallException forged = assertThrows(LedgerCallException.class,
        () -> forger.write(patient.accountId(), "visit", story.synthetic.next()));
    assertEquals(Kind.REFUSED, forged.kind());
    assertEquals("BAD_SIGNATURE", forged.errorCode());
    assertEquals(LedgerCallException.Committed.NO, forged.committed());

    // The patient's grant, signed by the hospital's key instead of the patient's.
    RecordClient notPatient = new RecordClient(patientSecrets, new Resigning(hospitalGw, "records:grant",
        story.hospitalSecrets), rnd);
    LedgerCallException unsignedGrant = assertThrows(LedgerCallException.class,
        () -> notPatient.grantRecord(story.insurer.accountId(), w.recordId(), null));
    assertEquals("BAD_SIGNATURE", unsignedGrant.errorCode());
    assertEquals(List.of(), patient.grants(), "no grant was written");

    LedgerCallException unknown = assertThrows(LedgerCallException.class,
        () -> story.hospital.write("acct-00000000000000000000000000000000", "visit", story.synthetic.next()));
    assertEquals(Kind.REFUSED, unknown.kind());
    assertEquals("UNKNOWN_ACCOUNT", unknown.errorCode());

    // Oversized: the client refuses before encrypting; a hand-built request is refused by the chaincode.
    ClientRefusalException big = assertThrows(ClientRefusalException.class, () -> story.hospital.write(patient.accountId(),
        "visit", story.synthetic.next(RecordClient.MAX_DOCUMENT_BYTES + 1)));
    assertTrue(big.getMessage().startsWith("RECORD_TOO_LARGE"), big.getMessage());
    LedgerCallException tooLarge = assertThrows(LedgerCallException.class,
        () -> hospitalGw.submit("records:write", oversizedWrite(patient.accountId())));
    assertEquals("RECORD_TOO_LARGE", tooLarge.errorCode());

    assertEquals(1, patient.records(patient.accountId()).size(), "only the first write committed");
    assertEquals(List.of(), patient.trail());
    log("records: forged author signature, grant not signed by the patient, unknown patient, oversized record: refused");
  }

  /**
   * Issue 11 on a real peer: a bookmark the chaincode did not issue is refused with BAD_BOOKMARK
   * by every paged query, through every organisation's peer, and the peers stay up. Before the
   * fix a patient's own signed trail query with the bookmark {@code U+0000 ptrail U+0000} returned
   * other patients' access entries, and a bookmark past the end of a range crashed the peer.
   */
  @Test
  @Order(10)
  void hostileBookmarksAreRefusedAndThePeersStayUp() throws Exception {
    registered();
    Assumptions.assumeTrue(story != null, "skipped: the records story did not run");
    AccountSecrets attackerSecrets = story.secrets(Role.PATIENT, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048));
    story.register(attackerSecrets, "HospitalOrgMSP");
    String attack = "\u0000ptrail\u0000";
    RecordClient attacker = new RecordClient(attackerSecrets, new Rebookmarking(hospitalGw, "records:trail", attack), rnd);
    LedgerCallException leaked = assertThrows(LedgerCallException.class, attacker::trail,
        "the trail query with a foreign bookmark must be refused");
    assertEquals("BAD_BOOKMARK", leaked.errorCode());
    assertEquals(List.of(), new RecordClient(attackerSecrets, hospitalGw, rnd).trail(), "the attacker's own trail is empty");

    String account = story.hospitalSecrets.accountId();
    List<String[]> queries = List.of(
        new String[] {"money:credits", account}, new String[] {"money:history", account},
        new String[] {"records:listRecords", account}, new String[] {"records:listGrants", account},
        new String[] {"records:listClaims", account}, new String[] {"channels:channelsOf", account});
    int refused = 0;
    for (LedgerConnection gw : List.of(hospitalGw, insurerGw, regulatorGw)) {
      for (String bookmark : List.of("\u0000zzz", attack, "\u0000")) {
        for (String[] q : queries) {
          String[] args = java.util.Arrays.copyOf(java.util.Arrays.copyOfRange(q, 1, q.length), q.length + 1);
          args[q.length - 1] = "10";
          args[q.length] = bookmark;
          LedgerCallException e = assertThrows(LedgerCallException.class, () -> gw.evaluate(q[0], args), q[0]);
          assertEquals("BAD_BOOKMARK", e.errorCode(), q[0] + ": " + e.getMessage());
          refused++;
        }
      }
      LedgerCallException audit = assertThrows(LedgerCallException.class, () -> regulatorGw.evaluate("money:audit", "10", "\u0000zzz"));
      assertEquals("BAD_BOOKMARK", audit.errorCode());
      // The peer behind this gateway still answers.
      assertEquals(account, CanonicalJson.parseObject(gw.evaluate("accounts:getAccount", account)).get("id").getAsString());
    }
    log("bookmarks: " + refused + " hostile paged queries refused with BAD_BOOKMARK through three peers; every peer still answers");
  }

  /** Replaces the bookmark (the last argument) of every query to one function. */
  private static final class Rebookmarking extends ForwardingConnection {
    private final String function;
    private final String bookmark;

    Rebookmarking(LedgerConnection inner, String function, String bookmark) {
      super(inner);
      this.function = function;
      this.bookmark = bookmark;
    }

    @Override
    public String evaluate(String fn, String... args) throws LedgerCallException {
      if (!fn.equals(function)) {
        return inner.evaluate(fn, args);
      }
      String[] changed = args.clone();
      changed[changed.length - 1] = bookmark;
      return inner.evaluate(fn, changed);
    }
  }

  /** A records:write by the story's hospital of a real encryption of MAX_RECORD_BYTES + 1024 bytes. */
  private String oversizedWrite(String patientId) throws Exception {
    String author = story.hospitalSecrets.accountId();
    long nonce = CanonicalJson.parseObject(hospitalGw.evaluate("accounts:getNonce", author)).get("next").getAsLong();
    org.medledger.crypto.paillier.PaillierPublicKey pk = org.medledger.crypto.paillier.PaillierPublicKey.fromBytes(
        java.util.Base64.getDecoder().decode(CanonicalJson.parseObject(hospitalGw.evaluate("accounts:getAccount", patientId))
            .get("paillierKey").getAsString()));
    String id = org.medledger.protocol.RecordProtocol.recordId("medchannel", "medledger", author, nonce);
    // 1 KiB over the limit: more segments than the limit allows (a segment holds < 256 bytes at 2048 bits).
    byte[] plaintext = new byte[org.medledger.protocol.RecordProtocol.MAX_RECORD_BYTES + 1024];
    rnd.nextBytes(plaintext);
    org.medledger.crypto.record.RecordCipher.Sealed sealed = org.medledger.crypto.record.RecordCipher.encrypt(plaintext, id, pk, rnd);
    JsonObject b = new JsonObject();
    b.addProperty("type", "record.write");
    b.addProperty("account", author);
    b.addProperty("nonce", nonce);
    b.addProperty("recordId", id);
    b.addProperty("patient", patientId);
    b.addProperty("recordType", "visit");
    b.addProperty("record", java.util.Base64.getEncoder().encodeToString(sealed.record().toBytes()));
    b.addProperty("proof", "AAAA"); // never read: the size is checked first
    b.addProperty("commitment", org.medledger.protocol.RecordProtocol.commitment(plaintext));
    return org.medledger.protocol.SignedRequest.sign("medchannel", "medledger", b, story.hospitalSecrets.signingKey(SecretAccess.explicit())).toJson();
  }

  /** Re-signs every request to one function with another account's key (the body is unchanged). */
  private static final class Resigning extends ForwardingConnection {
    private final String function;
    private final AccountSecrets signer;

    Resigning(LedgerConnection inner, String function, AccountSecrets signer) {
      super(inner);
      this.function = function;
      this.signer = signer;
    }

    @Override
    public String submit(String fn, String... args) throws LedgerCallException {
      if (!fn.equals(function)) {
        return inner.submit(fn, args);
      }
      JsonObject body = CanonicalJson.parseObject(args[0]).getAsJsonObject("body");
      String[] resigned = args.clone();
      resigned[0] = org.medledger.protocol.SignedRequest.sign(inner.channel(), inner.chaincode(), body, signer.signingKey(SecretAccess.explicit())).toJson();
      return inner.submit(fn, resigned);
    }
  }

  /** Counts transfer submissions and their stale failures; keeps the last transfer request. */
  private static final class CountingConnection extends ForwardingConnection {
    final AtomicInteger transferSubmits = new AtomicInteger();
    /** Failed transfer submissions by kind and code, e.g. "UNAVAILABLE ABORTED". */
    final java.util.Map<String, AtomicInteger> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
    final AtomicReference<String> lastTransferRequest = new AtomicReference<>();

    CountingConnection(LedgerConnection inner) {
      super(inner);
    }

    @Override
    public String submit(String function, String... args) throws LedgerCallException {
      if (!function.equals("money:transfer")) {
        return inner.submit(function, args);
      }
      transferSubmits.incrementAndGet();
      try {
        String out = inner.submit(function, args);
        lastTransferRequest.set(args[0]);
        return out;
      } catch (LedgerCallException e) {
        failures.computeIfAbsent(e.kind() + " " + e.errorCode(), k -> new AtomicInteger()).incrementAndGet();
        throw e;
      }
    }
  }

  /** The gateway example of docs/client-sdk.md §11.2, as the doc shows it, on the network. */
  @Test
  @Order(11)
  void theGatewayExampleOfTheDocsRuns() throws Exception {
    registered();
    long before = hospital.balance();
    GatewayExample.Outcome o = GatewayExample.run(runDir, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048), id -> {
      try {
        insurer.pay(id, 2_000);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, hospital.accountId());
    assertEquals(1_200, o.fee().amount().getAsLong());
    assertEquals(800, o.left());
    assertEquals(before + 1_200, hospital.balance());
  }

  /**
   * Batched transfers (docs/client-sdk.md §3.6) through the hospital's gateway: one patient's chain
   * of three in one money:transferBatch commits; then a till batch of five from three patients whose
   * middle member's signature is forged and whose fourth member's nonce was taken by a payment in
   * between: the peers refuse the batch naming the culprit's index (which must survive the Fabric
   * gateway's error text), the till drops it (and the later transfer of the same payer) and sends
   * the rest again, which commit in one batch; the refused members wrote nothing.
   */
  @Test
  @Order(12)
  void batchedTransfersCommitAndACulpritIsNamedAndDropped() throws Exception {
    registered();
    AccountClient payer = patients.get(5);
    long h0 = hospital.balance();
    long p0 = payer.balance();
    long t0 = System.nanoTime();
    List<BatchOutcome> chain = payer.payBatch(hospital.accountId(), 100, 200, 300);
    double chainSeconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(3, chain.size());
    String tx = chain.get(0).batchTxId();
    for (int i = 0; i < 3; i++) {
      BatchOutcome o = chain.get(i);
      assertEquals(PaymentStatus.Outcome.YES, o.committed(), o.detail());
      assertEquals(tx, o.batchTxId(), "one batch transaction");
      assertEquals(tx + ".0" + i, o.recordId());
      assertEquals(100L * (i + 1), o.result().orElseThrow().amount().getAsLong(), "the payer copy");
    }
    transferred.addAll(List.of(100L, 200L, 300L));
    assertEquals(h0 + 600, hospital.balance());
    assertEquals(p0 - 600, payer.balance());
    assertEquals(300L, hospital.transaction(chain.get(2).recordId()).orElseThrow().amount().getAsLong(), "the payee copy");

    AccountClient a = patients.get(6);
    AccountClient forger = patients.get(7);
    AccountClient stale = patients.get(8);
    long a0 = a.balance();
    long f0 = forger.balance();
    long s0 = stale.balance();
    long h1 = hospital.balance();
    long forgerNonce = nonceOf(forger.accountId());
    List<SignedTransfer> batch = new ArrayList<>();
    batch.addAll(a.prepareTransfers(hospital.accountId(), 11, 12));
    SignedTransfer honest = forger.prepareTransfers(hospital.accountId(), 13).get(0);
    JsonObject forged = CanonicalJson.parseObject(honest.request());
    String sig = forged.get("signature").getAsString();
    forged.addProperty("signature", (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
    batch.add(new SignedTransfer(honest.payer(), honest.payee(), honest.nonce(), CanonicalJson.toString(forged)));
    batch.addAll(stale.prepareTransfers(hospital.accountId(), 14, 15));
    stale.pay(hospital.accountId(), 5); // takes the nonce of the stale patient's first batched transfer
    transferred.add(5L);
    // Every peer must have seen that payment, or an endorser behind it would accept the stale member.
    long moved = batch.get(3).nonce() + 1;
    for (LedgerConnection gw : List.of(hospitalGw, insurerGw, regulatorGw)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (CanonicalJson.parseObject(gw.evaluate("accounts:getNonce", stale.accountId())).get("next").getAsLong() < moved) {
        assertTrue(System.nanoTime() < deadline, "a peer did not see the stale patient's payment");
        Thread.sleep(200);
      }
    }
    long t1 = System.nanoTime();
    List<BatchOutcome> out = new Till(hospitalGw).submit(batch);
    double tillSeconds = (System.nanoTime() - t1) / 1e9;
    assertEquals(5, out.size());
    assertEquals(PaymentStatus.Outcome.NO, out.get(2).committed());
    assertEquals("BAD_SIGNATURE", out.get(2).errorCode(), out.get(2).detail());
    assertTrue(out.get(2).detail().contains("member 2 of 5"), "the culprit's index through the gateway: " + out.get(2).detail());
    assertEquals(PaymentStatus.Outcome.NO, out.get(3).committed());
    assertEquals("BAD_NONCE", out.get(3).errorCode(), out.get(3).detail());
    // After the first drop the batch has four members: the stale one is member 2 of 4.
    assertTrue(out.get(3).detail().contains("member 2 of 4"), out.get(3).detail());
    assertEquals(PaymentStatus.Outcome.NO, out.get(4).committed());
    assertTrue(out.get(4).detail().contains("spends from transfer 3"), out.get(4).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(0).committed(), out.get(0).detail());
    assertEquals(PaymentStatus.Outcome.YES, out.get(1).committed(), out.get(1).detail());
    assertEquals(out.get(0).batchTxId(), out.get(1).batchTxId(), "the rest commit in one batch, the third send");
    assertEquals(out.get(0).batchTxId() + ".01", out.get(1).recordId());
    assertTrue(out.get(0).result().orElseThrow().amount().isEmpty(), "the till holds no key");
    transferred.addAll(List.of(11L, 12L));
    assertEquals(a0 - 23, a.balance());
    assertEquals(f0, forger.balance(), "the forged member wrote nothing");
    assertEquals(forgerNonce, nonceOf(forger.accountId()), "the forged member's nonce is unused");
    assertEquals(s0 - 5, stale.balance());
    assertEquals(h1 + 23 + 5, hospital.balance());
    log(String.format("batches: a chain of 3 committed in one transferBatch in %.1f s; a till batch of 5 with a forged and a "
        + "stale member: culprits named through the gateway (member 2 of 5, member 2 of 4), 2 committed in the third send, "
        + "%.1f s", chainSeconds, tillSeconds));
  }

  private long nonceOf(String account) throws LedgerCallException {
    return CanonicalJson.parseObject(hospitalGw.evaluate("accounts:getNonce", account)).get("next").getAsLong();
  }

  /**
   * The regulator committee on the peers (docs/chaincode.md §10), after every step that needs the
   * single-key issue: five COMMITTEE_MEMBER accounts and the 3-of-5 committee registered (then a
   * single-key issue is refused), an issue by committee act (t signatures), a PUBLIC disclosure of
   * a patient's payment from the regulator's copy — two shares leave it OPEN, a forged share is
   * refused with its code and writes nothing, the third share opens it with the amount — and the
   * patient's disclosure trail.
   */
  @Test
  @Order(13)
  void committeeIssuesAndOpensATransferOnThePeers() throws Exception {
    registered();
    Assumptions.assumeTrue(dealing != null, "skipped: the regulator was not registered with the committee key");
    long t0 = System.nanoTime();
    List<CommitteeClient> members = new ArrayList<>();
    List<AccountSecrets> memberSecrets = new ArrayList<>();
    List<String> memberIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AccountSecrets s = AccountSecrets.generate(Role.COMMITTEE_MEMBER, i % 2 == 0 ? TestKeys.key2048a() : TestKeys.key2048b(), rnd);
      new AccountClient(s, regulatorGw, rnd).register();
      members.add(new CommitteeClient(s, regulatorGw, rnd));
      memberSecrets.add(s);
      memberIds.add(s.accountId());
    }
    CommitteeClient.Committee committee = new CommitteeClient(regulatorSecrets, regulatorGw, rnd)
        .registerCommittee(dealing.publicKey(), memberIds);
    committeeMember = members.get(0);
    committeeMemberSecrets = memberSecrets.get(0);
    assertEquals(memberIds, committee.members());
    assertEquals(3, committee.publicKey().threshold());
    LedgerCallException single = assertThrows(LedgerCallException.class, () -> regulator.issue(insurer.accountId(), 1));
    assertEquals("COMMITTEE_ACT", single.errorCode(), single.getMessage());

    long before = insurer.balance();
    CommitteeAct issue = members.get(0).issueAct(insurer.accountId(), 30_000);
    LedgerCallException few = assertThrows(LedgerCallException.class,
        () -> members.get(0).submit(members.get(1).sign(members.get(0).sign(issue))));
    assertEquals("NOT_ENOUGH_SIGNATURES", few.errorCode(), few.getMessage());
    members.get(3).sign(issue);
    assertEquals("ISSUE", members.get(1).submit(issue).get("kind").getAsString());
    assertEquals(before + 30_000, insurer.balance());

    AccountSecrets patientSecrets = AccountSecrets.generate(Role.PATIENT, new PaillierKeyGenerator(rnd).generate(KeySize.BITS_2048), rnd);
    AccountClient patient = new AccountClient(patientSecrets, hospitalGw, rnd);
    patient.register();
    insurer.pay(patient.accountId(), 3_000);
    Transfer visit = patient.pay(hospital.accountId(), 1_234);

    Disclosure d = members.get(1).open(Target.TRANSFER, visit.txId(), "", "audit of hospital billing, case 17", Mode.PUBLIC);
    assertEquals("OPEN", d.status());
    assertEquals(List.of(patient.accountId(), hospital.accountId()), d.concerned());
    assertEquals("OPEN", members.get(0).share(d.id(), dealing.shares().get(0)).status());
    Disclosure two = members.get(2).share(d.id(), dealing.shares().get(2));
    assertEquals("OPEN", two.status());
    assertTrue(two.plaintext().isEmpty(), "t - 1 shares do not open it");

    // Member 5's share under a forged proof: the committee contract refuses it, nothing is written.
    CommitteeClient forger = new CommitteeClient(memberSecrets.get(4), new ForgedShare(regulatorGw, memberSecrets.get(4)), rnd);
    long nonce = CanonicalJson.parseObject(regulatorGw.evaluate("accounts:getNonce", memberIds.get(4))).get("next").getAsLong();
    LedgerCallException bad = assertThrows(LedgerCallException.class, () -> forger.share(d.id(), dealing.shares().get(4)));
    assertEquals(Kind.REFUSED, bad.kind());
    assertEquals("SHARE_INVALID", bad.errorCode(), bad.getMessage());
    assertEquals(two.sharedBy(), members.get(0).disclosure(d.id()).sharedBy(), "no share recorded");
    assertEquals(nonce, CanonicalJson.parseObject(regulatorGw.evaluate("accounts:getNonce", memberIds.get(4))).get("next").getAsLong());

    Disclosure opened = members.get(4).share(d.id(), dealing.shares().get(4));
    assertEquals("OPENED", opened.status());
    assertEquals(BigInteger.valueOf(1_234), opened.plaintext().orElseThrow());
    assertEquals(List.of(memberIds.get(0), memberIds.get(2), memberIds.get(4)), opened.sharedBy());
    LedgerCallException closed = assertThrows(LedgerCallException.class, () -> members.get(3).share(d.id(), dealing.shares().get(3)));
    assertEquals("DISCLOSURE_CLOSED", closed.errorCode());

    List<Disclosure> trail = new CommitteeClient(patientSecrets, hospitalGw, rnd).trail();
    assertEquals(List.of(d.id()), trail.stream().map(Disclosure::id).toList());
    assertEquals("audit of hospital billing, case 17", trail.get(0).reason());
    assertEquals(memberIds.get(1), trail.get(0).requester());
    assertEquals("OPENED", trail.get(0).status());
    log(String.format("committee: 5 members and a 3-of-5 committee registered, an issue act, a PUBLIC disclosure opened by "
        + "the third share (a forged share refused with SHARE_INVALID), the patient's trail, in %.1f s", (System.nanoTime() - t0) / 1e9));
  }

  /**
   * Issue 14 on the real peers ({@link StatsOnPeers}): a record contribution verified and bucketed,
   * the payments of the earlier steps in the hospital's PAY bucket, a replayed contribution refused,
   * folding and opening refused while the month runs.
   */
  @Test
  @Order(14)
  void statisticsBucketsOnThePeers() throws Exception {
    registered();
    Assumptions.assumeTrue(story != null && committeeMember != null, "skipped: the records story or the committee step did not run");
    long t0 = System.nanoTime();
    String done = StatsOnPeers.run(hospitalGw, story, hospital.accountId(), committeeMember, committeeMemberSecrets,
        regulatorGw, rnd);
    log(String.format("%s, in %.1f s", done, (System.nanoTime() - t0) / 1e9));
  }

  /** Replaces the share of every committee:share request by the same share with c_i multiplied by 1 + n (its proof unchanged). */
  private final class ForgedShare extends ForwardingConnection {
    private final AccountSecrets signer;

    ForgedShare(LedgerConnection inner, AccountSecrets signer) {
      super(inner);
      this.signer = signer;
    }

    @Override
    public String submit(String fn, String... args) throws LedgerCallException {
      if (!fn.equals("committee:share")) {
        return inner.submit(fn, args);
      }
      JsonObject req = CanonicalJson.parseObject(args[0]);
      JsonObject body = req.getAsJsonObject("body");
      byte[] share = java.util.Base64.getDecoder().decode(body.get("share").getAsString());
      BigInteger n = dealing.publicKey().paillierKey().n();
      int len = n.bitLength() / 4; // c_i occupies k/4 bytes after the 4-byte header and the u16 index
      BigInteger ci = new BigInteger(1, Arrays.copyOfRange(share, 6, 6 + len));
      byte[] shifted = ci.multiply(n.add(BigInteger.ONE)).mod(n.multiply(n)).toByteArray();
      Arrays.fill(share, 6, 6 + len, (byte) 0);
      int l = Math.min(shifted.length, len);
      System.arraycopy(shifted, shifted.length - l, share, 6 + len - l, l);
      body.addProperty("share", java.util.Base64.getEncoder().encodeToString(share));
      String[] changed = args.clone();
      changed[0] = org.medledger.protocol.SignedRequest.sign(inner.channel(), inner.chaincode(), body,
          signer.signingKey(SecretAccess.explicit())).toJson();
      return inner.submit(fn, changed);
    }
  }
}
