package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.Keystore;

/** Runs medledger in-process against a home directory, with its own environment and captured output. */
final class CliRunner {
  static final String PASSWORD = "test-password-1";

  /** What one invocation printed and returned. */
  record Run(int exit, String out, String err) {
    JsonObject json() {
      return CanonicalJson.parseObject(out.strip());
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  final Path home;
  final Map<String, String> variables = new HashMap<>();
  /** Passwords a fake terminal answers with, in order; null means no terminal. */
  Deque<String> typed;
  /** The clock the embedded ledger stamps transactions with; null: the system's. */
  java.time.Clock clock;

  CliRunner(Path home) {
    this.home = home;
    variables.put("MEDLEDGER_HOME", home.toString());
    variables.put("MEDLEDGER_PASSWORD", PASSWORD);
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Env.Terminal terminal = typed == null ? null : prompt -> {
      String p = typed.poll();
      return p == null ? null : p.toCharArray();
    };
    Env env = new Env(Map.copyOf(variables), home.resolve("user-home"), terminal, new PrintWriter(out, true), new PrintWriter(err, true));
    int exit = clock == null ? MedLedger.run(env, args) : MedLedger.run(env, clock, args);
    return new Run(exit, out.toString(), err.toString());
  }

  void type(String... passwords) {
    typed = new ArrayDeque<>(List.of(passwords));
  }

  /** Writes a keystore for local account {@code name} with a fixed test key (key generation is slow). */
  String keystore(String name, Role role, PaillierSecretKey key) throws Exception {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    AccountSecrets s = new AccountSecrets(role, seed, key);
    // The least Argon2id cost a keystore may have keeps the many unlocks of a test quick.
    Keystore.write(home.resolve("accounts").resolve(name + ".keystore"), s, PASSWORD.toCharArray(), Keystore.KdfParams.MINIMUM,
        new SecureRandom());
    return s.accountId();
  }

  /**
   * {@code records setup} by local regulator {@code regulator} from the fixed 2048-bit test
   * parameters (generating them takes seconds), written to rp-params.bin and rp-proof.bin in the home.
   */
  Run setupRecords(String regulator) throws IOException {
    Path params = Files.write(home.resolve("rp-params.bin"), TestRingPedersen.paramsBytes(2048));
    Path proof = Files.write(home.resolve("rp-proof.bin"), TestRingPedersen.proofBytes(2048));
    return run("records", "setup", "--account", regulator, "--params-file", params.toString(), "--proof-file", proof.toString());
  }

  /**
   * A channel others can join: {@code configure}, then local regulator {@code regulator} registers
   * and sets records up ({@link #setupRecords}); each step must succeed.
   */
  void configureChannel(String regulator) throws IOException {
    succeeds(run("configure"));
    succeeds(run("accounts", "register", "--account", regulator));
    succeeds(setupRecords(regulator));
  }

  private static void succeeds(Run r) {
    assertEquals(0, r.exit(), r.toString());
  }
}
