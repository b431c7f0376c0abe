package org.medledger.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medledger.protocol.CanonicalJson;
import org.medledger.sdk.LedgerConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger configure}: the channel's one-time set-up by an admin organisation. */
@Command(name = "configure", mixinStandardHelpOptions = true,
    description = "Set the channel configuration once, as a client of an admin organisation: which organisation registers which roles.")
final class ConfigureCommand extends Base {
  @Option(names = "--config", paramLabel = "<file>",
      description = "The configuration JSON (docs/chaincode.md §3); default: the standard three-organisation configuration.")
  Path config;

  @Option(names = "--org", paramLabel = "<mspId>", defaultValue = Organisations.REGULATOR_ORG,
      description = "Embedded ledger: the admin organisation whose gateway submits it (default: ${DEFAULT-VALUE}).")
  String org;

  @Override
  void execute() throws Exception {
    LedgerConnection conn = backend().connect(org);
    String json;
    if (config == null) {
      json = Organisations.standardConfig(conn.channel(), conn.chaincode());
    } else {
      try {
        json = Files.readString(config, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw CliException.usage("cannot read --config " + config + ": " + e.getMessage());
      }
    }
    JsonObject stored = CanonicalJson.parseObject(conn.submit("accounts:configure", json));
    JsonObject o = new JsonObject();
    o.add("config", stored);
    emit(o, "Configured channel " + stored.get("channel").getAsString() + " (chaincode "
        + stored.get("chaincode").getAsString() + ") on the " + backend().describe() + ":\n"
        + "  admin organisations:    " + stored.get("adminMsps") + "\n"
        + "  roles by organisation:  " + stored.get("roles") + "\n"
        + "  patients registered by: " + stored.get("patientMsps"));
  }
}
