package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medledger.crypto.CryptoException;
import org.medledger.crypto.paillier.PaillierCiphertext;
import org.medledger.crypto.threshold.Combiner;
import org.medledger.crypto.threshold.DecryptionShare;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.PartialDecryption;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.sdk.CommitteeAct;
import org.medledger.sdk.LedgerCallException;

/**
 * The regulator committee as the demo plays it: the members' current key shares (each held by its
 * member; the demo plays all five), and the acts that need t of them. Issuing money is an act t
 * members sign: the regulator account alone and two signatures are refused. The who-can-see-what
 * matrix asks each member alone, a pair and two triples to decrypt a payment's regulator copy.
 */
final class Committee {
  private final Cast cast;
  private final Narrator say;
  private ThresholdPublicKey publicKey;
  private final Map<String, KeyShare> shares = new LinkedHashMap<>();

  Committee(Cast cast, Narrator say, ThresholdDealer.Dealing dealing) {
    this.cast = cast;
    this.say = say;
    this.publicKey = dealing.publicKey();
    List<Party> members = cast.members();
    for (KeyShare s : dealing.shares()) {
      shares.put(members.get(s.member() - 1).label(), s);
    }
  }

  ThresholdPublicKey publicKey() {
    return publicKey;
  }

  /** Member {@code label}'s key share of the current epoch, or null for a member who left. */
  KeyShare share(String label) {
    return shares.get(label);
  }

  /** After a re-sharing: the new key and the new members' shares replace the old, which are returned (the caller erases them). */
  Map<String, KeyShare> replace(ThresholdPublicKey next, Map<String, KeyShare> nextShares) {
    Map<String, KeyShare> old = new LinkedHashMap<>(shares);
    publicKey = next;
    shares.clear();
    shares.putAll(nextShares);
    return old;
  }

  void destroy() {
    shares.values().forEach(KeyShare::destroy);
  }

  /**
   * The committee issues {@code amount} to the insurer: the regulator account alone is refused
   * (COMMITTEE_ACT), an act with two signatures is refused (NOT_ENOUGH_SIGNATURES), the third
   * signature makes it an issue. Returns the facts.
   */
  JsonObject issue(Steps steps, Party regulator, Party insurer, long amount) throws Exception {
    say.heading("The committee issues " + Narrator.amount(amount) + " to the insurer: an act that t = " + publicKey.threshold()
        + " members sign (issues are public: the amount is on the ledger)");
    String alone = refusal(() -> regulator.client().issue(insurer.account(), amount));
    say.say("    the regulator account alone:            refused, " + alone);
    List<Party> members = cast.members();
    CommitteeAct act = members.get(0).committee().issueAct(insurer.account(), amount);
    members.get(0).committee().sign(act);
    members.get(1).committee().sign(act);
    String two = refusal(() -> members.get(0).committee().submit(act));
    say.say("    signed by member-1 and member-2:        refused, " + two);
    members.get(2).committee().sign(act);
    JsonObject r = members.get(0).committee().submit(act);
    String tx = r.has("txId") ? r.get("txId").getAsString() : "";
    say.say("    signed by member-1, member-2, member-3: issued");
    steps.add("issue", "committee", insurer.label(), amount, tx, 0);
    JsonObject o = new JsonObject();
    o.addProperty("regulatorAlone", alone);
    o.addProperty("twoSignatures", two);
    JsonArray signers = new JsonArray();
    cast.labelsOf(act.signers()).forEach(signers::add);
    o.add("signers", signers);
    o.addProperty("txId", tx);
    return o;
  }

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /** The error code {@code call} was refused with; "" if it was not refused. */
  static String refusal(Call call) throws Exception {
    try {
      call.run();
      return "";
    } catch (LedgerCallException e) {
      if (e.kind() != LedgerCallException.Kind.REFUSED) {
        throw e;
      }
      return e.errorCode();
    } catch (org.medledger.sdk.ClientRefusalException e) {
      return e.errorCode().name();
    } catch (CryptoException e) {
      return e.code();
    }
  }

  /**
   * Who reads the regulator copy {@code c}: each member makes its decryption share (off the
   * ledger, for this illustration only) and the shares are combined, one alone, a pair, and two
   * different triples. Fewer than t are refused (NOT_ENOUGH_SHARES); any t give the amount.
   * Returns {"alone":{member:code}, "pair":code, "triples":{"member-1+member-2+member-3":amount, …}}.
   */
  JsonObject whoReads(PaillierCiphertext c) throws Exception {
    byte[] context = "medledger/demo/who-reads-the-regulator-copy".getBytes(StandardCharsets.UTF_8);
    List<String> labels = new ArrayList<>(shares.keySet());
    List<DecryptionShare> made = Parallel.run(Parallel.threads(labels.size()), labels.size(),
        i -> PartialDecryption.create(shares.get(labels.get(i)), publicKey, c, context, new SecureRandom()));
    JsonObject alone = new JsonObject();
    for (int i = 0; i < labels.size(); i++) {
      int index = i;
      alone.addProperty(labels.get(i), refusal(() -> Combiner.combineAmount(publicKey, c, context, List.of(made.get(index)))));
    }
    String pair = refusal(() -> Combiner.combineAmount(publicKey, c, context, made.subList(0, 2)));
    JsonObject triples = new JsonObject();
    for (int[] set : new int[][] {{0, 1, 2}, {2, 3, 4}}) {
      List<DecryptionShare> three = List.of(made.get(set[0]), made.get(set[1]), made.get(set[2]));
      triples.addProperty(labels.get(set[0]) + "+" + labels.get(set[1]) + "+" + labels.get(set[2]),
          Combiner.combineAmount(publicKey, c, context, three));
    }
    JsonObject o = new JsonObject();
    o.add("alone", alone);
    o.addProperty("pair", pair);
    o.add("triples", triples);
    say.say("    The regulator copy is under the committee's key, whose secret nobody holds; each member has one share of it."
        + " Each makes its decryption share, and the shares are combined:");
    for (String l : labels) {
      say.say(String.format(Locale.ROOT, "      %-28s %s", l + " alone", "refused, " + alone.get(l).getAsString()));
    }
    say.say(String.format(Locale.ROOT, "      %-28s %s", labels.get(0) + " + " + labels.get(1), "refused, " + pair));
    for (var e : triples.entrySet()) {
      say.say(String.format(Locale.ROOT, "      %-28s %s", e.getKey().replace("+", " + ").replace("member-", "m"),
          Narrator.amount(e.getValue().getAsLong())));
    }
    say.say("    No single member reads an amount; any " + publicKey.threshold() + " of them together do, and on the ledger"
        + " that takes a disclosure request that every patient concerned can list (below).");
    return o;
  }
}
