package org.medledger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.crypto.testing.TestKeys;
import org.medledger.crypto.testing.TestRingPedersen;
import org.medledger.protocol.Role;

/**
 * The committee commands on a persisted embedded ledger, each invocation a fresh run (docs/cli.md
 * §4): a 3-of-5 committee is dealt (a real safe-prime search) with the regulator, issues money by a
 * committee act, a PRIVATE request that two members' shares cannot open and the third's does, a
 * PUBLIC one opened on chain, the refusals, and a re-sharing after which a leaving member and an
 * old share are refused.
 */
class CommitteeCommandsTest {
  @TempDir
  Path dir;

  private static CliRunner.Run ok(CliRunner.Run r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  private static void fails(CliRunner.Run r, int exit, String code) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("medledger: error: " + code + ": "), r.toString());
  }

  @Test
  void dealDiscloseReshareAndTheRefusals() throws Exception {
    CliRunner cli = new CliRunner(dir);
    for (int i = 1; i <= 6; i++) {
      cli.keystore("m" + i, Role.COMMITTEE_MEMBER, i % 2 == 0 ? TestKeys.key2048a() : TestKeys.key2048b());
    }
    cli.keystore("ins", Role.INSURER, TestKeys.key2048b());
    cli.keystore("hosp", Role.HOSPITAL, TestKeys.key2048a());
    cli.keystore("alice", Role.PATIENT, TestKeys.key3072());
    Path params = dir.resolve("rp-params.bin");
    Path proof = dir.resolve("rp-proof.bin");
    Files.write(params, TestRingPedersen.paramsBytes(2048));
    Files.write(proof, TestRingPedersen.proofBytes(2048));
    ok(cli.run("configure"));
    fails(cli.run("committee", "show"), 3, "NO_COMMITTEE");
    fails(cli.run("committee", "deal", "-t", "3", "--members", "m1,m2,ins"), 6, "WRONG_ROLE");
    fails(cli.run("committee", "deal", "-t", "4", "--members", "m1,m2,m3"), 2, "USAGE");

    CliRunner.Run dealt = ok(cli.run("--json", "committee", "deal", "-t", "3", "--members", "m1,m2,m3,m4,m5",
        "--rp-params-file", params.toString(), "--rp-proof-file", proof.toString()));
    JsonObject deal = dealt.json();
    assertEquals(3, deal.get("threshold").getAsInt());
    assertEquals(5, deal.get("members").getAsInt());
    assertEquals(0, deal.get("epoch").getAsLong());
    assertEquals(2048, deal.get("bits").getAsInt());
    assertEquals(5, deal.getAsJsonArray("registeredMembers").size());
    for (int i = 1; i <= 5; i++) {
      Path share = dir.resolve("committee").resolve("m" + i + ".share");
      String text = Files.readString(share);
      assertTrue(text.contains("medledger-keyshare") && text.contains("\"member\":" + i), text);
      assertFalse(dealt.out().contains(text.substring(text.indexOf("\"ciphertext\":\"") + 14, text.indexOf("\"ciphertext\":\"") + 60)));
    }
    fails(cli.run("committee", "deal", "-t", "2", "--members", "m5,m6"), 6, "SHARE_EXISTS");
    fails(cli.run("committee", "deal", "-t", "2", "--members", "m6,m1"), 6, "SHARE_EXISTS");
    String show = ok(cli.run("committee", "show")).out();
    assertTrue(show.startsWith("Committee 3-of-5, epoch 0, next act 0"), show);
    assertTrue(show.contains("3. m3 (acct-"), show);

    // Money: the regulator has no single key; two members cannot issue, three can.
    ok(cli.run("accounts", "register", "--account", "ins"));
    ok(cli.run("accounts", "register", "--account", "hosp"));
    ok(cli.run("accounts", "register", "--account", "alice"));
    ok(cli.run("accounts", "register", "--account", "m6"));
    fails(cli.run("committee", "issue", "--by", "m1,m2", "--to", "ins", "--amount", "10000"), 3, "NOT_ENOUGH_SIGNATURES");
    JsonObject issued = ok(cli.run("--json", "committee", "issue", "--by", "m2,m4,m5", "--to", "ins", "--amount", "10000")).json();
    assertEquals(3, issued.getAsJsonArray("signers").size());
    ok(cli.run("fund", "--from", "ins", "--to", "alice", "--amount", "5000"));
    String tx = ok(cli.run("--json", "pay", "--from", "alice", "--to", "hosp", "--amount", "1234")).json().get("txId").getAsString();

    // PRIVATE: two shares do not open it, the third does, for the requester only.
    JsonObject req = ok(cli.run("--json", "disclose", "request", "--account", "m1", "--kind", "transfer", "--id", tx,
        "--reason", "audit of hospital billing", "--mode", "private")).json();
    String id = req.get("disclosureId").getAsString();
    assertEquals("OPEN", req.get("status").getAsString());
    ok(cli.run("disclose", "share", "--account", "m1", id));
    ok(cli.run("disclose", "share", "--account", "m3", id));
    fails(cli.run("disclose", "open", "--account", "m1", id), 6, "NOT_ENOUGH_SHARES");
    fails(cli.run("disclose", "open", "--account", "m3", id), 6, "NOT_REQUESTER");
    fails(cli.run("disclose", "share", "--account", "m3", id), 3, "DUPLICATE_SHARE");
    fails(cli.run("disclose", "share", "--account", "m6", id), 6, "NOT_COMMITTEE_MEMBER");
    fails(cli.run("disclose", "share", "--account", "alice", id), 6, "WRONG_ROLE");
    fails(cli.run("disclose", "share", "--account", "m2", "disc-00000000000000000000000000000000"), 3, "UNKNOWN_DISCLOSURE");
    JsonObject third = ok(cli.run("--json", "disclose", "share", "--account", "m4", id)).json();
    assertEquals("SHARED", third.get("status").getAsString());
    assertFalse(third.has("plaintext"));
    JsonObject status = ok(cli.run("--json", "disclose", "status", id)).json();
    assertEquals(3, status.getAsJsonArray("sharedBy").size());
    assertFalse(status.has("plaintext"), "a PRIVATE request puts no plaintext on chain");
    String opened = ok(cli.run("disclose", "open", "--account", "m1", id)).out();
    assertTrue(opened.contains("): 1234 (combined here; not on chain)"), opened);

    // PUBLIC: the third share stores the plaintext on chain for everyone.
    String pub = ok(cli.run("--json", "disclose", "request", "--account", "m2", "--kind", "TRANSFER", "--id", tx,
        "--reason", "public audit", "--mode", "public")).json().get("disclosureId").getAsString();
    ok(cli.run("disclose", "share", "--account", "m1", pub));
    ok(cli.run("disclose", "share", "--account", "m2", pub));
    fails(cli.run("disclose", "open", "--account", "m5", pub), 6, "NOT_ENOUGH_SHARES");
    assertEquals("1234", ok(cli.run("--json", "disclose", "share", "--account", "m3", pub)).json().get("plaintext").getAsString());
    assertTrue(ok(cli.run("disclose", "status", pub)).out().contains("plaintext:    1234"));

    // Re-sharing: m1, m2, m3 hand the key to 2-of-3 {m1, m2, m6}; m4 and m5 leave.
    Path oldShare = dir.resolve("m2-old.share");
    Files.copy(dir.resolve("committee").resolve("m2.share"), oldShare);
    String next = ok(cli.run("--json", "disclose", "request", "--account", "m2", "--kind", "TRANSFER", "--id", tx,
        "--reason", "after re-sharing", "--mode", "public")).json().get("disclosureId").getAsString();
    fails(cli.run("committee", "reshare", "--by", "m1,m2", "--members", "m1,m2,m6", "-t", "2"), 2, "USAGE");
    JsonObject reshared = ok(cli.run("--json", "committee", "reshare", "--by", "m1,m2,m3", "--members", "m1,m2,m6", "-t", "2")).json();
    assertEquals(1, reshared.get("epoch").getAsLong());
    assertEquals(2, reshared.get("threshold").getAsInt());
    assertEquals(List.of("m3", "m4", "m5"), reshared.getAsJsonArray("erasedShares").asList().stream()
        .map(e -> e.getAsString()).toList());
    assertFalse(Files.exists(dir.resolve("committee").resolve("m4.share")));
    fails(cli.run("disclose", "share", "--account", "m4", next), 6, "NOT_COMMITTEE_MEMBER");
    fails(cli.run("disclose", "share", "--account", "m2", "--share-file", oldShare.toString(), next), 6, "STALE_SHARE");
    ok(cli.run("disclose", "share", "--account", "m6", next));
    assertEquals("1234", ok(cli.run("--json", "disclose", "share", "--account", "m2", next)).json().get("plaintext").getAsString());
    fails(cli.run("committee", "issue", "--by", "m6", "--to", "ins", "--amount", "1"), 3, "NOT_ENOUGH_SIGNATURES");
    ok(cli.run("committee", "issue", "--by", "m6,m1", "--to", "ins", "--amount", "1"));
  }
}
