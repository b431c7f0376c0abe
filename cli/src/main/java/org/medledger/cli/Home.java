package org.medledger.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medledger.sdk.Keystore;
import org.medledger.sdk.KeystoreException;

/**
 * The local state of {@code medledger} (docs/cli.md §2): the embedded ledger directory and one
 * keystore per local account, found by a local name that never reaches the ledger.
 *
 * <pre>
 * &lt;home&gt;/ledger/                   the embedded ledger (unless --ledger-dir says otherwise)
 * &lt;home&gt;/accounts/&lt;name&gt;.keystore  the password-protected keystore of local account &lt;name&gt;
 * </pre>
 */
final class Home {
  static final String HOME_VARIABLE = "MEDLEDGER_HOME";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern ACCOUNT_ID = Pattern.compile("acct-[0-9a-f]{32}");
  private static final String SUFFIX = ".keystore";

  private final Path dir;
  private final Path ledgerDir;

  Home(Path dir, Path ledgerDir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.ledgerDir = (ledgerDir == null ? this.dir.resolve("ledger") : ledgerDir).toAbsolutePath().normalize();
  }

  /** --home, else $MEDLEDGER_HOME, else ~/.medledger. */
  static Home of(Path homeOption, Path ledgerDirOption, Env env) {
    Path home = homeOption;
    if (home == null && env.variable(HOME_VARIABLE) != null) {
      home = Path.of(env.variable(HOME_VARIABLE));
    }
    if (home == null) {
      home = env.userHome().resolve(".medledger");
    }
    return new Home(home, ledgerDirOption);
  }

  Path dir() {
    return dir;
  }

  Path ledgerDir() {
    return ledgerDir;
  }

  Path accountsDir() {
    return dir.resolve("accounts");
  }

  static boolean isAccountId(String s) {
    return ACCOUNT_ID.matcher(s).matches();
  }

  static String checkName(String name) throws CliException {
    if (!NAME.matcher(name).matches()) {
      throw CliException.usage("account name '" + name + "' must be 1-64 characters of a-z, 0-9, '.', '_', '-',"
          + " starting with a letter or digit");
    }
    return name;
  }

  /** The keystore file of local account {@code name} (which need not exist). */
  Path keystore(String name) throws CliException {
    return accountsDir().resolve(checkName(name) + SUFFIX);
  }

  /** The keystore of an existing local account. */
  Path existingKeystore(String name) throws CliException {
    Path p = keystore(name);
    if (!Files.isRegularFile(p)) {
      throw CliException.local("UNKNOWN_ACCOUNT_NAME", "no local account '" + name + "' in " + accountsDir()
          + " (see 'medledger accounts list')");
    }
    return p;
  }

  /** A local account: its name, keystore file and public part. */
  record Local(String name, Path keystore, Keystore.PublicPart info) {}

  Local local(String name) throws CliException, KeystoreException {
    Path p = existingKeystore(name);
    try {
      return new Local(name, p, Keystore.publicPart(p));
    } catch (KeystoreException e) {
      throw KeystoreErrors.explain(p, e);
    }
  }

  /** An account id as given, or the id of the local account of that name. */
  String resolve(String ref) throws CliException, KeystoreException {
    if (isAccountId(ref)) {
      return ref;
    }
    if (ref.startsWith("acct-")) {
      throw CliException.usage("'" + ref + "' is not an account id (acct- and 32 lower-case hex digits)");
    }
    return local(ref).info().account();
  }

  /** Every local account, by name; keystores that cannot be read are reported with a null info. */
  List<Local> list() throws CliException {
    List<Local> out = new ArrayList<>();
    if (!Files.isDirectory(accountsDir())) {
      return out;
    }
    try (Stream<Path> files = Files.list(accountsDir())) {
      for (Path p : files.sorted().toList()) {
        String file = p.getFileName().toString();
        if (!file.endsWith(SUFFIX) || !NAME.matcher(file.substring(0, file.length() - SUFFIX.length())).matches()) {
          continue;
        }
        Keystore.PublicPart info;
        try {
          info = Keystore.publicPart(p);
        } catch (KeystoreException e) {
          info = null;
        }
        out.add(new Local(file.substring(0, file.length() - SUFFIX.length()), p, info));
      }
    } catch (IOException e) {
      throw new CliException(ExitCode.KEYSTORE, "IO", "cannot list " + accountsDir() + ": " + e.getMessage(), e);
    }
    return out;
  }
}
