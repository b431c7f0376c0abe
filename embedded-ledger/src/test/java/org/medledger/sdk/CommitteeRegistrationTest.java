package org.medledger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.sdk.CommitteeChannel.refused;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medledger.crypto.MalformedInputException;
import org.medledger.crypto.testing.TestSafePrimes;
import org.medledger.crypto.threshold.ThresholdDealer;
import org.medledger.protocol.CommitteeProtocol.Mode;
import org.medledger.protocol.CommitteeProtocol.Target;
import org.medledger.sdk.internal.Requests;

/**
 * committee:register (docs/chaincode.md §10.1): before it the regulator's single key issues and no
 * committee function runs; a key that does not validate, does not match the request's shape or the
 * regulator account's key, or names members that are not committee-member accounts is refused
 * with nothing written; after it the single key no longer issues and a second registration is
 * refused.
 */
class CommitteeRegistrationTest {

  private static String request(CommitteeChannel ch, byte[] key, long t, List<String> members) throws LedgerCallException {
    Requests r = new Requests(ch.regulatorSecrets, ch.gateway("RegulatorOrgMSP"), CommitteeChannel.RND);
    JsonObject b = r.body("committee.register", r.nonce());
    b.addProperty("publicKey", Requests.b64(key));
    b.addProperty("threshold", t);
    JsonArray a = new JsonArray();
    members.forEach(a::add);
    b.add("members", a);
    return r.sign(b);
  }

  @Test
  void registrationIsCheckedAndSwitchesIssuingToTheCommittee() throws Exception {
    CommitteeChannel ch = new CommitteeChannel(false, false);
    LedgerConnection gw = ch.gateway("RegulatorOrgMSP");
    byte[] key = ch.dealing.publicKey().toBytes();
    List<String> five = ch.memberIds(0, 5);
    AccountClient singleKey = new AccountClient(ch.regulatorSecrets, gw, CommitteeChannel.RND);

    singleKey.issue(ch.insurer.accountId(), 100); // no committee yet: the single key issues
    refused("NO_COMMITTEE", () -> ch.member(1).open(Target.TRANSFER, "tx-1", "", "r", Mode.PUBLIC));
    refused("NO_COMMITTEE", () -> ch.member(1).issueAct(ch.insurer.accountId(), 1));

    byte[] tampered = key.clone();
    tampered[tampered.length - 7] ^= 1; // member 5's verification key
    refused("MALFORMED_COMMITTEE_KEY", () -> gw.submit("committee:register", request(ch, tampered, 3, five)));
    refused("MALFORMED_COMMITTEE_KEY", () -> gw.submit("committee:register", request(ch, key, 2, five)));
    refused("MALFORMED_COMMITTEE_KEY", () -> gw.submit("committee:register", request(ch, key, 3, five.subList(0, 4))));
    refused("MALFORMED_REQUEST", () -> gw.submit("committee:register",
        request(ch, key, 3, List.of(five.get(0), five.get(1), five.get(2), five.get(3), five.get(0)))));
    refused("WRONG_ROLE", () -> gw.submit("committee:register",
        request(ch, key, 3, List.of(five.get(0), five.get(1), five.get(2), five.get(3), ch.patient.accountId()))));
    refused("UNKNOWN_ACCOUNT", () -> gw.submit("committee:register",
        request(ch, key, 3, List.of(five.get(0), five.get(1), five.get(2), five.get(3), "acct-00000000000000000000000000000000"))));
    // Same n, another dealing: its h (and every v_i) differ from the registered regulator key's.
    BigInteger[] pq = TestSafePrimes.pair(1024);
    ThresholdDealer.Dealing other = CommitteeClient.dealFromSafePrimes(pq[0], pq[1], 3, 5, "medchannel",
        ch.regulatorSecrets.accountId(), CommitteeChannel.RND);
    refused("COMMITTEE_KEY_MISMATCH", () -> gw.submit("committee:register", request(ch, other.publicKey().toBytes(), 3, five)));
    // A committee of threshold 1 would be one key that reads everything. No such key exists to
    // register: with t = 1 every share is d, so every v_i = v^{Δd} is a power of (1+n), which the
    // key's check gcd(v_i² − 1, n) = 1 refuses (docs/protocol.md §10.6, docs/chaincode.md §10.1).
    MalformedInputException one = assertThrows(MalformedInputException.class, () -> CommitteeClient.dealFromSafePrimes(
        pq[0], pq[1], 1, 5, "medchannel", ch.regulatorSecrets.accountId(), CommitteeChannel.RND));
    assertTrue(one.getMessage().contains("MALFORMED_THRESHOLD_KEY"), one.getMessage());
    LedgerConnection hospitalGw = ch.gateway("HospitalOrgMSP");
    refused("FORBIDDEN_ORGANISATION", () -> hospitalGw.submit("committee:register", request(ch, key, 3, five)));

    CommitteeClient.Committee c = ch.regulator.registerCommittee(ch.dealing.publicKey(), five);
    assertEquals(0, c.epoch());
    assertEquals(five, c.members());
    assertEquals(ch.dealing.publicKey(), c.publicKey());
    refused("COMMITTEE_EXISTS", () -> gw.submit("committee:register", request(ch, key, 3, five)));
    refused("COMMITTEE_ACT", () -> singleKey.issue(ch.insurer.accountId(), 100));
    ch.act(ch.member(1).issueAct(ch.insurer.accountId(), 50), 1, 3, 5);
    assertEquals(150, ch.insurer.balance());
  }
}
