package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.medledger.sdk.LedgerCallException;
import org.medledger.sdk.RecordClient;
import org.medledger.sdk.Transfer;

/** The regulator's audit: every transaction with its amount, the totals, and the access trail of every patient's records. */
final class Audit {
  private Audit() {}

  static JsonObject run(Narrator say, Cast cast, Party regulator) throws LedgerCallException {
    say.heading("The regulator audits: every amount, decrypted from the regulator's copy");
    long issued = 0;
    long transferred = 0;
    JsonArray amounts = new JsonArray();
    List<Transfer> entries = regulator.client().audit();
    for (Transfer e : entries) {
      long a = e.amount().orElse(-1);
      say.say(String.format("    %-8s %-11s -> %-11s %10s", e.kind(), cast.labelOf(e.from()), cast.labelOf(e.to()), Narrator.amount(a)));
      if (e.kind().equals("ISSUE")) {
        issued += a;
      } else if (e.kind().equals("TRANSFER")) {
        transferred += a;
        amounts.add(a);
      }
    }
    say.say("    issued " + Narrator.amount(issued) + ", moved between accounts " + Narrator.amount(transferred) + " in "
        + amounts.size() + " transfers");
    say.say("    and the access trail of every patient's records:");
    JsonArray trail = new JsonArray();
    for (RecordClient.Access x : regulator.records().auditTrail("")) {
      say.say(String.format("    %-8s %-11s read %s of %s%s", x.granted() ? "GRANTED" : "DENIED", cast.labelOf(x.reader()),
          x.recordId().substring(0, Math.min(16, x.recordId().length())), cast.labelOf(x.patient()),
          x.granted() ? "" : " (" + x.code() + ")"));
      JsonObject e = new JsonObject();
      e.addProperty("reader", cast.labelOf(x.reader()));
      e.addProperty("patient", cast.labelOf(x.patient()));
      e.addProperty("granted", x.granted());
      e.addProperty("code", x.code());
      trail.add(e);
    }
    JsonObject a = new JsonObject();
    a.add("trail", trail);
    a.addProperty("transactions", entries.size());
    a.addProperty("issued", issued);
    a.addProperty("transferred", transferred);
    a.add("transferAmounts", amounts);
    return a;
  }
}
