package org.medledger.cli;

import com.google.gson.JsonObject;
import org.medledger.protocol.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger issue}: the regulator creates money for an insurer; the amount is public. */
@Command(name = "issue", mixinStandardHelpOptions = true,
    description = "Regulator: issue new money to an insurer (the only way money is created; the amount is public).")
final class IssueCommand extends Base {
  @Option(names = {"--from", "--account", "-a"}, required = true, paramLabel = "<name>", description = "The local regulator account.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "<account>", description = "The insurer: a local name or an account id.")
  String to;

  @Option(names = "--amount", required = true, paramLabel = "<n>", description = "A positive whole number of units.")
  long amount;

  @Override
  void execute() throws Exception {
    checkPositive("--amount", amount);
    String payee = home().resolve(to);
    Acting a = acting(from, null, Role.REGULATOR, "issue");
    JsonObject o = TransferCommand.result("issue", a.client().issue(payee, amount), amount);
    emit(o, "Issued " + amount(amount) + " to " + label(localNames(), payee) + " (tx " + o.get("txId").getAsString() + ")");
  }
}
