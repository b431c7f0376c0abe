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
}
