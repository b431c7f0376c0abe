package org.medledger.sdk.channel;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.medledger.protocol.ChannelMessages;
import org.medledger.sdk.channel.Wire.Auth;
import org.medledger.sdk.channel.Wire.Hello;
import org.medledger.sdk.channel.Wire.Message;

/**
 * A hand-driven party for malicious-peer tests: it speaks the wire protocol frame by frame and
 * signs whatever the test asks, so a test can send what an honest party never would.
 */
final class RawPeer implements AutoCloseable {
  private static final SecureRandom RND = new SecureRandom();
  private final Socket socket;
  private final DataInputStream in;
  private final BufferedOutputStream out;

  private RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    this.socket.setSoTimeout(10_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /** Dials a channel server as {@code side}, authenticating with {@code key} (right or wrong). */
  static RawPeer dial(InetSocketAddress address, ChannelParams p, Side side, Ed25519PrivateKeyParameters key)
      throws IOException {
    RawPeer peer = new RawPeer(new Socket(address.getAddress(), address.getPort()));
    byte[] mine = nonce();
    peer.send(new Hello(p.channelId(), side, mine));
    Hello theirs = (Hello) peer.receive();
    peer.send(new Auth(ChannelMessages.sign(ChannelLink.helloBytes(p, side, mine, theirs.nonce()), key)));
    peer.receive(); // the listener's Auth
    return peer;
  }

  /** Accepts one dialer on {@code server} as {@code side}. */
  static RawPeer accept(ServerSocket server, ChannelParams p, Side side, Ed25519PrivateKeyParameters key) throws IOException {
    RawPeer peer = new RawPeer(server.accept());
    Hello theirs = (Hello) peer.receive();
    byte[] mine = nonce();
    peer.send(new Hello(p.channelId(), side, mine));
    peer.receive(); // the dialer's Auth
    peer.send(new Auth(ChannelMessages.sign(ChannelLink.helloBytes(p, side, theirs.nonce(), mine), key)));
    return peer;
  }

  void send(Message m) throws IOException {
    Wire.writeFrame(out, m);
    out.flush();
  }

  Message receive() throws IOException {
    return Wire.readFrame(in);
  }

  private static byte[] nonce() {
    byte[] n = new byte[Wire.NONCE];
    RND.nextBytes(n);
    return n;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
