package org.medledger.sdk.channel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import com.google.gson.JsonObject;
import org.medledger.sdk.AccountSecrets;

/**
 * Party B of a channel as a process of its own, for the two-process tests: it creates its party
 * from the parameters (or restores it from its log), listens on 127.0.0.1, writes its port to a
 * file, and serves until it is killed. Argument: a JSON file
 * {@code {"params":…, "seed":"<hex>", "log":"<path>", "portFile":"<path>"}}; B's Paillier key is
 * the test key a.
 */
public final class ChannelPeerProcess {
  private ChannelPeerProcess() {}

  public static void main(String[] args) throws Exception {
    JsonObject cfg = CanonicalJson.parseObject(Files.readString(Path.of(args[0])));
    ChannelParams params = ChannelParams.fromJson(cfg.getAsJsonObject("params"));
    AccountSecrets secrets = TestChannels.secrets(Role.HOSPITAL, HexFormat.of().parseHex(cfg.get("seed").getAsString()));
    Path log = Path.of(cfg.get("log").getAsString());
    ChannelParty b = Files.exists(log)
        ? ChannelParty.restore(log, secrets, ChannelParty.Options.DEFAULT, TestChannels.RND)
        : ChannelParty.create(params, secrets, log, ChannelParty.Options.DEFAULT, TestChannels.RND);
    ChannelServer server = ChannelServer.start(0, TestChannels.RND);
    server.register(b);
    Path portFile = Path.of(cfg.get("portFile").getAsString());
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.UTF_8);
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("B serving " + params.channelId() + " on port " + server.port() + " from state " + b.latest().seq());
    Thread.currentThread().join(); // until killed
  }
}
