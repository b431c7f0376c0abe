package org.medledger.sdk.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Listens on 127.0.0.1 for the other parties of this process's channels (docs/payment-channels.md
 * §3.3) and hands each authenticated connection to the party of its channel. One server serves
 * any number of channels.
 */
public final class ChannelServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Map<String, ChannelParty> parties = new ConcurrentHashMap<>();
  private final SecureRandom rnd;
  private final Thread acceptor;

  private ChannelServer(ServerSocket socket, SecureRandom rnd) {
    this.socket = socket;
    this.rnd = rnd;
    this.acceptor = new Thread(this::acceptLoop, "channel-server-" + socket.getLocalPort());
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** Binds 127.0.0.1:{@code port} (0 picks a free port). */
  public static ChannelServer start(int port, SecureRandom rnd) throws IOException {
    ServerSocket ss = new ServerSocket();
    ss.setReuseAddress(true);
    ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return new ChannelServer(ss, rnd);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** Accepts connections for this party's channel from now on. */
  public void register(ChannelParty party) {
    parties.put(party.params().channelId(), party);
  }

  public void unregister(ChannelParty party) {
    parties.remove(party.params().channelId(), party);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> {
          try {
            ChannelLink.accept(s, parties::get, rnd);
          } catch (IOException | RuntimeException refused) {
            // The dialer was not the other party, or the connection failed: it is closed.
          }
        }, "channel-handshake");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
