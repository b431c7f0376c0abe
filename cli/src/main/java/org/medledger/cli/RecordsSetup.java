package org.medledger.cli;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.medledger.crypto.proof.RingPedersenParams;
import org.medledger.protocol.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger records setup}: the regulator generates and publishes the channel's ring-Pedersen parameters, once. */
@Command(name = "setup", mixinStandardHelpOptions = true,
    description = "Regulator: generate the channel's ring-Pedersen parameters (two safe primes) and publish them, once per channel.")
final class RecordsSetup extends Base {
  @Option(names = {"--account", "-a"}, required = true, paramLabel = "<regulator>", description = "The local regulator account.")
  String name;

  @Option(names = "--bits", paramLabel = "<bits>", defaultValue = "3072",
      description = "Size of N̂: 3072 (default; seconds, now and then a minute) or 2048.")
  int bits;

  @Option(names = "--params-file", paramLabel = "<file>",
      description = "Publish parameters generated elsewhere instead: their encoding (docs/protocol.md §5.4); needs --proof-file.")
  Path paramsFile;

  @Option(names = "--proof-file", paramLabel = "<file>", description = "The Π^prm proof of --params-file.")
  Path proofFile;

  @Override
  void execute() throws Exception {
    RingPedersenInput.together("--params-file", paramsFile, "--proof-file", proofFile);
    if (paramsFile != null) {
      publishFromFiles();
      return;
    }
    RingPedersenParams.Size size = RingPedersenInput.size("--bits", bits);
    Acting a = acting(name, null, Role.REGULATOR, "records setup");
    RingPedersenInput.Generated g = RingPedersenInput.generate(env(), bits, size, root().random);
    a.records().publishRingPedersen(g.generated().params().toBytes(), g.generated().proof().toBytes());
    JsonObject o = new JsonObject();
    o.addProperty("bits", bits);
    o.addProperty("generationMillis", g.millis());
    emit(o, "Published " + bits + "-bit ring-Pedersen parameters for the channel (generated in "
        + String.format("%.1f s", g.millis() / 1000.0) + "); accounts can now register and grants can be made.\n"
        + "  The factors of N̂ were never stored; see docs/protocol.md §5.4 for what that trust means.");
  }

  private void publishFromFiles() throws Exception {
    Acting a = acting(name, null, Role.REGULATOR, "records setup");
    RingPedersenInput.FromFiles f = RingPedersenInput.read(paramsFile, proofFile, "parameter");
    a.records().publishRingPedersen(f.params(), f.proof());
    JsonObject o = new JsonObject();
    o.addProperty("bits", f.decoded().bits());
    emit(o, "Published " + f.decoded().bits() + "-bit ring-Pedersen parameters for the channel from " + paramsFile
        + "; accounts can now register and grants can be made.");
  }
}
