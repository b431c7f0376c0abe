package org.medledger.sdk.channel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.medledger.protocol.ChannelMessages;
import org.medledger.sdk.channel.Wire.Auth;
import org.medledger.sdk.channel.Wire.Hello;
import org.medledger.sdk.channel.Wire.Message;

/**
 * One authenticated TCP connection between the two parties of a channel (docs/payment-channels.md
 * §3.3). The dialing side sends Hello (channel id, its side, a nonce); the listening side finds
 * its party and answers with its own Hello; then each signs both nonces with its account key and
 * checks the other's signature. Afterwards a reader thread hands every frame to the party, and the
 * party's engine writes frames with {@link #send} and {@link #flush}.
 */
final class ChannelLink implements AutoCloseable {
  static final String HELLO_DOMAIN = "medledger/paychan/hello/v1";
  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final DataInputStream in;
  private final BufferedOutputStream out;
  private final ChannelParty party;
  private final CountDownLatch closed = new CountDownLatch(1);

  private ChannelLink(Socket socket, DataInputStream in, BufferedOutputStream out, ChannelParty party) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.party = party;
  }

  /** Connects to the other party's listener and authenticates both ways. */
  public static ChannelLink dial(ChannelParty party, InetSocketAddress address, SecureRandom rnd) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(address, HANDSHAKE_TIMEOUT_MS);
      s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      BufferedOutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      ChannelParams p = party.params();
      byte[] mine = nonce(rnd);
      Wire.writeFrame(out, new Hello(p.channelId(), party.side(), mine));
      out.flush();
      Hello theirs = expect(Wire.readFrame(in), Hello.class);
      if (!theirs.channelId().equals(p.channelId()) || theirs.side() != party.side().other()) {
        throw new IOException("the listener is not the other party of " + p.channelId());
      }
      authenticate(party, in, out, mine, theirs.nonce(), true);
      return start(s, in, out, party);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Serves an accepted connection: finds the party by the dialer's channel id and authenticates. */
  static ChannelLink accept(Socket s, Function<String, ChannelParty> parties, SecureRandom rnd) throws IOException {
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      BufferedOutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      Hello theirs = expect(Wire.readFrame(in), Hello.class);
      ChannelParty party = parties.apply(theirs.channelId());
      if (party == null || theirs.side() != party.side().other()) {
        throw new IOException("no party here for " + theirs.channelId() + " side " + theirs.side().other());
      }
      byte[] mine = nonce(rnd);
      Wire.writeFrame(out, new Hello(theirs.channelId(), party.side(), mine));
      out.flush();
      authenticate(party, in, out, theirs.nonce(), mine, false);
      return start(s, in, out, party);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The bytes each side signs: domain, scope, signer's side, dialer's nonce, listener's nonce. */
  static byte[] helloBytes(ChannelParams p, Side signer, byte[] dialerNonce, byte[] listenerNonce) {
    ChannelMessages.Scope sc = p.scope();
    String head = HELLO_DOMAIN + "|" + sc.fabricChannel() + "|" + sc.chaincode() + "|" + sc.channelId() + "|" + signer + "|";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + dialerNonce.length + listenerNonce.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(dialerNonce, 0, out, h.length, dialerNonce.length);
    System.arraycopy(listenerNonce, 0, out, h.length + dialerNonce.length, listenerNonce.length);
    return out;
  }

  private static void authenticate(ChannelParty party, DataInputStream in, BufferedOutputStream out, byte[] dialerNonce,
      byte[] listenerNonce, boolean dialer) throws IOException {
    ChannelParams p = party.params();
    byte[] mine = party.signHello(helloBytes(p, party.side(), dialerNonce, listenerNonce));
    if (dialer) {
      Wire.writeFrame(out, new Auth(mine));
      out.flush();
    }
    Auth theirs = expect(Wire.readFrame(in), Auth.class);
    if (!p.verify(party.side().other(), helloBytes(p, party.side().other(), dialerNonce, listenerNonce), theirs.signature())) {
      throw new IOException("the other party's handshake signature does not verify");
    }
    if (!dialer) {
      Wire.writeFrame(out, new Auth(mine));
      out.flush();
    }
  }

  private static ChannelLink start(Socket s, DataInputStream in, BufferedOutputStream out, ChannelParty party)
      throws IOException {
    s.setSoTimeout(0);
    ChannelLink link = new ChannelLink(s, in, out, party);
    party.attach(link); // before the reader starts, so the attach precedes every message
    Thread reader = new Thread(link::readLoop, "channel-link-" + party.params().channelId() + "-" + party.side());
    reader.setDaemon(true);
    reader.start();
    return link;
  }

  private void readLoop() {
    try {
      while (true) {
        party.received(this, Wire.readFrame(in));
      }
    } catch (IOException | RuntimeException e) {
      close();
    } finally {
      party.detached(this);
    }
  }

  private static <T extends Message> T expect(Message m, Class<T> type) throws IOException {
    if (!type.isInstance(m)) {
      throw new IOException("expected " + type.getSimpleName() + ", got " + m.getClass().getSimpleName());
    }
    return type.cast(m);
  }

  private static byte[] nonce(SecureRandom rnd) {
    byte[] n = new byte[Wire.NONCE];
    rnd.nextBytes(n);
    return n;
  }

  /** Buffers one frame (engine thread). A write failure closes the link. */
  void send(Message m) {
    try {
      Wire.writeFrame(out, m);
    } catch (IOException e) {
      close();
    }
  }

  void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      close();
    }
  }

  /** Blocks until the link is closed. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  public boolean isClosed() {
    return closed.getCount() == 0;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    closed.countDown();
  }
}
