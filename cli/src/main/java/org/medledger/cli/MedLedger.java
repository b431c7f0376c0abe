package org.medledger.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code medledger} command (docs/cli.md): a thin shell over client-sdk for every role. Global
 * options may be given before or after the subcommand.
 */
@Command(name = "medledger", mixinStandardHelpOptions = true, version = "medledger 0.1.0",
    description = "Confidential medical payments on a MedLedger channel: the embedded ledger by default, a Fabric network with --gateway.",
    subcommands = {KeysCommand.class, AccountsCommand.class, ConfigureCommand.class, IssueCommand.class,
        TransferCommand.Fund.class, TransferCommand.Pay.class, TransferCommand.Settle.class, FoldCommand.class,
        BalanceCommand.class, HistoryCommand.class, AuditCommand.class, RecordsCommand.class, ClaimsCommand.class,
        LedgerCommand.class, ChannelCommand.class, EventsCommand.class, CommitteeCommand.class, DiscloseCommand.class,
        StatsCommand.class,
        DemoCommand.class},
    sortOptions = false)
public final class MedLedger implements Callable<Integer> {
  @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "<dir>",
      description = "Local state: ledger and keystores (default: $MEDLEDGER_HOME, else ~/.medledger).")
  Path home;

  @Option(names = "--ledger-dir", scope = ScopeType.INHERIT, paramLabel = "<dir>",
      description = "The embedded ledger's directory (default: <home>/ledger).")
  Path ledgerDir;

  @Option(names = "--lock-wait", scope = ScopeType.INHERIT, paramLabel = "<seconds>", defaultValue = "30",
      description = "How long to wait for the embedded ledger while another medledger command holds it (default: 30).")
  long lockWaitSeconds;

  @Option(names = "--gateway", scope = ScopeType.INHERIT, paramLabel = "<profile.json>",
      description = "Use a Fabric network through this gateway connection profile instead of the embedded ledger.")
  Path gateway;

  @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "<file>",
      description = "Read the keystore password from the first line of this file (else $MEDLEDGER_PASSWORD, else a prompt).")
  Path passwordFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON object on stdout (errors too).")
  boolean json;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
  boolean verbose;

  final Env env;
  final Clock clock;
  final SecureRandom random = new SecureRandom();
  private Backend backend;

  MedLedger(Env env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  /** Runs the command line and returns the exit code; never throws, never calls System.exit. */
  public static int run(Env env, String... args) {
    return run(env, Clock.systemUTC(), args);
  }

  static int run(Env env, Clock clock, String... args) {
    MedLedger root = new MedLedger(env, clock);
    CommandLine cmd = new CommandLine(root);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setHelpFactory(GlobalOptionsHelp::new);
    cmd.setOut(env.out());
    cmd.setErr(env.err());
    cmd.setParameterExceptionHandler((ex, a) -> Errors.print(ex, env, root.json, root.verbose, null));
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> Errors.print(ex, env, root.json, root.verbose,
        root.backend == null ? null : root.backend.describe()));
    try {
      return cmd.execute(args);
    } finally {
      root.closeBackend();
      env.out().flush();
      env.err().flush();
    }
  }

  @Override
  public Integer call() throws CliException {
    throw CliException.usage("missing command; 'medledger --help' lists them, 'medledger demo' tells the whole story");
  }

  Home home() {
    return Home.of(home, ledgerDir, env);
  }

  Passwords passwords() {
    return new Passwords(passwordFile, env);
  }

  /**
   * The ledger of this run: a Fabric gateway if --gateway was given, else the embedded ledger,
   * opened read-only (it must exist, and no file of it is written) if {@code readOnly}.
   */
  Backend backend(boolean readOnly) throws CliException {
    if (backend == null) {
      backend = gateway != null ? GatewayBackend.of(gateway)
          : new EmbeddedBackend(home().ledgerDir(), clock, readOnly, env.err(), lockWait());
    }
    return backend;
  }

  /** How long the embedded ledger's lock is waited for. */
  java.time.Duration lockWait() throws CliException {
    if (lockWaitSeconds < 0 || lockWaitSeconds > 3_600) {
      throw CliException.usage("--lock-wait must be 0..3600 seconds");
    }
    return java.time.Duration.ofSeconds(lockWaitSeconds);
  }

  /** Closes this run's ledger (the embedded ledger's lock is released); the next use opens it again. */
  void closeBackend() {
    if (backend != null) {
      backend.close();
      backend = null;
    }
  }
}
