package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;

/**
 * What the channel command tests share: a temporary home with a configured embedded ledger (a
 * regulator, an insurer holding 100,000, a hospital), {@code channel serve} in a forked JVM as from
 * a second shell, and assertions on a command's exit code and one-line error.
 */
abstract class ChannelCliTest {
  @TempDir
  Path dir;
  /** The serving side's process, stopped after each test if still alive. */
  Process server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  static CliRunner.Run fails(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("medledger: error: " + code + ": "), r.toString());
    return r;
  }

  /** A configured ledger: regulator, records set up, insurer 'ins' holding 100,000, hospital 'hosp'. */
  CliRunner ledger() throws Exception {
    CliRunner cli = new CliRunner(dir);
    cli.keystore("reg", Role.REGULATOR, TestKeys.key2048c());
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.configureChannel("reg");
    ok(cli.run("accounts", "register", "--account", "ins"));
    ok(cli.run("accounts", "register", "--account", "hosp"));
    ok(cli.run("issue", "--from", "reg", "--to", "ins", "--amount", "100000"));
    return cli;
  }

  /** {@code medledger channel serve --as hosp} in its own JVM, as from a second shell; waits for its port file. */
  Process serve(String name, String... options) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--home", dir.toString(), "channel", "serve", "--as", name));
    command.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put(Passwords.PASSWORD_VARIABLE, CliRunner.PASSWORD);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.out").toFile()));
    Process p = pb.start();
    Path portFile = dir.resolve("channels").resolve(name + ".serve.json");
    for (int i = 0; i < 1200 && !(Files.exists(portFile) && Files.exists(dir.resolve("channels").resolve(name + ".serve.pid"))); i++) {
      assertTrue(p.isAlive(), () -> "serve exited: " + serveOutput());
      Thread.sleep(100);
    }
    assertTrue(Files.exists(portFile), () -> "no port file: " + serveOutput());
    assertEquals(p.pid(), CanonicalJson.parseObject(Files.readString(portFile)).get("pid").getAsLong());
    return p;
  }

  String serveOutput() {
    try {
      return Files.readString(dir.resolve("serve.out"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  static long balance(CliRunner cli, String name) {
    return ok(cli.run("--json", "balance", "--account", name)).json().get("balance").getAsLong();
  }

  static List<JsonObject> events(CliRunner.Run r) {
    return r.out().lines().map(CanonicalJson::parseObject).toList();
  }
}
