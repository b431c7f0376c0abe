package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.sdk.CommitteeChannel.refused;

import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.threshold.KeyShare;
import org.medledger.crypto.threshold.ReshareDealing;
import org.medledger.crypto.threshold.Resharing;
import org.medledger.crypto.threshold.SubShare;
import org.medledger.crypto.threshold.ThresholdPublicKey;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;
import org.medledger.sdk.internal.Requests;

/**
 * Re-sharing on chain (docs/chaincode.md §10.4): the 3-of-5 committee hands its secret to a 2-of-4
 * committee (members 2, 4 and 5 leave, two accounts join, t drops), signed by three old members.
 * The regulator key and every ciphertext stay; a request half-shared before continues with the new
 * shares; old shares, old members and acts signed for the old committee are refused; the new shares
 * are kept at rest in the keystore format.
 */
class CommitteeResharingTest {
  private static final int[] SET = {1, 3, 4};

  @Test
  void reshareChangesThresholdAndMembersAndRetiresTheOldShares(@TempDir Path dir) throws Exception {
    CommitteeChannel ch = new CommitteeChannel();
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 10_000), 1, 2, 3);
    Transfer paid = ch.insurer.pay(ch.patient.accountId(), 3_000);
    ThresholdPublicKey oldPk = ch.dealing.publicKey();
    Disclosure d = ch.member(1).open(Target.TRANSFER, paid.txId(), "", "before and after re-sharing", Mode.PUBLIC);
    ch.member(2).share(d.id(), ch.share(2));
    CommitteeAct oldIssue = ch.member(1).issueAct(ch.insurer.accountId(), 1);
    ch.member(1).sign(oldIssue);
    ch.member(2).sign(oldIssue);
    ch.member(3).sign(oldIssue); // signed, never submitted before the re-sharing

    // Members 1, 3, 4 re-share to 2-of-4: accounts 1 and 3 stay (new indices 1, 2), accounts 6, 7 join.
    List<Resharing.Dealt> dealt = new ArrayList<>();
    List<ReshareDealing> dealings = new ArrayList<>();
    for (int i : SET) {
      Resharing.Dealt x = CommitteeClient.reshareDeal(oldPk, ch.share(i), SET, 2, 4, CommitteeChannel.RND);
      dealt.add(x);
      dealings.add(x.dealing());
    }
    List<String> newMembers = List.of(ch.memberIds(0, 1).get(0), ch.memberIds(2, 3).get(0), ch.memberIds(5, 6).get(0),
        ch.memberIds(6, 7).get(0));
    refused("NOT_ENOUGH_SIGNATURES", () -> ch.act(ch.member(1).reshareAct(dealings, newMembers), 1, 5));
    refused("RESHARE_INVALID", () -> ch.act(ch.member(1).reshareAct(dealings.subList(0, 2), newMembers), 1, 2, 5));
    // Member 4's message for another shape (t' = 3): the three messages disagree.
    List<ReshareDealing> swapped = List.of(dealings.get(0), dealings.get(1),
        CommitteeClient.reshareDeal(oldPk, ch.share(4), SET, 3, 4, CommitteeChannel.RND).dealing());
    refused("RESHARE_INVALID", () -> ch.act(ch.member(1).reshareAct(swapped, newMembers), 1, 2, 5));
    refused("RESHARE_INVALID", () -> ch.act(ch.member(1).reshareAct(dealings, newMembers.subList(0, 3)), 1, 2, 5));
    // Re-sharing to a threshold of 1 would leave one member able to read everything: the new key's
    // v_i would all be powers of (1+n), which Resharing.newPublicKey's key check refuses.
    List<ReshareDealing> toOne = new ArrayList<>();
    for (int i : SET) {
      toOne.add(CommitteeClient.reshareDeal(oldPk, ch.share(i), SET, 1, 4, CommitteeChannel.RND).dealing());
    }
    refused("RESHARE_INVALID", () -> ch.act(ch.member(1).reshareAct(toOne, newMembers), 1, 2, 5));
    refused("WRONG_ROLE", () -> ch.act(ch.member(1).reshareAct(dealings,
        List.of(newMembers.get(0), newMembers.get(1), newMembers.get(2), ch.patient.accountId())), 1, 2, 5));
    assertEquals(0, ch.member(1).committee().epoch());

    JsonObject next = ch.act(ch.member(1).reshareAct(dealings, newMembers), 1, 2, 5);
    assertEquals(1, next.get("epoch").getAsLong());
    CommitteeClient.Committee now = ch.member(1).committee();
    ThresholdPublicKey newPk = now.publicKey();
    assertEquals(2, newPk.threshold());
    assertEquals(newMembers, now.members());
    assertEquals(oldPk.paillierKey().n(), newPk.paillierKey().n(), "the regulator key and every ciphertext stay");
    KeyShare[] fresh = new KeyShare[5];
    for (int j = 1; j <= 4; j++) {
      List<SubShare> mine = new ArrayList<>();
      for (Resharing.Dealt x : dealt) {
        mine.add(x.subShares().get(j - 1));
      }
      fresh[j] = CommitteeClient.reshareReceive(oldPk, newPk, dealings, j, mine);
    }

    // Old shares and old members are refused; an act signed for the old committee too.
    Requests m1 = new Requests(ch.memberSecrets.get(0), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND);
    byte[] oldShare = ch.shareBytes(ch.share(1), oldPk, d.id(), d.id());
    JsonObject body = m1.body("disclosure.share", m1.nonce());
    body.addProperty("disclosureId", d.id());
    body.addProperty("share", Requests.b64(oldShare));
    refused("MALFORMED_SHARE", () -> ch.gateway("RegulatorOrgMSP").submit("committee:share", m1.sign(body)));
    assertThrows(org.medledger.crypto.MalformedInputException.class, () -> ch.member(1).share(d.id(), ch.share(1)),
        "the SDK refuses a key share of another epoch before sending anything");
    Requests m4 = new Requests(ch.memberSecrets.get(3), ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND);
    JsonObject left = m4.body("disclosure.share", m4.nonce());
    left.addProperty("disclosureId", d.id());
    left.addProperty("share", Requests.b64(ch.shareBytes(ch.share(4), oldPk, d.id(), d.id())));
    refused("NOT_COMMITTEE_MEMBER", () -> ch.gateway("RegulatorOrgMSP").submit("committee:share", m4.sign(left)));
    refused("BAD_SEQUENCE", () -> ch.member(1).submit(oldIssue));
    refused("NOT_COMMITTEE_MEMBER", () -> ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 1), 2, 1));

    // The half-shared request continues in the new epoch: member 2's old share no longer counts.
    CommitteeClient joined6 = ch.members.get(5);
    CommitteeClient joined7 = ch.members.get(6);
    Disclosure one = joined6.share(d.id(), fresh[3]);
    assertEquals(List.of(joined6.accountId()), one.sharedBy());
    assertEquals("OPEN", one.status());
    Disclosure opened = joined7.share(d.id(), fresh[4]);
    assertEquals("OPENED", opened.status());
    assertEquals(BigInteger.valueOf(3_000), opened.plaintext().orElseThrow());

    // Two new members now issue; one cannot.
    long before = ch.insurer.balance();
    refused("NOT_ENOUGH_SIGNATURES", () -> ch.act(joined6.issueAct(ch.insurer.accountId(), 7), 6));
    CommitteeAct issue = joined6.issueAct(ch.insurer.accountId(), 7);
    joined6.sign(issue);
    ch.member(3).sign(issue);
    joined6.submit(issue);
    assertEquals(before + 7, ch.insurer.balance());

    // A new share at rest: readable for the new key only, with the right password.
    Path file = dir.resolve("member6.share");
    char[] pw = "correct horse battery staple".toCharArray();
    ShareKeystore.write(file, joined6.accountId(), fresh[3], pw, Keystore.KdfParams.MINIMUM, CommitteeChannel.RND);
    KeyShare back = ShareKeystore.read(file, pw, newPk);
    assertEquals(3, back.member());
    assertEquals(KeystoreException.Code.CORRUPT,
        assertThrows(KeystoreException.class, () -> ShareKeystore.read(file, pw, oldPk)).code());
    assertEquals(KeystoreException.Code.WRONG_PASSWORD_OR_DAMAGED,
        assertThrows(KeystoreException.class, () -> ShareKeystore.read(file, "wrong".toCharArray(), newPk)).code());
    String text = Files.readString(file);
    assertTrue(text.contains("\"member\":3") && text.contains("medledger-keyshare"), text);
  }
}
