package org.medledger.sdk.channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * Keeps one party connected to the other party's {@link ChannelServer}: dials, and after the link
 * drops (or a dial fails) dials again after a short pause, until closed. Each new link starts with
 * a synchronisation, so both resume from their latest state.
 */
final class ChannelDialer implements ChannelParty.Connection {
  private final ChannelParty party;
  private final InetSocketAddress address;
  private final SecureRandom rnd;
  private final long retryMillis;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile ChannelLink current;

  private ChannelDialer(ChannelParty party, InetSocketAddress address, SecureRandom rnd, long retryMillis) {
    this.party = party;
    this.address = address;
    this.rnd = rnd;
    this.retryMillis = retryMillis;
    this.thread = new Thread(this::loop, "channel-dialer-" + party.params().channelId());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  static ChannelDialer start(ChannelParty party, InetSocketAddress address, SecureRandom rnd) {
    return new ChannelDialer(party, address, rnd, 50);
  }

  private void loop() {
    while (running) {
      try {
        current = ChannelLink.dial(party, address, rnd);
        current.awaitClosed();
      } catch (IOException e) {
        // not reachable yet, or the handshake failed: try again
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        try {
          Thread.sleep(retryMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The current link, if connected. */
  public boolean connected() {
    ChannelLink l = current;
    return l != null && !l.isClosed();
  }

  @Override
  public void close() {
    running = false;
    ChannelLink l = current;
    if (l != null) {
      l.close();
    }
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
