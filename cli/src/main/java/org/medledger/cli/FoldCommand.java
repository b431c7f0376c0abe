package org.medledger.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code medledger fold}: fold pending credits into the stored balance. */
@Command(name = "fold", mixinStandardHelpOptions = true,
    description = "Fold the account's pending credits (up to 64 per call) into its stored balance; payments do this on their own.")
final class FoldCommand extends Base {
  @Option(names = {"--account", "-a"}, required = true, paramLabel = "<name>", description = "The local account.")
  String name;

  @Override
  void execute() throws Exception {
    Acting a = acting(name, null);
    int folded = a.client().foldAll();
    JsonObject o = new JsonObject();
    o.addProperty("account", a.account());
    o.addProperty("folded", folded);
    o.addProperty("balance", a.client().balance());
    emit(o, folded == 0 ? "Nothing to fold: '" + name + "' has no pending credits"
        : "Folded " + folded + " pending credit(s) of '" + name + "'; balance " + amount(o.get("balance").getAsLong()));
  }
}
