package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.ChannelClient;
import org.medledger.sdk.channel.ChannelLogs;
import org.medledger.sdk.channel.ChannelParams;
import org.medledger.sdk.channel.ChannelParty;
import org.medledger.sdk.channel.CooperativeClose;
import org.medledger.sdk.channel.Side;
import org.medledger.sdk.channel.SignedState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code medledger channel}: payment channels between two accounts (docs/cli.md §4 channel,
 * docs/payment-channels.md). One side runs {@code channel serve}; the other opens, pays and
 * closes with one-shot commands that reach it through its port file, each keeping its state log
 * under the home so that {@code channel status} needs neither the peer nor a password.
 */
@Command(name = "channel", mixinStandardHelpOptions = true,
    description = "Off-chain payment channels: serve, open, pay, status, close, stop, watch.",
    subcommands = {ChannelServeCommand.class, ChannelCommand.Open.class, ChannelCommand.Pay.class,
        ChannelCommand.Status.class, ChannelCommand.Close.class, ChannelCommand.Stop.class,
        ChannelWatchCommand.class})
final class ChannelCommand extends Base {
  /** How long a one-shot command waits for the peer to sign. */
  static final long PEER_WAIT_SECONDS = 120;

  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: serve, open, pay, status, close, stop or watch");
  }

  /** What the commands of one local account share. */
  abstract static class OfAccount extends Base {
    @Option(names = "--as", required = true, paramLabel = "<name>", description = "The local account.")
    String name;

    ChannelFiles files() {
      return new ChannelFiles(home());
    }

    Home.Local partyAccount() throws Exception {
      Home.Local local = home().local(name);
      if (local.info().role() == Role.REGULATOR) {
        throw CliException.local("WRONG_ROLE", "the regulator cannot be a party of a payment channel");
      }
      return local;
    }

    ChannelClient chain(AccountSecrets s) throws CliException {
      return new ChannelClient(s, backend().connect(Organisations.defaultFor(s.role())), root().random);
    }

    /** The peer's server for a channel of this account, from the name {@code channel open} noted. */
    ChannelFiles.Serving peerOf(ChannelFiles files, String channelId) throws CliException {
      Optional<String> peer = files.peerName(name, channelId);
      if (peer.isEmpty()) {
        throw CliException.local("NO_PEER", "channel " + channelId + " of '" + name + "' was not opened by 'channel open'"
            + " here, so no peer is known for it (this is the serving side: its peer reaches it)");
      }
      return files.serving(peer.get());
    }

    static <T> T await(CompletableFuture<T> f, ChannelFiles.Serving peer, String what) throws CliException {
      try {
        return f.get(PEER_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new CliException(ExitCode.UNAVAILABLE, "PEER_UNAVAILABLE", "the peer '" + peer.name() + "' (port file "
            + peer.portFile() + ") did not sign " + what + " within " + PEER_WAIT_SECONDS + " s");
      } catch (ExecutionException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        throw new CliException(ExitCode.LOCAL, "CHANNEL_REFUSED", what + " was refused: " + Errors.oneLine(String.valueOf(c.getMessage())), c);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.UNAVAILABLE, "PEER_UNAVAILABLE", "interrupted while waiting for the peer", e);
      }
    }

    static JsonObject state(ChannelParams p, SignedState s, Side me) {
      JsonObject o = new JsonObject();
      o.addProperty("seq", s.seq());
      o.addProperty("balance", s.state().balance(me));
      o.addProperty("peerBalance", s.state().balance(me.other()));
      return o;
    }
  }

  /** Opens a channel with a running server: this account is A (the proposer), the server's B with a zero deposit. */
  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Open a channel with a served account (its 'channel serve' must run); this account deposits, the peer deposits 0.")
  static final class Open extends OfAccount {
    @Option(names = "--with", required = true, paramLabel = "<name>", description = "The local name the peer serves as.")
    String with;

    @Option(names = "--deposit", required = true, paramLabel = "<n>", description = "What this account locks in the channel.")
    long deposit;

    @Option(names = "--window", defaultValue = "3600", paramLabel = "<seconds>", description = "The dispute window (default 3600).")
    long window;

    @Option(names = "--depth", defaultValue = "16", paramLabel = "<n>", description = "States in flight at most (default 16).")
    int depth;

    @Override
    void execute() throws Exception {
      checkPositive("--deposit", deposit);
      Home.checkName(with);
      ChannelFiles files = files();
      Home.Local local = partyAccount();
      ChannelFiles.Serving peer = files.serving(with);
      if (peer.account().equals(local.info().account())) {
        throw CliException.usage("--with names the same account as --as");
      }
      AccountSecrets secrets = secrets(local);
      ChannelClient.Terms terms;
      String requestA;
      try (Progress p = Progress.start(env(), "proving the deposit")) {
        long balance = new AccountClient(secrets, backend().connect(Organisations.defaultFor(secrets.role())), root().random)
            .balance();
        if (balance < deposit) {
          throw CliException.local("INSUFFICIENT_FUNDS", "'" + name + "' holds " + amount(balance) + ", less than "
              + amount(deposit) + "; nothing was sent");
        }
        terms = ChannelClient.newTerms(secrets.accountId(), peer.account(), window, depth, root().random);
        requestA = chain(secrets).openRequest(terms, deposit);
        p.succeeded();
      } finally {
        root().closeBackend(); // the peer opens the ledger next
      }
      JsonObject ask = new JsonObject();
      ask.addProperty("op", "open");
      ask.add("terms", ChannelControl.terms(terms));
      String requestB = ChannelControl.call(peer, ask).get("request").getAsString();
      String txId;
      ChannelParams params;
      try {
        ChannelClient chain = chain(secrets);
        txId = org.medledger.protocol.CanonicalJson.parseObject(chain.open(requestA, requestB)).get("openTx").getAsString();
        params = chain.params(terms);
      } finally {
        root().closeBackend();
      }
      ChannelParty.create(params, secrets, files.log(name, terms.channelId()), ChannelParty.Options.DEFAULT, root().random)
          .close();
      files.notePeer(name, terms.channelId(), with);
      JsonObject opened = new JsonObject();
      opened.addProperty("op", "opened");
      opened.addProperty("channelId", terms.channelId());
      ChannelControl.call(peer, opened);

      JsonObject o = new JsonObject();
      o.addProperty("channelId", terms.channelId());
      o.addProperty("name", name);
      o.addProperty("account", secrets.accountId());
      o.addProperty("peer", with);
      o.addProperty("peerAccount", peer.account());
      o.addProperty("deposit", params.depositA());
      o.addProperty("peerDeposit", params.depositB());
      o.addProperty("txId", txId);
      emit(o, "Opened " + terms.channelId() + ": '" + name + "' locked " + amount(deposit) + ", '" + with + "' 0 (tx "
          + txId + ")\n  Pay with 'medledger channel pay --as " + name + " --channel " + terms.channelId() + " --amount <n>'.");
    }
  }

  /** Pays the peer off chain: one state signed by both, persisted by both. */
  @Command(name = "pay", mixinStandardHelpOptions = true, description = "Pay the peer off chain (its 'channel serve' must run).")
  static final class Pay extends OfAccount {
    @Option(names = "--channel", required = true, paramLabel = "<channelId>", description = "The channel (pc-…).")
    String channel;

    @Option(names = "--amount", required = true, paramLabel = "<n>", description = "A positive whole number of units.")
    long amountToPay;

    @Override
    void execute() throws Exception {
      String id = ChannelFiles.channelId(channel);
      checkPositive("--amount", amountToPay);
      ChannelFiles files = files();
      Home.Local local = partyAccount();
      Path log = files.existingLog(name, id);
      ChannelFiles.Held held = files.hold(name, id, root().lockWait());
      try {
        pay(files, local, id, log);
      } finally {
        held.release();
      }
    }

    private void pay(ChannelFiles files, Home.Local local, String id, Path log) throws Exception {
      refuseClosed(files, id, log);
      ChannelLogs.Summary s = ChannelLogs.read(log);
      Side me = s.params().sideOf(local.info().account());
      long holds = s.latest().state().balance(me);
      if (holds < amountToPay) {
        throw CliException.local("INSUFFICIENT_FUNDS", "'" + name + "' holds " + amount(holds) + " in channel " + id
            + ", less than " + amount(amountToPay) + "; nothing was sent");
      }
      ChannelFiles.Serving peer = peerOf(files, id);
      AccountSecrets secrets = secrets(local);
      SignedState state;
      try (ChannelParty party = ChannelParty.restore(log, secrets, ChannelParty.Options.DEFAULT, root().random)) {
        ChannelParty.Connection link = party.connect(peer.channelAddress(), root().random);
        try (Progress p = Progress.start(env(), "waiting for the peer's signature")) {
          state = await(party.pay(amountToPay), peer, "the payment");
          p.succeeded();
        } finally {
          link.close();
        }
      }
      JsonObject o = state(s.params(), state, me);
      o.addProperty("channelId", id);
      o.addProperty("name", name);
      o.addProperty("amount", amountToPay);
      emit(o, "Paid " + amount(amountToPay) + " in " + id + ": state " + state.seq() + ", '" + name + "' holds "
          + amount(state.state().balance(me)) + ", '" + peer.name() + "' " + amount(state.state().balance(me.other()))
          + " (off chain: nothing was sent to the ledger)");
    }
  }

  static void refuseClosed(ChannelFiles files, String id, Path log) throws CliException, IOException {
    String name = log.getParent().getFileName().toString();
    Optional<String> tx = files.closedTx(name, id);
    if (tx.isPresent()) {
      throw CliException.local("CHANNEL_CLOSED", "channel " + id + " is closed (tx " + tx.get() + ")");
    }
  }

  /** Closes cooperatively: both sign the latest state, and this account submits it, which pays both out. */
  @Command(name = "close", mixinStandardHelpOptions = true,
      description = "Close cooperatively on the latest state and settle it on the ledger (the peer's 'channel serve' must run).")
  static final class Close extends OfAccount {
    @Option(names = "--channel", required = true, paramLabel = "<channelId>", description = "The channel (pc-…).")
    String channel;

    @Override
    void execute() throws Exception {
      String id = ChannelFiles.channelId(channel);
      ChannelFiles files = files();
      Home.Local local = partyAccount();
      Path log = files.existingLog(name, id);
      ChannelFiles.Held held = files.hold(name, id, root().lockWait());
      try {
        close(files, local, id, log);
      } finally {
        held.release();
      }
    }

    private void close(ChannelFiles files, Home.Local local, String id, Path log) throws Exception {
      refuseClosed(files, id, log);
      ChannelFiles.Serving peer = peerOf(files, id);
      AccountSecrets secrets = secrets(local);
      CooperativeClose close;
      try (ChannelParty party = ChannelParty.restore(log, secrets, ChannelParty.Options.DEFAULT, root().random)) {
        Optional<CooperativeClose> agreed = party.agreedClose(); // signed by both in an earlier run that stopped short
        if (agreed.isPresent()) {
          close = agreed.get();
        } else {
          ChannelParty.Connection link = party.connect(peer.channelAddress(), root().random);
          try (Progress p = Progress.start(env(), "waiting for the peer's close signature")) {
            close = closeWhenLinked(party, peer);
            p.succeeded();
          } finally {
            link.close();
          }
        }
      }
      String txId;
      try {
        // The response is the channel's record; its settlement names the transaction.
        txId = org.medledger.protocol.CanonicalJson.parseObject(chain(secrets).coopClose(close)).getAsJsonObject("settlement")
            .get("tx").getAsString();
      } finally {
        root().closeBackend();
      }
      files.noteClosed(name, id, txId);
      JsonObject released = new JsonObject();
      released.addProperty("op", "closed");
      released.addProperty("channelId", id);
      ChannelControl.call(peer, released);
      ChannelParams params = ChannelLogs.read(log).params();
      Side me = params.sideOf(secrets.accountId());
      JsonObject o = new JsonObject();
      o.addProperty("channelId", id);
      o.addProperty("name", name);
      o.addProperty("seq", close.state().seq());
      o.addProperty("balance", close.state().balance(me));
      o.addProperty("peerBalance", close.state().balance(me.other()));
      o.addProperty("txId", txId);
      emit(o, "Closed " + id + " at state " + close.state().seq() + ": '" + name + "' gets " + amount(close.state().balance(me))
          + ", '" + peer.name() + "' " + amount(close.state().balance(me.other())) + " (tx " + txId + ")\n"
          + "  Both payouts are pending credits on the ledger; 'medledger balance' shows them.");
    }
  }

  /**
   * Asks for the cooperative close once the link is up and resynchronised (client-sdk refuses a
   * close before that, and while payments are in flight), retrying those two refusals until
   * {@link #PEER_WAIT_SECONDS}.
   */
  static CooperativeClose closeWhenLinked(ChannelParty party, ChannelFiles.Serving peer) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PEER_WAIT_SECONDS);
    while (true) {
      try {
        return party.closeCooperatively().get(PEER_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        String why = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        boolean notYet = why.startsWith("not connected") || why.startsWith("payments in flight");
        if (!notYet || System.nanoTime() - deadline >= 0) {
          return OfAccount.await(CompletableFuture.failedFuture(e.getCause() == null ? e : e.getCause()), peer,
              "the cooperative close");
        }
        Thread.sleep(100);
      } catch (TimeoutException e) {
        throw new CliException(ExitCode.UNAVAILABLE, "PEER_UNAVAILABLE", "the peer '" + peer.name() + "' (port file "
            + peer.portFile() + ") did not sign the cooperative close within " + PEER_WAIT_SECONDS + " s");
      }
    }
  }

  /** The channels of a local account, from its state logs: no password, no peer, no ledger. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show this account's channels from its state logs (no password, no peer, no ledger needed).")
  static final class Status extends OfAccount {
    @Option(names = "--channel", paramLabel = "<channelId>", description = "Only this channel.")
    String channel;

    @Override
    void execute() throws Exception {
      ChannelFiles files = files();
      Home.Local local = home().local(name);
      List<String> ids = channel != null ? List.of(ChannelFiles.channelId(channel)) : files.channels(name);
      JsonArray list = new JsonArray();
      StringBuilder text = new StringBuilder();
      for (String id : ids) {
        Path log = files.existingLog(name, id);
        ChannelLogs.Summary s;
        try {
          s = ChannelLogs.read(log);
        } catch (IOException e) {
          throw CliException.local("CHANNEL_LOG", "cannot read the state log " + log + ": " + Errors.oneLine(String.valueOf(e.getMessage())));
        }
        Side me = s.params().sideOf(local.info().account());
        Optional<String> closedTx = files.closedTx(name, id);
        String status = closedTx.isPresent() ? "CLOSED" : s.closeSigned().isPresent() ? "CLOSE_SIGNED" : "OPEN";
        JsonObject o = state(s.params(), s.latest(), me);
        o.addProperty("channelId", id);
        o.addProperty("side", me.name());
        o.addProperty("peerAccount", s.params().party(me.other()));
        o.addProperty("deposit", s.params().deposit(me));
        o.addProperty("peerDeposit", s.params().deposit(me.other()));
        o.addProperty("status", status);
        if (closedTx.isPresent()) {
          o.addProperty("closeTx", closedTx.get());
        } else {
          o.add("closeTx", com.google.gson.JsonNull.INSTANCE);
        }
        list.add(o);
        text.append(id).append("  ").append(status).append("  state ").append(s.latest().seq()).append("  '").append(name)
            .append("' holds ").append(amount(s.latest().state().balance(me))).append(", ")
            .append(label(localNames(), s.params().party(me.other()))).append(' ')
            .append(amount(s.latest().state().balance(me.other()))).append('\n');
      }
      JsonObject o = new JsonObject();
      o.addProperty("name", name);
      o.add("channels", list);
      emit(o, ids.isEmpty() ? "'" + name + "' has no channels" : text.toString());
    }
  }

  /** Stops a running {@code channel serve} by the PID in its files (SIGTERM); it removes its files. */
  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop this account's 'channel serve' (SIGTERM to its PID).")
  static final class Stop extends OfAccount {
    @Override
    void execute() throws Exception {
      ChannelFiles files = files();
      Home.checkName(name);
      Path pidFile = files.pidFile(name);
      long pid;
      try {
        pid = Long.parseLong(Files.readString(pidFile).trim());
      } catch (IOException | NumberFormatException e) {
        throw new CliException(ExitCode.UNAVAILABLE, "PEER_NOT_RUNNING", "'" + name + "' is not served here: no readable"
            + " PID file " + pidFile);
      }
      // A PID names our server only while the process that has it started when the port file says:
      // a stale PID file may name a process started later that is none of ours, which is not signalled.
      String started = null;
      try {
        started = org.medledger.protocol.CanonicalJson.parseObject(Files.readString(files.portFile(name)))
            .get("startedAt").getAsString();
      } catch (IOException | RuntimeException noPortFile) {
        // no port file (a server that was killed): the PID is not trusted, and nothing is signalled
      }
      String expected = started;
      Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> expected != null && expected.equals(ChannelServeCommand.startedAt(p)));
      boolean stopped = false;
      if (h.isPresent()) {
        h.get().destroy(); // SIGTERM: the server closes its parties and removes its files
        try {
          h.get().onExit().get(30, TimeUnit.SECONDS);
          stopped = true;
        } catch (TimeoutException e) {
          throw new CliException(ExitCode.UNAVAILABLE, "STOP_TIMEOUT", "process " + pid + " (PID file " + pidFile
              + ") did not stop within 30 s");
        }
      }
      Files.deleteIfExists(files.portFile(name)); // left behind only by a server that was killed
      Files.deleteIfExists(pidFile);
      JsonObject o = new JsonObject();
      o.addProperty("name", name);
      o.addProperty("pid", pid);
      o.addProperty("stopped", stopped);
      emit(o, stopped ? "Stopped the server of '" + name + "' (PID " + pid + ")"
          : "The server of '" + name + "' (PID " + pid + ") was not running; its stale files were removed");
    }
  }
}
