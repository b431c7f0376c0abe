package org.medledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.medledger.sdk.GatewayConnection;
import org.medledger.sdk.GatewayMaterial;
import org.medledger.sdk.LedgerConnection;

/**
 * A Fabric network reached through client-sdk's {@link GatewayConnection}: one connection file
 * given with {@code --gateway} (every command goes through that identity), or a directory of
 * connection files, one per organisation, for the demo ({@code demo --network}). Connections are
 * opened on first use and closed with the backend.
 */
final class GatewayBackend implements Backend {
  /** A connection file and what it says. */
  private record Profile(Path file, GatewayMaterial material) {}

  private final List<Profile> profiles;
  private final boolean single;
  private final Map<String, GatewayConnection> open = new LinkedHashMap<>();

  private GatewayBackend(List<Profile> profiles, boolean single) {
    this.profiles = profiles;
    this.single = single;
  }

  /** The one identity of {@code --gateway <connection.json>}. */
  static GatewayBackend of(Path file) throws CliException {
    return new GatewayBackend(List.of(read(file)), true);
  }

  /** Every {@code *.json} connection file of a directory, one per organisation. */
  static GatewayBackend ofDirectory(Path dir) throws CliException {
    if (!Files.isDirectory(dir)) {
      throw new CliException(ExitCode.UNAVAILABLE, "NO_NETWORK", "no gateway profiles: " + dir.toAbsolutePath()
          + " is not a directory; start the test network ('test-network/network.sh up' and 'deploy') or give --network <dir>");
    }
    List<Profile> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        out.add(read(p));
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", "cannot list gateway profiles in " + dir + ": " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", "no *.json gateway profile in " + dir);
    }
    return new GatewayBackend(out, false);
  }

  private static Profile read(Path file) throws CliException {
    try {
      return new Profile(file, GatewayMaterial.read(file));
    } catch (GatewayMaterial.InvalidException e) {
      throw new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", Errors.oneLine(e.getMessage()), e);
    }
  }

  @Override
  public LedgerConnection connect(String mspId) throws CliException {
    Profile p = single ? profiles.get(0) : profiles.stream().filter(x -> x.material().mspId().equals(mspId)).findFirst()
        .orElseThrow(() -> new CliException(ExitCode.USAGE, "NO_GATEWAY_FOR_ORG", "no gateway profile for " + mspId
            + " among " + profiles.stream().map(x -> x.material().mspId()).toList()));
    GatewayConnection c = open.get(p.material().mspId());
    if (c == null) {
      try {
        // The standard channel's peer organisations: an endorsement that fails only because one of
        // them could not run the chaincode is endorsed again by the other two (docs/client-sdk.md §4.2).
        c = GatewayConnection.builder().material(p.material())
            .organisations(Organisations.HOSPITAL_ORG, Organisations.INSURER_ORG, Organisations.REGULATOR_ORG).connect();
      } catch (IllegalStateException e) {
        throw new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", p.file() + ": " + Errors.oneLine(e.getMessage()), e);
      }
      open.put(p.material().mspId(), c);
    }
    return c;
  }

  @Override
  public String describe() {
    return "Fabric network " + profiles.get(0).material().channel() + " through "
        + String.join(", ", profiles.stream().map(p -> p.material().mspId() + "@" + p.material().host() + ":" + p.material().port())
            .toList());
  }

  @Override
  public void close() {
    open.values().forEach(GatewayConnection::close);
    open.clear();
  }
}
