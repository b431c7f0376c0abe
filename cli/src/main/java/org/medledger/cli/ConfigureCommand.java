package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
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
    PublicLedger.ChannelConfig stored = new PublicLedger(conn).configure(json);
    JsonObject config = json(stored);
    JsonObject o = new JsonObject();
    o.add("config", config);
    emit(o, "Configured channel " + stored.channel() + " (chaincode " + stored.chaincode() + ") on the "
        + backend().describe() + ":\n"
        + "  admin organisations:    " + config.get("adminMsps") + "\n"
        + "  roles by organisation:  " + config.get("roles") + "\n"
        + "  patients registered by: " + config.get("patientMsps"));
  }

  /** The configuration as the ledger stores it (docs/chaincode.md §3), member order included. */
  static JsonObject json(PublicLedger.ChannelConfig c) {
    JsonObject o = new JsonObject();
    o.add("adminMsps", strings(c.adminMsps()));
    o.addProperty("chaincode", c.chaincode());
    o.addProperty("channel", c.channel());
    o.add("patientMsps", strings(c.patientMsps()));
    JsonObject roles = new JsonObject();
    c.roles().forEach((msp, rs) -> roles.add(msp, strings(rs.stream().map(Enum::name).toList())));
    o.add("roles", roles);
    return o;
  }

  private static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
