package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.medledger.crypto.internal.EncodingHeader;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medledger accounts}: register, show and list accounts. */
@Command(name = "accounts", mixinStandardHelpOptions = true, description = "Register, show and list accounts.",
    subcommands = {AccountsCommand.Register.class, AccountsCommand.Show.class, AccountsCommand.ListLocal.class})
final class AccountsCommand extends Base {
  @Override
  void execute() throws CliException {
    throw CliException.usage("missing subcommand: register, show or list");
  }

  /** Registers a local account on the ledger with its key proof. */
  @Command(name = "register", mixinStandardHelpOptions = true,
      description = "Register a local account on the ledger (its role, public keys and a proof that its Paillier key is well formed).")
  static final class Register extends Base {
    @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account to register.")
    String name;

    @Option(names = "--org", paramLabel = "<mspId>",
        description = "Embedded ledger: the organisation whose gateway registers it (default: by role; see docs/cli.md).")
    String org;

    @Override
    void execute() throws Exception {
      Home.Local local = home().local(name);
      alreadyRegistered(publicLedger(local, org), local.info().account());
      Acting a = acting(name, org);
      try (Progress p = Progress.start(env(), "proving the Paillier key and registering '" + name + "'")) {
        a.client().register();
        p.succeeded();
      }
      JsonObject o = describe(new PublicLedger(a.connection()).account(a.account()));
      o.addProperty("name", name);
      emit(o, "Registered " + a.role() + " account '" + name + "' as " + a.account() + " through "
          + o.get("organisation").getAsString() + " (tx " + o.get("registrationTx").getAsString() + ")");
    }
  }

  /**
   * Refuses, before the keystore is unlocked and the key proved (seconds), an account the ledger
   * already holds; the chaincode refuses it too (ACCOUNT_EXISTS).
   */
  static void alreadyRegistered(PublicLedger ledger, String account) throws CliException, LedgerCallException {
    PublicLedger.AccountInfo existing;
    try {
      existing = ledger.account(account);
    } catch (LedgerCallException e) {
      if (e.kind() == LedgerCallException.Kind.REFUSED && e.errorCode().equals("UNKNOWN_ACCOUNT")) {
        return;
      }
      throw e;
    }
    // The ledger's own answer, read rather than provoked: the same code and exit code as its refusal.
    throw new CliException(ExitCode.REFUSED, "ACCOUNT_EXISTS", account + " is registered already, as " + anAccount(existing.role())
        + " (tx " + existing.registrationTx() + "); nothing was proved or sent");
  }

  /** Shows what the ledger holds for an account, as anyone on the channel sees it. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show an account as anyone on the channel sees it: role, keys, and its balance as a ciphertext.")
  static final class Show extends Base {
    @Parameters(paramLabel = "<account>", description = "A local account name or an account id (acct-...).")
    String ref;

    @Override
    boolean readOnly() {
      return true;
    }

    @Override
    void execute() throws Exception {
      String id = home().resolve(ref);
      LedgerConnection conn = backend().connect(Organisations.HOSPITAL_ORG);
      PublicLedger ledger = new PublicLedger(conn);
      JsonObject o = describe(ledger.account(id));
      PublicLedger.StoredBalance stored = ledger.storedBalance(id);
      String balance = stored.balance();
      int pending = stored.pendingCredits();
      o.addProperty("balanceCiphertext", balance);
      o.addProperty("pendingCredits", pending);
      o.addProperty("pendingCreditsMore", stored.morePending());
      Map<String, String> names = localNames();
      emit(o, "Account " + label(names, id) + "\n"
          + "  role:          " + o.get("role").getAsString() + "\n"
          + "  organisation:  " + o.get("organisation").getAsString() + "\n"
          + "  registered:    " + o.get("registeredAt").getAsString() + " (tx " + o.get("registrationTx").getAsString() + ")\n"
          + "  Paillier key:  " + o.get("paillierBits").getAsInt() + " bits\n"
          + "  balance:       " + (isOne(balance) ? "c = 1 (nothing folded yet: the encryption of 0 with no randomness)"
              : ciphertextPreview(balance) + " (a ciphertext: only the account's owner can read it)") + "\n"
          + "  pending:       " + pending + (o.get("pendingCreditsMore").getAsBoolean() ? "+" : "") + " credit(s) not yet folded");
    }
  }

  /** Lists the local keystores. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the local accounts (keystores in <home>/accounts).")
  static final class ListLocal extends Base {
    @Override
    void execute() throws CliException {
      List<Home.Local> all = home().list();
      JsonArray a = new JsonArray();
      StringBuilder text = new StringBuilder();
      text.append(all.isEmpty() ? "No local accounts in " + home().accountsDir() + " ('medledger keys generate' makes one)\n"
          : String.format("%-20s %-10s %-5s %s%n", "NAME", "ROLE", "BITS", "ACCOUNT"));
      for (Home.Local l : all) {
        JsonObject o = new JsonObject();
        o.addProperty("name", l.name());
        o.addProperty("keystore", l.keystore().toString());
        if (l.info() == null) {
          o.addProperty("error", "unreadable keystore");
          text.append(String.format("%-20s %s%n", l.name(), "(unreadable keystore)"));
        } else {
          o.addProperty("account", l.info().account());
          o.addProperty("role", l.info().role().name());
          o.addProperty("paillierBits", l.info().paillierBits());
          text.append(String.format("%-20s %-10s %-5d %s%n", l.name(), l.info().role(), l.info().paillierBits(), l.info().account()));
        }
        a.add(o);
      }
      JsonObject out = new JsonObject();
      out.addProperty("home", home().dir().toString());
      out.add("accounts", a);
      emit(out, text.toString());
    }
  }

  /** The CLI's view of an on-chain account record. */
  static JsonObject describe(PublicLedger.AccountInfo acct) {
    JsonObject o = new JsonObject();
    o.addProperty("account", acct.id());
    o.addProperty("role", acct.role().name());
    o.addProperty("organisation", acct.mspId());
    o.addProperty("registeredAt", acct.registeredAt().toString());
    o.addProperty("registrationTx", acct.registrationTx());
    o.addProperty("paillierBits", acct.paillierKey().bits());
    return o;
  }

  private static boolean isOne(String base64) {
    byte[] b = Base64.getDecoder().decode(base64);
    return new java.math.BigInteger(1, java.util.Arrays.copyOfRange(b, Math.min(EncodingHeader.LENGTH, b.length), b.length))
        .equals(java.math.BigInteger.ONE);
  }

  /** {@link Ciphertexts#preview}. */
  static String ciphertextPreview(String base64) {
    return Ciphertexts.preview(base64);
  }
}
