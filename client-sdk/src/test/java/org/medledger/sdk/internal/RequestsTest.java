package org.medledger.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.protocol.SignedRequest;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.ClientError;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerCallException.Committed;
import org.medledger.sdk.LedgerCallException.Kind;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PendingPayment;

/**
 * The request layer's one retry policy, against a scripted connection (no ledger): what is rebuilt,
 * with which nonce, how often, and what is thrown as it is.
 */
class RequestsTest {
  private final SecureRandom rnd = new SecureRandom();
  private final AccountSecrets secrets = new AccountSecrets(Role.INSURER, new byte[32], TestKeys.key1024());

  /** Answers getNonce with {@link #next}, and each submit with the next scripted failure, or "ok" (the nonce moves then). */
  private static final class Scripted implements LedgerConnection {
    long next = 7;
    final Deque<LedgerCallException> failures = new ArrayDeque<>();
    final List<Long> submittedNonces = new ArrayList<>();
    final List<String> functions = new ArrayList<>();
    /** What money:getTransaction finds; null: "no transaction". */
    JsonObject found;
    /** How far the nonce moves when a scripted failure is thrown (an attempt that committed unseen moves it). */
    long moveOnFailure;

    @Override
    public String submit(String function, String... args) throws LedgerCallException {
      functions.add(function);
      JsonObject body = CanonicalJson.parseObject(args[0]).getAsJsonObject("body");
      submittedNonces.add(body.get("nonce").getAsLong());
      LedgerCallException f = failures.poll();
      if (f != null) {
        next += moveOnFailure;
        throw f;
      }
      next++;
      return "{\"txId\":\"ok\"}";
    }

    @Override
    public String evaluate(String function, String... args) throws LedgerCallException {
      switch (function) {
        case "accounts:getNonce" -> {
          return "{\"account\":\"" + args[0] + "\",\"next\":" + next + "}";
        }
        case "money:getTransaction" -> {
          if (found == null || !found.get("txId").getAsString().equals(args[0])) {
            throw new LedgerCallException(Kind.REFUSED, "MALFORMED_REQUEST", "", "MALFORMED_REQUEST: no transaction " + args[0]);
          }
          return CanonicalJson.toString(found);
        }
        default -> throw new AssertionError("unexpected " + function);
      }
    }

    @Override
    public String channel() {
      return "medchannel";
    }

    @Override
    public String chaincode() {
      return "medledger";
    }
  }

  private static LedgerCallException refused(String code) {
    return new LedgerCallException(Kind.REFUSED, code, "", code + ": test");
  }

  private static LedgerCallException conflict() {
    return new LedgerCallException(Kind.CONFLICT, "MVCC_READ_CONFLICT", "tx-c", "MVCC_READ_CONFLICT: test");
  }

  private static LedgerCallException unknown(String txId) {
    return new LedgerCallException(Kind.TIMEOUT, "DEADLINE_EXCEEDED", txId, Committed.UNKNOWN, "commit status: deadline");
  }

  private Requests requests(Scripted c) {
    Requests r = new Requests(secrets, c, rnd);
    r.retryPause(Duration.ofMillis(1));
    r.resolveWait(Duration.ZERO);
    return r;
  }

  @Test
  void aConflictOrAMovedNonceIsRebuiltOnTheLedgersNextNonce() throws Exception {
    Scripted c = new Scripted();
    c.failures.add(conflict());
    c.failures.add(refused("BAD_NONCE"));
    c.moveOnFailure = 1; // another request of the account took the nonce each time
    Requests r = requests(c);
    assertEquals("{\"txId\":\"ok\"}", r.submit("records:revoke", n -> r.body("record.revoke", n)));
    assertEquals(List.of(7L, 8L, 9L), c.submittedNonces, "each attempt rebuilt on the nonce the ledger expects then");
  }

  @Test
  void rebuildsStopAfterFourAttemptsWithTheLastFailure() throws Exception {
    Scripted c = new Scripted();
    for (int i = 0; i < Requests.MAX_ATTEMPTS + 1; i++) {
      c.failures.add(i % 2 == 0 ? conflict() : refused("BAD_NONCE"));
    }
    Requests r = requests(c);
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> r.submit("records:revoke", n -> r.body("record.revoke", n)));
    assertEquals(Requests.MAX_ATTEMPTS, c.submittedNonces.size());
    assertEquals(Kind.REFUSED, e.kind(), "the fourth attempt's failure");
    assertEquals("BAD_NONCE", e.errorCode());
  }

  @Test
  void anyOtherFailureIsThrownAtOnce() throws Exception {
    for (LedgerCallException f : List.of(refused("NOT_RECORD_PATIENT"),
        new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", "", Committed.NO, "peer down"), unknown("tx-u"))) {
      Scripted c = new Scripted();
      c.failures.add(f);
      Requests r = requests(c);
      assertSame(f, assertThrows(LedgerCallException.class, () -> r.submit("records:revoke", n -> r.body("record.revoke", n))));
      assertEquals(1, c.submittedNonces.size(), f.getMessage());
    }
  }

  @Test
  void requestsAreSignedByTheAccountAndBoundToTheChannel() throws Exception {
    Scripted c = new Scripted();
    Requests r = requests(c);
    JsonObject body = r.body("record.revoke", r.nonce());
    body.addProperty("grantId", "g-1");
    JsonObject signed = CanonicalJson.parseObject(r.sign(body));
    JsonObject b = signed.getAsJsonObject("body");
    assertEquals(secrets.accountId(), b.get("account").getAsString());
    assertEquals(7, b.get("nonce").getAsLong());
    assertEquals("record.revoke", b.get("type").getAsString());
    byte[] sig = Requests.unb64(signed.get("signature").getAsString());
    assertTrue(verifies(SignedRequest.signingBytes("medchannel", "medledger", b), sig), "signed for this channel");
    assertTrue(!verifies(SignedRequest.signingBytes("otherchannel", "medledger", b), sig), "and for no other");
  }

  private boolean verifies(byte[] msg, byte[] sig) {
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, secrets.signingKey(org.medledger.crypto.SecretAccess.explicit()).generatePublicKey());
    v.update(msg, 0, msg.length);
    return v.verifySignature(sig);
  }

  /** An attempt of unknown outcome is never repeated with a fresh nonce: the next one reuses it. */
  @Test
  void afterAnUnknownOutcomeTheNextAttemptReusesItsNonce() throws Exception {
    Scripted c = new Scripted();
    c.failures.add(unknown("tx-1")); // never ordered: the nonce stays
    Requests r = requests(c);
    List<Long> pinnedSeen = new ArrayList<>();
    JsonObject out = r.submitResolving(attempts(r, c, pinnedSeen));
    assertEquals("ok", out.get("txId").getAsString());
    assertEquals(List.of(7L, 7L), c.submittedNonces);
    assertEquals(List.of(-1L, 7L), pinnedSeen);
  }

  /** Once the nonce moved past an unknown attempt's, it is looked up, and its record returned without sending again. */
  @Test
  void anUnknownAttemptThatCommittedIsFoundAndNotSentAgain() throws Exception {
    Scripted c = new Scripted();
    c.failures.add(unknown("tx-1"));
    c.moveOnFailure = 1; // it committed, unseen
    JsonObject record = new JsonObject();
    record.addProperty("txId", "tx-1");
    c.found = record;
    Requests r = requests(c);
    assertEquals(record, r.submitResolving(attempts(r, c, new ArrayList<>())));
    assertEquals(1, c.submittedNonces.size());
  }

  /** A nonce moved by something else, and no attempt found within the wait: UNKNOWN, with what paymentStatus needs. */
  @Test
  void anUnconfirmedAttemptIsReportedUnknownWithItsPendingPayment() throws Exception {
    Scripted c = new Scripted();
    c.failures.add(unknown("tx-1"));
    c.moveOnFailure = 1;
    Requests r = requests(c);
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> r.submitResolving(attempts(r, c, new ArrayList<>())));
    assertEquals(Committed.UNKNOWN, e.committed());
    assertEquals(new PendingPayment(secrets.accountId(), 7, List.of("tx-1")), e.pending().orElseThrow());
    assertEquals(1, c.submittedNonces.size(), "nothing more was sent");
  }

  /** A transient failure before anything reached the orderer is retried after a pause, up to the transient bound. */
  @Test
  void transientFailuresAreRetriedUpToTheirBound() throws Exception {
    Scripted c = new Scripted();
    for (int i = 0; i <= Requests.MAX_TRANSIENT_RETRIES; i++) {
      c.failures.add(new LedgerCallException(Kind.UNAVAILABLE, "UNAVAILABLE", "", Committed.NO, "endorsers down"));
    }
    Requests r = requests(c);
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> r.submitResolving(attempts(r, c, new ArrayList<>())));
    assertEquals(Committed.NO, e.committed());
    assertEquals(Requests.MAX_TRANSIENT_RETRIES + 1, c.submittedNonces.size());
  }

  /** The client's own refusal: thrown as it is when nothing was sent; UNKNOWN when an earlier attempt may commit. */
  @Test
  void aClientRefusalIsNeverAFalseNo() throws Exception {
    Scripted c = new Scripted();
    Requests r = requests(c);
    ClientRefusalException poor = new ClientRefusalException(ClientError.INSUFFICIENT_FUNDS, "test");
    Requests.Attempts refusing = new Requests.Attempts() {
      @Override
      public void prepare() {}

      @Override
      public Requests.Built build(long pinned) throws ClientRefusalException {
        throw poor;
      }
    };
    assertSame(poor, assertThrows(ClientRefusalException.class, () -> r.submitResolving(refusing)));
    assertEquals(0, c.submittedNonces.size());

    c.failures.add(unknown("tx-1"));
    int[] builds = {0};
    Requests.Attempts refusingSecond = new Requests.Attempts() {
      @Override
      public void prepare() {}

      @Override
      public Requests.Built build(long pinned) throws ClientRefusalException {
        if (builds[0]++ > 0) {
          throw poor;
        }
        long nonce = 7;
        return new Requests.Built(nonce, "money:transfer", r.sign(r.body("transfer", nonce)));
      }
    };
    LedgerCallException e = assertThrows(LedgerCallException.class, () -> r.submitResolving(refusingSecond));
    assertEquals(Committed.UNKNOWN, e.committed());
    assertEquals(List.of("tx-1"), e.pending().orElseThrow().txIds());
    assertSame(poor, e.getCause());
  }

  private static Requests.Attempts attempts(Requests r, Scripted c, List<Long> pinnedSeen) {
    return new Requests.Attempts() {
      @Override
      public void prepare() {}

      @Override
      public Requests.Built build(long pinned) throws LedgerCallException {
        pinnedSeen.add(pinned);
        long nonce = pinned >= 0 ? pinned : r.nonce();
        return new Requests.Built(nonce, "money:transfer", r.sign(r.body("transfer", nonce)));
      }
    };
  }
}
