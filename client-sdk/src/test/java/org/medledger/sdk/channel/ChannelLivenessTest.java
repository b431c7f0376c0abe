package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
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
import org.medledger.sdk.channel.Wire.Refuse;
import org.medledger.sdk.channel.Wire.Request;
import org.medledger.sdk.channel.Wire.States;
import org.medledger.sdk.channel.Wire.Sync;

/**
 * Liveness after lost proposals (docs/payment-channels.md §3.2): every link cut after A sent a
 * proposal that B never received burns its number, and after {@code depth} burned numbers A may
 * sign no new one. A then sends a withdrawn proposal built on its latest state again, verbatim
 * (same number, state and signature), so an honest B that never saw it lets the channel go on. A hand-driven B stands
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
    RawPeer b = dial();
    b.send(new Sync(0));
    return b;
  }

  /** A dials B; B has read A's Sync and sent nothing yet. */
  private RawPeer dial() throws Exception {
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

  private void awaitUnlinked() throws InterruptedException {
    for (int i = 0; i < 1_000 && a.hasLink(); i++) {
      Thread.sleep(10);
    }
    assertEquals(false, a.hasLink(), "A noticed that the link went away");
  }

  /**
   * A stalled A sent its withdrawn proposal 1 = {5} on state 0 again; then B (on the same link,
   * after the sync) reveals A's withdrawn proposal 2 = {5, B's request of 3} on state 0, signed by
   * both. A adopts 2, so its latest is 9,998 / 1,002. Its next proposal must be built on that state,
   * not on the proposal it sent again (now older than its latest): before the fix A proposed
   * 3 = 1 less 1 = 9,994 / 1,006, undoing the 3 B paid in the state A holds as latest.
   */
  @Test
  void aProposalAfterARevealedStateIsBuiltOnItNotOnTheProposalSentAgain() throws Exception {
    CompletableFuture<SignedState> paid = a.pay(5);
    Propose first;
    try (RawPeer b = connect()) {
      first = nextProposal(b); // lost
    }
    awaitUnlinked();
    Propose second;
    try (RawPeer b = dial()) {
      b.send(new Request(42, 3)); // B asks to pay 3, then syncs
      b.send(new Sync(0));
      second = nextProposal(b); // lost
    }
    assertEquals(new ChannelState(2, 9_998, 1_002), state(second), "5 again and B's 3, on state 0");
    awaitUnlinked();
    try (RawPeer b = connect()) {
      Propose again = nextProposal(b);
      assertEquals(state(first), state(again), "stalled: proposal 1 again");
      SignedState s2 = new SignedState(state(second), second.sigA(),
          ChannelMessages.sign(params.signingBytes(state(second)), secretsB.signingKey(SecretAccess.explicit())));
      b.send(new States(List.of(s2)));
      for (int i = 0; i < 1_000 && a.latest().seq() < 2; i++) {
        Thread.sleep(10);
      }
      assertEquals(s2, a.latest(), "A adopts the state B reveals");
      assertEquals(s2, paid.get(10, TimeUnit.SECONDS), "5 is in state 2");
      a.pay(1);
      assertEquals(new ChannelState(3, 9_997, 1_003), state(nextProposal(b)), "1 more on A's latest state 2");
    }
  }

  /**
   * B refuses the proposal a stalled A sent again, then shows it signed by both on the next link.
   * B held A's signature on it all along, so its refusal proves nothing: the payment must not be
   * reported failed (an application that pays it again would pay twice); it is put back as it was
   * before it was sent again, and completes with the state B reveals. Before the fix it failed with
   * "refused by B" and was then paid by state 1 anyway.
   */
  @Test
  void aRefusalOfTheProposalSentAgainDoesNotFailAPaymentBCanStillCollect() throws Exception {
    CompletableFuture<SignedState> paid = a.pay(5);
    Propose first;
    try (RawPeer b = connect()) {
      first = nextProposal(b); // withheld
    }
    awaitUnlinked();
    try (RawPeer b = connect()) {
      assertEquals(2, nextProposal(b).seq()); // withheld
    }
    awaitUnlinked();
    try (RawPeer b = connect()) {
      Propose again = nextProposal(b);
      assertEquals(state(first), state(again), "stalled: proposal 1 again");
      b.send(new Refuse(1, "NOT_SYNCED: says B"));
      awaitUnlinked();
    }
    assertEquals(false, paid.isCompletedExceptionally(), "B still holds A's signature on the state that pays it");
    SignedState s1 = new SignedState(state(first), first.sigA(),
        ChannelMessages.sign(params.signingBytes(state(first)), secretsB.signingKey(SecretAccess.explicit())));
    try (RawPeer b = dial()) {
      b.send(new Sync(1));
      b.send(new States(List.of(s1)));
      assertEquals(s1, paid.get(10, TimeUnit.SECONDS), "paid by state 1, once");
      a.pay(1);
      assertEquals(new ChannelState(3, 9_994, 1_006), state(nextProposal(b)), "5 is not proposed again");
    }
  }

  /**
   * A restarted from its log while stalled: its payments died with the process, so it sends no
   * proposal again (it would pay for a payment nobody waits for) and signs no number it signed
   * before. When B reveals one of the logged proposals signed by both, A adopts it and goes on after
   * it: its first proposal after the restart is number 3, built on the revealed state 2.
   */
  @Test
  void aRestartedStalledASendsNothingAgainAndGoesOnAfterARevealedState() throws Exception {
    a.pay(5);
    try (RawPeer b = connect()) {
      assertEquals(1, nextProposal(b).seq()); // lost
    }
    awaitUnlinked();
    Propose second;
    try (RawPeer b = connect()) {
      second = nextProposal(b); // lost
    }
    awaitUnlinked();
    a.close();
    a = ChannelParty.restore(dir.resolve("a.log"), secretsA, ChannelParty.Options.DEFAULT, TestChannels.RND);
    try (RawPeer b = connect()) {
      CompletableFuture<SignedState> more = a.pay(1); // stalled: numbers 1 and 2 are burned
      SignedState s2 = new SignedState(state(second), second.sigA(),
          ChannelMessages.sign(params.signingBytes(state(second)), secretsB.signingKey(SecretAccess.explicit())));
      b.send(new States(List.of(s2)));
      Propose next = nextProposal(b);
      assertEquals(new ChannelState(3, 9_994, 1_006), state(next), "the first proposal after the restart");
      b.send(accept(next));
      assertEquals(3, more.get(10, TimeUnit.SECONDS).seq());
    }
    assertEquals(new ChannelState(3, 9_994, 1_006), a.latest().state());
  }

  /**
   * A second stall: after proposal 1 was sent again and accepted, number 2 stays burned (built on
   * state 0) and the next proposal, 3 = {7} on state 1, is lost too. A has again signed every number
   * up to the depth beyond its latest state 1; proposal 2 cannot be sent again (it is built on state
   * 0), but 3 is built on state 1 and its payment still waits, so A sends 3 again and goes on. Before
   * the fix only number latest + 1 was ever sent again, and A stayed stalled for good.
   */
  @Test
  void aStalledASecondTimeSendsTheWithdrawnProposalBuiltOnItsLatestState() throws Exception {
    CompletableFuture<SignedState> paid5 = a.pay(5);
    try (RawPeer b = connect()) {
      nextProposal(b); // 1, lost
    }
    awaitUnlinked();
    try (RawPeer b = connect()) {
      nextProposal(b); // 2, lost
    }
    awaitUnlinked();
    CompletableFuture<SignedState> paid7;
    try (RawPeer b = connect()) {
      Propose again = nextProposal(b);
      assertEquals(1, again.seq());
      b.send(accept(again));
      assertEquals(1, paid5.get(10, TimeUnit.SECONDS).seq());
      paid7 = a.pay(7);
      assertEquals(new ChannelState(3, 9_988, 1_012), state(nextProposal(b)), "lost as well");
    }
    awaitUnlinked();
    try (RawPeer b = dial()) {
      b.send(new Sync(1));
      Propose again = nextProposal(b);
      assertEquals(new ChannelState(3, 9_988, 1_012), state(again), "3 again, built on the latest state 1");
      b.send(accept(again));
      assertEquals(3, paid7.get(10, TimeUnit.SECONDS).seq());
    }
    assertEquals(new ChannelState(3, 9_988, 1_012), a.latest().state());
  }
}
