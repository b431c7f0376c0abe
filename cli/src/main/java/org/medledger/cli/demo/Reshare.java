package org.medledger.cli.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.ReshareDealing;
import org.medledger.crypto.threshold.Resharing;
import org.medledger.crypto.threshold.SubShare;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CommitteeProtocol;
import org.medledger.sdk.CommitteeAct;
import org.medledger.sdk.CommitteeClient;
import org.medledger.sdk.Disclosure;

/**
 * A member leaves: t old members re-share the committee key to a 3-of-4 committee without anyone
 * reconstructing it (each deals sub-shares to the new members and signs the act). The regulator
 * key, and so every ciphertext on the ledger, stays. Then the old shares are refused: the departed
 * member's (NOT_COMMITTEE_MEMBER, by the ledger), a staying member's old share by its own client
 * (WRONG_COMMITTEE) and, sent through a client that ignores the re-sharing, by the ledger
 * (MALFORMED_SHARE: the new committee's response bound gives its shares another size); the new
 * shares open a PUBLIC request for the claim's settlement.
 */
final class Reshare {
  static final String REASON = "check of the claim settled for alice's visit";
  private static final List<String> DEALERS = List.of("member-1", "member-2", "member-3");
  private static final List<String> NEW_MEMBERS = List.of("member-1", "member-2", "member-3", "member-4");
  private static final String LEAVING = "member-5";
  private static final int NEW_THRESHOLD = 3;

  private Reshare() {}

  static JsonObject run(Narrator say, Cast cast, Committee committee, String settleTx) throws Exception {
    say.heading(LEAVING + " leaves: " + String.join(", ", DEALERS) + " re-share the committee key to a " + NEW_THRESHOLD + "-of-"
        + NEW_MEMBERS.size() + " committee (" + String.join(", ", NEW_MEMBERS) + "); nobody reconstructs the key");
    Party first = cast.get(DEALERS.get(0));
    String staleCommittee = first.connection().evaluate("committee:getCommittee");
    CommitteeClient.Committee before = first.committee().committee();
    ThresholdPublicKey oldPk = committee.publicKey();
    int[] set = new int[DEALERS.size()];
    for (int i = 0; i < set.length; i++) {
      set[i] = before.indexOf(cast.get(DEALERS.get(i)).account());
    }
    long t = System.nanoTime();
    List<Resharing.Dealt> dealt = Parallel.run(Parallel.threads(DEALERS.size()), DEALERS.size(),
        i -> CommitteeClient.reshareDeal(oldPk, committee.share(DEALERS.get(i)), set, NEW_THRESHOLD, NEW_MEMBERS.size(),
            new SecureRandom()));
    List<ReshareDealing> dealings = dealt.stream().map(Resharing.Dealt::dealing).toList();
    List<String> newIds = NEW_MEMBERS.stream().map(l -> cast.get(l).account()).toList();
    CommitteeAct act = first.committee().reshareAct(dealings, newIds);
    for (String l : DEALERS) {
      cast.get(l).committee().sign(act);
    }
    first.committee().submit(act);
    CommitteeClient.Committee now = first.committee().committee();
    List<KeyShare> received = Parallel.run(Parallel.threads(NEW_MEMBERS.size()), NEW_MEMBERS.size(), j -> {
      List<SubShare> mine = new ArrayList<>();
      for (Resharing.Dealt x : dealt) {
        mine.add(x.subShares().get(j));
      }
      return CommitteeClient.reshareReceive(oldPk, now.publicKey(), dealings, j + 1, mine);
    });
    Map<String, KeyShare> fresh = new LinkedHashMap<>();
    for (int j = 0; j < NEW_MEMBERS.size(); j++) {
      fresh.put(NEW_MEMBERS.get(j), received.get(j));
    }
    boolean sameKey = now.publicKey().paillierKey().equals(oldPk.paillierKey());
    long reshareMillis = (System.nanoTime() - t) / 1_000_000;
    say.say(String.format(Locale.ROOT, "    each of the three dealt sub-shares to the four new members with public commitments, signed"
        + " the act, and the ledger checked it: epoch %d -> %d, %d-of-%d (%.1f s)", before.epoch(), now.epoch(),
        now.publicKey().threshold(), now.members().size(), reshareMillis / 1000.0));
    say.say("    the regulator's public key is " + (sameKey ? "unchanged" : "CHANGED") + ", so every ciphertext already on the ledger"
        + " stays readable by the new committee; each new member checked its new share against the new verification keys");

    JsonObject out = new JsonObject();
    // The old shares are kept only to show them refused, then erased.
    Map<String, KeyShare> retired = committee.replace(now.publicKey(), fresh);
    try {
      say.heading("The old shares no longer count: the committee opens the claim's settlement (the insurer's payment to st-mary),"
          + " a PUBLIC request this time");
      Party requester = cast.get("member-2");
      Disclosure d = requester.committee().open(CommitteeProtocol.Target.TRANSFER, settleTx, "", REASON, CommitteeProtocol.Mode.PUBLIC);
      Party leaving = cast.get(LEAVING);
      String departed = Committee.refusal(() -> new CommitteeClient(leaving.secrets(), new StaleView(leaving.connection(),
          staleCommittee), new SecureRandom()).share(d.id(), retired.get(LEAVING)));
      say.say("    " + LEAVING + ", gone, sends a share made with its old key share:             refused by the ledger, " + departed);
      String ownClient = Committee.refusal(() -> first.committee().share(d.id(), retired.get("member-1")));
      say.say("    member-1 tries its old key share through its client:                  refused by the client, " + ownClient);
      String forced = Committee.refusal(() -> new CommitteeClient(first.secrets(), new StaleView(first.connection(), staleCommittee),
          new SecureRandom()).share(d.id(), retired.get("member-1")));
      say.say("    ... and through a client that ignores the re-sharing:                 refused by the ledger, " + forced);
      JsonArray statuses = new JsonArray();
      Disclosure last = d;
      for (String l : List.of("member-1", "member-3", "member-4")) {
        last = cast.get(l).committee().share(d.id(), committee.share(l));
        statuses.add(last.status());
        say.say(String.format("    %s shares with its new key share (verified by the chaincode): %s%s", l, last.status(),
            last.plaintext().isPresent() ? ", the ledger now shows " + Narrator.amount(last.plaintext().get().longValueExact()) : ""));
      }
      long plaintext = last.plaintext().map(java.math.BigInteger::longValueExact).orElse(-1L);
      out.addProperty("epochBefore", before.epoch());
      out.addProperty("epochAfter", now.epoch());
      out.addProperty("threshold", now.publicKey().threshold());
      JsonArray members = new JsonArray();
      cast.labelsOf(now.members()).forEach(members::add);
      out.add("members", members);
      out.addProperty("left", LEAVING);
      out.addProperty("regulatorKeyUnchanged", sameKey);
      out.addProperty("departedShare", departed);
      out.addProperty("oldShareByClient", ownClient);
      out.addProperty("oldShareByLedger", forced);
      JsonObject disclosure = new JsonObject();
      disclosure.addProperty("id", d.id());
      disclosure.addProperty("txId", settleTx);
      disclosure.addProperty("mode", d.mode().name());
      disclosure.add("statusAfterEachShare", statuses);
      disclosure.addProperty("plaintext", plaintext);
      JsonArray by = new JsonArray();
      cast.labelsOf(last.sharedBy()).forEach(by::add);
      disclosure.add("sharedBy", by);
      out.add("disclosure", disclosure);
      out.addProperty("reshareMillis", reshareMillis);
    } finally {
      retired.values().forEach(KeyShare::destroy);
    }
    return out;
  }
}
