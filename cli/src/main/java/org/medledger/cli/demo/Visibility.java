package org.medledger.cli.demo;

import com.google.gson.JsonObject;
import java.util.Base64;
import java.util.Map;
import org.medledger.cli.Backend;
import org.medledger.cli.Ciphertexts;
import org.medledger.cli.Organisations;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.paillier.PaillierSecretKey;
import org.medledger.sdk.LedgerConnection;
import org.medledger.sdk.PublicLedger;
import org.medledger.sdk.Transfer;

/**
 * Who can see what: the ledger holds three ciphertexts of one payment's amount, and each party
 * tries its own key on each of them; then balances, a history and the claimed fee, each as the
 * party's own client reads it.
 */
final class Visibility {
  private Visibility() {}

  static JsonObject run(Narrator say, Backend backend, Cast cast, Committee committee, String txId, String claimId) throws Exception {
    Party alice = cast.get("alice");
    Party stMary = cast.get("st-mary");
    say.heading("Who can see what");
    LedgerConnection anyone = backend.connect(Organisations.INSURER_ORG);
    PublicLedger publicLedger = new PublicLedger(anyone);
    PublicLedger.LedgerTransaction record = publicLedger.transaction(txId)
        .orElseThrow(() -> new IllegalStateException("transaction " + txId + " is not on the ledger"));
    say.say("    What the ledger stores for alice's payment to st-mary (tx " + txId.substring(0, 12) + "), readable by every peer:");
    say.say("      from " + record.from() + " to " + record.to() + " at " + record.timestamp());
    String[] copies = {"amountPayer", "amountPayee", "amountRegulator"};
    Map<String, String> copyOf = Map.of("amountPayer", record.amountPayer(), "amountPayee", record.amountPayee(),
        "amountRegulator", record.amountRegulator());
    for (String c : copies) {
      say.say(String.format("      %-16s %s", c, Ciphertexts.preview(copyOf.get(c))));
    }
    say.say("      proofDigest      " + record.proofDigest().substring(0, 16) + "...   (no plain amount anywhere)");
    say.say("    Each party with a Paillier key applies it to the three copies (the regulator account holds none):");
    say.say(String.format("      %-12s  %-12s  %-12s  %s", "", "payer copy", "payee copy", "regulator copy"));
    JsonObject matrix = new JsonObject();
    for (Party p : cast.all()) {
      if (!p.readsOwnCopies()) {
        continue;
      }
      JsonObject row = new JsonObject();
      StringBuilder line = new StringBuilder(String.format("      %-12s", p.label()));
      for (String c : copies) {
        Long v = tryDecrypt(p.secrets().paillier(), copyOf.get(c));
        row.addProperty(c, v == null ? -1 : v);
        line.append(String.format("  %-12s", v == null ? "unreadable" : Narrator.amount(v)));
      }
      matrix.add(p.label(), row);
      say.say(line.toString().stripTrailing());
    }
    say.say("    alice and st-mary read the amount from their own copy; nobody else, no committee member either.");
    JsonObject committeeRead = committee.whoReads(PaillierCiphertext.fromBytes(
        Base64.getDecoder().decode(record.amountRegulator()), committee.publicKey().paillierKey()));

    String aliceBalance = publicLedger.storedBalance(alice.account()).balance();
    say.say("    st-mary decrypts its own balance: " + Narrator.amount(stMary.client().balance()) + "; alice's balance it sees only as "
        + Ciphertexts.preview(aliceBalance) + ", under alice's key");
    say.say("    alice decrypts hers: " + Narrator.amount(alice.client().balance()) + "; her history, from her own copies:");
    for (Transfer e : alice.client().history()) {
      say.say(String.format("      %-8s %-11s -> %-11s %10s", e.kind(), cast.labelOf(e.from()), cast.labelOf(e.to()),
          e.amount().isPresent() ? Narrator.amount(e.amount().getAsLong()) : "(unreadable)"));
    }
    say.say("    The claim's fee, as each party's client decrypts it from the claim:");
    JsonObject fees = new JsonObject();
    StringBuilder line = new StringBuilder("     ");
    for (Party p : cast.all()) {
      if (!p.readsOwnCopies()) {
        continue; // the regulator's copy of the fee is under the committee's key
      }
      long fee = p.records().claim(claimId).fee();
      fees.addProperty(p.label(), fee);
      line.append(String.format(" %s: %s;", p.label(), fee >= 0 ? Narrator.amount(fee) : "no copy"));
    }
    say.say(line.substring(0, line.length() - 1));
    say.say("      the regulator's copy is under the committee's key; the committee opens payments, not claims (a claim's copy is not"
        + " proven to hold its fee), and it reads this fee through the settlement's transfer (below).");
    say.say("    alice's record: alice opens it with her key; the insurer read it under her grant, logged; st-mary wrote it"
        + " but holds no key for it; nobody else can read it.");
    JsonObject out = new JsonObject();
    out.addProperty("txId", txId);
    out.addProperty("from", "alice");
    out.addProperty("to", "st-mary");
    out.add("decryptedBy", matrix);
    out.add("claimFeeSeenBy", fees);
    out.add("committee", committeeRead);
    return out;
  }

  /** The amount in a ciphertext if it was made for this key; null when it was not (it decodes or decrypts to nothing). */
  static Long tryDecrypt(PaillierSecretKey key, String base64) {
    try {
      return key.decryptAmount(PaillierCiphertext.fromBytes(Base64.getDecoder().decode(base64), key.publicKey()));
    } catch (CryptoException e) {
      return null;
    }
  }
}
