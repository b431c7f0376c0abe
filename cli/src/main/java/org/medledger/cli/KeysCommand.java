package org.medledger.cli;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.medledger.protocol.Role;
import org.medledger.crypto.paillier.KeySize;
import org.medledger.crypto.paillier.PaillierKeyGenerator;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.Keystore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger keys}: make an account's secrets. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Generate account keys.",
    subcommands = KeysCommand.Generate.class)
final class KeysCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: 'medledger keys generate'");
  }

  /** Generates an Ed25519 signing key and a Paillier key and writes them to a new keystore. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Generate a new local account: an Ed25519 signing key and a Paillier key, saved in a password-protected keystore.")
  static final class Generate extends Base {
    @Option(names = "--name", required = true, paramLabel = "<name>", description = "Local name of the account (never sent to the ledger).")
    String name;

    @Option(names = "--role", required = true, paramLabel = "<role>", description = "One of: ${COMPLETION-CANDIDATES}.")
    Role role;

    @Option(names = "--bits", paramLabel = "<bits>", defaultValue = "3072",
        description = "Paillier modulus size: 2048, 3072 (default) or 4096.")
    int bits;

    @Override
    void execute() throws Exception {
      Path file = home().keystore(name);
      if (Files.exists(file)) {
        throw CliException.local("ACCOUNT_NAME_EXISTS", "a local account '" + name + "' exists already (" + file
            + "); keys are never overwritten");
      }
      KeySize size = keySize(bits);
      char[] password = root().passwords().fresh(name);
      try {
        byte[] seed = new byte[32];
        root().random.nextBytes(seed);
        PaillierSecretKey key;
        long millis;
        try (Progress p = Progress.start(env(), "generating a " + bits + "-bit Paillier key (searching for two primes)")) {
          key = new PaillierKeyGenerator(root().random).generate(size);
          millis = p.succeeded();
        }
        AccountSecrets secrets = new AccountSecrets(role, seed, key);
        Arrays.fill(seed, (byte) 0);
        Keystore.write(file, secrets, password, root().random);
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("account", secrets.accountId());
        o.addProperty("role", role.name());
        o.addProperty("bits", bits);
        o.addProperty("keystore", file.toString());
        o.addProperty("generationMillis", millis);
        secrets.destroy();
        emit(o, "Generated " + role + " account '" + name + "': " + o.get("account").getAsString() + "\n"
            + "  Paillier key: " + bits + " bits; keystore: " + file + "\n"
            + "  Next: medledger accounts register --account " + name);
      } finally {
        Arrays.fill(password, '\0');
      }
    }

    static KeySize keySize(int bits) throws CliException {
      return switch (bits) {
        case 2048 -> KeySize.BITS_2048;
        case 3072 -> KeySize.BITS_3072;
        case 4096 -> KeySize.BITS_4096;
        default -> throw CliException.usage("--bits must be 2048, 3072 or 4096 (smaller keys are insecure), got " + bits);
      };
    }
  }
}
