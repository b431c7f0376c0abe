package org.medledger.sdk.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.InMemoryCheckpointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.SecretAccess;
import org.medledger.protocol.ChannelMessages;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.sdk.channel.Wire.Accept;
import org.medledger.sdk.channel.Wire.Message;
import org.medledger.sdk.channel.Wire.Propose;
import org.medledger.sdk.channel.Wire.Refuse;
import org.medledger.sdk.channel.Wire.Sync;

/**
 * A hand-driven cheating B against an honest A on the embedded ledger (docs/protocol.md §9.3): B
 * withholds its acceptance of A's proposal v1, makes A withdraw it (a Refuse, or a cut link and a
 * Sync at the older state), accepts A's next proposal v2, then countersigns v1 and closes on it. If
 * A had signed v2 under v1's number, A's watcher would answer v1's close with v2's amount and B's
 * contest (v1's amount and salt) would take A's deposit. A never reuses a number, so v2 is later
 * than v1 and A's watcher proves B's close stale.
 */
class MaliciousPeerLedgerTest {
  private static final long DEPOSIT_A = 20_000;
  private static final long DEPOSIT_B = 2_000;
  private static final long WINDOW = 3_600;

  @TempDir
  Path dir;
  private LedgerFixture f;
  private ChannelParty a;
  private ChannelWatcher watcherA;
  private ServerSocket fake;

  @BeforeEach
  void setUp() throws Exception {
    f = new LedgerFixture(DEPOSIT_A, DEPOSIT_B, WINDOW, 4);
    a = ChannelParty.create(f.params, f.insurerSecrets, dir.resolve("a.log"), ChannelParty.Options.DEFAULT, f.rnd);
    watcherA = new ChannelWatcher(f.chainA, f.clock);
    watcherA.watch(a);
    fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws Exception {
    watcherA.close();
    a.close();
    fake.close();
  }

  /** A dials the cheating B, which answers A's Sync with {@code bSeq}. */
  private RawPeer connect(long bSeq) throws Exception {
    CompletableFuture<ChannelLink> dialed = CompletableFuture.supplyAsync(() -> {
      try {
        return ChannelLink.dial(a, new InetSocketAddress(InetAddress.getLoopbackAddress(), fake.getLocalPort()), f.rnd);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    RawPeer b = RawPeer.accept(fake, f.params, Side.B, f.hospitalSecrets.signingKey(SecretAccess.explicit()));
    dialed.get(10, TimeUnit.SECONDS);
    assertInstanceOf(Sync.class, b.receive());
    b.send(new Sync(bSeq));
    return b;
  }

  private static ChannelState state(Propose p) {
    return new ChannelState(p.seq(), p.balanceA(), p.balanceB());
  }

  private byte[] sigB(ChannelState s) {
    return ChannelMessages.sign(f.params.signingBytes(s), f.hospitalSecrets.signingKey(SecretAccess.explicit()));
  }

  private void reusedNumberAttack(boolean refuse) throws Exception {
    Propose v1;
    try (RawPeer b = connect(0)) {
      a.pay(5_000);
      v1 = (Propose) b.receive(); // A pays 5,000: B keeps A's signature and withholds its own
      if (refuse) {
        b.send(new Refuse(v1.seq(), "not now"));
      }
    }
    a.awaitIdle();
    CompletableFuture<SignedState> small = a.pay(10); // queued while disconnected: v2 differs from v1
    a.awaitIdle();
    Propose v2;
    try (RawPeer b = connect(0)) { // B claims it never got past state 0
      Message m = b.receive();
      while (!(m instanceof Propose)) {
        m = b.receive();
      }
      v2 = (Propose) m;
      b.send(new Accept(v2.seq(), sigB(state(v2))));
      small.get(30, TimeUnit.SECONDS);
      // B now countersigns the withdrawn v1 and closes on it.
      ChannelState s1 = state(v1);
      f.chainB.closeOn(f.params, Side.B, new SignedState(s1, v1.sigA(), sigB(s1)));
      watcherA.start(f.events("InsurerOrgMSP"), 0, new InMemoryCheckpointer());
      for (int i = 0; i < 500 && watcherA.actions().isEmpty(); i++) {
        Thread.sleep(10);
      }
      watcherA.awaitIdle();
      // If A answered (as it would under a reused number), B contests with v1's amount and salt.
      JsonObject ch = f.chainB.channel(f.params.channelId()).getAsJsonObject("channel");
      if ("CLOSING".equals(ch.get("status").getAsString()) && ch.getAsJsonObject("closing").has("answer")) {
        PaillierCiphertext toB = f.chainB.myCiphertext(
            ch.getAsJsonObject("closing").getAsJsonObject("answer").get("amountPayee").getAsString());
        f.chainB.contestWith(f.params, s1, toB);
      }
    }
    JsonObject settled = f.chainA.channel(f.params.channelId()).getAsJsonObject("channel");
    assertEquals("CLOSED", settled.get("status").getAsString(), watcherA.actions().toString());
    assertEquals("CHANNEL_PENALTY", settled.getAsJsonObject("settlement").get("kind").getAsString());
    assertEquals("PENALTY/STALE_CLOSE", settled.getAsJsonObject("settlement").get("how").getAsString(),
        watcherA.actions().toString());
    assertNotEquals(v1.seq(), v2.seq(), "A signed two different states under one number");
    assertTrue(v2.seq() > v1.seq(), "A proposes after the highest number it has signed");
    f.insurer.foldAll();
    f.hospital.foldAll();
    assertEquals(f.insurerStart + DEPOSIT_B, f.insurer.balance(), "A gets both deposits");
    assertEquals(f.hospitalStart - DEPOSIT_B, f.hospital.balance());
  }

  @Test
  void theHighestSignedNumberSurvivesARestartAndLookupsMatchTheDigest() throws Exception {
    Propose v1;
    try (RawPeer b = connect(0)) {
      a.pay(5_000);
      v1 = (Propose) b.receive();
      b.send(new Refuse(v1.seq(), "not now"));
    }
    a.awaitIdle();
    a.close();
    a = ChannelParty.restore(dir.resolve("a.log"), f.insurerSecrets, ChannelParty.Options.DEFAULT, f.rnd);
    a.pay(10);
    a.awaitIdle();
    try (RawPeer b = connect(0)) {
      Message m = b.receive();
      while (!(m instanceof Propose)) {
        m = b.receive();
      }
      assertEquals(v1.seq() + 1, ((Propose) m).seq(), "the restarted A proposes after the withdrawn number");
    }
    // The withdrawn proposal is kept, and found only under its own digest.
    ChannelState s1 = state(v1);
    assertEquals(Optional.of(s1), a.signedState(v1.seq(), HexFormat.of().formatHex(f.params.digest(s1))));
    ChannelState other = new ChannelState(v1.seq(), DEPOSIT_A - 10, DEPOSIT_B + 10);
    assertEquals(Optional.empty(), a.signedState(v1.seq(), HexFormat.of().formatHex(f.params.digest(other))));
  }

  @Test
  void aWithdrawnProposalRefusedByBIsNeverSignedAgainUnderItsNumber() throws Exception {
    reusedNumberAttack(true);
  }

  @Test
  void aWithdrawnProposalAfterACutLinkIsNeverSignedAgainUnderItsNumber() throws Exception {
    reusedNumberAttack(false);
  }
}
