package org.medledger.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;

/** {@code medledger balance}: what an account holds, decrypted with its own key. */
@Command(name = "balance", mixinStandardHelpOptions = true,
    description = "Show the account's balance (stored balance plus pending credits), decrypted locally with its own key.")
final class BalanceCommand extends AccountQuery {
  @Override
  void execute() throws Exception {
    Acting a = acting(name, null);
    long balance = a.client().balance();
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("account", a.account());
    o.addProperty("role", a.role().name());
    o.addProperty("balance", balance);
    emit(o, "'" + name + "' (" + a.account() + ") holds " + amount(balance));
  }
}
