package org.medledger.cli;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medledger.protocol.CanonicalJson;
import org.medledger.protocol.RecordProtocol;
import org.medledger.protocol.Role;
import org.medledger.sdk.AccountClient;
import org.medledger.sdk.AccountSecrets;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.Keystore;
import org.medledger.sdk.KeystoreException;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.RecordClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the run's environment, home, ledger and output. */
abstract class Base implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    execute();
    return ExitCode.OK.code();
  }

  abstract void execute() throws Exception;

  MedLedger root() {
    return (MedLedger) spec.root().userObject();
  }

  Env env() {
    return root().env;
  }

  Home home() {
    return root().home();
  }

  Backend backend() throws CliException {
    return root().backend(readOnly());
  }

  /**
   * True for a command that only reads the ledger: it opens an existing embedded ledger read-only,
   * and a missing one is an error (NO_LEDGER) rather than a new empty ledger.
   */
  boolean readOnly() {
    return false;
  }

  /** Prints the result: {@code json} under --json, else {@code text}. */
  void emit(JsonObject json, String text) {
    if (root().json) {
      env().out().println(CanonicalJson.toString(json));
    } else {
      env().out().print(text.endsWith("\n") ? text : text + "\n");
    }
    env().out().flush();
  }

  /** A local account, unlocked, with a client connected through its organisation's gateway. */
  record Acting(Home.Local local, AccountSecrets secrets, AccountClient client, RecordClient records,
      LedgerConnection connection) {
    String account() {
      return secrets.accountId();
    }

    Role role() {
      return secrets.role();
    }
  }

  /** Unlocks local account {@code name} and connects it through {@code org} (null: its role's default). */
  Acting acting(String name, String org) throws CliException, KeystoreException {
    return unlock(home().local(name), org);
  }

  /**
   * As {@link #acting(String, String)} for a command done by {@code role} only: the role is checked
   * from the keystore's public header before a password is asked for or the keystore unlocked
   * (Argon2id, ≈ 1 s), and again from the unlocked secrets.
   */
  Acting acting(String name, String org, Role role, String command) throws CliException, KeystoreException {
    Home.Local local = home().local(name);
    requireRole(name, local.info().role(), role, command);
    Acting a = unlock(local, org);
    requireRole(a, role, command);
    return a;
  }

  /**
   * The ledger as local account {@code local} reaches it (through {@code org}, null: its role's
   * default organisation), for the public reads a command checks before unlocking the keystore.
   */
  PublicLedger publicLedger(Home.Local local, String org) throws CliException {
    return new PublicLedger(backend().connect(org != null ? org : Organisations.defaultFor(local.info().role())));
  }

  private Acting unlock(Home.Local local, String org) throws CliException, KeystoreException {
    AccountSecrets secrets = secrets(local);
    LedgerConnection conn = backend().connect(org != null ? org : Organisations.defaultFor(secrets.role()));
    return new Acting(local, secrets, new AccountClient(secrets, conn, root().random),
        new RecordClient(secrets, conn, root().random), conn);
  }

  /** Unlocks local account {@code local}'s keystore without opening any ledger. */
  AccountSecrets secrets(Home.Local local) throws CliException, KeystoreException {
    char[] password = root().passwords().existing(local.name());
    try {
      return Keystore.read(local.keystore(), password);
    } catch (KeystoreException e) {
      throw KeystoreErrors.explain(local.keystore(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  static void requireRole(Acting a, Role role, String command) throws CliException {
    requireRole(a.local().name(), a.role(), role, command);
  }

  private static void requireRole(String name, Role actual, Role role, String command) throws CliException {
    if (actual != role) {
      throw CliException.local("WRONG_ROLE", command + " is done by " + anAccount(role) + "; '" + name + "' is "
          + anAccount(actual));
    }
  }

  /** "a patient account", "an insurer account". */
  static String anAccount(Role role) {
    String r = role.name().toLowerCase(java.util.Locale.ROOT);
    return ("aeiou".indexOf(r.charAt(0)) >= 0 ? "an " : "a ") + r + " account";
  }

  /** A client-side refusal of client-sdk (e.g. FEE_MISMATCH), as a local refusal with its code. */
  static CliException refusedLocally(ClientRefusalException e) {
    return CliException.local(e.errorCode().name(), e.detail());
  }

  /** A call into client-sdk, for {@link #refusingLocally}. */
  interface SdkCall<T> {
    T call() throws Exception;
  }

  /** The result of {@code call}; a client-side refusal of client-sdk is thrown as {@link #refusedLocally}. */
  static <T> T refusingLocally(SdkCall<T> call) throws Exception {
    try {
      return call.call();
    } catch (ClientRefusalException e) {
      throw refusedLocally(e);
    }
  }

  /** As {@link #refusingLocally(SdkCall)}, with a progress line saying {@code what} while {@code call} runs. */
  <T> T refusingLocally(String what, SdkCall<T> call) throws Exception {
    return refusingLocally(() -> {
      try (Progress p = Progress.start(env(), what)) {
        T result = call.call();
        p.succeeded();
        return result;
      }
    });
  }

  /** Refuses, as a usage error before anything is unlocked or sent, a record id that is not rec- and 32 hex digits. */
  static String recordId(String option, String value) throws CliException {
    return id(option, value, RecordProtocol.RECORD_ID, "a record id (rec- and 32 lower-case hex digits)");
  }

  /** As {@link #recordId} for a grant id (grant-…). */
  static String grantId(String option, String value) throws CliException {
    return id(option, value, RecordProtocol.GRANT_ID, "a grant id (grant- and 32 lower-case hex digits)");
  }

  /** As {@link #recordId} for a claim id (claim-…). */
  static String claimId(String option, String value) throws CliException {
    return id(option, value, RecordProtocol.CLAIM_ID, "a claim id (claim- and 32 lower-case hex digits)");
  }

  /** As {@link #recordId} for a record type (a category). */
  static String recordType(String option, String value) throws CliException {
    if (!RecordProtocol.RECORD_TYPE.matcher(value).matches()) {
      throw CliException.usage(option + " must be 1-32 of a-z, 0-9 and '-', starting with a letter or digit"
          + " (e.g. visit, lab), got '" + value + "'");
    }
    return value;
  }

  private static String id(String option, String value, java.util.regex.Pattern shape, String what) throws CliException {
    if (!shape.matcher(value).matches()) {
      throw CliException.usage(option + " takes " + what + ", got '" + value + "'");
    }
    return value;
  }

  /** Refuses an {@code option}'s value below 1 (a payment or fee of 0 or less). */
  static long checkPositive(String option, long amount) throws CliException {
    if (amount < 1) {
      throw CliException.usage(option + " must be a positive whole number, got " + amount);
    }
    return amount;
  }

  /** Local names by account id, to show names instead of pseudonyms where this machine knows them. */
  Map<String, String> localNames() throws CliException {
    Map<String, String> names = new HashMap<>();
    for (Home.Local l : home().list()) {
      if (l.info() != null) {
        names.put(l.info().account(), l.name());
      }
    }
    return names;
  }

  static String label(Map<String, String> names, String account) {
    String n = names.get(account);
    return n == null ? account : n + " (" + account + ")";
  }

  static String amount(long a) {
    return String.format("%,d", a);
  }
}
