package org.medledger.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.medledger.sdk.Transfer;
import picocli.CommandLine.Command;

/** {@code medledger history}: the account's own transactions, amounts decrypted from its own copies. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List the account's transactions, oldest first, with amounts decrypted from its own copies.")
final class HistoryCommand extends AccountQuery {
  @Override
  void execute() throws Exception {
    Acting a = acting(name, null);
    List<Transfer> entries = a.client().history();
    JsonObject o = new JsonObject();
    o.addProperty("account", a.account());
    o.add("transactions", entries(entries));
    emit(o, table("History of '" + name + "' (" + a.account() + ")", entries, localNames()));
  }

  static JsonArray entries(List<Transfer> entries) {
    JsonArray arr = new JsonArray();
    for (Transfer e : entries) {
      JsonObject x = new JsonObject();
      x.addProperty("txId", e.txId());
      x.addProperty("kind", e.kind());
      x.addProperty("timestamp", e.timestamp().toString());
      x.addProperty("from", e.from());
      x.addProperty("to", e.to());
      if (e.amount().isPresent()) {
        x.addProperty("amount", e.amount().getAsLong());
      } else {
        x.add("amount", com.google.gson.JsonNull.INSTANCE);
      }
      arr.add(x);
    }
    return arr;
  }

  static String table(String title, List<Transfer> entries, Map<String, String> names) {
    StringBuilder b = new StringBuilder(title).append(": ").append(entries.size()).append(" transaction(s)\n");
    for (Transfer e : entries) {
      b.append(String.format("  %-24s %-8s %14s  %s -> %s  tx %s%n", e.timestamp().toString(), e.kind(),
          e.amount().isPresent() ? amount(e.amount().getAsLong()) : "(encrypted)", shortName(names, e.from()), shortName(names, e.to()),
          e.txId().substring(0, Math.min(12, e.txId().length()))));
    }
    return b.toString();
  }

  private static String shortName(Map<String, String> names, String account) {
    String n = names.get(account);
    return n != null ? n : account;
  }
}
