package org.medledger.cli;

import com.google.gson.JsonObject;
import java.util.List;
import org.medledger.protocol.Role;
import org.medledger.sdk.Transfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger audit}: the regulator reads every transaction of the channel. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Regulator: list every transaction on the channel with its amount decrypted from the regulator's copy, and the totals.")
final class AuditCommand extends Query {
  @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local regulator account.")
  String name;

  @Override
  void execute() throws Exception {
    Acting a = acting(name, null, Role.REGULATOR, "audit");
    List<Transfer> entries = a.client().audit();
    long issued = 0;
    long transferred = 0;
    for (Transfer e : entries) {
      if (e.kind().equals("ISSUE")) {
        issued += e.amount().orElse(-1);
      } else if (e.kind().equals("TRANSFER")) {
        transferred += e.amount().orElse(-1);
      }
    }
    JsonObject o = new JsonObject();
    o.add("transactions", HistoryCommand.entries(entries));
    o.addProperty("issued", issued);
    o.addProperty("transferred", transferred);
    emit(o, HistoryCommand.table("Audit of the channel by '" + name + "'", entries, localNames())
        + "  total issued " + amount(issued) + "; total transferred " + amount(transferred));
  }
}
