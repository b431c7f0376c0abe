package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.ChannelMessages;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.Wire.Accept;
import org.medledger.sdk.channel.Wire.Message;
import org.medledger.sdk.channel.Wire.Propose;
import org.medledger.sdk.channel.Wire.Refuse;
import org.medledger.sdk.channel.Wire.Request;
import org.medledger.sdk.channel.Wire.States;
import org.medledger.sdk.channel.Wire.Sync;

/**
 * An honest party against a hand-driven cheating one (docs/payment-channels.md §3.2): B signs only
 * the successor of its latest state that conserves the deposits and takes from B only what B asked
 * to pay, and it has persisted every state it acknowledges; A adopts nothing without B's valid
 * signature; neither accepts a link from someone without the other party's key.
 */
class MaliciousPeerTest {
  @TempDir
  Path dir;
  private final AccountSecrets secretsA = TestChannels.secrets(Role.INSURER, TestChannels.seed());
  private final AccountSecrets secretsB = TestChannels.secrets(Role.HOSPITAL, TestChannels.seed());
  private ChannelParams params;
  private ChannelServer server;
  private ChannelParty b;

  @BeforeEach
  void setUp() throws Exception {
    params = TestChannels.params(secretsA, secretsB, 10_000, 1_000, 4);
    server = ChannelServer.start(0, TestChannels.RND);
    b = ChannelParty.create(params, secretsB, dir.resolve("b.log"), ChannelParty.Options.DEFAULT, TestChannels.RND);
    server.register(b);
  }

  @AfterEach
  void tearDown() throws Exception {
    b.close();
    server.close();
  }

  /** A cheating A, connected and synchronised with B at state 0. */
  private RawPeer cheatingA() throws IOException {
    RawPeer a = RawPeer.dial(server.address(), params, Side.A, secretsA.signingKey(SecretAccess.explicit()));
    a.send(new Sync(0));
    assertEquals(new Sync(b.latest().seq()), a.receive());
    return a;
  }

  private Propose proposal(long seq, long balA, long balB, long[] requests, Ed25519PrivateKeyParameters key) {
    ChannelState s = new ChannelState(seq, balA, balB);
    return new Propose(seq, balA, balB, requests, ChannelMessages.sign(params.signingBytes(s), key));
  }

  private void refused(Propose p, String why) throws IOException {
    try (RawPeer a = cheatingA()) {
      a.send(p);
      Message m = a.receive();
      assertInstanceOf(Refuse.class, m, why);
      assertTrue(((Refuse) m).reason().contains(why), ((Refuse) m).reason());
      assertThrows(IOException.class, a::receive, "B drops a link that sent a bad proposal");
    }
    assertEquals(0, b.latest().seq(), "B signed nothing");
  }

  @Test
  void bRefusesEveryProposalThatIsNotAnHonestSuccessor() throws Exception {
    Ed25519PrivateKeyParameters keyA = secretsA.signingKey(SecretAccess.explicit());
    // A number may skip withdrawn proposals, but not go beyond the depth (4) nor back.
    // Each refusal's reason starts with its stable code (ProposalCheck.Code).
    refused(proposal(5, 9_000, 2_000, new long[0], keyA), "BEYOND_DEPTH: state 5 is more than depth 4");
    refused(proposal(0, 10_000, 1_000, new long[0], keyA), "NOT_AFTER_LATEST: state 0 is not after state 0");
    refused(proposal(1, 9_000, 2_001, new long[0], keyA), "BAD_BALANCES: the balances do not sum");
    refused(proposal(1, 10_500, 500, new long[0], keyA), "TAKES_TOO_MUCH: the state takes more from B");
    refused(proposal(1, 10_500, 500, new long[] {42}, keyA), "UNKNOWN_REQUEST: request 42 is not an outstanding request");
    refused(proposal(1, 9_000, 2_000, new long[0], secretsB.signingKey(SecretAccess.explicit())), "BAD_SIGNATURE: A's signature");
    Propose honest = proposal(1, 9_000, 2_000, new long[0], keyA);
    refused(new Propose(1, 9_100, 1_900, new long[0], honest.sigA()), "BAD_SIGNATURE: A's signature");
  }

  @Test
  void bRefusesAStateThatChangesNothingSoANumberCostsAPayment() throws Exception {
    Ed25519PrivateKeyParameters keyA = secretsA.signingKey(SecretAccess.explicit());
    // The balances of state 0 again, under any allowed number: it would only raise the number.
    refused(proposal(1, 10_000, 1_000, new long[0], keyA), "NO_CHANGE: state 1 changes nothing in state 0");
    refused(proposal(4, 10_000, 1_000, new long[0], keyA), "NO_CHANGE: state 4 changes nothing in state 0");
    try (RawPeer a = cheatingA()) {
      a.send(proposal(1, 9_999, 1_001, new long[0], keyA)); // one unit moves: signed
      assertInstanceOf(Accept.class, a.receive());
      a.send(proposal(2, 9_999, 1_001, new long[0], keyA)); // and then nothing: refused
      Refuse r = assertInstanceOf(Refuse.class, a.receive());
      assertTrue(r.reason().startsWith("NO_CHANGE: "), r.reason());
    }
    assertEquals(new ChannelState(1, 9_999, 1_001), b.latest().state());
  }

  @Test
  void aStateWhoseBalancesStayButThatSettlesBsRequestIsSigned() throws Exception {
    // A pays B 300 and includes B's request of 300 in the same state: the balances do not move,
    // but B's payment completes, so the state is not a no-op.
    try (RawPeer a = cheatingA()) {
      CompletableFuture<SignedState> pay = b.pay(300);
      Request r = (Request) a.receive();
      a.send(proposal(1, 10_000, 1_000, new long[] {r.id()}, secretsA.signingKey(SecretAccess.explicit())));
      assertInstanceOf(Accept.class, a.receive());
      assertEquals(new ChannelState(1, 10_000, 1_000), pay.get(30, TimeUnit.SECONDS).state());
    }
  }

  @Test
  void bTakesOnlyWhatItRequestedAndEachRequestOnce() throws Exception {
    try (RawPeer a = cheatingA()) {
      CompletableFuture<SignedState> pay = b.pay(300);
      Request r = (Request) a.receive();
      assertEquals(300, r.amount());
      // Including the request twice is refused; including it once (and adding a gift) is signed.
      a.send(proposal(1, 10_600, 400, new long[] {r.id(), r.id()}, secretsA.signingKey(SecretAccess.explicit())));
      assertInstanceOf(Refuse.class, a.receive());
    }
    try (RawPeer a = cheatingA()) {
      Request r = (Request) a.receive(); // B asks again on the new link
      a.send(proposal(1, 10_250, 750, new long[] {r.id()}, secretsA.signingKey(SecretAccess.explicit())));
      Accept acc = (Accept) a.receive();
      assertTrue(params.verify(Side.B, params.signingBytes(new ChannelState(1, 10_250, 750)), acc.sigB()));
      a.send(proposal(2, 10_550, 450, new long[] {r.id()}, secretsA.signingKey(SecretAccess.explicit())));
      assertInstanceOf(Refuse.class, a.receive(), "a request already paid cannot be included again");
    }
    assertEquals(new ChannelState(1, 10_250, 750), b.latest().state());
  }

  @Test
  void bPersistsEveryStateBeforeItAcknowledgesIt() throws Exception {
    try (RawPeer a = cheatingA()) {
      for (int i = 1; i <= 40; i++) {
        a.send(proposal(i, 10_000 - i, 1_000 + i, new long[0], secretsA.signingKey(SecretAccess.explicit())));
      }
      for (int i = 1; i <= 40; i++) {
        Accept acc = (Accept) a.receive();
        assertEquals(i, acc.seq());
        // At the moment the acknowledgement arrives, B's log on disk already holds the state.
        SignedState onDisk = StateLog.read(dir.resolve("b.log")).latest();
        assertTrue(onDisk.seq() >= i, "state " + i + " acknowledged before it was persisted");
        if (onDisk.seq() == i) {
          assertArrayEquals(acc.sigB(), onDisk.sigB());
        }
      }
    }
  }

  @Test
  void aLinkFromSomeoneWithoutThePartysKeyIsNotAccepted() throws Exception {
    Ed25519PrivateKeyParameters stranger = new Ed25519PrivateKeyParameters(TestChannels.RND);
    assertThrows(IOException.class, () -> {
      try (RawPeer p = RawPeer.dial(server.address(), params, Side.A, stranger)) {
        p.send(new Sync(0));
        p.receive();
      }
    });
    // Claiming to be B (the listener's own side) is refused too.
    assertThrows(IOException.class, () -> {
      try (RawPeer p = RawPeer.dial(server.address(), params, Side.B, secretsB.signingKey(SecretAccess.explicit()))) {
        p.receive();
      }
    });
  }

  @Test
  void aAdoptsNothingWithoutBsValidSignature() throws Exception {
    ChannelParty a = ChannelParty.create(params, secretsA, dir.resolve("a.log"), ChannelParty.Options.DEFAULT,
        TestChannels.RND);
    try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CompletableFuture<ChannelLink> dialed = CompletableFuture.supplyAsync(() -> {
        try {
          return ChannelLink.dial(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), fake.getLocalPort()),
              TestChannels.RND);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (RawPeer cheatingB = RawPeer.accept(fake, params, Side.B, secretsB.signingKey(SecretAccess.explicit()))) {
        dialed.get(10, TimeUnit.SECONDS);
        assertEquals(new Sync(0), cheatingB.receive());
        // A claimed later state with a forged signature of A is not adopted.
        ChannelState s = new ChannelState(1, 5_000, 6_000);
        byte[] forgedA = ChannelMessages.sign(params.signingBytes(s), secretsB.signingKey(SecretAccess.explicit()));
        byte[] sigB = ChannelMessages.sign(params.signingBytes(s), secretsB.signingKey(SecretAccess.explicit()));
        cheatingB.send(new Sync(1));
        cheatingB.send(new States(List.of(new SignedState(s, forgedA, sigB))));
        a.awaitIdle();
        assertEquals(0, a.latest().seq());
      }
      // After reconnecting, an acceptance with a bad signature completes nothing.
      CompletableFuture<ChannelLink> again = CompletableFuture.supplyAsync(() -> {
        try {
          return ChannelLink.dial(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), fake.getLocalPort()),
              TestChannels.RND);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (RawPeer cheatingB = RawPeer.accept(fake, params, Side.B, secretsB.signingKey(SecretAccess.explicit()))) {
        again.get(10, TimeUnit.SECONDS);
        cheatingB.receive();
        cheatingB.send(new Sync(0));
        CompletableFuture<SignedState> pay = a.pay(100);
        Propose p = (Propose) cheatingB.receive();
        cheatingB.send(new Accept(p.seq(), ChannelMessages.sign(params.signingBytes(
            new ChannelState(p.seq(), p.balanceA() + 1, p.balanceB() - 1)), secretsB.signingKey(SecretAccess.explicit()))));
        a.awaitIdle();
        assertFalse(pay.isDone(), "a payment completes only on B's valid signature");
        assertEquals(0, a.latest().seq());
      }
    } finally {
      a.close();
    }
  }
}
