package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import org.medledger.embedded.EmbeddedLedger;
import org.medledger.embedded.LedgerLogException;
import picocli.CommandLine.Command;

/** {@code medledger ledger}: upkeep of the embedded ledger's directory (docs/embedded-ledger.md). */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Upkeep of the embedded ledger's files.",
    subcommands = LedgerCommand.Migrate.class)
final class LedgerCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: 'medledger ledger migrate'");
  }

  /** Rewrites a format-1 embedded ledger (blocks without hashes) in the current format. */
  @Command(name = "migrate", mixinStandardHelpOptions = true,
      description = "Rewrite a format-1 embedded ledger (blocks without hashes) with hash-chained blocks;"
          + " the old log is kept as blocks.v1.jsonl.")
  static final class Migrate extends Base {
    @Override
    void execute() throws CliException {
      java.nio.file.Path dir = home().ledgerDir();
      String done;
      try {
        done = EmbeddedLedger.migrate(dir, Organisations.CHANNEL);
      } catch (LedgerLogException e) {
        throw EmbeddedBackend.refusal(dir, e);
      } catch (IOException e) {
        throw new CliException(ExitCode.UNAVAILABLE, "LEDGER_UNREADABLE", "cannot migrate the embedded ledger in " + dir
            + ": " + Errors.oneLine(e.getMessage()), e);
      }
      JsonObject o = new JsonObject();
      o.addProperty("ledgerDir", dir.toString());
      o.addProperty("result", done);
      emit(o, done);
    }
  }
}
