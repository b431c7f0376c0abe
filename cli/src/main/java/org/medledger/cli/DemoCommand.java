package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.medledger.cli.demo.Demo;
import org.medledger.cli.demo.DemoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger demo}: the whole story on a fresh embedded ledger, or on a running network. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Tell the whole story on a fresh embedded ledger: a 3-of-5 regulator committee is dealt and issues, the insurer"
        + " funds, patients pay, a claim is settled, the committee audits through a disclosure request and re-shares when a member"
        + " leaves, the patients' visits over two months whose statistics the committee opens (a table and a PNG chart), and what"
        + " each party can and cannot see.")
final class DemoCommand extends Base {
  @Option(names = "--bits", paramLabel = "<bits>", defaultValue = "2048",
      description = "Paillier key size of the demo's accounts and of the committee key: 2048 (default, for speed) or 3072 (the"
          + " production default).")
  int bits;

  @Option(names = "--keep", paramLabel = "<dir>",
      description = "Keep the demo's embedded ledger in this new or empty directory instead of a temporary one.")
  Path keep;

  @Option(names = "--network", paramLabel = "<profiles-dir>", arity = "0..1", fallbackValue = "",
      description = "Run on a Fabric network: a directory of gateway profiles (*.json), one per organisation;"
          + " without a value, the running test network's (test-network/.run/gateway).")
  String network;

  @Option(names = "--png", paramLabel = "<file>",
      description = "Where the statistics chart (visits per ICD-10 chapter of the buckets the committee opened) is written;"
          + " default: demo-stats.png in the medledger home (--home, $MEDLEDGER_HOME, ~/.medledger). On --network no bucket"
          + " can be opened and no chart is written.")
  Path png;

  @Override
  void execute() throws Exception {
    if (keep != null && network != null) {
      throw CliException.usage("--keep and --network do not go together: the network keeps its own ledger");
    }
    if (bits != 2048 && bits != 3072) {
      throw CliException.usage("demo --bits must be 2048 or 3072, got " + bits);
    }
    Path chart = chart(network == null);
    if (network != null) {
      try (GatewayBackend b = GatewayBackend.ofDirectory(networkDir())) {
        report(new Demo(env(), b, null, chart, KeysCommand.Generate.keySize(bits), root().random, !root().json).run());
      }
      return;
    }
    Path dir = keep != null ? prepare(keep) : Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "medledger-demo-");
    // The embedded ledger stamps with the demo's clock: it starts two months back and the story moves it on (docs/cli.md §5).
    DemoClock clock = DemoClock.monthsBefore(root().clock, 2);
    try (EmbeddedBackend b = new EmbeddedBackend(dir, clock, false, env().err(), root().lockWait())) {
      JsonObject facts = new Demo(env(), b, clock, chart, KeysCommand.Generate.keySize(bits), root().random, !root().json).run();
      facts.addProperty("ledgerDir", keep != null ? dir.toString() : "");
      report(facts);
    } finally {
      if (keep == null) {
        deleteTree(dir);
      }
    }
    if (keep != null && !root().json) {
      env().out().println("The demo's ledger is kept in " + dir + " (blocks.jsonl is its block log).");
    }
  }

  /**
   * The chart's file (--png, else demo-stats.png in the home); if {@code make}, its directory is made
   * now, so that a path that cannot be used fails before the story (on a network no chart is drawn).
   */
  private Path chart(boolean make) throws CliException {
    Path file = (png != null ? png : home().dir().resolve("demo-stats.png")).toAbsolutePath().normalize();
    if (Files.isDirectory(file)) {
      throw CliException.usage("--png " + file + " is a directory; give a file name");
    }
    if (!make) {
      return file;
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw CliException.usage("cannot write the chart to " + file + ": " + Errors.cause(e));
    }
    return file;
  }

  /**
   * The profiles directory: --network's value, else the test network's: $MEDLEDGER_NETWORK_DIR/gateway,
   * else test-network/.run/gateway of the repository the launcher runs from (or of the current directory).
   */
  private Path networkDir() {
    if (!network.isEmpty()) {
      return Path.of(network);
    }
    String run = env().variable("MEDLEDGER_NETWORK_DIR");
    if (run != null) {
      return Path.of(run, "gateway");
    }
    String repo = env().variable("MEDLEDGER_REPO");
    return (repo != null ? Path.of(repo) : Path.of("")).resolve("test-network/.run/gateway");
  }

  private void report(JsonObject facts) {
    if (root().json) {
      emit(facts, "");
    }
  }

  private static Path prepare(Path dir) throws CliException {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw CliException.usage("--keep " + dir + " is not empty; give a new or empty directory");
          }
        }
      }
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw CliException.usage("cannot use --keep " + dir + ": " + e.getMessage());
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind is harmless; the demo's result stands.
    }
  }
}
