package org.medledger.sdk.channel;

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
import org.medledger.sdk.channel.Wire.States;
import org.medledger.sdk.channel.Wire.Sync;

/**
 * A cheating B that lies in its Sync (docs/payment-channels.md §3.3): it withholds its acceptance of
 * A's proposal 1, says on the next link that it holds only state 0 (so A withdraws 1 and proposes
 * the payment again under 2), then shows state 1 signed by both. A adopts it, as it must: B could
 * close on it. The payment it carries is then paid, once: A does not propose it a third time on top
 * of state 1, which would pay B twice for one {@code pay}.
 */
class RevealedWithdrawnStateTest {
  @TempDir
  Path dir;
  private final AccountSecrets secretsA = TestChannels.secrets(Role.INSURER, TestChannels.seed());
  private final AccountSecrets secretsB = TestChannels.secrets(Role.HOSPITAL, TestChannels.seed());
  private ChannelParams params;
  private ChannelParty a;
  private ServerSocket fake;

  @BeforeEach
  void setUp() throws Exception {
    params = TestChannels.params(secretsA, secretsB, 10_000, 1_000, 4);
    a = ChannelParty.create(params, secretsA, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, TestChannels.RND);
    fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws Exception {
    a.close();
    fake.close();
  }

  /** A dials B, which answers A's Sync with {@code bSeq} and then sends {@code states}. */
  private RawPeer connect(long bSeq, List<SignedState> states) throws Exception {
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
    b.send(new Sync(bSeq));
    if (!states.isEmpty()) {
      b.send(new States(states));
    }
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

  private byte[] sigB(ChannelState s) {
    return ChannelMessages.sign(params.signingBytes(s), secretsB.signingKey(SecretAccess.explicit()));
  }

  @Test
  void aPaymentInAWithdrawnProposalThatBRevealsIsPaidOnce() throws Exception {
    CompletableFuture<SignedState> paid = a.pay(5);
    Propose first;
    try (RawPeer b = connect(0, List.of())) {
      first = nextProposal(b); // B keeps A's signature and withholds its own
    }
    try (RawPeer b = connect(0, List.of())) { // "I never got past state 0"
      assertEquals(new ChannelState(2, 9_995, 1_005), state(nextProposal(b)), "the payment again, under 2");
    }
    ChannelState s1 = state(first);
    SignedState revealed = new SignedState(s1, first.sigA(), sigB(s1));
    try (RawPeer b = connect(1, List.of(revealed))) {
      assertEquals(revealed, paid.get(10, TimeUnit.SECONDS), "the payment is in state 1, which B signed");
      CompletableFuture<SignedState> more = a.pay(7);
      Propose next = nextProposal(b);
      assertEquals(new ChannelState(3, 9_988, 1_012), state(next), "5 is paid once, then 7");
      b.send(new Accept(next.seq(), sigB(state(next))));
      assertEquals(3, more.get(10, TimeUnit.SECONDS).seq());
    }
    assertEquals(new ChannelState(3, 9_988, 1_012), a.latest().state());
  }

  /** Waits until A's engine saw the link go (so what A is asked next is not proposed on the dead link). */
  private void awaitUnlinked() throws InterruptedException {
    for (int i = 0; i < 1_000 && a.hasLink(); i++) {
      Thread.sleep(10);
    }
    assertEquals(false, a.hasLink(), "A noticed that the link went away");
  }

  /**
   * B reveals two withdrawn proposals that are siblings, not a chain: 1 = {5} on state 0, then
   * 2 = {5, 7} also on state 0 (A re-proposed 5 with a new payment 7 after B lied that it lacked
   * 1). After state 1, A proposes 7 again on top of it (3 = {7} on 1); then B reveals 2, which
   * already carries 7. State 2 is not built on A's latest state 1 but on state 0, so the chain from
   * 2 does not end at 1; A must still count 7 as paid by 2 and never propose it again (before the
   * fix it proposed 7 a fourth time on top of 2: pay(5) and pay(7) cost A 19).
   */
  @Test
  void aPaymentInARevealedSiblingOfTheLatestStateIsPaidOnce() throws Exception {
    CompletableFuture<SignedState> paid5 = a.pay(5);
    Propose first;
    try (RawPeer b = connect(0, List.of())) {
      first = nextProposal(b); // withheld
    }
    awaitUnlinked();
    CompletableFuture<SignedState> paid7 = a.pay(7);
    Propose second;
    try (RawPeer b = connect(0, List.of())) { // "I never got past state 0"
      second = nextProposal(b);
      assertEquals(new ChannelState(2, 9_988, 1_012), state(second), "5 again and 7, on state 0");
    }
    awaitUnlinked();
    ChannelState s1 = state(first);
    SignedState revealed1 = new SignedState(s1, first.sigA(), sigB(s1));
    try (RawPeer b = connect(1, List.of(revealed1))) {
      assertEquals(revealed1, paid5.get(10, TimeUnit.SECONDS));
      assertEquals(new ChannelState(3, 9_988, 1_012), state(nextProposal(b)), "7 on top of state 1; withheld");
    }
    awaitUnlinked();
    ChannelState s2 = state(second);
    SignedState revealed2 = new SignedState(s2, second.sigA(), sigB(s2));
    try (RawPeer b = connect(2, List.of(revealed2))) {
      CompletableFuture<SignedState> more = a.pay(1);
      Propose next = nextProposal(b);
      assertEquals(new ChannelState(4, 9_987, 1_013), state(next), "7 is in state 2 already: only 1 more");
      assertEquals(revealed2, paid7.get(10, TimeUnit.SECONDS), "7 is paid by state 2, which B signed");
      b.send(new Accept(next.seq(), sigB(state(next))));
      assertEquals(4, more.get(10, TimeUnit.SECONDS).seq());
    }
    assertEquals(new ChannelState(4, 9_987, 1_013), a.latest().state());
  }

  /**
   * B signed A's pipelined proposals 1 = {5} and 2 = {7} (built on 1) and shows, on the next link,
   * only state 2. State 2 carries 5 as well (it is built on 1), so both payments complete with it;
   * before the fix A reported 5 failed ("state 1 was settled differently") although B was paid it.
   */
  @Test
  void aPaymentInAProposalThatARevealedStateWasBuiltOnIsPaidNotFailed() throws Exception {
    CompletableFuture<SignedState> paid5 = a.pay(5);
    Propose second;
    CompletableFuture<SignedState> paid7;
    try (RawPeer b = connect(0, List.of())) {
      assertEquals(1, nextProposal(b).seq());
      paid7 = a.pay(7);
      second = nextProposal(b);
      assertEquals(new ChannelState(2, 9_988, 1_012), state(second), "7 on top of proposal 1");
    }
    awaitUnlinked();
    ChannelState s2 = state(second);
    SignedState revealed = new SignedState(s2, second.sigA(), sigB(s2));
    try (RawPeer b = connect(2, List.of(revealed))) {
      assertEquals(revealed, paid7.get(10, TimeUnit.SECONDS));
      assertEquals(revealed, paid5.get(10, TimeUnit.SECONDS), "5 is in state 2, built on proposal 1");
      a.pay(1);
      assertEquals(new ChannelState(3, 9_987, 1_013), state(nextProposal(b)));
    }
  }
}
