package org.medledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.medledger.sdk.LedgerConnection;

/**
 * A Fabric network reached through gateway connection profiles: one profile given with
 * {@code --gateway} (every command goes through that identity), or a directory of profiles, one
 * per organisation, for the demo ({@code demo --network}).
 */
final class GatewayBackend implements Backend {
  private final List<GatewayProfile> profiles;
  private final boolean single;

  private GatewayBackend(List<GatewayProfile> profiles, boolean single) {
    this.profiles = profiles;
    this.single = single;
  }

  /** The one identity of {@code --gateway <profile.json>}. */
  static GatewayBackend of(Path profile) throws CliException {
    return new GatewayBackend(List.of(GatewayProfile.read(profile)), true);
  }

  /** Every {@code *.json} profile of a directory, one per organisation. */
  static GatewayBackend ofDirectory(Path dir) throws CliException {
    if (!Files.isDirectory(dir)) {
      throw new CliException(ExitCode.UNAVAILABLE, "NO_NETWORK", "no gateway profiles: " + dir.toAbsolutePath()
          + " is not a directory; start the test network ('test-network/network.sh up' and 'deploy') or give --network <dir>");
    }
    List<GatewayProfile> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        out.add(GatewayProfile.read(p));
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", "cannot list gateway profiles in " + dir + ": " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", "no *.json gateway profile in " + dir);
    }
    return new GatewayBackend(out, false);
  }

  @Override
  public LedgerConnection connect(String mspId) throws CliException {
    GatewayProfile p = single ? profiles.get(0) : profiles.stream().filter(x -> x.mspId().equals(mspId)).findFirst()
        .orElseThrow(() -> new CliException(ExitCode.USAGE, "NO_GATEWAY_FOR_ORG", "no gateway profile for " + mspId
            + " among " + profiles.stream().map(GatewayProfile::mspId).toList()));
    return GatewayConnections.open(p);
  }

  @Override
  public String describe() {
    return "Fabric network through " + String.join(", ", profiles.stream().map(p -> p.mspId() + "@" + p.peerEndpoint()).toList());
  }

  @Override
  public void close() {
    GatewayConnections.closeAll();
  }
}
