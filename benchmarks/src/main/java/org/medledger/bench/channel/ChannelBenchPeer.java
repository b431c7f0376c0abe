package org.medledger.bench.channel;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.channel.ChannelParams;
import org.medledger.sdk.channel.ChannelParty;
import org.medledger.sdk.channel.ChannelServer;

/**
 * Party B of {@link ChannelBench}, in its own JVM: creates its party with a fresh state log,
 * listens on 127.0.0.1, writes its port to a file and accepts until killed.
 */
public final class ChannelBenchPeer {
  private ChannelBenchPeer() {}

  public static void main(String[] args) throws Exception {
    JsonObject cfg = CanonicalJson.parseObject(Files.readString(Path.of(args[0])));
    SecureRandom rnd = new SecureRandom();
    ChannelParams params = ChannelParams.fromJson(cfg.getAsJsonObject("params"));
    AccountSecrets b = new AccountSecrets(Role.HOSPITAL, HexFormat.of().parseHex(cfg.get("seed").getAsString()),
        TestKeys.key2048a());
    ChannelParty party = ChannelParty.create(params, b, Path.of(cfg.get("log").getAsString()),
        ChannelParty.Options.DEFAULT, rnd);
    ChannelServer server = ChannelServer.start(0, rnd);
    server.register(party);
    Path port = Path.of(cfg.get("portFile").getAsString());
    Path tmp = port.resolveSibling(port.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.UTF_8);
    Files.move(tmp, port, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
