package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.medledger.sdk.channel.Wire.Sync;

/**
 * Liveness after lost proposals (docs/payment-channels.md §3.2): every link cut after A sent a
 * proposal that B never received burns its number, and after {@code depth} burned numbers A may
 * sign no new one. A then sends its oldest withdrawn proposal again, verbatim (same number, state
 * and signature), so an honest B that never saw it lets the channel go on. A hand-driven B stands
 * for the network that loses the proposals.
 */
class ChannelLivenessTest {
  @TempDir
  Path dir;
  private final AccountSecrets secretsA = TestChannels.secrets(Role.INSURER, TestChannels.seed());
  private final AccountSecrets secretsB = TestChannels.secrets(Role.HOSPITAL, TestChannels.seed());
  private ChannelParams params;
  private ChannelParty a;
  private ServerSocket fake;

  @BeforeEach
  void setUp() throws Exception {
    params = TestChannels.params(secretsA, secretsB, 10_000, 1_000, 2);
    a = ChannelParty.create(params, secretsA, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, TestChannels.RND);
    fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws Exception {
    a.close();
    fake.close();
  }

  /** A dials B, which answers A's Sync with state 0: it never saw a proposal. */
  private RawPeer connect() throws Exception {
    CompletableFuture<ChannelLink> dialed = CompletableFuture.supplyAsync(() -> {
      try {
        return ChannelLink.dial(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), fake.getLocalPort()),
            TestChannels.RND);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    RawPeer b = RawPeer.accept(fake, params, Side.B, secretsB.signingKey(SecretAccess.explicit()));
    dialed.get(10, TimeUnit.SECONDS);
    assertInstanceOf(Sync.class, b.receive());
    b.send(new Sync(0));
    return b;
  }

  private static Propose nextProposal(RawPeer b) throws IOException {
    Message m = b.receive();
    while (!(m instanceof Propose)) {
      m = b.receive();
    }
    return (Propose) m;
  }

  private static ChannelState state(Propose p) {
    return new ChannelState(p.seq(), p.balanceA(), p.balanceB());
  }

  private Accept accept(Propose p) {
    return new Accept(p.seq(), ChannelMessages.sign(params.signingBytes(state(p)), secretsB.signingKey(SecretAccess.explicit())));
  }

  @Test
  void aStalledByLostProposalsSendsItsOldestAgainVerbatimAndGoesOn() throws Exception {
    CompletableFuture<SignedState> paid = a.pay(5);
    Propose first;
    try (RawPeer b = connect()) {
      first = nextProposal(b); // lost with the link
    }
    Propose second;
    try (RawPeer b = connect()) {
      second = nextProposal(b); // the payment again, under the next number; lost too
    }
    assertEquals(1, first.seq());
    assertEquals(2, second.seq());
    assertEquals(new ChannelState(2, 9_995, 1_005), state(second));
    // A has signed numbers up to the depth (2) beyond its latest state: it may sign no new one.
    try (RawPeer b = connect()) {
      Propose again = nextProposal(b);
      assertEquals(state(first), state(again), "the oldest withdrawn proposal, unchanged");
      assertArrayEquals(first.sigA(), again.sigA(), "with the signature A gave it: no number is signed twice");
      assertArrayEquals(first.requestIds(), again.requestIds());
      b.send(accept(again));
      assertEquals(state(first), paid.get(10, TimeUnit.SECONDS).state(), "the payment completes, once");
      CompletableFuture<SignedState> more = a.pay(7);
      Propose next = nextProposal(b);
      assertEquals(new ChannelState(3, 9_988, 1_012), state(next), "number 2 stays burned; 5 is paid once");
      b.send(accept(next));
      assertEquals(3, more.get(10, TimeUnit.SECONDS).seq());
    }
    assertEquals(new ChannelState(3, 9_988, 1_012), a.latest().state());
  }
}
