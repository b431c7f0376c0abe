package org.medledger.cli;

import com.google.gson.JsonObject;
import org.medledger.protocol.Role;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.Transfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A confidential transfer (docs/chaincode.md §5): the payer proves, without revealing the amount,
 * that it pays a positive amount it has. {@code fund}, {@code pay} and {@code settle} are the same
 * transaction between different roles; each command checks the roles it is meant for.
 */
abstract class TransferCommand extends Base {
  @Option(names = {"--from", "--account", "-a"}, required = true, paramLabel = "<name>", description = "The local paying account.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "<account>", description = "The payee: a local name or an account id.")
  String to;

  @Option(names = "--amount", required = true, paramLabel = "<n>", description = "A positive whole number of units.")
  long amount;

  private final String verb;
  private final Role payer;
  private final Role payee;

  TransferCommand(String verb, Role payer, Role payee) {
    this.verb = verb;
    this.payer = payer;
    this.payee = payee;
  }

  final String verb() {
    return verb;
  }

  final Role payerRole() {
    return payer;
  }

  final Role payeeRole() {
    return payee;
  }

  @Override
  void execute() throws Exception {
    checkPositive("--amount", amount);
    String payee = home().resolve(to);
    Home.Local local = home().local(from);
    if (local.info().role() == payerRole()) { // the payee's role is public: asked before the unlock
      Role payeeRole = publicLedger(local, null).account(payee).role();
      if (payeeRole != payeeRole()) {
        throw CliException.local("WRONG_ROLE", verb() + " pays " + anAccount(payeeRole()) + "; '" + to + "' is "
            + anAccount(payeeRole));
      }
    }
    Acting a = acting(from, null, payerRole(), verb());
    long balance = a.client().balance();
    if (balance < amount) {
      throw CliException.local("INSUFFICIENT_FUNDS", "'" + from + "' holds " + amount(balance) + ", less than "
          + amount(amount) + "; nothing was sent");
    }
    Transfer done;
    try (Progress p = Progress.start(env(), "proving the transfer")) {
      done = a.client().pay(payee, amount);
      p.succeeded();
    } catch (ClientRefusalException e) {
      // E.g. the balance moved between the check above and the proof (another device spent from it).
      throw CliException.local(e.errorCode().name(), e.detail() + "; nothing was sent");
    }
    JsonObject o = result(verb(), done, amount);
    emit(o, capitalised(verb()) + ": " + from + " paid " + amount(amount) + " to " + label(localNames(), payee)
        + " (tx " + o.get("txId").getAsString() + ")\n"
        + "  On the ledger the amount is three ciphertexts (payer, payee, regulator copies) and a proof; no plain amount.");
  }

  /** The result: {@code kind} is the chaincode's (as {@code history} prints it), {@code command} the command run. */
  static JsonObject result(String command, Transfer record, long amount) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", record.kind());
    o.addProperty("command", command);
    o.addProperty("txId", record.txId());
    o.addProperty("timestamp", record.timestamp().toString());
    o.addProperty("from", record.from());
    o.addProperty("to", record.to());
    o.addProperty("amount", amount);
    return o;
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Insurer → patient. */
  @Command(name = "fund", mixinStandardHelpOptions = true, description = "Insurer: fund a patient's account (confidential amount).")
  static final class Fund extends TransferCommand {
    Fund() {
      super("fund", Role.INSURER, Role.PATIENT);
    }
  }

  /** Patient → hospital. */
  @Command(name = "pay", mixinStandardHelpOptions = true, description = "Patient: pay a hospital (confidential amount).")
  static final class Pay extends TransferCommand {
    Pay() {
      super("pay", Role.PATIENT, Role.HOSPITAL);
    }
  }

  /** Insurer → hospital. */
  @Command(name = "settle", mixinStandardHelpOptions = true, description = "Insurer: settle with a hospital (confidential amount).")
  static final class Settle extends TransferCommand {
    Settle() {
      super("settle", Role.INSURER, Role.HOSPITAL);
    }
  }
}
