package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Locale;
import org.medledger.sdk.ClientRefusalException;
import org.medledger.sdk.LedgerCallException;

/** The money the story moves, one fact per issue, transfer and settlement ({@code steps} in the facts). */
final class Steps {
  private final Narrator say;
  private final JsonArray steps = new JsonArray();

  Steps(Narrator say) {
    this.say = say;
  }

  JsonArray json() {
    return steps;
  }

  /** {@code from} pays {@code to} confidentially; returns the transaction id. */
  String transfer(String kind, Party from, Party to, long amount) throws LedgerCallException, ClientRefusalException {
    long t = System.nanoTime();
    String tx = from.client().pay(to.account(), amount).txId();
    add(kind, from.label(), to.label(), amount, tx, (System.nanoTime() - t) / 1_000_000);
    return tx;
  }

  void add(String kind, String from, String to, long amount, String tx, long millis) {
    JsonObject s = new JsonObject();
    s.addProperty("kind", kind);
    s.addProperty("from", from);
    s.addProperty("to", to);
    s.addProperty("amount", amount);
    s.addProperty("txId", tx);
    s.addProperty("millis", millis);
    steps.add(s);
    say.say(String.format(Locale.ROOT, "    %-6s %-11s -> %-11s %10s   tx %s%s", kind, from, to, Narrator.amount(amount),
        tx.substring(0, 12), millis > 0 ? String.format(Locale.ROOT, "  (proof and commit %.2f s)", millis / 1000.0) : ""));
  }
}
