package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.FileCheckpointer;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.sdk.LedgerCallException.Committed;
import org.medledger.sdk.LedgerCallException.Kind;

/**
 * The gateway connection against an in-process Fabric gateway service ({@link FakeGateway}) that
 * answers with the statuses and error details a Fabric peer uses: what reaches the peer, and how
 * each failure is reported.
 */
class GatewayConnectionTest {
  private static final String ENDORSE_FAILED = "failed to endorse transaction, see attached details for more info";
  private final FakeGateway fake = new FakeGateway();
  private final TestPki pki = new TestPki("HospitalOrgCA");
  private final TestPki.Party user = pki.issue("User1@hospital", null);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(fake).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private GatewayConnection.Builder builder() {
    return GatewayConnection.builder().identity("HospitalOrgMSP", user.cert(), user.keys().getPrivate())
        .target("medchannel", "medledger").grpcChannel(channel);
  }

  private GatewayConnection connect(GatewayConnection.Builder b) {
    GatewayConnection c = b.connect();
    toClose.add(c);
    return c;
  }

  @Test
  void submitSendsASignedProposalAndReturnsTheChaincodeResult() throws Exception {
    fake.endorse = call -> ("{\"echo\":\"" + call.args().get(0) + "\"}").getBytes(StandardCharsets.UTF_8);
    GatewayConnection c = connect(builder());
    assertEquals("{\"echo\":\"req-1\"}", c.submit("money:transfer", "req-1"));
    FakeGateway.Call call = fake.calls.get(0);
    assertEquals("medchannel", call.channel());
    assertEquals("medledger", call.chaincode());
    assertEquals("HospitalOrgMSP", call.mspId());
    assertEquals("money:transfer", call.function());
    assertEquals(List.of("req-1"), call.args());
    assertEquals(List.of(call.txId()), fake.submitted, "the endorsed transaction went to the orderer");
  }

  @Test
  void evaluateReturnsTheResultAndSendsNothingToTheOrderer() throws Exception {
    fake.evaluate = call -> ("nonce of " + call.args().get(0)).getBytes(StandardCharsets.UTF_8);
    GatewayConnection c = connect(builder());
    assertEquals("nonce of acct-1", c.evaluate("accounts:getNonce", "acct-1"));
    assertEquals("accounts:getNonce", fake.calls.get(0).function());
    assertTrue(fake.submitted.isEmpty());
  }

  @Test
  void aChaincodeRefusalAtEndorsementCarriesItsCodeAndTheTxId() {
    fake.endorse = call -> {
      throw FakeGateway.chaincodeRefusal(Status.Code.ABORTED, ENDORSE_FAILED, "BAD_NONCE: expected nonce 3, got 2");
    };
    GatewayConnection c = connect(builder());
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.REFUSED, e.kind());
    assertEquals("BAD_NONCE", e.errorCode());
    assertEquals(Committed.NO, e.committed());
    assertEquals(fake.calls.get(0).txId(), e.txId());
    assertTrue(e.getMessage().contains("expected nonce 3, got 2"), e.getMessage());
    assertTrue(fake.submitted.isEmpty(), "a refused proposal is never sent to the orderer");
  }

  @Test
  void aChaincodeRefusalAtEvaluationCarriesItsCode() {
    fake.evaluate = call -> {
      throw FakeGateway.chaincodeRefusal(Status.Code.UNKNOWN,
          "evaluate call to endorser returned error: chaincode response 500, UNKNOWN_ACCOUNT: acct-9", "UNKNOWN_ACCOUNT: acct-9");
    };
    GatewayConnection c = connect(builder());
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.evaluate("money:balance", "acct-9"));
    assertEquals(Kind.REFUSED, e.kind());
    assertEquals("UNKNOWN_ACCOUNT", e.errorCode());
    assertEquals(Committed.NO, e.committed());
  }

  @Test
  void failuresOutsideTheChaincodesCodesAreRejectedNotRefused() {
    GatewayConnection c = connect(builder());
    fake.endorse = call -> {
      throw FakeGateway.chaincodeRefusal(Status.Code.ABORTED, ENDORSE_FAILED, "Unexpected error");
    };
    LedgerCallException crash = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.REJECTED, crash.kind());
    assertEquals("ABORTED", crash.errorCode());
    assertTrue(crash.getMessage().contains("Unexpected error"), crash.getMessage());

    fake.endorse = call -> {
      throw FakeGateway.chaincodeRefusal(Status.Code.ABORTED, ENDORSE_FAILED, "NOT_OUR_CODE: looks like one");
    };
    assertEquals(Kind.REJECTED, assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}")).kind());

    fake.evaluate = call -> {
      throw Status.PERMISSION_DENIED.withDescription("access denied").asRuntimeException();
    };
    LedgerCallException denied = assertThrows(LedgerCallException.class, () -> c.evaluate("money:audit", "10", ""));
    assertEquals(Kind.REJECTED, denied.kind());
    assertEquals("PERMISSION_DENIED", denied.errorCode());
    assertEquals(Committed.NO, denied.committed());
  }

  /** What a loaded gateway reports when it lost its connections to the other endorsers. */
  @Test
  void endorsersThatCouldNotBeReachedAreUnavailableNotRejected() {
    GatewayConnection c = connect(builder());
    String failed = "failed to collect enough transaction endorsements, see attached details for more info";
    fake.endorse = call -> {
      throw FakeGateway.withDetails(Status.Code.ABORTED, failed,
          "rpc error: code = Canceled desc = grpc: the client connection is closing",
          "rpc error: code = Unavailable desc = connection error");
    };
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals(Committed.NO, e.committed());

    fake.endorse = call -> {
      throw FakeGateway.withDetails(Status.Code.ABORTED, failed,
          "rpc error: code = Canceled desc = grpc: the client connection is closing", "chaincode response 500, Unexpected error");
    };
    assertEquals(Kind.REJECTED, assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}")).kind(),
        "one endorser answered with an error: not a transport failure");
  }

  /** What a peer answers when its organisation's chaincode server is down (docs/test-network.md §5). */
  private static final String CHAINCODE_DOWN = "chaincode response 500, error in simulation: failed to execute transaction tx: "
      + "could not launch chaincode medledger_1.0:ab12: connection to chaincode failed: dial tcp 127.0.0.1:9999: connect: connection refused";

  @Test
  void aChaincodeServerThatIsDownIsUnavailableNotRejected() {
    GatewayConnection c = connect(builder());
    fake.endorse = call -> {
      throw FakeGateway.withDetails(Status.Code.ABORTED, ENDORSE_FAILED, CHAINCODE_DOWN);
    };
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
    assertEquals(Committed.NO, e.committed());
    assertTrue(fake.submitted.isEmpty());
  }

  @Test
  void aGatewayNotReadyAfterARestartIsUnavailableNotRejected() {
    GatewayConnection c = connect(builder());
    fake.endorse = call -> {
      throw Status.FAILED_PRECONDITION.withDescription("no combination of peers can be derived which satisfy the endorsement policy")
          .asRuntimeException();
    };
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals("FAILED_PRECONDITION", e.errorCode());
    assertEquals(Committed.NO, e.committed());
    fake.evaluate = call -> {
      throw Status.FAILED_PRECONDITION.withDescription("no peers available to evaluate chaincode medledger").asRuntimeException();
    };
    assertEquals(Kind.UNAVAILABLE, assertThrows(LedgerCallException.class, () -> c.evaluate("accounts:getChannel")).kind());
  }

  /**
   * The payer organisation's own chaincode server is down: the gateway's choice of endorsers fails
   * on its own organisation's peer, and the connection endorses once more with the other two.
   */
  @Test
  void endorsementRefusedOnlyByOneOrganisationsDownChaincodeIsRetriedWithTheOthers() throws Exception {
    GatewayConnection c = connect(builder().organisations("HospitalOrgMSP", "InsurerOrgMSP", "RegulatorOrgMSP"));
    fake.endorse = call -> {
      if (fake.calls.size() == 1) {
        throw FakeGateway.withOrgDetails(Status.Code.ABORTED, ENDORSE_FAILED, "HospitalOrgMSP", CHAINCODE_DOWN);
      }
      return "ok".getBytes(StandardCharsets.UTF_8);
    };
    assertEquals("ok", c.submit("money:transfer", "{}"));
    assertEquals(List.of(List.of(), List.of("InsurerOrgMSP", "RegulatorOrgMSP")), fake.endorsingOrganisations);
    assertEquals(List.of(fake.calls.get(1).txId()), fake.submitted, "only the second proposal was sent to the orderer");

    // A chaincode refusal is an answer, not an unreachable endorser: not endorsed again.
    fake.calls.clear();
    fake.endorsingOrganisations.clear();
    fake.endorse = call -> {
      throw FakeGateway.chaincodeRefusal(Status.Code.ABORTED, ENDORSE_FAILED, "BAD_NONCE: expected nonce 3, got 2");
    };
    assertEquals(Kind.REFUSED, assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}")).kind());
    assertEquals(1, fake.calls.size());
  }

  @Test
  void withoutKnownOrganisationsAnUnreachableEndorserIsNotEndorsedAgainHere() {
    GatewayConnection c = connect(builder());
    fake.endorse = call -> {
      throw FakeGateway.withOrgDetails(Status.Code.ABORTED, ENDORSE_FAILED, "HospitalOrgMSP", CHAINCODE_DOWN);
    };
    assertEquals(Kind.UNAVAILABLE, assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}")).kind());
    assertEquals(1, fake.calls.size(), "left to AccountClient's paced retries");
  }

  @Test
  void theCommitStatusOfAnyTransactionIdIsAskedSignedAndBoundedByADeadline() throws Exception {
    GatewayConnection c = connect(builder().evaluateTimeout(Duration.ofMillis(300)));
    fake.commitStatus = tx -> tx.equals("tx-valid") ? FakeGateway.valid(4) : FakeGateway.invalid(TxValidationCode.MVCC_READ_CONFLICT, 5);
    assertEquals("VALID", c.commitStatus("tx-valid").orElseThrow());
    assertEquals("MVCC_READ_CONFLICT", c.commitStatus("tx-late").orElseThrow());
    assertEquals(List.of("tx-valid", "tx-late"), fake.statusRequests);
    fake.commitStatus = tx -> {
      Thread.sleep(2_000); // never ordered: a peer waits for it until the deadline
      return FakeGateway.valid(9);
    };
    assertTrue(c.commitStatus("tx-never").isEmpty());
    fake.commitStatus = tx -> {
      throw Status.PERMISSION_DENIED.withDescription("access denied").asRuntimeException();
    };
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.commitStatus("tx-other"));
    assertEquals(Kind.REJECTED, e.kind());
    assertEquals(Committed.NO, e.committed());
  }

  @Test
  void anEndorsementDeadlineMeansNotCommitted() {
    fake.endorse = call -> {
      Thread.sleep(2_000);
      return new byte[0];
    };
    GatewayConnection c = connect(builder().endorseTimeout(Duration.ofMillis(200)));
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals("DEADLINE_EXCEEDED", e.errorCode());
    assertEquals(Committed.NO, e.committed());
    assertEquals(fake.calls.get(0).txId(), e.txId());
    assertTrue(e.getMessage().contains("not committed"), e.getMessage());
  }

  @Test
  void aSubmitThatLosesTheOrdererIsUnknownButAnOrdererRefusalIsNot() {
    GatewayConnection c = connect(builder());
    fake.submit = tx -> {
      throw FakeGateway.withDetails(Status.Code.UNAVAILABLE, "no orderers could successfully process transaction",
          "connection refused");
    };
    LedgerCallException lost = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.UNAVAILABLE, lost.kind());
    assertEquals(Committed.UNKNOWN, lost.committed());

    fake.submit = tx -> {
      throw Status.ABORTED.withDescription("received unsuccessful response from orderer: BAD_REQUEST").asRuntimeException();
    };
    LedgerCallException refused = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.REJECTED, refused.kind());
    assertEquals(Committed.NO, refused.committed());
  }

  @Test
  void aSubmitDeadlineIsUnknown() {
    fake.submit = tx -> Thread.sleep(2_000);
    GatewayConnection c = connect(builder().submitTimeout(Duration.ofMillis(200)));
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals(Committed.UNKNOWN, e.committed());
  }

  @Test
  void aCommitStatusDeadlineAfterASuccessfulSubmitSaysCheckTheTransaction() {
    fake.commitStatus = tx -> {
      Thread.sleep(2_000);
      return FakeGateway.valid(7);
    };
    GatewayConnection c = connect(builder().commitStatusTimeout(Duration.ofMillis(200)));
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
    assertEquals(Kind.TIMEOUT, e.kind());
    assertEquals(Committed.UNKNOWN, e.committed());
    String tx = fake.calls.get(0).txId();
    assertEquals(tx, e.txId());
    assertEquals(List.of(tx), fake.submitted);
    assertTrue(e.getMessage().contains("check tx " + tx), e.getMessage());
  }

  @Test
  void invalidationCodesAreConflictsOnlyForMvccAndPhantomReads() {
    GatewayConnection c = connect(builder());
    for (TxValidationCode code : List.of(TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.PHANTOM_READ_CONFLICT,
        TxValidationCode.ENDORSEMENT_POLICY_FAILURE)) {
      fake.commitStatus = tx -> FakeGateway.invalid(code, 12);
      LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
      assertEquals(code == TxValidationCode.ENDORSEMENT_POLICY_FAILURE ? Kind.REJECTED : Kind.CONFLICT, e.kind(), code.name());
      assertEquals(code.name(), e.errorCode());
      assertEquals(Committed.NO, e.committed());
      assertTrue(e.getMessage().contains("block 12"), e.getMessage());
    }
  }

  @Test
  void aPeerThatIsGoneIsUnavailableAndNothingWasSent() throws Exception {
    ManagedChannel nowhere = InProcessChannelBuilder.forName("no-such-peer-" + InProcessServerBuilder.generateName()).build();
    try {
      GatewayConnection c = connect(builder().grpcChannel(nowhere));
      LedgerCallException q = assertThrows(LedgerCallException.class, () -> c.evaluate("accounts:getChannel"));
      assertEquals(Kind.UNAVAILABLE, q.kind());
      assertEquals(Committed.NO, q.committed());
      LedgerCallException s = assertThrows(LedgerCallException.class, () -> c.submit("money:transfer", "{}"));
      assertEquals(Kind.UNAVAILABLE, s.kind());
      assertEquals(Committed.NO, s.committed(), "endorsement never happened, so the client never sent it");
    } finally {
      nowhere.shutdownNow();
    }
  }

  /** The connection file path end to end: TLS to 127.0.0.1 with the peer's TLS name as override. */
  @Test
  void connectsFromAConnectionFileOverTlsWithTheHostOverride() throws Exception {
    TestPki tlsCa = new TestPki("tlsca.hospital.test");
    TestPki.Party peer = tlsCa.issue("peer0.hospital.test", "peer0.hospital.test");
    Path serverCert = TestPki.write(dir.resolve("server.crt"), peer.cert());
    Path serverKey = TestPki.write(dir.resolve("server.key"), peer.keys().getPrivate());
    Server tls = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
        TlsServerCredentials.create(serverCert.toFile(), serverKey.toFile())).addService(fake).build().start();
    try {
      TestPki.write(dir.resolve("tlsca.pem"), tlsCa.caCert);
      TestPki.write(dir.resolve("cert.pem"), user.cert());
      TestPki.write(dir.resolve("key.pem"), user.keys().getPrivate());
      Path file = dir.resolve("hospital.json");
      Files.writeString(file, "{\"mspId\":\"HospitalOrgMSP\",\"peerEndpoint\":\"127.0.0.1:" + tls.getPort() + "\","
          + "\"hostOverride\":\"peer0.hospital.test\",\"tlsCaCert\":\"tlsca.pem\",\"certificate\":\"cert.pem\","
          + "\"privateKey\":\"key.pem\",\"channel\":\"medchannel\",\"chaincode\":\"medledger\"}");
      fake.evaluate = call -> "over tls".getBytes(StandardCharsets.UTF_8);
      try (GatewayConnection c = GatewayConnection.connect(file)) {
        assertEquals("over tls", c.evaluate("accounts:getChannel"));
        assertEquals("HospitalOrgMSP", fake.calls.get(0).mspId());
      }

      // The same peer under another TLS name fails the handshake.
      Files.writeString(file, Files.readString(file).replace("\"peer0.hospital.test\"", "\"peer0.insurer.test\""));
      try (GatewayConnection c = GatewayConnection.connect(file)) {
        LedgerCallException e = assertThrows(LedgerCallException.class, () -> c.evaluate("accounts:getChannel"));
        assertEquals(Kind.UNAVAILABLE, e.kind());
      }
    } finally {
      tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Events through the gateway with a file checkpoint: a subscription stopped mid-stream and a
   * stream broken by the peer both resume from the checkpoint, with every event delivered once.
   */
  @Test
  void eventsResumeFromAFileCheckpointWithoutGapsOrDuplicates() throws Exception {
    List<String> all = new ArrayList<>();
    long block = 3;
    for (int i = 0; i < 6; i++, block++) {
      fake.publish(block, FakeGateway.event("tx" + (2 * i), "medledger.Transferred", "{\"n\":" + (2 * i) + "}"),
          FakeGateway.event("tx" + (2 * i + 1), "medledger.Transferred", "{\"n\":" + (2 * i + 1) + "}"));
      all.add("tx" + (2 * i));
      all.add("tx" + (2 * i + 1));
    }
    GatewayConnection c = connect(builder());
    Path cp = dir.resolve("events.checkpoint");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());

    // First run: the listener fails on tx5, in the middle of block 5; tx4 is the last one handled.
    CountDownLatch five = new CountDownLatch(1);
    try (FileCheckpointer checkpointer = new FileCheckpointer(cp)) {
      EventSubscription s = c.subscribe(3, checkpointer, e -> {
        if (e.txId().equals("tx5")) {
          five.countDown();
          throw new IllegalStateException("processing failed"); // not checkpointed: comes again
        }
        seen.add(e.txId());
      });
      assertTrue(five.await(10, TimeUnit.SECONDS));
      awaitInactive(s);
      assertTrue(s.failure().isPresent());
      s.close();
      assertEquals(5L, checkpointer.getBlockNumber().getAsLong());
      assertEquals("tx4", checkpointer.getTransactionId().orElseThrow());
      assertEquals(all.subList(0, 5), seen);
    }

    // Restart: resumes after tx4 (mid-block), survives a broken stream, sees a new block.
    CountDownLatch done = new CountDownLatch(1);
    try (FileCheckpointer checkpointer = new FileCheckpointer(cp)) {
      int requestsBefore = fake.eventRequests();
      EventSubscription s = c.subscribe(0, checkpointer, e -> {
        seen.add(e.txId());
        if (e.txId().equals("tx8")) {
          new Thread(fake::breakStreams).start();
        }
        if (e.txId().equals("tx12")) {
          done.countDown();
        }
      });
      awaitSize(seen, 10);
      fake.publish(block, FakeGateway.event("tx12", "medledger.Folded", "{}"));
      all.add("tx12");
      assertTrue(done.await(20, TimeUnit.SECONDS), "seen " + seen);
      s.close();
      assertTrue(fake.eventRequests() - requestsBefore >= 2, "the broken stream was opened again");
    }
    assertEquals(all, seen);
  }

  private static void awaitInactive(EventSubscription s) throws InterruptedException {
    for (int i = 0; i < 200 && s.isActive(); i++) {
      Thread.sleep(25);
    }
    assertFalse(s.isActive());
  }

  private static void awaitSize(List<?> list, int n) throws InterruptedException {
    for (int i = 0; i < 400 && list.size() < n; i++) {
      Thread.sleep(25);
    }
  }
}
