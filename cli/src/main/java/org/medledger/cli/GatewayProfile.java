package org.medledger.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.medledger.chaincode.api.CanonicalJson;

/**
 * A Fabric gateway connection profile (docs/cli.md §5): one organisation's client identity, the
 * peer to reach and its TLS root, and the channel and chaincode. File members are paths to PEM
 * files, relative to the profile's directory unless absolute.
 *
 * <pre>{"mspId":"HospitalOrgMSP","peerEndpoint":"127.0.0.1:7051","hostOverride":"peer0.hospital.medledger.test",
 *  "tlsCaCert":"tls-ca.pem","certificate":"cert.pem","privateKey":"key.pem",
 *  "channel":"medledger","chaincode":"medledger"}</pre>
 */
record GatewayProfile(Path source, String mspId, String peerEndpoint, String hostOverride, Path tlsCaCert,
    Path certificate, Path privateKey, String channel, String chaincode) {

  private static final Set<String> MEMBERS =
      Set.of("mspId", "peerEndpoint", "hostOverride", "tlsCaCert", "certificate", "privateKey", "channel", "chaincode");

  static GatewayProfile read(Path file) throws CliException {
    JsonObject o;
    try {
      o = CanonicalJson.parseObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw bad(file, "cannot read it: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw bad(file, "not a JSON object: " + e.getMessage());
    }
    for (String k : o.keySet()) {
      if (!MEMBERS.contains(k)) {
        throw bad(file, "unknown member '" + k + "'; expected " + MEMBERS);
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    return new GatewayProfile(file, string(file, o, "mspId", true), string(file, o, "peerEndpoint", true),
        string(file, o, "hostOverride", false), dir.resolve(string(file, o, "tlsCaCert", true)),
        dir.resolve(string(file, o, "certificate", true)), dir.resolve(string(file, o, "privateKey", true)),
        string(file, o, "channel", true), string(file, o, "chaincode", true));
  }

  private static String string(Path file, JsonObject o, String name, boolean required) throws CliException {
    JsonElement e = o.get(name);
    if (e == null) {
      if (required) {
        throw bad(file, "member '" + name + "' is missing");
      }
      return "";
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || (required && e.getAsString().isEmpty())) {
      throw bad(file, "member '" + name + "' must be a non-empty string");
    }
    return e.getAsString();
  }

  private static CliException bad(Path file, String why) {
    return new CliException(ExitCode.USAGE, "BAD_GATEWAY_PROFILE", "gateway profile " + file + ": " + why);
  }
}
