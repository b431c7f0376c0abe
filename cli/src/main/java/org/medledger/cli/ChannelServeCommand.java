package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.channel.ChannelClient;
import org.medledger.sdk.channel.ChannelParams;
import org.medledger.sdk.channel.ChannelParty;
import org.medledger.sdk.channel.ChannelServer;
import org.medledger.sdk.channel.ChannelWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medledger channel serve}: the reachable party of its account's payment channels
 * (docs/cli.md §4 channel). It listens on 127.0.0.1 for the other party's channel link
 * (client-sdk's ChannelServer) and for control requests (open, opened, closed) from the one-shot
 * commands, writes its ports into an owner-only port file and its PID into a PID file, and runs
 * until SIGTERM ({@code channel stop}), when it closes its parties and removes both files. It
 * opens the ledger only for the moment a request, its start or a look needs it (the start needs
 * it: a channel closing on the ledger is restored signing no state). With
 * {@code --watch}, every {@code --poll} ms, {@link ServedChannelsWatch} looks at the served
 * channels and hands those that need this account to client-sdk's {@link ChannelWatcher}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the reachable side of this account's payment channels until stopped ('channel stop' or SIGTERM).")
final class ChannelServeCommand extends Base {
  @Option(names = "--as", required = true, paramLabel = "<name>", description = "The local account (a hospital, say).")
  String name;

  @Option(names = "--port", defaultValue = "0", paramLabel = "<port>",
      description = "The channel port on 127.0.0.1 (default 0: any free port; the port file says which).")
  int port;

  @Option(names = "--watch", description = "Also watch the served channels on the ledger and answer a close that needs this"
      + " account (a stale close by the peer, a close this account pays on) through client-sdk's channel watcher.")
  boolean watching;

  @Option(names = "--poll", paramLabel = "<ms>",
      description = "With --watch: how often to look at the ledger (50..60000, default 1000); each look opens the"
          + " embedded ledger for a moment.")
  Long pollMillis;

  private final Map<String, ChannelParty> parties = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchLoop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "medledger-channel-watch");
    t.setDaemon(true);
    return t;
  });
  /** An open request this server signed for B (its nonce is this account's next one), and when. */
  private record Pending(ChannelClient.Terms terms, java.time.Instant signedAt) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private AccountSecrets secrets;
  private ChannelFiles files;
  private volatile ChannelServer server;

  @Override
  void execute() throws Exception {
    if (port < 0 || port > 65_535) {
      throw CliException.usage("--port must be 0..65535, got " + port);
    }
    if (pollMillis != null && !watching) {
      throw CliException.usage("--poll goes with --watch");
    }
    long poll = pollMillis == null ? 1000 : pollMillis;
    if (poll < 50 || poll > 60_000) {
      throw CliException.usage("--poll must be 50..60000 ms, got " + poll);
    }
    files = new ChannelFiles(home());
    Home.Local local = home().local(name);
    if (local.info().role() == Role.REGULATOR) {
      throw CliException.local("WRONG_ROLE", "the regulator cannot be a party of a payment channel");
    }
    refuseIfServing();
    secrets = secrets(local);
    server = ChannelServer.start(port, root().random);
    ServerSocket control = new ServerSocket();
    control.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(server, control, stopped), "medledger-channel-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    JsonArray restored = restore();
    byte[] t = new byte[32];
    root().random.nextBytes(t);
    String token = HexFormat.of().formatHex(t);
    JsonObject pf = new JsonObject();
    pf.addProperty("account", secrets.accountId());
    pf.addProperty("pid", ProcessHandle.current().pid());
    pf.addProperty("channelPort", server.port());
    pf.addProperty("controlPort", control.getLocalPort());
    pf.addProperty("token", token);
    pf.addProperty("startedAt", startedAt(ProcessHandle.current()));
    pf.addProperty("watching", watching);
    ChannelFiles.writePrivate(files.portFile(name), CanonicalJson.toString(pf) + "\n");
    ChannelFiles.writePrivate(files.pidFile(name), ProcessHandle.current().pid() + "\n");

    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("account", secrets.accountId());
    o.addProperty("pid", ProcessHandle.current().pid());
    o.addProperty("channelPort", server.port());
    o.addProperty("portFile", files.portFile(name).toString());
    o.addProperty("pidFile", files.pidFile(name).toString());
    o.add("channels", restored);
    emit(o, "Serving '" + name + "' (" + secrets.accountId() + ") on 127.0.0.1:" + server.port() + ", "
        + restored.size() + " open channel(s); port file " + files.portFile(name)
        + (watching ? "; watching them on the ledger every " + poll + " ms" : "") + "\n"
        + "  Stop it with 'medledger channel stop --as " + name + "' (or SIGTERM to PID " + ProcessHandle.current().pid() + ").");
    if (watching) {
      ServedChannelsWatch w = new ServedChannelsWatch(watchServer(), Clock.systemUTC());
      watchLoop.scheduleWithFixedDelay(() -> {
        synchronized (this) {
          w.once();
        }
      }, 0, poll, TimeUnit.MILLISECONDS);
    }
    ChannelControl.serve(control, token, this::handle);
    stopped.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running (SIGTERM): it has done the stop.
    }
  }

  /**
   * Restores the account's channels that are not closed from their state logs. The ledger is
   * looked at first: a channel it shows closed is not restored, and a party whose channel is
   * closing (a close that happened while no server ran) signs no state from the start, so that the
   * peer cannot have a newer state signed under a close this account may have to dispute.
   */
  private JsonArray restore() throws Exception {
    JsonArray restored = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (String id : files.channels(name)) {
      if (files.closedTx(name, id).isEmpty()) {
        ids.add(id);
      }
    }
    Map<String, String> status = new java.util.HashMap<>();
    if (!ids.isEmpty()) {
      try {
        var ledger = root().backend(true).connect(Organisations.defaultFor(secrets.role()));
        for (String id : ids) {
          try {
            status.put(id, CanonicalJson.parseObject(ledger.evaluate("channels:getChannel", id)).getAsJsonObject("channel")
                .get("status").getAsString());
          } catch (LedgerCallException e) {
            if (!"UNKNOWN_CHANNEL".equals(e.errorCode())) {
              throw e;
            }
            status.put(id, "UNKNOWN"); // a state log for a channel this ledger never opened
          }
        }
      } finally {
        root().closeBackend();
      }
    }
    for (String id : ids) {
      if ("CLOSED".equals(status.get(id)) || "UNKNOWN".equals(status.get(id))) {
        log(id + ("CLOSED".equals(status.get(id)) ? " is closed on the ledger" : " is not on this ledger") + ": not restored");
        continue;
      }
      ChannelParty p = ChannelParty.restore(files.log(name, id), secrets, ChannelParty.Options.DEFAULT, root().random);
      if (!"OPEN".equals(status.get(id))) {
        p.stopAndSnapshot();
        log(id + " is " + status.get(id) + " on the ledger: restored, signing no state");
      }
      parties.put(id, p);
      server.register(p);
      restored.add(id);
    }
    return restored;
  }

  /** How long a signed open request counts as under way (A's open waits up to 120 s for the server). */
  private static final java.time.Duration OPEN_UNDER_WAY = java.time.Duration.ofMinutes(3);

  /** What the watch may use of this server; called under this server's lock. */
  private ServedChannelsWatch.Server watchServer() {
    return new ServedChannelsWatch.Server() {
      @Override
      public Map<String, ChannelParty> parties() {
        return parties;
      }

      @Override
      public org.medledger.sdk.LedgerConnection look() throws Exception {
        return root().backend(true).connect(Organisations.defaultFor(secrets.role()));
      }

      @Override
      public ChannelClient writer() throws Exception {
        return chain();
      }

      @Override
      public void release() {
        root().closeBackend();
      }

      @Override
      public void closed(String channelId) {
        ChannelServeCommand.this.closed(channelId);
      }

      @Override
      public void log(String line) {
        ChannelServeCommand.this.log(line);
      }

      @Override
      public String accountId() {
        return secrets.accountId();
      }

      @Override
      public boolean openUnderWay() {
        java.time.Instant recent = java.time.Instant.now().minus(OPEN_UNDER_WAY);
        return pending.values().stream().anyMatch(p -> p.signedAt().isAfter(recent));
      }
    };
  }

  /** When a process started, as the system tells it ("" if it does not): with the PID, it names one process. */
  static String startedAt(ProcessHandle h) {
    return h.info().startInstant().map(Object::toString).orElse("");
  }

  private void refuseIfServing() throws CliException {
    Path pid = files.pidFile(name);
    if (!Files.exists(pid)) {
      return;
    }
    try {
      long p = Long.parseLong(Files.readString(pid).trim());
      if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
        throw CliException.local("ALREADY_SERVING", "'" + name + "' is served already by process " + p + " (PID file "
            + pid + "); stop it with 'medledger channel stop --as " + name + "'");
      }
    } catch (IOException | NumberFormatException stale) {
      // An unreadable PID file names no process: replaced below.
    }
  }

  private void log(String line) {
    synchronized (env().err()) {
      env().err().println("medledger: channel serve '" + name + "': " + line);
      env().err().flush();
    }
  }

  /** One control request: the ledger is opened for it and closed after it. */
  private synchronized JsonObject handle(JsonObject req) throws Exception {
    String op = req.has("op") ? req.get("op").getAsString() : "";
    try {
      return switch (op) {
        case "open" -> open(ChannelControl.terms(req.getAsJsonObject("terms")));
        case "opened" -> opened(ChannelFiles.channelId(req.get("channelId").getAsString()));
        case "closed" -> closed(ChannelFiles.channelId(req.get("channelId").getAsString()));
        default -> throw CliException.usage("unknown control request '" + op + "'");
      };
    } finally {
      root().closeBackend();
    }
  }

  private ChannelClient chain() throws CliException {
    return new ChannelClient(secrets, backend().connect(Organisations.defaultFor(secrets.role())), root().random);
  }

  /** B's consent: its signed open request with a zero deposit, for terms that name it as B. */
  private JsonObject open(ChannelClient.Terms terms) throws Exception {
    if (!terms.partyB().equals(secrets.accountId())) {
      throw CliException.local("WRONG_PARTY", "the terms name " + terms.partyB() + " as the serving party, not '" + name
          + "' (" + secrets.accountId() + ")");
    }
    if (Files.exists(files.log(name, terms.channelId())) || pending.containsKey(terms.channelId())) {
      throw CliException.local("CHANNEL_EXISTS", "channel " + terms.channelId() + " is known already");
    }
    String request = chain().openRequest(terms, 0);
    pending.put(terms.channelId(), new Pending(terms, java.time.Instant.now()));
    JsonObject r = new JsonObject();
    r.addProperty("request", request);
    return r;
  }

  /** The channel is open on the ledger: B derives its parameters there and starts its party. */
  private JsonObject opened(String channelId) throws Exception {
    Pending request = pending.get(channelId);
    if (request == null) {
      throw CliException.local("UNKNOWN_CHANNEL", "no open request was made for " + channelId);
    }
    ChannelParams params = chain().params(request.terms());
    ChannelParty p = ChannelParty.create(params, secrets, files.log(name, channelId), ChannelParty.Options.DEFAULT,
        root().random);
    pending.remove(channelId);
    parties.put(channelId, p);
    server().register(p);
    log("opened " + channelId + " with " + params.party(params.sideOf(secrets.accountId()).other()) + ", deposits "
        + amount(params.depositA()) + " / " + amount(params.depositB()));
    JsonObject r = new JsonObject();
    r.addProperty("channelId", channelId);
    r.addProperty("depositA", params.depositA());
    r.addProperty("depositB", params.depositB());
    return r;
  }

  private JsonObject closed(String channelId) {
    ChannelParty p = parties.remove(channelId);
    if (p != null) {
      server().unregister(p);
      log("closed " + channelId + " at state " + p.latest().seq());
      p.close();
    }
    JsonObject r = new JsonObject();
    r.addProperty("channelId", channelId);
    r.addProperty("released", p != null);
    return r;
  }

  private ChannelServer server() {
    return server;
  }

  private void stop(ChannelServer s, ServerSocket control, CountDownLatch stopped) {
    watchLoop.shutdown(); // no new look; one in progress is not interrupted (it may be writing the ledger)
    try {
      watchLoop.awaitTermination(30, TimeUnit.SECONDS); // a look or an answer in progress finishes first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      control.close();
    } catch (IOException ignored) {
      // closing
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
    for (ChannelParty p : parties.values()) {
      try {
        p.close();
      } catch (RuntimeException ignored) {
        // its log is fsynced at every state; nothing is lost
      }
    }
    try {
      Files.deleteIfExists(files.portFile(name));
      Files.deleteIfExists(files.pidFile(name));
    } catch (IOException ignored) {
      // a stale file is recognised by its dead PID
    }
    stopped.countDown();
  }
}
